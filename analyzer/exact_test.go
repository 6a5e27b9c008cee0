package analyzer

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

func TestExactTokenizer(t *testing.T) {
	type tok struct {
		Term       string
		Start, End int
		Pos        int
	}
	tests := []struct {
		name string
		in   string
		want []tok
	}{
		{"empty", "", nil},
		{"one", "报", []tok{{"报", 0, 3, 1}}},
		{"quotes deleted without a gap", "“放管”服", []tok{
			{"放", 3, 6, 1}, {"管", 6, 9, 2}, {"服", 12, 15, 3},
		}},
		{"separator takes a position", "发，改", []tok{
			{"发", 0, 3, 1}, {"|", 3, 6, 2}, {"改", 6, 9, 3},
		}},
		{"separator run is one", "发。\n 改", []tok{
			{"发", 0, 3, 1}, {"|", 3, 6, 2}, {"改", 8, 11, 3},
		}},
		{"traditional folded, offsets original", "報告", []tok{
			{"报", 0, 3, 1}, {"告", 3, 6, 2},
		}},
		{"full-width digits", "２0", []tok{
			{"2", 0, 3, 1}, {"0", 3, 4, 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []tok
			for _, tk := range (ExactTokenizer{}).Tokenize([]byte(tt.in)) {
				got = append(got, tok{string(tk.Term), tk.Start, tk.End, tk.Position})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestExactTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"风", []string{"风"}},
		{"四风", []string{"四", "风"}},
		{"双随机|一", []string{"双", "随", "机", "|", "一"}},
	}
	for _, tt := range tests {
		if got := ExactTerms(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ExactTerms(%q) = %q, want %q", tt.in, got, tt.want)
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
	_ = analysis.TokenStream(nil)
}

func BenchmarkExactTokenizer(b *testing.B) {
	text := []byte("坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，统筹推进“放管服”改革，加快构建新发展格局。")
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		(ExactTokenizer{}).Tokenize(text)
	}
}

func ExampleExactTerms() {
	fmt.Println(ExactTerms("放管服"))
	// Output: [放 管 服]
}
