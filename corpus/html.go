package corpus

import (
	"strings"
	"unicode/utf8"

	"regexp"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlLines reduces an HTML page to lines of text: one line per block element
// or <br>, white space collapsed as a browser would, with the rune offset of
// each line's first character in the page source. Elements that never hold
// report text (scripts, styles, forms' controls, <nav>, <footer>, <aside>)
// are skipped; their lines are counted as dropped.
var titleTagRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// pageTitle returns the text of a page's <title>, "" if none.
func pageTitle(src string) string {
	head := src
	if len(head) > 16<<10 {
		head = head[:16<<10]
	}
	m := titleTagRe.FindStringSubmatch(head)
	if m == nil {
		return ""
	}
	t, _ := trimLine(strings.Join(strings.Fields(html.UnescapeString(m[1])), " "))
	return t
}

func htmlLines(src string) (lines []srcLine, dropped int) {
	lines, dropped = reduceHTML(src, true)
	for _, l := range lines {
		if utf8.RuneCountInString(l.text) >= 50 {
			return lines, dropped
		}
	}
	// No prose outside <nav>, <footer> and <aside>: a page that wraps its
	// article in one of them, or never closes one. Read them too.
	return reduceHTML(src, false)
}

func reduceHTML(src string, skipSemantic bool) (lines []srcLine, dropped int) {
	z := html.NewTokenizer(strings.NewReader(src))
	var (
		off        int // rune offset of the current token
		b          strings.Builder
		lineOff    = -1
		skipDepth  int
		skipText   bool
		preDepth   int
		boldDepth  int
		boldRunes  int
		totalRunes int
		heading    int
		pendingSp  bool
	)
	flush := func() {
		t, _ := trimLine(b.String())
		if t != "" {
			hint := heading
			if hint == 0 && boldRunes > 0 && boldRunes == totalRunes {
				hint = levelBold
			}
			lines = append(lines, srcLine{text: t, off: lineOff, hint: hint})
		}
		b.Reset()
		lineOff = -1
		boldRunes, totalRunes = 0, 0
		pendingSp = false
	}
	for {
		tt := z.Next()
		raw := string(z.Raw()) // copied: Text unescapes in place
		tokOff := off
		off += utf8.RuneCountInString(raw)
		switch tt {
		case html.ErrorToken:
			flush()
			return lines, dropped
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipElement[a] && (skipSemantic || !semanticElement[a]) {
				if tt == html.StartTagToken {
					if skipDepth == 0 {
						flush()
					}
					skipDepth++
				} else if tt == html.EndTagToken && skipDepth > 0 {
					skipDepth--
					if skipDepth == 0 && skipText {
						dropped++
						skipText = false
					}
				}
				continue
			}
			if skipDepth > 0 {
				if blockElement[a] && skipText {
					dropped++
					skipText = false
				}
				continue
			}
			switch a {
			case atom.B, atom.Strong:
				if tt == html.StartTagToken {
					boldDepth++
				} else if tt == html.EndTagToken && boldDepth > 0 {
					boldDepth--
				}
			case atom.Pre:
				if tt == html.StartTagToken {
					preDepth++
				} else if tt == html.EndTagToken && preDepth > 0 {
					preDepth--
				}
			}
			if a == atom.Br || blockElement[a] {
				flush()
			}
			if lvl := headingAtom(a); lvl > 0 {
				if tt == html.StartTagToken {
					heading = lvl
				} else {
					heading = 0
				}
			}
		case html.TextToken:
			if skipDepth > 0 {
				if strings.TrimSpace(string(z.Text())) != "" {
					skipText = true
				}
				continue
			}
			text := string(z.Text())
			if preDepth > 0 {
				// Preformatted text keeps its own line breaks.
				base := 0
				for i, p := range strings.Split(text, "\n") {
					if i > 0 {
						flush()
						base++ // the line break
					}
					appendHTMLText(&b, p, base, &lineOff, tokOff, raw, boldDepth > 0, &boldRunes, &totalRunes, &pendingSp, true)
					base += utf8.RuneCountInString(p)
				}
				continue
			}
			appendHTMLText(&b, text, 0, &lineOff, tokOff, raw, boldDepth > 0, &boldRunes, &totalRunes, &pendingSp, false)
		}
	}
}

// appendHTMLText adds one text token to the line being built, collapsing
// ASCII white space to single spaces unless pre is set.
func appendHTMLText(b *strings.Builder, text string, base int, lineOff *int, tokOff int, raw string, bold bool, boldRunes, totalRunes *int, pendingSp *bool, pre bool) {
	k := base - 1
	for _, r := range text {
		k++
		if !pre && (r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f') {
			*pendingSp = true
			continue
		}
		if *lineOff < 0 {
			if isBlank(r) {
				continue
			}
			// The line starts here: point at this character in the source.
			*lineOff = tokOff + rawOffset(raw, k)
		} else if *pendingSp {
			b.WriteByte(' ')
		}
		*pendingSp = false
		b.WriteRune(r)
		if !isBlank(r) {
			*totalRunes++
			if bold {
				*boldRunes++
			}
		}
	}
}

var entityRe = regexp.MustCompile(`^&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?`)

// rawOffset returns the rune offset in a text token's source of the k-th
// character of its unescaped text: an entity is one character.
func rawOffset(raw string, k int) int {
	off := 0
	for i := 0; i < len(raw) && k > 0; k-- {
		if raw[i] == '&' {
			if m := entityRe.FindString(raw[i:]); m != "" && html.UnescapeString(m) != m {
				i += len(m)
				off += utf8.RuneCountInString(m)
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(raw[i:])
		i += size
		off++
	}
	return off
}

func headingAtom(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

var skipElement = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Object: true,
	atom.Select: true, atom.Button: true, atom.Textarea: true,
	atom.Nav: true, atom.Footer: true, atom.Aside: true,
}

// semanticElement: skipped elements that hold page furniture by convention
// only, unlike scripts and styles that never hold text.
var semanticElement = map[atom.Atom]bool{atom.Nav: true, atom.Footer: true, atom.Aside: true}

var blockElement = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Body: true, atom.Caption: true,
	atom.Center: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true, atom.Form: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hr: true, atom.Html: true, atom.Li: true, atom.Main: true, atom.Ol: true,
	atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tbody: true, atom.Td: true,
	atom.Tfoot: true, atom.Th: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}
