package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func diffIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	place := func(id, path string, year int, texts ...string) index.Report {
		r := index.Report{ID: id, Path: path, Title: "政府工作报告", Level: "district",
			Province: "广东省", City: "深圳市", District: "南山区", Year: year}
		for i, s := range texts {
			r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Section: "工作安排", Text: s})
		}
		return r
	}
	reports := []index.Report{
		place("old", "sz/2022.txt", 2022, "各位代表：", "深化“放管服”改革，持续优化营商环境，全年地区生产总值增长6%。", "建设海绵城市。"),
		place("new", "sz/2023.txt", 2023, "各位代表：", "深化“放管服”改革，持续优化营商环境，全年地区生产总值增长5%。", "发展“新质生产力”。"),
	}
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDiff(t *testing.T) {
	dir := diffIndex(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string // in stdout (or stderr when code != 0)
	}{
		{"previous year by default, by path", []string{"sz/2023.txt"}, 0, []string{"old: sz/2022.txt", "new: sz/2023.txt", "1 same, 1 changed, 1 added, 1 removed"}},
		{"two ids", []string{"old", "new"}, 0, []string{"1 same, 1 changed, 1 added, 1 removed"}},
		{"no earlier report", []string{"old"}, 2, []string{"search diff:", "old"}},
		{"unknown report", []string{"nosuch"}, 2, []string{"search diff:", "nosuch"}},
		{"no report", []string{}, 2, []string{"want one or two reports"}},
		{"three reports", []string{"a", "b", "c"}, 2, []string{"want one or two reports"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			code := diff(context.Background(), append([]string{"-index", dir}, tc.args...), &out, &errw)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errw.String())
			}
			got := out.String()
			if tc.code != 0 {
				got = errw.String()
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestDiffJSON(t *testing.T) {
	dir := diffIndex(t)
	var out, errw bytes.Buffer
	if code := diff(context.Background(), []string{"-index", dir, "-json", "new"}, &out, &errw); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	var d struct {
		Pairs []struct {
			Kind string `json:"kind"`
		} `json:"pairs"`
		NewTerms []struct {
			Term string `json:"term"`
		} `json:"new_terms"`
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	var kinds []string
	for _, p := range d.Pairs {
		kinds = append(kinds, p.Kind)
	}
	want := map[string]int{"same": 1, "changed": 1, "added": 1, "removed": 1}
	got := map[string]int{}
	for _, k := range kinds {
		got[k]++
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("kinds %v: %d %q, want %d", kinds, got[k], k, n)
		}
	}
	if !strings.Contains(out.String(), "新质生产力") {
		t.Errorf("新质生产力 is not among the new terms: %s", out.String())
	}
}
