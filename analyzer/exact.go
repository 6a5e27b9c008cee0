package analyzer

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/zhengce/zhengce/norm"
)

// Names under which the exact analysis is registered with bleve.
const (
	ExactTokenizerName     = "zhengce_exact_tokenizer"
	ExactAnalyzerName      = "zhengce_exact"
	ExactPairTokenizerName = "zhengce_exact_pair_tokenizer"
	ExactPairAnalyzerName  = "zhengce_exact_pairs"
)

// ExactVersion changes whenever the exact tokens change, so that indexes
// built with other tokens are rebuilt rather than misread.
const ExactVersion = 3

func init() {
	registry.RegisterTokenizer(ExactTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return ExactTokenizer{}, nil
	})
	registry.RegisterAnalyzer(ExactAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: ExactTokenizer{}}, nil
	})
	registry.RegisterTokenizer(ExactPairTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return ExactTokenizer{Pairs: true}, nil
	})
	registry.RegisterAnalyzer(ExactPairAnalyzerName, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return &analysis.DefaultAnalyzer{Tokenizer: ExactTokenizer{Pairs: true}}, nil
	})
}

// ExactTokenizer emits the normalised text as tokens at consecutive
// positions from 1: one per character, or with Pairs, at position i the
// pair c[i]c[i+1] (a text of one character gives no pair). Tokens carry no
// byte offsets: nothing reads them (highlights are computed from the stored
// text by the same normalisation), and at two bytes a location they were
// about a text-size of the index. It is safe for concurrent use.
type ExactTokenizer struct {
	Pairs bool
}

// Tokenize implements analysis.Tokenizer.
func (t ExactTokenizer) Tokenize(text []byte) analysis.TokenStream {
	chars := norm.Chars(string(text), nil)
	n := len(chars)
	width := 1
	if t.Pairs {
		n--
		width = 2
	}
	if n <= 0 {
		return nil
	}
	// One backing array for all terms and one for all tokens: allocating
	// each token separately dominated the indexing profile.
	termBytes := 0
	for _, c := range chars {
		termBytes += width * utf8.RuneLen(c.R)
	}
	buf := make([]byte, 0, termBytes)
	tokens := make([]analysis.Token, n)
	stream := make(analysis.TokenStream, n)
	for i := range n {
		start := len(buf)
		buf = utf8.AppendRune(buf, chars[i].R)
		if t.Pairs {
			buf = utf8.AppendRune(buf, chars[i+1].R)
		}
		tokens[i] = analysis.Token{
			Term: buf[start:len(buf):len(buf)], Position: i + 1, Type: tokenType(chars[i].R),
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

// ExactPhrase returns how to find the normalised phrase p exactly. A phrase
// of one character is a term of the character field (pairs is false,
// terms has that one character). A longer phrase is matched on the pair
// field: terms are the pairs to find at consecutive positions, "" where any
// pair will do. Every other pair and the last one cover every character,
// so the query is exact while walking half the posting lists; a phrase of
// two characters is a single term.
func ExactPhrase(p string) (terms []string, pairs bool) {
	r := []rune(p)
	switch len(r) {
	case 0:
		return nil, false
	case 1:
		return []string{p}, false
	}
	terms = make([]string, len(r)-1)
	for j := range terms {
		if j%2 == 0 || j == len(r)-2 {
			terms[j] = string(r[j : j+2])
		}
	}
	return terms, true
}
