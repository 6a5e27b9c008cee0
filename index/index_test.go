package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// testReports is a small corpus with the cases that break naive search.
var testReports = []Report{
	{
		ID: "nanshan2023", Path: "sz/2023南山.txt", Title: "2023年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2023,
		Paragraphs: []Paragraph{
			{Ordinal: 1, Section: "工作回顾", Text: "深化“放管服”改革，优化营商环境。"},
			{Ordinal: 2, Section: "工作回顾", Text: "推进放管服改革，落实双随机、一公开。"},
			{Ordinal: 3, Section: "工作安排", Text: "发展，改革，创新。"},
			{Ordinal: 4, Section: "工作安排", Text: "加快发展新质生产力。"},
		},
	},
	{
		ID: "yingkou2019", Path: "yk/2019.txt", Title: "2019年西市區政府工作報告", Level: "district",
		Province: "辽宁省", City: "营口市", District: "西市区", Year: 2019,
		Paragraphs: []Paragraph{
			{Ordinal: 1, Section: "工作回顾", Text: "統籌推進營商環境建設，深化放管服改革。"},
			{Ordinal: 2, Section: "其他", Text: `<script>alert("放管服")</script>`},
			{Ordinal: 3, Section: "工作安排", Text: "ＧＤＰ增长２０２０％，发展改革两手抓。"},
		},
	},
	{
		ID: "futian2021", Path: "sz/2021福田.txt", Title: "2021年福田区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "福田区", Year: 2021,
		Paragraphs: []Paragraph{
			{Ordinal: 1, Section: "工作回顾", Text: "《政府工作报告》提出的目标全面完成。"},
			{Ordinal: 2, Section: "工作安排", Text: "哈哈哈哈，双随机，一公开。"},
		},
	},
}

func openTestIndex(t *testing.T) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports); err != nil {
		t.Fatalf("BuildReports: %v", err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func ids(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	sort.Strings(out)
	return out
}

func TestSearch(t *testing.T) {
	ix := openTestIndex(t)
	tests := []struct {
		name string
		req  Request
		want []string
	}{
		{"phrase inside quotes", Request{Query: "放管服"}, []string{"nanshan2023-1", "nanshan2023-2", "yingkou2019-1", "yingkou2019-2"}},
		{"through quotation marks", Request{Query: "放管服改革"}, []string{"nanshan2023-1", "nanshan2023-2", "yingkou2019-1"}},
		{"quoted query", Request{Query: "“放管服”改革"}, []string{"nanshan2023-1", "nanshan2023-2", "yingkou2019-1"}},
		{"traditional text", Request{Query: "统筹推进"}, []string{"yingkou2019-1"}},
		{"traditional query", Request{Query: "營商環境"}, []string{"nanshan2023-1", "yingkou2019-1"}},
		{"through book title marks", Request{Query: "政府工作报告"}, []string{"futian2021-1"}},
		{"separator blocks a phrase", Request{Query: "发展改革"}, []string{"yingkou2019-3"}},
		{"separator matches separator", Request{Query: "双随机、一公开"}, []string{"futian2021-2", "nanshan2023-2"}},
		{"one character", Request{Query: "创"}, []string{"nanshan2023-3"}},
		{"full-width digits", Request{Query: "2020"}, []string{"yingkou2019-3"}},
		{"latin case", Request{Query: "gdp"}, []string{"yingkou2019-3"}},
		{"repeated characters", Request{Query: "哈哈哈"}, []string{"futian2021-2"}},
		{"and", Request{Query: "放管服 营商环境"}, []string{"nanshan2023-1", "yingkou2019-1"}},
		{"exclusion", Request{Query: "放管服 -营商环境"}, []string{"nanshan2023-2", "yingkou2019-2"}},
		{"or", Request{Query: "新质生产力 OR 政府工作报告"}, []string{"futian2021-1", "nanshan2023-4"}},
		{"district filter in query", Request{Query: "放管服 district:南山区"}, []string{"nanshan2023-1", "nanshan2023-2"}},
		{"district filter, traditional", Request{Query: "放管服", District: []string{"西市區"}}, []string{"yingkou2019-1", "yingkou2019-2"}},
		{"two districts", Request{Query: "双随机", District: []string{"南山区", "福田区"}}, []string{"futian2021-2", "nanshan2023-2"}},
		{"year range", Request{Query: "放管服", YearFrom: 2020, YearTo: 2030}, []string{"nanshan2023-1", "nanshan2023-2"}},
		{"section", Request{Query: "发展", Section: []string{"工作安排"}}, []string{"nanshan2023-3", "nanshan2023-4", "yingkou2019-3"}},
		{"filters only", Request{Province: []string{"辽宁省"}}, []string{"yingkou2019-1", "yingkou2019-2", "yingkou2019-3"}},
		{"no match", Request{Query: "不存在的短语"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("Search(%+v): %v", tt.req, err)
			}
			if got := ids(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Search(%q) = %v, want %v", tt.req.Query, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Search(%q).Total = %d, want %d", tt.req.Query, res.Total, len(tt.want))
			}
		})
	}
}

