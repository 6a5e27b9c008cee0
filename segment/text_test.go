package segment

import (
	"path/filepath"
	"testing"
)

// restoreOne writes texts into a segment and reads them back.
func restoreAll(t testing.TB, texts []string) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.seg")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var ps []Paragraph
	for _, s := range texts {
		ps = append(ps, Paragraph{Text: s})
	}
	if err := w.AddReport(nil, ps); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Paragraphs(0, len(texts))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range got {
		out = append(out, p.Text)
	}
	return out
}

func TestRestore(t *testing.T) {
	texts := []string{
		"", "放", "“放管服”改革", "深化“放管服”改革，优化营商环境。", "統籌推進營商環境", "ＧＤＰ增长２０２０％",
		"①㈠㍱ｶ", "a  b\tc", "x\xffy\xfe", "，，，。。。", "“”", "”结尾", "|管道|", "报告\u200b全文",
		"【重点】（一）", "\x00\x01 控制", "😀表情🈶", "ǅ Ǆ ǆ",
	}
	got := restoreAll(t, texts)
	for i, want := range texts {
		if got[i] != want {
			t.Errorf("restore(%q) = %q", want, got[i])
		}
	}
}

func FuzzRestore(f *testing.F) {
	for _, s := range []string{"“放管服”改革，", "統籌 推進\t１２", "x\xff", "①②"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := restoreAll(t, []string{s, s + "尾"})
		if got[0] != s || got[1] != s+"尾" {
			t.Fatalf("restore(%q) = %q, %q", s, got[0], got[1])
		}
	})
}
