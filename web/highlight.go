package web

import (
	"html/template"
	"strings"
	"unicode/utf8"
)

// Snippet size on the search page: a paragraph longer than snippetRunes
// characters is cut to a window that starts snippetLead characters before its
// first match; the whole paragraph is one click away.
const (
	snippetRunes = 220
	snippetLead  = 60
)

const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// safeHighlight returns the index's highlight as HTML. The index escapes the
// text and adds only <mark> tags; anything else means that promise broke, and
// the plain text is shown escaped instead of trusting it.
func safeHighlight(highlight, text string) template.HTML {
	if highlight == "" {
		return template.HTML(template.HTMLEscapeString(text))
	}
	rest := strings.NewReplacer(markOpen, "", markClose, "").Replace(highlight)
	if strings.ContainsAny(rest, "<>") {
		return template.HTML(template.HTMLEscapeString(text))
	}
	return template.HTML(highlight)
}

// highlightUnit is one piece of highlighted HTML: a <mark> tag, or one
// visible character (a rune or a whole character reference such as &lt;).
type highlightUnit struct {
	text    string
	tag     bool
	visible bool
}

func splitHighlight(h string) []highlightUnit {
	var units []highlightUnit
	for len(h) > 0 {
		switch {
		case strings.HasPrefix(h, markOpen):
			units = append(units, highlightUnit{text: markOpen, tag: true})
			h = h[len(markOpen):]
		case strings.HasPrefix(h, markClose):
			units = append(units, highlightUnit{text: markClose, tag: true})
			h = h[len(markClose):]
		case h[0] == '&':
			n := strings.IndexByte(h, ';')
			if n < 0 || n > 10 {
				n = 0
			}
			units = append(units, highlightUnit{text: h[:n+1], visible: true})
			h = h[n+1:]
		default:
			_, n := utf8.DecodeRuneInString(h)
			units = append(units, highlightUnit{text: h[:n], visible: true})
			h = h[n:]
		}
	}
	return units
}

// trimHighlight cuts safe highlighted HTML to at most max visible characters,
// starting lead characters before the first match, with "…" where text was
// left out. It never splits a character reference and keeps <mark> tags
// balanced. trimmed reports whether anything was cut.
func trimHighlight(h string, max, lead int) (out string, trimmed bool) {
	units := splitHighlight(h)
	total, firstMatch := 0, -1
	for _, u := range units {
		if u.tag && u.text == markOpen && firstMatch < 0 {
			firstMatch = total
		}
		if u.visible {
			total++
		}
	}
	if total <= max {
		return h, false
	}
	start := 0
	if firstMatch > lead {
		start = firstMatch - lead
	}
	end := start + max
	if end > total {
		end, start = total, total-max
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos, open, wroteOpen := 0, false, false
	for _, u := range units {
		if u.tag {
			open = u.text == markOpen
			if pos >= start && pos < end {
				if open || wroteOpen {
					b.WriteString(u.text)
					wroteOpen = open
				}
			}
			continue
		}
		if pos >= start && pos < end {
			if open && !wroteOpen {
				b.WriteString(markOpen) // the window starts inside a match
				wroteOpen = true
			}
			b.WriteString(u.text)
		}
		pos++
	}
	if wroteOpen {
		b.WriteString(markClose)
	}
	if end < total {
		b.WriteString("…")
	}
	return b.String(), true
}
