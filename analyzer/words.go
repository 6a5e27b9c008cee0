package analyzer

import (
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/yanyiwu/gojieba"
	"github.com/zhengce/zhengce/norm"
)

// Names under which the word analyzer is registered with bleve. A bleve
// mapping refers to analyzers by name, so a program that opens an index
// using them must import this package.
const (
	WordsTokenizerName = "zhengce_words_tokenizer"
	WordsAnalyzerName  = "zhengce_words"
)

// WordsVersion identifies what the word analyzer produces: a revision of
// the code, bumped by hand when tokens change, and the start of the hash of
// the embedded dictionaries (TestWordsVersionMatchesDictionaries fails when
// a dictionary changes and this is not updated). An index records it, so an
// index built with other words is rebuilt rather than misread.
const WordsVersion = "1-" + wordsDictHashPrefix

const wordsDictHashPrefix = "a6a27339242d"

// The word analyzer turns original paragraph text into the words that rank
// hits (BM25). Every character is folded as in package norm (NFKC,
// traditional to simplified, lower case), the folded text is segmented by
// gojieba in its default mode with HMM for unknown words (search mode emits
// overlapping words, which breaks positions), and each word becomes a token
// whose Term is the folded word and whose Start and End are byte offsets
// into the original text, so highlights land on the characters the reader
// sees. Words made only of white space, punctuation or symbols are dropped;
// positions count the kept words from 1 without gaps.
//
// Stop words (的, 了, 和 …; 12% of the words of the bundled reports) are
// kept. BM25 already gives a word found in
// almost every paragraph an inverse document frequency near zero, so it adds
// nearly nothing to a score, while dropping it would change the field length
// that BM25 normalises by, break word positions for phrase scoring, and, with
// jieba's 1,534-entry list, also drop words a query may be about.

// wordsRegistrationErr is the error, if any, of registering the word
// tokenizer and analyzer with bleve; LoadWords reports it.
var wordsRegistrationErr = registerWords()

func registerWords() error {
	if err := registry.RegisterTokenizer(WordsTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return WordsTokenizer{}, nil
	}); err != nil {
		return fmt.Errorf("registering tokenizer %s: %w", WordsTokenizerName, err)
	}
	if err := registry.RegisterAnalyzer(WordsAnalyzerName, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(WordsTokenizerName)
		if err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
	}); err != nil {
		return fmt.Errorf("registering analyzer %s: %w", WordsAnalyzerName, err)
	}
	return nil
}

// NewWordsAnalyzer returns the word analyzer, the one registered as
// [WordsAnalyzerName]. It is safe for concurrent use. Creating it is cheap;
// the segmenter is loaded at the first analysis (see [LoadWords]).
func NewWordsAnalyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: WordsTokenizer{}}
}

// WordsTokenizer is the bleve tokenizer of the word analyzer. It is safe for
// concurrent use; all its values share one segmenter.
type WordsTokenizer struct{}

// Tokenize segments input (original text, any UTF-8) into folded words.
// Input without letters or digits is answered without loading the segmenter.
// It panics if the segmenter cannot be loaded; call [LoadWords] first to get
// that as an error.
func (WordsTokenizer) Tokenize(input []byte) analysis.TokenStream {
	if !wordsHasWordChars(input) {
		return nil
	}
	seg, err := sharedSegmenter()
	if err != nil {
		panic(fmt.Sprintf("analyzer: word analysis without a segmenter (call LoadWords at start-up): %v", err))
	}
	return wordsTokenize(seg, input)
}

// wordsScratch holds the buffers of one tokenization.
type wordsScratch struct {
	folded []byte
	// origStart[b] is the original byte offset where the folded character
	// starting at folded byte b starts; origEnd[b] where the one ending at
	// folded byte b ends (origEnd[0] is unused). Only entries at character
	// boundaries are meaningful.
	origStart, origEnd []int
}

var wordsScratchPool = sync.Pool{New: func() any { return new(wordsScratch) }}

func wordsTokenize(seg *gojieba.Jieba, input []byte) analysis.TokenStream {
	sc := wordsScratchPool.Get().(*wordsScratch)
	defer wordsScratchPool.Put(sc)
	sc.fold(input)

	// gojieba needs clean text: invalid UTF-8 makes it return no words at
	// all and NUL ends the C string; fold replaced both by spaces.
	folded := string(sc.folded)
	words := seg.Tokenize(folded, gojieba.DefaultMode, true)

	kept := 0
	for _, w := range words {
		if wordsHasWordChars(sc.folded[w.Start:w.End]) {
			kept++
		}
	}
	if kept == 0 {
		return nil
	}
	terms := []byte(folded) // one allocation shared by all terms
	slab := make([]analysis.Token, kept)
	stream := make(analysis.TokenStream, kept)
	n := 0
	for _, w := range words {
		term := terms[w.Start:w.End:w.End]
		if !wordsHasWordChars(term) {
			continue
		}
		slab[n] = analysis.Token{
			Term:     term,
			Start:    sc.origStart[w.Start],
			End:      sc.origEnd[w.End],
			Position: n + 1,
			Type:     wordsTokenType(term),
		}
		stream[n] = &slab[n]
		n++
	}
	return stream
}

// fold fills sc with the folded form of input and the offset maps. Folding
// is per character (norm.Fold of one character), so every folded character
// knows the original character it came from, even where folding changes the
// byte length (統 and 统 are both 3 bytes, but Ｇ is 3 and g is 1, and
// NFKC may expand one character into several).
func (sc *wordsScratch) fold(input []byte) {
	sc.folded = sc.folded[:0]
	sc.origStart = sc.origStart[:0]
	sc.origEnd = sc.origEnd[:0]
	sc.origEnd = append(sc.origEnd, 0)
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		start, end := i, i+size
		i = end
		switch {
		case r == 0 || r == utf8.RuneError && size == 1:
			sc.add(' ', start, end)
		case r < utf8.RuneSelf:
			sc.add(unicode.ToLower(r), start, end)
		default:
			n := utf8.EncodeRune(buf[:], r)
			for _, f := range norm.Fold(string(buf[:n])) {
				if f == 0 {
					f = ' '
				}
				sc.add(f, start, end)
			}
		}
	}
}

// add appends one folded character that came from input[start:end].
func (sc *wordsScratch) add(r rune, start, end int) {
	before := len(sc.folded)
	sc.folded = utf8.AppendRune(sc.folded, r)
	for range len(sc.folded) - before {
		sc.origStart = append(sc.origStart, start)
		sc.origEnd = append(sc.origEnd, end)
	}
}

// wordsHasWordChars reports whether b has a letter or a digit.
func wordsHasWordChars(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				return true
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

func wordsTokenType(term []byte) analysis.TokenType {
	for len(term) > 0 {
		r, size := utf8.DecodeRune(term)
		term = term[size:]
		if r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return analysis.Ideographic
		}
	}
	return analysis.AlphaNumeric
}