func TestSearchErrors(t *testing.T) {
	ix := openTestIndex(t)
	for _, req := range []Request{
		{Query: `"放管服`},
		{Query: "foo:bar"},
		{Query: "year:abc"},
		{Query: strings.Repeat("放", 10000)},
		{Query: ""},
		{Query: "放管服", Offset: -1},
		{Query: "放管服", Limit: -5},
		{Query: "放管服", Sort: "color"},
	} {
		_, err := ix.Search(context.Background(), req)
		if !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%.40q, offset %d, limit %d, sort %q) error = %v, want ErrBadQuery", req.Query, req.Offset, req.Limit, req.Sort, err)
		}
	}
}

func TestHighlightAndFields(t *testing.T) {
	ix := openTestIndex(t)
	res, err := ix.Search(context.Background(), Request{Query: "放管服改革 district:南山区", Sort: "year"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"nanshan2023-1": "深化“<mark>放管服”改革</mark>，优化营商环境。",
		"nanshan2023-2": "推进<mark>放管服改革</mark>，落实双随机、一公开。",
	}
	for _, h := range res.Hits {
		if h.Highlight != want[h.ID] {
			t.Errorf("%s highlight = %q, want %q", h.ID, h.Highlight, want[h.ID])
		}
		if h.Province != "广东省" || h.City != "深圳市" || h.Year != 2023 || h.Path != "sz/2023南山.txt" || h.Report != "nanshan2023" {
			t.Errorf("%s fields = %+v", h.ID, h)
		}
	}
	res, err = ix.Search(context.Background(), Request{Query: "放管服", District: []string{"西市区"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == "yingkou2019-2" && h.Highlight != `&lt;script&gt;alert(&#34;<mark>放管服</mark>&#34;)&lt;/script&gt;` {
			t.Errorf("script paragraph highlight = %q", h.Highlight)
		}
		if h.ID == "yingkou2019-1" && h.Highlight != "統籌推進營商環境建設，深化<mark>放管服</mark>改革。" {
			t.Errorf("traditional paragraph highlight = %q", h.Highlight)
		}
	}
}

func TestFacetsAndPaging(t *testing.T) {
	ix := openTestIndex(t)
	res, err := ix.Search(context.Background(), Request{Query: "放管服", Limit: 1, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || len(res.Hits) != 1 {
		t.Fatalf("Total %d, %d hits; want 4 and 1", res.Total, len(res.Hits))
	}
	wantFacets := map[string][]FacetCount{
		"province": {{"广东省", 2}, {"辽宁省", 2}},
		"city":     {{"深圳市", 2}, {"营口市", 2}},
		"district": {{"南山区", 2}, {"西市区", 2}},
		"year":     {{"2023", 2}, {"2019", 2}},
		"section":  {{"工作回顾", 3}, {"其他", 1}},
	}
	for name, want := range wantFacets {
		got := res.Facets[name]
		sort.Slice(got, func(i, j int) bool { return got[i].Value < got[j].Value })
		sort.Slice(want, func(i, j int) bool { return want[i].Value < want[j].Value })
		if !reflect.DeepEqual(got, want) {
			t.Errorf("facet %s = %v, want %v", name, got, want)
		}
	}
}

func TestTrend(t *testing.T) {
	ix := openTestIndex(t)
	res, err := ix.Search(context.Background(), Request{Query: "放管服", TrendBy: "district", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Trend
	want := []TrendPoint{{2019, "西市区", 2}, {2023, "南山区", 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Trend = %v, want %v", got, want)
	}
	if _, err := ix.Search(context.Background(), Request{Query: "放管服", TrendBy: "planet"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("Trend by planet: error %v, want ErrBadQuery", err)
	}
}

func TestReport(t *testing.T) {
	ix := openTestIndex(t)
	r, err := ix.Report(context.Background(), "nanshan2023", "放管服")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Paragraphs) != 4 || r.District != "南山区" || r.Title != "2023年南山区政府工作报告" {
		t.Fatalf("Report = %+v", r)
	}
	var matches []int
	for i, p := range r.Paragraphs {
		if p.Ordinal != i+1 {
			t.Errorf("paragraph %d has ordinal %d", i, p.Ordinal)
		}
		matches = append(matches, p.Matches)
	}
	if !reflect.DeepEqual(matches, []int{1, 1, 0, 0}) {
		t.Errorf("matches per paragraph = %v, want [1 1 0 0]", matches)
	}
	if _, err := ix.Report(context.Background(), "nope", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Report(nope) error = %v, want ErrNotFound", err)
	}
}

func TestOpenRefusesIncompatibleIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports[:1]); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Analyzer = "exact-0/words-old"
	m.Generation++
	if err := commit(dir, m); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrIncompatible) {
		t.Errorf("Open(old index) error = %v, want ErrIncompatible", err)
	}
}

func TestRebuildReplacesAtomically(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports[:1]); err != nil {
		t.Fatal(err)
	}
	if err := BuildReports(dir, testReports); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Reports != 3 {
		t.Errorf("after rebuild: %d reports, want 3", m.Reports)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("rebuild left %d entries next to the index, want none", len(entries)-1)
	}
	// A directory that is not an index is never replaced.
	other := filepath.Join(t.TempDir(), "notes")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	if err := BuildReports(other, testReports[:1]); err == nil {
		t.Errorf("BuildReports over a non-index directory succeeded, want an error")
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Errorf("user file lost: %v", err)
	}
}
