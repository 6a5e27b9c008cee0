package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func alertReport(district string, year int, text string) index.Report {
	return index.Report{
		Path: fmt.Sprintf("%s/%d.txt", district, year), Title: fmt.Sprintf("%d年%s政府工作报告", year, district),
		Level: "district", Province: "广东省", City: "深圳市", District: district, Year: year,
		Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作回顾", Text: text}},
	}
}

func alertIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	err := index.BuildReports(dir, []index.Report{
		alertReport("南山区", 2023, "深化“放管服”改革，坚持“旧提法”。"),
		alertReport("福田区", 2023, "坚持“旧提法”。"),
		alertReport("南山区", 2024, "发展“新提法甲”，深化放管服改革。"),
		alertReport("福田区", 2024, "发展“新提法甲”。"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestNewPhrases(t *testing.T) {
	dir := alertIndex(t)
	code, out, errs := runSearch(t, "-index", dir, "-new", "2024", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Year, Previous int
		New            []struct {
			Phrase          string
			Places, Reports int
			FirstYear       int `json:"first_year"`
		}
		Gone []struct{ Phrase string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("-new -json is not JSON: %v\n%s", err, out)
	}
	if res.Year != 2024 || res.Previous != 2023 || len(res.New) != 1 || res.New[0].Phrase != "新提法甲" ||
		res.New[0].Places != 2 || res.New[0].FirstYear != 2024 || len(res.Gone) != 1 || res.Gone[0].Phrase != "旧提法" {
		t.Errorf("-new 2024 = %+v, want 新提法甲 new in 2 places, 旧提法 gone", res)
	}
	code, out, _ = runSearch(t, "-index", dir, "-new", "2024", "-district", "南山区")
	if code != 0 || !strings.Contains(out, "1. 新提法甲\t1 places") || !strings.Contains(out, "1. 旧提法") {
		t.Errorf("-new 2024 -district 南山区: exit %d\n%s", code, out)
	}
}

func TestSavedSearches(t *testing.T) {
	dir := alertIndex(t)
	if code, out, errs := runSearch(t, "-index", dir, "-save", "fgf", "-year", "2024..", "放管服"); code != 0 || !strings.Contains(out, "saved fgf: 1 reports") {
		t.Fatalf("-save: exit %d\n%s%s", code, out, errs)
	}
	w, err := index.Update(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []index.Report{alertReport("宝安区", 2024, "推进放管服。"), alertReport("宝安区", 2020, "放管服。")} {
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runSearch(t, "-index", dir, "-saved", "-json")
	if code != 0 {
		t.Fatalf("-saved: exit %d: %s", code, errs)
	}
	var ms []struct {
		Search struct{ Name string }
		Total  int
		New    []struct {
			District   string
			Paragraphs []struct{ Text string }
		}
	}
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("-saved -json is not JSON: %v\n%s", err, out)
	}
	// The 2020 report is outside the saved search's years.
	if len(ms) != 1 || ms[0].Search.Name != "fgf" || ms[0].Total != 2 || len(ms[0].New) != 1 || ms[0].New[0].District != "宝安区" ||
		len(ms[0].New[0].Paragraphs) != 1 || ms[0].New[0].Paragraphs[0].Text != "推进放管服。" {
		t.Errorf("-saved = %s, want the 2024 宝安区 paragraph new", out)
	}
	if code, out, _ := runSearch(t, "-index", dir, "-saved"); code != 0 || !strings.Contains(out, "nothing new") {
		t.Errorf("-saved after a look: exit %d\n%s", code, out)
	}
	if code, out, _ := runSearch(t, "-index", dir, "-unsave", "fgf"); code != 0 || !strings.Contains(out, "deleted fgf") {
		t.Errorf("-unsave: exit %d\n%s", code, out)
	}
}

func TestAlertUsage(t *testing.T) {
	dir := alertIndex(t)
	if code, _, _ := runSearch(t, "-index", dir, "-save", "taken", "放管服"); code != 0 {
		t.Fatal("-save taken failed")
	}
	for _, args := range [][]string{
		{"-new", "abc"},
		{"-new", "1800"},
		{"-new", "2030"},                      // no report of that year
		{"-new", "2024", "-level", "county"},  // no such level
		{"-new", "2024", "放管服"},               // -new takes no query
		{"-new", "2024", "-save", "x", "放管服"}, // one mode at a time
		{"-level", "city"},
		{"-saved", "-batch", "queries.txt"},
		{"-new", "2024", "-csv"},
		{"-save", "a/b", "放管服"},
		{"-save", "x", `"未闭合`},
		{"-save", "taken", "数字政府"},
		{"-saved", "放管服"},
		{"-unsave", "nope"},
	} {
		code, _, errs := runSearch(t, append([]string{"-index", dir}, args...)...)
		if code != 2 || errs == "" {
			t.Errorf("search %q: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
}
