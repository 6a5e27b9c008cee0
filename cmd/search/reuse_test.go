package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reuse"
)

const copiedText = "坚持把招商引资作为经济工作的生命线，建立重大项目专班推进机制，实行一个项目、一名领导、一个专班、一抓到底，全年新签约亿元以上项目四十二个。"

// reuseIndex builds an index in which 南山区 2020 copies a paragraph of
// 福田区 2019, with its reuse table stored.
func reuseIndex(t *testing.T, store bool) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	reports := []index.Report{
		{ID: "futian", Path: "sz/2019福田.txt", Title: "2019年福田区政府工作报告", Level: "district", Province: "广东省", City: "深圳市", District: "福田区", Year: 2019,
			Paragraphs: []index.Paragraph{{Ordinal: 1, Text: "福田区推进河套深港科技创新合作区建设，引进国际一流科研机构十二家。"}, {Ordinal: 2, Text: copiedText}}},
		{ID: "nanshan", Path: "sz/2020南山.txt", Title: "2020年南山区政府工作报告", Level: "district", Province: "广东省", City: "深圳市", District: "南山区", Year: 2020,
			Paragraphs: []index.Paragraph{{Ordinal: 1, Text: copiedText}, {Ordinal: 2, Text: "南山区持续推进蛇口国际海洋城建设，海洋经济增加值突破千亿元。"}}},
	}
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	if store {
		if _, err := reuse.Update(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReuseCommands(t *testing.T) {
	stored, unstored := reuseIndex(t, true), reuseIndex(t, false)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"one report by id", []string{"-index", stored, "-reuse", "nanshan"}, 0,
			[]string{"¶1 copied: earliest source 福田区 2019 ¶2 [futian]", "in 1 reports of other places"}},
		{"one report by source path", []string{"-index", stored, "-reuse", "sz/2020南山.txt"}, 0, []string{"earliest source 福田区 2019 ¶2"}},
		{"the original", []string{"-index", stored, "-reuse", "futian"}, 0, []string{"¶2 first here"}},
		{"computed when not stored", []string{"-index", unstored, "-reuse", "nanshan"}, 0, []string{"earliest source 福田区 2019 ¶2"}},
		{"corpus view", []string{"-index", stored, "-reuse-top"}, 0,
			[]string{"most reused passages (1)", "first 福田区 2019 ¶2 [futian]", "南山区 2020 [nanshan] ← 福田区 2019 [futian]"}},
		{"corpus view of one place", []string{"-index", stored, "-reuse-top", "-district", "罗湖区"}, 0, []string{"most reused passages (0)"}},
		{"unknown report", []string{"-index", stored, "-reuse", "nope"}, 1, []string{`-reuse "nope"`}},
		{"both", []string{"-index", stored, "-reuse", "nanshan", "-reuse-top"}, 2, []string{"cannot be used together"}},
		{"with a query", []string{"-index", stored, "-reuse-top", "放管服"}, 2, []string{"take no query"}},
		{"two places", []string{"-index", stored, "-reuse-top", "-district", "福田区,南山区"}, 2, []string{"one place"}},
		{"csv", []string{"-index", stored, "-reuse-top", "-csv"}, 2, []string{"-csv"}},
		{"bad year", []string{"-index", stored, "-reuse-top", "-year", "20x9"}, 2, []string{"-year"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runSearch(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out+errs, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errs)
				}
			}
		})
	}
}

func TestReuseJSON(t *testing.T) {
	dir := reuseIndex(t, true)
	code, out, errs := runSearch(t, "-index", dir, "-reuse", "nanshan", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v reuse.ReportView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(v.Paragraphs) != 1 || v.Paragraphs[0].Source == nil || v.Paragraphs[0].Source.Report != "futian" || v.Share <= 0 {
		t.Errorf("-reuse -json = %+v, want paragraph 1 copied from futian", v)
	}
	code, out, errs = runSearch(t, "-index", dir, "-reuse-top", "-json", "-year", "2020")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var top reuse.Top
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(top.Pairs) != 1 || top.Pairs[0].A.Report != "nanshan" || top.YearFrom != 2020 || len(top.Reports) != 1 {
		t.Errorf("-reuse-top -json -year 2020 = %+v", top)
	}
}
