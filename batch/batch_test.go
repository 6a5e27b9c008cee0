package batch

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
		err      string
	}{
		{"lines", "放管服\n\n营商环境 year:2018..2024\n", []string{"放管服", "营商环境 year:2018..2024"}, ""},
		{"bom, header, comments, CRLF", "\ufeffquery\r\n# slogans\r\n放管服\r\n", []string{"放管服"}, ""},
		{"csv first column", "phrase,note\n\"营商环境, 改革\",x\n新质生产力,y\n", []string{"营商环境, 改革", "新质生产力"}, ""},
		{"header only once", "放管服\nquery\n", []string{"放管服", "query"}, ""},
		{"empty", "\n# nothing\n", nil, "no query"},
		{"not utf-8", "放管服\n\xff\xfe\n", nil, "line 2 is not UTF-8"},
		{"bad csv", "\"unclosed,x\n", nil, "line 1"},
		{"too many", strings.Repeat("放管服\n", MaxQueries+1), nil, "more than 1000 queries (line 1001)"},
		{"long line", strings.Repeat("放", MaxQueryBytes), nil, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("Parse = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestRunAgreesWithSearch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	rep := func(id, prov, city, dist string, year int, texts ...string) index.Report {
		r := index.Report{ID: id, Path: id, Level: "district", Province: prov, City: city, District: dist, Year: year}
		for i, s := range texts {
			r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Section: "工作安排", Text: s})
		}
		return r
	}
	if err := index.BuildReports(dir, []index.Report{
		rep("a", "广东省", "深圳市", "南山区", 2016, "推进“放管服”改革。", "优化营商环境。"),
		rep("b", "广东省", "深圳市", "福田区", 2018, "放管服改革，营商环境。", "深化放管服。"),
		rep("c", "辽宁省", "营口市", "西市区", 2018, "統籌推進放管服改革。"),
	}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	queries := []string{"放管服", "营商环境 -改革", "year:2018 放管服", "火星", "(bad"}
	res, err := Run(ctx, ix, queries, index.Request{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Years, []int{2016, 2018}) || !slices.Equal(res.Provinces, []string{"广东省", "辽宁省"}) {
		t.Fatalf("keys %v %v", res.Years, res.Provinces)
	}
	for i, q := range queries {
		row := res.Rows[i]
		s, err := ix.Search(ctx, index.Request{Query: q})
		if err != nil {
			if row.Error == "" {
				t.Errorf("%q: search fails (%v), batch row has no error", q, err)
			}
			continue
		}
		if row.Total != s.Total {
			t.Errorf("%q: total %d, search says %d", q, row.Total, s.Total)
		}
	}
	want := []Row{
		{Query: "放管服", Total: 4, Reports: 3, Places: 3, FirstYear: 2016, Years: []int{1, 3}, Provinces: []int{3, 1}},
		{Query: "营商环境 -改革", Total: 1, Reports: 1, Places: 1, FirstYear: 2016, Years: []int{1, 0}, Provinces: []int{1, 0}},
		{Query: "year:2018 放管服", Total: 3, Reports: 2, Places: 2, FirstYear: 2018, Years: []int{0, 3}, Provinces: []int{2, 1}},
		{Query: "火星", Years: []int{0, 0}, Provinces: []int{0, 0}},
	}
	for i, w := range want {
		g := res.Rows[i]
		if g.Query != w.Query || g.Total != w.Total || g.Reports != w.Reports || g.Places != w.Places || g.FirstYear != w.FirstYear ||
			!slices.Equal(g.Years, w.Years) || !slices.Equal(g.Provinces, w.Provinces) || g.Error != "" {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	var b strings.Builder
	if err := WriteCSV(&b, res, func(s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\ufeffquery,error,total,reports,places,first_year,2016,2018,广东省,辽宁省\n放管服,,4,3,3,2016,1,3,3,1\n") {
		t.Errorf("CSV:\n%s", b.String())
	}
}
