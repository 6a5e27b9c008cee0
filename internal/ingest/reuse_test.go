package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reuse"
)

// copied is a paragraph two districts share.
const copied = "坚持把招商引资作为经济工作的生命线，建立重大项目专班推进机制，实行一个项目、一名领导、一个专班、一抓到底，全年新签约亿元以上项目四十二个。"

func reportFile(district string, year int, body string) string {
	return fmt.Sprintf("%d年%s政府工作报告\n——%d年1月5日在深圳市%s第八届人民代表大会第三次会议上\n\n各位代表：\n一、工作回顾\n%s\n二、工作安排\n加快发展新质生产力，推动%s高质量发展迈出新步伐。\n",
		year, district, year, district, body, district)
}

// TestReuseAtIndexTime checks that every command that commits a generation
// leaves a reuse table of that generation beside it: a build, an add, a
// merge (renumbered, not recomputed) and a removal.
func TestReuseAtIndexTime(t *testing.T) {
	src := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("nanshan2022.txt", reportFile("南山区", 2022, copied))
	out := filepath.Join(t.TempDir(), "idx")
	sum, err := Build(out, []Source{Dir(src)}, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Reuse.Reports != 1 {
		t.Errorf("Build: reuse of %d reports, want 1", sum.Reuse.Reports)
	}
	pairs := func(when string, gen int) []string {
		t.Helper()
		tab, err := reuse.Read(out, gen)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		var out []string
		for _, p := range tab.Pairs {
			out = append(out, tab.Reports[p.A].District+"←"+tab.Reports[p.B].District)
		}
		return out
	}
	if got := pairs("after Build", 1); len(got) != 0 {
		t.Errorf("after Build: pairs %v, want none", got)
	}
	write("futian2023.txt", reportFile("福田区", 2023, copied))
	if sum, err = Add(out, []Source{Dir(src)}, index.Options{}); err != nil {
		t.Fatal(err)
	}
	if sum.Reuse.Reports != 2 {
		t.Errorf("Add: reuse of %d reports, want 2", sum.Reuse.Reports)
	}
	if got := fmt.Sprint(pairs("after Add", 2)); got != "[福田区←南山区]" {
		t.Errorf("after Add: pairs %s, want [福田区←南山区]", got)
	}
	if n, err := Merge(out, true); err != nil || n != 1 {
		t.Fatalf("Merge = %d, %v; want 1 segment merged", n, err)
	}
	if got := fmt.Sprint(pairs("after Merge", 3)); got != "[福田区←南山区]" {
		t.Errorf("after Merge: pairs %s, want [福田区←南山区]", got)
	}
	if _, _, err := Remove(out, []string{"nanshan2022.txt"}); err != nil {
		t.Fatal(err)
	}
	if got := pairs("after Remove", 4); len(got) != 0 {
		t.Errorf("after Remove: pairs %v, want none", got)
	}
}
