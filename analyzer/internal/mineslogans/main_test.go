package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

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
