package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/saved"
)

// TestAddListsSavedSearches: -add prints each saved search's new matches,
// a full rebuild keeps the saved searches, and an index without saved
// searches prints nothing about them.
func TestAddListsSavedSearches(t *testing.T) {
	src := writeTree(t, map[string][]byte{"a/2023南山.txt": []byte(report)})
	out := filepath.Join(t.TempDir(), "idx")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-o", out, src}, &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr.String())
	}
	ix, err := index.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	st := saved.Open(out)
	for name, q := range map[string]string{"fgf": "放管服", "xzscl": "新质生产力"} {
		if _, err := st.Save(context.Background(), ix, name, index.Request{Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	ix.Close()

	more := writeTree(t, map[string][]byte{"b/2024福田.txt": []byte(strings.ReplaceAll(strings.ReplaceAll(report, "南山", "福田"), "2023", "2024"))})
	stdout.Reset()
	if code := run([]string{"-add", "-o", out, more}, &stdout, &stderr); code != 0 {
		t.Fatalf("-add: exit %d\n%s", code, stderr.String())
	}
	for _, want := range []string{"fgf\t查询：放管服\t2 paragraphs in 2 reports; 1 new in 1 reports", "xzscl\t", "b/2024福田.txt:", "深化“放管服”改革"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("-add output has no %q:\n%s", want, stdout.String())
		}
	}
	stdout.Reset()
	if code := run([]string{"-o", out, src, more}, &stdout, &stderr); code != 0 {
		t.Fatalf("rebuild: exit %d\n%s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, saved.FileName)); err != nil {
		t.Fatalf("a rebuild removed the saved searches: %v", err)
	}
	other := filepath.Join(t.TempDir(), "other")
	stdout.Reset()
	run([]string{"-o", other, src}, &stdout, &stderr)
	run([]string{"-add", "-o", other, more}, &stdout, &stderr)
	if strings.Contains(stdout.String(), "saved searches") {
		t.Errorf("an index without saved searches lists them:\n%s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(other, saved.FileName)); err == nil {
		t.Errorf("-add created %s in an index without saved searches", saved.FileName)
	}
}
