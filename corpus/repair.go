package corpus

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text that arrives damaged in ways that are almost right is repaired before
// it is cut into lines, and each repair is named in the reports' warnings:
//
//   - control characters (a stray NUL, ESC) are removed;
//   - literal escape sequences (\r\n, \n, \t as JSON and CSV dumps leave
//     them) are decoded when the file uses them as its line breaks;
//   - HTML entities in plain text (&nbsp;, &amp;, &#12288;) are decoded;
//   - runs of ? that stand for full-width or ideographic spaces lost in a
//     GBK round trip become the space they replaced; a single ? stays.
//
// Paragraph offsets count runes of the repaired text.

// repairText applies the repairs to a decoded file's text; html tells
// whether the file is HTML (whose entities the HTML reader decodes).
func repairText(text string, isHTML bool) (string, []string) {
	var warnings []string
	if t, n := removeControls(text); n > 0 {
		text = t
		warnings = append(warnings, fmt.Sprintf("%d control characters (NUL, ESC …) removed", n))
	}
	if isHTML {
		return text, warnings
	}
	if t, n := decodeEscapes(text); n > 0 {
		text = t
		warnings = append(warnings, fmt.Sprintf("%d literal escape sequences (\\r\\n, \\n, \\t) decoded: the file used them as its line breaks", n))
	}
	if t, n := decodeEntities(text); n > 0 {
		text = t
		warnings = append(warnings, fmt.Sprintf("%d HTML entities (&nbsp; …) decoded in plain text", n))
	}
	if t, n := lostSpaces(text); n > 0 {
		text = t
		warnings = append(warnings, fmt.Sprintf("%d runs of ?? (spaces lost in a GBK conversion) read as spaces", n))
	}
	return text, warnings
}

// removeControls drops C0 control characters other than tab, line feed,
// carriage return, form feed and vertical tab, and DEL.
func removeControls(s string) (string, int) {
	n := 0
	for i := 0; i < len(s); i++ {
		if isControlByte(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if !isControlByte(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String(), n
}

func isControlByte(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f
}

// literalBreak finds the literal line-break escapes of a dumped text.
var literalBreak = regexp.MustCompile(`\\r\\n|\\n|\\r`)

// decodeEscapes decodes backslash escapes when the text uses literal \n or
// \r\n as its line breaks: at least three of them, and more of them than
// real line breaks. A text that merely mentions a backslash is left alone.
func decodeEscapes(s string) (string, int) {
	lit := len(literalBreak.FindAllStringIndex(s, -1))
	if lit < 3 || lit <= strings.Count(s, "\n") {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch e := s[i+1]; e {
		case 'n', 'r':
			if e == 'r' && strings.HasPrefix(s[i+2:], `\n`) {
				i += 2
			}
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '"', '\'', '/', '\\':
			b.WriteByte(e)
		case 'u':
			if r, ok := hexRune(s[i+2:]); ok {
				b.WriteRune(r)
				i += 4
			} else {
				b.WriteByte(c)
				continue
			}
		default:
			b.WriteByte(c)
			continue
		}
		i++
		n++
	}
	return b.String(), n
}

func hexRune(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	if !utf8.ValidRune(r) || r < 0x20 {
		return 0, false
	}
	return r, true
}

var textEntityRe = regexp.MustCompile(`&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8}[0-9]{0,2});`)

// decodeEntities decodes HTML character references in plain text, twice at
// most (&amp;nbsp; is &nbsp; escaped once more).
func decodeEntities(s string) (string, int) {
	n := 0
	for pass := 0; pass < 2; pass++ {
		k := len(textEntityRe.FindAllStringIndex(s, -1))
		if k == 0 {
			break
		}
		t := textEntityRe.ReplaceAllStringFunc(s, html.UnescapeString)
		if t == s {
			break
		}
		n += k
		s = t
	}
	return s, n
}

var questionRun = regexp.MustCompile(`\?{2,}`)

// lostSpaces replaces runs of two or more ? that stand where a full-width
// space stood (GBK has no code for some spaces, and a lossy round trip
// writes one ? per byte) by an ideographic space: a run between Chinese
// text, digits, spaces or line ends. A run next to Latin letters or other
// signs (7.55%??) is damage of another kind and is kept.
func lostSpaces(s string) (string, int) {
	n := 0
	locs := questionRun.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, loc := range locs {
		prev, _ := utf8.DecodeLastRuneInString(s[:loc[0]])
		next, _ := utf8.DecodeRuneInString(s[loc[1]:])
		if loc[0] == 0 {
			prev = '\n'
		}
		if loc[1] == len(s) {
			next = '\n'
		}
		// At the start of a line a run is never a question: it is the
		// indentation before whatever opens the paragraph ([1], (一), ①, ──).
		lineStart := prev == '\n' || prev == '\r'
		if !spaceContext(prev, true) || !(lineStart || spaceContext(next, false)) {
			continue
		}
		b.WriteString(s[last:loc[0]])
		// A lossy round trip writes one ? per byte of a two-byte space:
		// an even run is that many spaces halved, an odd one a single space.
		spaces := 1
		if k := loc[1] - loc[0]; k%2 == 0 {
			spaces = k / 2
		}
		b.WriteString(strings.Repeat("\u3000", spaces))
		last = loc[1]
		n++
	}
	if n == 0 {
		return s, 0
	}
	b.WriteString(s[last:])
	return b.String(), n
}

func spaceContext(r rune, before bool) bool {
	switch {
	case isBlank(r), unicode.Is(unicode.Han, r), r >= '0' && r <= '9':
		return true
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF, r == '—', r == '…', r == '“', r == '”':
		return true
	case !before && r == '&': // an entity cut short follows: ??&emsp.
		return true
	}
	return false
}
