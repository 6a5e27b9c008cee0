package index

import (
	"html"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/norm"
)

// span is a byte range of the original text.
type span struct{ start, end int }

// matchSpans finds every occurrence of every normalised phrase in the
// normalised form of text and returns the original byte ranges they cover,
// sorted and merged. It is the same definition of a match the index uses,
// applied to one paragraph, so highlights cover exactly the matched
// characters whatever the script, width or quoting of the original.
func matchSpans(text string, phrases []string) []span {
	if len(phrases) == 0 {
		return nil
	}
	chars := norm.Chars(text, nil)
	if len(chars) == 0 {
		return nil
	}
	// Normalised text as a string, with the char index of every byte.
	var b strings.Builder
	at := make([]int, 0, len(text))
	for i, c := range chars {
		n := b.Len()
		b.WriteRune(c.R)
		for j := n; j < b.Len(); j++ {
			at = append(at, i)
		}
	}
	normText := b.String()
	var spans []span
	for _, p := range phrases {
		if p == "" {
			continue
		}
		plen := len([]rune(p))
		for from := 0; from < len(normText); {
			k := strings.Index(normText[from:], p)
			if k < 0 {
				break
			}
			first := at[from+k]
			last := first + plen - 1
			spans = append(spans, span{chars[first].Start, chars[last].End})
			// Overlapping matches count: step one character, not one match.
			from += k + len(string(chars[first].R))
		}
	}
	return mergeSpans(spans)
}

func mergeSpans(spans []span) []span {
	if len(spans) < 2 {
		return spans
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end {
			if s.end > last.end {
				last.end = s.end
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// highlight returns text HTML-escaped with <mark> around every span.
func highlight(text string, spans []span) string {
	var b strings.Builder
	b.Grow(len(text) + len(spans)*13 + len(text)/8)
	pos := 0
	for _, s := range spans {
		b.WriteString(html.EscapeString(text[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		pos = s.end
	}
	b.WriteString(html.EscapeString(text[pos:]))
	return b.String()
}

// Highlight returns text HTML-escaped with <mark> around every exact match
// of the normalised phrases, and the number of marked ranges.
func Highlight(text string, phrases []string) (string, int) {
	spans := matchSpans(text, phrases)
	return highlight(text, spans), len(spans)
}
