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
	chars := norm.Chars(text, make([]norm.Char, 0, len(text)/2))
	var spans []span
	for _, p := range phrases {
		pr := []rune(p)
		if len(pr) == 0 || len(pr) > len(chars) {
			continue
		}
		// Overlapping matches count, so every start position is tried.
		for i := 0; i+len(pr) <= len(chars); i++ {
			if chars[i].R != pr[0] {
				continue
			}
			k := 1
			for k < len(pr) && chars[i+k].R == pr[k] {
				k++
			}
			if k == len(pr) {
				spans = append(spans, span{chars[i].Start, chars[i+len(pr)-1].End})
			}
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
