package corpus

import (
	"strings"
	"unicode/utf8"
)

// maxParagraphRunes bounds a paragraph: a longer line (a whole report on one
// line, a page of one repeated character) is split at sentence ends, or at
// the limit where there is none, and Parse warns. A report paragraph is
// rarely over 2,000 characters. A variable so that tests can lower it.
var maxParagraphRunes = 5000

// sentenceEnds are the characters a paragraph may be split after.
const sentenceEnds = "。！？；!?;"

// boundLines splits every line longer than maxParagraphRunes and returns the
// lines and how many were split. The work is linear in the text.
func boundLines(lines []srcLine) ([]srcLine, int) {
	split := 0
	for i := range lines {
		if len(lines[i].text) > maxParagraphRunes && utf8.RuneCountInString(lines[i].text) > maxParagraphRunes {
			split++
		}
	}
	if split == 0 {
		return lines, 0
	}
	out := make([]srcLine, 0, len(lines)+split*2)
	for _, l := range lines {
		if len(l.text) <= maxParagraphRunes || utf8.RuneCountInString(l.text) <= maxParagraphRunes {
			out = append(out, l)
			continue
		}
		off := l.off
		for _, piece := range splitLong(l.text, maxParagraphRunes) {
			t, lead := trimLine(piece)
			if t != "" {
				nl := l
				nl.text, nl.off = t, off+lead
				if off != l.off {
					nl.indent = 0
				}
				out = append(out, nl)
			}
			off += utf8.RuneCountInString(piece)
		}
	}
	return out, split
}

// splitLong cuts s into pieces of at most limit runes, each ending at the
// last sentence end of its window when that lies in the window's second
// half, at the limit otherwise.
func splitLong(s string, limit int) []string {
	var out []string
	for s != "" {
		n, cut, lastEnd := 0, len(s), -1
		for i, r := range s {
			if n == limit {
				cut = i
				break
			}
			n++
			if n > limit/2 && strings.ContainsRune(sentenceEnds, r) {
				lastEnd = i + utf8.RuneLen(r)
			}
		}
		if cut < len(s) && lastEnd > 0 {
			cut = lastEnd
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return out
}
