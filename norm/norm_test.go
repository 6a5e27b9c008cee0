package norm

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"“放管服”改革", "放管服改革"},
		{"《政府工作报告》", "政府工作报告"},
		{"統籌推進營商環境", "统筹推进营商环境"},
		{"２０２３年ＧＤＰ", "2023年gdp"},
		{"发展，改革", "发展|改革"},
		{"双随机、一公开", "双随机|一公开"},
		{"第一段。\n第二段", "第一段|第二段"},
		{"a  b\tc", "abc"},
		{"【重点】（一）", "重点一"},
		{"增长2.4%……", "增长2|4|"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCharsAgreesWithString(t *testing.T) {
	for _, in := range []string{"“放管服”改革，統籌推進。", "①２３abcＡ", "x\xffy", "报告\u200b全文"} {
		cs := Chars(in, nil)
		var b strings.Builder
		for _, c := range cs {
			b.WriteRune(c.R)
			if c.Start < 0 || c.End > len(in) || c.Start >= c.End {
				t.Errorf("Chars(%q): bad span %d..%d", in, c.Start, c.End)
			}
		}
		if b.String() != String(in) {
			t.Errorf("Chars(%q) = %q, String = %q", in, b.String(), String(in))
		}
	}
}

func TestCharsSpans(t *testing.T) {
	in := "“報告”"
	cs := Chars(in, nil)
	if len(cs) != 2 {
		t.Fatalf("Chars(%q) = %v, want 2 chars", in, cs)
	}
	if got := in[cs[0].Start:cs[1].End]; got != "報告" {
		t.Errorf("span of 报告 in %q = %q, want 報告", in, got)
	}
}

func TestFold(t *testing.T) {
	if got, want := Fold("營口市 西市區"), "营口市 西市区"; got != want {
		t.Errorf("Fold = %q, want %q", got, want)
	}
}

func BenchmarkChars(b *testing.B) {
	text := strings.Repeat("坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，统筹推进“放管服”改革。", 20)
	b.SetBytes(int64(len(text)))
	var buf []Char
	for i := 0; i < b.N; i++ {
		buf = Chars(text, buf[:0])
	}
}
