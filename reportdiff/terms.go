package reportdiff

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/analyzer"
	"github.com/zhengce/zhengce/norm"
)

// Quoted terms longer or shorter than this are sentences or noise, not
// phrases.
const (
	minQuoted = 2
	maxQuoted = 16
)

var quotePairs = map[rune]rune{'“': '”', '「': '」', '『': '』', '"': '"'}

// quoted appends the terms quoted in s (folded) to dst.
func quoted(s string, dst map[string]bool) {
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		closeR, ok := quotePairs[rs[i]]
		if !ok {
			continue
		}
		for k := i + 1; k < len(rs) && k-i-1 <= maxQuoted; k++ {
			if rs[k] == closeR {
				t := strings.TrimSpace(string(rs[i+1 : k]))
				if n := utf8.RuneCountInString(t); n >= minQuoted && n <= maxQuoted && !strings.ContainsAny(t, "。，；！？") {
					dst[norm.Fold(t)] = true
				}
				i = k
				break
			}
		}
	}
}

// lexicon is the policy vocabulary by first rune, with its longest entry.
type lexicon struct {
	words  map[string]bool
	maxLen int
}

func newLexicon() (*lexicon, error) {
	terms, err := analyzer.PolicyTerms()
	if err != nil {
		return nil, err
	}
	lx := &lexicon{words: make(map[string]bool, len(terms))}
	for _, t := range terms {
		t = norm.Fold(t)
		lx.words[t] = true
		lx.maxLen = max(lx.maxLen, utf8.RuneCountInString(t))
	}
	return lx, nil
}

// find adds to dst every lexicon word occurring in the folded text rs.
func (lx *lexicon) find(rs []rune, dst map[string]bool) {
	for i := range rs {
		for n := 2; n <= lx.maxLen && i+n <= len(rs); n++ {
			if w := string(rs[i : i+n]); lx.words[w] {
				dst[w] = true
			}
		}
	}
}

// compareTerms lists the candidate phrases found in b and not in a (new)
// and in a and not in b (dropped); ordA and ordB are the paragraph ordinals.
func compareTerms(a, b []string, ordA, ordB []int) (added, dropped []Term, err error) {
	lx, err := newLexicon()
	if err != nil {
		return nil, nil, err
	}
	fa, fb := foldAll(a), foldAll(b)
	cands := map[string]bool{}
	for _, f := range [][]string{fa, fb} {
		for _, p := range f {
			quoted(p, cands)
			lx.find([]rune(p), cands)
		}
	}
	for t := range cands {
		na, _ := occurrences(fa, ordA, t)
		nb, pb := occurrences(fb, ordB, t)
		switch {
		case na == 0 && nb > 0:
			added = append(added, Term{Text: t, Count: nb, Paragraph: pb})
		case nb == 0 && na > 0:
			_, pa := occurrences(fa, ordA, t)
			dropped = append(dropped, Term{Text: t, Count: na, Paragraph: pa})
		}
	}
	return dropContained(added), dropContained(dropped), nil
}

// dropContained removes a term that is part of a longer term of the list
// with as many occurrences (政务服务 inside 政务服务一网通办, each once): it
// adds nothing the longer one does not say. Then it sorts by count, first
// paragraph and text.
func dropContained(ts []Term) []Term {
	sort.Slice(ts, func(i, j int) bool { return len(ts[i].Text) > len(ts[j].Text) })
	var out []Term
	for _, t := range ts {
		part := false
		for _, o := range out {
			if o.Count >= t.Count && strings.Contains(o.Text, t.Text) {
				part = true
				break
			}
		}
		if !part {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if out[i].Paragraph != out[j].Paragraph {
			return out[i].Paragraph < out[j].Paragraph
		}
		return out[i].Text < out[j].Text
	})
	return out
}

func foldAll(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = norm.Fold(p)
	}
	return out
}

// occurrences counts t in the folded paragraphs and returns the ordinal of
// the first paragraph holding it.
func occurrences(ps []string, ords []int, t string) (n, first int) {
	for i, p := range ps {
		if c := strings.Count(p, t); c > 0 {
			if n == 0 {
				first = ords[i]
			}
			n += c
		}
	}
	return n, first
}
