package quoted

import (
	"slices"
	"testing"
)

func TestSpans(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"深化“放管服”改革", []string{"放管服"}},
		{"“一网通办”“一网统管”", []string{"一网通办", "一网统管"}},
		{`破解群众"急难愁盼",赢得"高分点赞"`, []string{"急难愁盼", "高分点赞"}},
		{"＂双减＂政策", []string{"双减"}},             // full-width quotes fold to ASCII
		{"「營商環境」『四風』", []string{"营商环境", "四风"}}, // traditional folds to simplified
		{"“好”字当头", nil},                        // one character
		{"“一二三四五六七八九”", nil},                   // nine characters
		{"“5G”网络", nil},                        // not only Han
		{"“放管服”、“双随机、一公开”", []string{"放管服"}},   // punctuation inside
		{"“未闭合的引号\n“放管服”", []string{"放管服"}},    // an unclosed quote ends with its line
		{`他说"好 "放管服"`, nil},                    // an unpaired straight quote is not trusted
		{"“‘四个自信’”", []string{"四个自信"}},         // nested quotes
		{"", nil},
	}
	for _, tt := range tests {
		if got := Spans(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Spans(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
