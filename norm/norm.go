package norm

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// Sep stands for every separator in the normalised text.
const Sep = '|'

// Char is one character of the normalised text, with the byte span of the
// original character it came from. NFKC may expand one original character
// into several normalised ones; they then share the same span.
type Char struct {
	R          rune
	Start, End int // byte offsets into the original text
}

type class uint8

const (
	keep class = iota
	drop
	sep
)

func classify(r rune) class {
	switch r {
	case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
		return sep
	case '\'', '"':
		return drop
	}
	switch {
	case unicode.IsSpace(r):
		return drop
	case unicode.In(r, unicode.Ps, unicode.Pe, unicode.Pi, unicode.Pf, unicode.Cf):
		return drop
	case unicode.IsPunct(r), unicode.IsSymbol(r), unicode.IsControl(r):
		return sep
	}
	return keep
}

// Chars appends the normalised characters of text to dst and returns it.
// Invalid UTF-8 bytes are kept as U+FFFD, one per byte, so offsets stay exact.
func Chars(text string, dst []Char) []Char {
	walk(text, func(r rune, start, end int) {
		dst = append(dst, Char{R: r, Start: start, End: end})
	})
	return dst
}

// Runes appends the normalised characters of text to dst and returns it:
// the runes of [String](text), without their spans.
func Runes(text string, dst []rune) []rune {
	walk(text, func(r rune, _, _ int) { dst = append(dst, r) })
	return dst
}

// String returns the normalised text of s.
func String(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	walk(s, func(r rune, _, _ int) { b.WriteRune(r) })
	return b.String()
}

// walk calls emit for every normalised character of text with the byte
// span of the original character it came from.
func walk(text string, emit func(r rune, start, end int)) {
	lastSep := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		start, end := i, i+size
		i = end
		f := foldRune(r)
		for k, fr := range f.runes {
			switch f.classes[k] {
			case drop:
				continue
			case sep:
				if lastSep {
					continue
				}
				lastSep = true
				emit(Sep, start, end)
			default:
				lastSep = false
				emit(fr, start, end)
			}
		}
	}
}

// Fold returns s with every character folded (NFKC, simplified, lower case)
// but nothing deleted: white space and punctuation stay. Use it to read
// metadata such as 營口市 → 营口市 from text in either script.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		for _, f := range foldRune(r).runes {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// HasWordChars reports whether the normalised text of s has at least one
// character that is not a separator.
func HasWordChars(s string) bool {
	for _, r := range String(s) {
		if r != Sep {
			return true
		}
	}
	return false
}

// The fold of a rune never changes, so it is computed once and kept:
// folds for the Basic Multilingual Plane live in a lock-free table, the rare
// others in a map.
// folded is the fold of one rune and the class of each folded rune.
type folded struct {
	runes   []rune
	classes []class
}

var (
	bmp     [0x10000]atomic.Pointer[folded]
	astral  sync.Map // rune → *folded
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
	t2sErr  error
)

func converter() *opencc.OpenCC {
	t2sOnce.Do(func() {
		t2s, t2sErr = opencc.New("t2s")
		if t2sErr != nil {
			// The dictionaries are embedded in the opencc module, so this
			// only happens if the module itself is broken.
			panic("norm: loading OpenCC t2s: " + t2sErr.Error())
		}
	})
	return t2s
}

var asciiFold [128]*folded

func init() {
	for r := rune(0); r < 128; r++ {
		asciiFold[r] = computeFold(r)
	}
}

func foldRune(r rune) *folded {
	if r < 128 {
		return asciiFold[r]
	}
	if r < 0x10000 {
		if p := bmp[r].Load(); p != nil {
			return p
		}
		f := computeFold(r)
		bmp[r].Store(f)
		return f
	}
	if v, ok := astral.Load(r); ok {
		return v.(*folded)
	}
	f := computeFold(r)
	astral.Store(r, f)
	return f
}

func computeFold(r rune) *folded {
	runes := computeFoldRunes(r)
	f := &folded{runes: runes, classes: make([]class, len(runes))}
	for i, x := range runes {
		f.classes[i] = classify(x)
	}
	return f
}

func computeFoldRunes(r rune) []rune {
	s := norm.NFKC.String(string(r))
	if hasHan(s) {
		if c, err := converter().Convert(s); err == nil && utf8.RuneCountInString(c) == utf8.RuneCountInString(s) {
			s = c
		}
	}
	out := make([]rune, 0, 1)
	for _, x := range s {
		out = append(out, unicode.ToLower(x))
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
