package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func testIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	reports := []index.Report{{
		ID: "r1", Path: "sz/2023南山.txt", Title: "2023年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2023,
		Paragraphs: []index.Paragraph{
			{Ordinal: 1, Offset: 0, Section: "工作回顾", Heading: "一、2022年工作回顾", Text: "深化“放管服”改革，优化营商环境。"},
			{Ordinal: 2, Offset: 17, Section: "工作安排", Text: "<b>推进</b>放管服改革。"},
		},
	}, {
		ID: "r2", Path: "yk/2019.txt", Title: "2019年西市區政府工作報告", Level: "district",
		Province: "辽宁省", City: "营口市", District: "西市区", Year: 2019,
		Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作回顾", Text: "統籌推進放管服改革。"}},
	}}
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runSearch(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(context.Background(), args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestJSONShape(t *testing.T) {
	dir := testIndex(t)
	code, out, errs := runSearch(t, "-index", dir, "-json", "-district", "南山区", "放管服")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"query", "total", "took_ms", "hits", "facets"} {
		if _, ok := res[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	if res["total"].(float64) != 2 {
		t.Errorf("total = %v, want 2", res["total"])
	}
	hit := res["hits"].([]any)[0].(map[string]any)
	for _, k := range []string{"path", "title", "province", "city", "district", "year", "section", "heading", "paragraph", "offset", "text", "highlight"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit has no %q", k)
		}
	}
	facets := res["facets"].(map[string]any)
	for _, k := range index.FacetFields {
		if _, ok := facets[k]; !ok {
			t.Errorf("facets have no %q", k)
		}
	}
	if !strings.Contains(out, `&lt;b&gt;推进&lt;/b&gt;<mark>放管服</mark>`) {
		t.Errorf("highlight not escaped and marked:\n%s", out)
	}
}

func TestTextAndCSV(t *testing.T) {
	dir := testIndex(t)
	code, out, errs := runSearch(t, "-index", dir, "-color", "never", "统筹推进")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"西市区 · 2019 · 工作回顾", "yk/2019.txt:1", "【統籌推進】放管服改革。", "1 paragraphs"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runSearch(t, "-index", dir, "-csv", "-limit", "0", "放管服")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("CSV = %q, want header and 3 rows", rows)
	}
}

func TestBadInput(t *testing.T) {
	dir := testIndex(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-index", dir, `"放管服`}, 2, "quote"},
		{[]string{"-index", dir, "foo:bar"}, 2, "foo"},
		{[]string{"-index", dir, "year:abc"}, 2, "abc"},
		{[]string{"-index", dir, strings.Repeat("放", 10000)}, 2, "10000"},
		{[]string{"-index", dir, "-year", "abc", "放管服"}, 2, "-year"},
		{[]string{"-index", dir, "-limit", "-1", "放管服"}, 2, "-limit"},
		{[]string{"-index", dir, "-sort", "size", "放管服"}, 2, "-sort"},
		{[]string{"-index", dir, "-json", "-csv", "放管服"}, 2, "-json"},
		{[]string{"-index", dir}, 2, "usage"},
		{[]string{"-index", filepath.Join(dir, "missing"), "放管服"}, 1, "missing"},
	}
	for _, tt := range tests {
		code, _, errs := runSearch(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("search %.60q = exit %d, %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}
