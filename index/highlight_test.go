package index

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// FuzzHighlight checks Highlight against a naive scan: the text without
// marks is the escaped text, every mark holds an occurrence, and the
// marked normalised characters are exactly those a substring scan of the
// normalised text covers.
func FuzzHighlight(f *testing.F) {
	for _, s := range [][2]string{{"深化“放管服”改革", "放管服改革"}, {"報報報報", "报报"}, {"a，b", "a|b"}, {"ＧＤＰ", "gdp"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, phrase string) {
		if !utf8.ValidString(text) || len(text) > 4096 {
			return
		}
		p := norm.String(phrase)
		if p == "" || !norm.HasWordChars(phrase) {
			return
		}
		got, _ := Highlight(text, []string{p})
		plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got))
		if plain != text {
			t.Fatalf("Highlight(%q, %q) without marks = %q", text, p, plain)
		}
		// Which normalised characters a naive scan covers.
		chars := norm.Chars(text, nil)
		pr := []rune(p)
		covered := make([]bool, len(chars))
		for i := 0; i+len(pr) <= len(chars); i++ {
			ok := true
			for k, r := range pr {
				if chars[i+k].R != r {
					ok = false
					break
				}
			}
			if ok {
				for k := range pr {
					covered[i+k] = true
				}
			}
		}
		// Which the marks cover: a character is marked if its original
		// bytes lie inside a mark.
		marked := make([]bool, len(text)+1)
		pos := 0
		rest := got
		in := false
		for len(rest) > 0 {
			switch {
			case strings.HasPrefix(rest, "<mark>"):
				in, rest = true, rest[len("<mark>"):]
			case strings.HasPrefix(rest, "</mark>"):
				in, rest = false, rest[len("</mark>"):]
			default:
				// One escaped or literal character of the text.
				n := 1
				if rest[0] == '&' {
					n = strings.IndexByte(rest, ';') + 1
				} else {
					_, n = utf8.DecodeRuneInString(rest)
				}
				u := html.UnescapeString(rest[:n])
				for k := 0; k < len(u); k++ {
					marked[pos+k] = in
				}
				pos += len(u)
				rest = rest[n:]
			}
		}
		for i, c := range chars {
			if covered[i] && !marked[c.Start] {
				t.Fatalf("Highlight(%q, %q): character %d (%q) matches but is not marked: %s", text, p, i, text[c.Start:c.End], got)
			}
			if !covered[i] && c.R != norm.Sep && marked[c.Start] && !sharesSpan(chars, i, covered) {
				t.Fatalf("Highlight(%q, %q): character %d (%q) is marked but matches nothing: %s", text, p, i, text[c.Start:c.End], got)
			}
		}
	})
}

// sharesSpan reports whether character i shares its original bytes with a
// covered character (NFKC expands one original character into several).
func sharesSpan(chars []norm.Char, i int, covered []bool) bool {
	for j := range chars {
		if covered[j] && chars[j].Start == chars[i].Start {
			return true
		}
	}
	return false
}
