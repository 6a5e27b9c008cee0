package analyzer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/zhengce/zhengce/norm"
)

// Names under which the exact analysis is registered with bleve.
const (
	ExactTokenizerName = "zhengce_exact_tokenizer"
	ExactAnalyzerName  = "zhengce_exact"
)

// ExactVersion changes whenever the exact tokens change, so that indexes
// built with other tokens are rebuilt rather than misread.
const ExactVersion = 1

func init() {
	registry.RegisterTokenizer(ExactTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return ExactTokenizer{}, nil
	})
	registry.RegisterAnalyzer(ExactAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: ExactTokenizer{}}, nil
	})
}

// ExactTokenizer emits, at position i (from 1) of the normalised text, the
// character c[i] and, unless c[i] is last, the pair c[i]c[i+1]. It is safe
// for concurrent use.
type ExactTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (ExactTokenizer) Tokenize(text []byte) analysis.TokenStream {
	chars := norm.Chars(string(text), nil)
	if len(chars) == 0 {
		return nil
	}
	// One backing array for all terms and tokens: a paragraph makes
	// 2n tokens, and allocating each separately dominated the profile.
	termBytes := 0
	for _, c := range chars {
		termBytes += 2 * utf8.RuneLen(c.R)
	}
	buf := make([]byte, 0, termBytes+8)
	tokens := make([]analysis.Token, 0, 2*len(chars))
	stream := make(analysis.TokenStream, 0, 2*len(chars))
	for i, c := range chars {
		start := len(buf)
		buf = utf8.AppendRune(buf, c.R)
		uni := buf[start:len(buf):len(buf)]
		tokens = append(tokens, analysis.Token{
			Term: uni, Start: c.Start, End: c.End, Position: i + 1, Type: tokenType(c.R),
		})
		if i+1 < len(chars) {
			next := chars[i+1]
			start := len(buf)
			buf = utf8.AppendRune(buf, c.R)
			buf = utf8.AppendRune(buf, next.R)
			tokens = append(tokens, analysis.Token{
				Term: buf[start:len(buf):len(buf)], Start: c.Start, End: next.End, Position: i + 1, Type: tokenType(c.R),
			})
		}
	}
	for i := range tokens {
		stream = append(stream, &tokens[i])
	}
	return stream
}

func tokenType(r rune) analysis.TokenType {
	if r < utf8.RuneSelf {
		return analysis.AlphaNumeric
	}
	return analysis.Ideographic
}

// ExactTerms returns the terms a phrase query on the exact field needs for
// the normalised phrase p: the single character when p has one, otherwise
// its overlapping pairs, to be matched at consecutive positions.
func ExactTerms(p string) []string {
	runes := []rune(p)
	switch len(runes) {
	case 0:
		return nil
	case 1:
		return []string{p}
	}
	terms := make([]string, 0, len(runes)-1)
	for i := 0; i+1 < len(runes); i++ {
		terms = append(terms, string(runes[i:i+2]))
	}
	return terms
}
