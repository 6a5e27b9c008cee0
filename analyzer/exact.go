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
const ExactVersion = 2

func init() {
	registry.RegisterTokenizer(ExactTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return ExactTokenizer{}, nil
	})
	registry.RegisterAnalyzer(ExactAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: ExactTokenizer{}}, nil
	})
}

// ExactTokenizer emits one token per character of the normalised text, at
// consecutive positions from 1, with the byte span of the original
// character. It is safe for concurrent use.
type ExactTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (ExactTokenizer) Tokenize(text []byte) analysis.TokenStream {
	chars := norm.Chars(string(text), nil)
	if len(chars) == 0 {
		return nil
	}
	// One backing array for all terms and one for all tokens: allocating
	// each token separately dominated the indexing profile.
	termBytes := 0
	for _, c := range chars {
		termBytes += utf8.RuneLen(c.R)
	}
	buf := make([]byte, 0, termBytes)
	tokens := make([]analysis.Token, len(chars))
	stream := make(analysis.TokenStream, len(chars))
	for i, c := range chars {
		start := len(buf)
		buf = utf8.AppendRune(buf, c.R)
		tokens[i] = analysis.Token{
			Term: buf[start:len(buf):len(buf)], Start: c.Start, End: c.End, Position: i + 1, Type: tokenType(c.R),
		}
		stream[i] = &tokens[i]
	}
	return stream
}

func tokenType(r rune) analysis.TokenType {
	if r < utf8.RuneSelf {
		return analysis.AlphaNumeric
	}
	return analysis.Ideographic
}

// ExactTerms returns the terms of a phrase query on the exact field for the
// normalised phrase p: its characters, to be matched at consecutive
// positions.
func ExactTerms(p string) []string {
	terms := make([]string, 0, len(p)/3+1)
	for _, r := range p {
		terms = append(terms, string(r))
	}
	if len(terms) == 0 {
		return nil
	}
	return terms
}
