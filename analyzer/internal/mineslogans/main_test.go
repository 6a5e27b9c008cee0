package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestQuotedSpans(t *testing.T) {
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
		if got := QuotedSpans(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("QuotedSpans(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSelect(t *testing.T) {
	counts := map[string]int{
		"放管服": 5, "工业上楼": 2, "双区": 3, "双区驱动": 4, "跨境理财通": 2, "理财通": 2,
		"一次": 9, "四个自信": 1, "营商环境": 3,
	}
	dict := map[string]bool{"一次": true, "驱动": true, "跨境": true}
	curated := map[string]bool{"营商环境": true}
	got := Select(counts, dict, curated, 2)
	want := []string{"双区", "工业上楼", "放管服", "理财通"}
	if !slices.Equal(got, want) {
		t.Errorf("Select = %q, want %q", got, want)
	}
}

// TestSlogansUpToDate mines the bundled reports again and compares the
// result with the committed dictionary: run `go generate ./analyzer/` after
// changing the reports, the curated terms or the rules.
func TestSlogansUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "slogans.utf8")
	if code := run([]string{"-dict", "../../dict/jieba.dict.utf8", "-curated", "../../dict/policy.utf8", "-o", out, "../../../corpus/reports"}); code != 0 {
		t.Fatalf("mineslogans exited with %d", code)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../dict/slogans.utf8")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("dict/slogans.utf8 is stale (%d bytes, mined %d): run go generate ./analyzer/", len(want), len(got))
	}
	if n := bytes.Count(got, []byte("\n")); n < 500 {
		t.Errorf("mined %d slogans from the bundled reports, want hundreds", n)
	}
}

func TestRunUsage(t *testing.T) {
	if code := run(nil); code != 2 {
		t.Errorf("run(no folders) = %d, want 2", code)
	}
	if code := run([]string{"-dict", filepath.Join(t.TempDir(), "missing"), "."}); code != 1 {
		t.Errorf("run(missing dictionary) = %d, want 1", code)
	}
}
