// Package quoted finds the phrases government work reports put in quotation
// marks: the slogans (“放管服”, “一网通办”, “最多跑一次”) that the slogan miner
// turns into a user dictionary and that package novelty ranks by how new
// they are.
package quoted

import (
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/norm"
)

// Quote pairs that delimit slogans. ASCII and full-width straight quotes
// (the latter folded to ASCII by NFKC) open and close alternately within a
// line.
var closing = map[rune]rune{'“': '”', '‘': '’', '「': '」', '『': '』', '"': '"'}

// The lengths of a slogan, in Han characters.
const (
	MinRunes = 2
	MaxRunes = 8
)

// Spans returns the folded text (norm.Fold) of every quoted span of
// MinRunes to MaxRunes Han characters in text, in order, one entry per
// occurrence. A quoted span that is not all Han characters is looked
// into: “‘四个自信’” holds a slogan.
func Spans(text string) []string {
	var spans []string
	for line := range strings.Lines(norm.Fold(text)) {
		runes := []rune(line)
		for i := 0; i < len(runes); i++ {
			end, ok := closing[runes[i]]
			if !ok {
				continue
			}
			j := i + 1
			for j < len(runes) && runes[j] != end && j-i <= MaxRunes+1 {
				j++
			}
			if j >= len(runes) || runes[j] != end {
				if runes[i] == '"' {
					// An unpaired straight quote: the rest of the line is
					// not inside quotes.
					break
				}
				continue
			}
			if span := runes[i+1 : j]; len(span) >= MinRunes && len(span) <= MaxRunes && allHan(span) {
				spans = append(spans, string(span))
				i = j
			} else if runes[i] == '"' {
				i = j // a closing straight quote does not open another span
			}
		}
	}
	return spans
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
