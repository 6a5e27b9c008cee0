package analyzer

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestExactTokenizer(t *testing.T) {
	type tok struct {
		Term string
		Pos  int
	}
	tests := []struct {
		name  string
		in    string
		pairs bool
		want  []tok
	}{
		{"empty", "", false, nil},
		{"one", "报", false, []tok{{"报", 1}}},
		{"one, pairs", "报", true, nil},
		{"quotes deleted without a gap", "“放管”服", false, []tok{{"放", 1}, {"管", 2}, {"服", 3}}},
		{"pairs through quotes", "“放管”服", true, []tok{{"放管", 1}, {"管服", 2}}},
		{"separator takes a position", "发，改", false, []tok{{"发", 1}, {"|", 2}, {"改", 3}}},
		{"separator in pairs", "发，改", true, []tok{{"发|", 1}, {"|改", 2}}},
		{"separator run is one", "发。\n 改", false, []tok{{"发", 1}, {"|", 2}, {"改", 3}}},
		{"traditional folded", "報告", true, []tok{{"报告", 1}}},
		{"full-width digits", "２0", false, []tok{{"2", 1}, {"0", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tok
			for _, tk := range (ExactTokenizer{Pairs: tt.pairs}).Tokenize([]byte(tt.in)) {
				got = append(got, tok{string(tk.Term), tk.Position})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q, pairs %v) = %v, want %v", tt.in, tt.pairs, got, tt.want)
			}
		})
	}
}

func TestExactPhrase(t *testing.T) {
	tests := []struct {
		in    string
		want  []string
		pairs bool
	}{
		{"", nil, false},
		{"风", []string{"风"}, false},
		{"四风", []string{"四风"}, true},
		{"放管服", []string{"放管", "管服"}, true},
		{"高质量发展", []string{"高质", "", "量发", "发展"}, true},
		{"双随机|一公", []string{"双随", "", "机|", "", "一公"}, true},
	}
	for _, tt := range tests {
		got, pairs := ExactPhrase(tt.in)
		if !reflect.DeepEqual(got, tt.want) || pairs != tt.pairs {
			t.Errorf("ExactPhrase(%q) = %q, %v; want %q, %v", tt.in, got, pairs, tt.want, tt.pairs)
		}
	}
}

func TestExactAnalyzerRegistered(t *testing.T) {
	a, err := analysisCache().AnalyzerNamed(ExactAnalyzerName)
	if err != nil {
		t.Fatalf("AnalyzerNamed(%q): %v", ExactAnalyzerName, err)
	}
	if n := len(a.Analyze([]byte("政府工作报告"))); n != 6 {
		t.Errorf("Analyze(政府工作报告) gave %d tokens, want 6", n)
	}
	p, err := analysisCache().AnalyzerNamed(ExactPairAnalyzerName)
	if err != nil {
		t.Fatalf("AnalyzerNamed(%q): %v", ExactPairAnalyzerName, err)
	}
	if n := len(p.Analyze([]byte("政府工作报告"))); n != 5 {
		t.Errorf("pairs of 政府工作报告: %d tokens, want 5", n)
	}
	_ = analysis.TokenStream(nil)
}

func BenchmarkExactTokenizer(b *testing.B) {
	text := []byte("坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，统筹推进“放管服”改革，加快构建新发展格局。")
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		(ExactTokenizer{}).Tokenize(text)
	}
}

func ExampleExactPhrase() {
	fmt.Printf("%q\n", first(ExactPhrase("高质量发展")))
	// Output: ["高质" "" "量发" "发展"]
}

func first(terms []string, _ bool) []string { return terms }
