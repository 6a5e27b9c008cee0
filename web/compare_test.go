package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reportdiff"
	"github.com/zhengce/zhengce/targets"
)

// Two years of 南山区: a paragraph kept, one edited, one dropped, one
// added, the targets changed; 福田区 has one report, and a district whose
// name reads as a spreadsheet formula one.
const (
	cmpSalute  = "各位代表：现在，我代表南山区人民政府向大会报告工作，请予审议，并请各位政协委员提出意见。"
	cmpKept    = "坚持创新驱动发展，新增国家高新技术企业三百家，研发投入强度保持全省前列。"
	cmpKept2   = "推进“数字政府”建设，深化“放管服”改革，持续优化营商环境。"
	cmpKept3   = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。"
	cmpDropped = "建成“口袋公园”二十座，改造老旧小区四十个，城市面貌焕然一新。"
	cmpAdded   = "启动“数字孪生城市”建设，建成城市信息模型平台，覆盖全区主要街道和重点片区。"
	cmpFormula = "=1+1区"
)

func cmpReport(district string, year int, paras ...[2]string) index.Report {
	r := index.Report{Path: fmt.Sprintf("compare/%s%d.txt", district, year), Title: fmt.Sprintf("%d年%s政府工作报告", year, district),
		Level: "district", Province: "广东省", City: "深圳市", District: district, Year: year}
	r.ID = index.ReportID(r.Path, 0)
	for i, p := range paras {
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Section: p[0], Text: p[1]})
	}
	return r
}

const (
	review = targets.ReviewSection
	plan   = "工作安排"
)

var compareReports = []index.Report{
	cmpReport("南山区", 2023,
		[2]string{"其他", cmpSalute},
		[2]string{review, "2022年，全区地区生产总值增长6.1%，一般公共预算收入增长4.2%。"},
		[2]string{review, cmpKept},
		[2]string{review, cmpDropped},
		[2]string{plan, "今年经济社会发展的主要预期目标是：地区生产总值增长7%左右，一般公共预算收入增长5%。"},
		[2]string{plan, cmpKept2},
		[2]string{plan, cmpKept3},
	),
	cmpReport("南山区", 2024,
		[2]string{"其他", cmpSalute},
		[2]string{review, "2023年，全区地区生产总值增长5.2%，一般公共预算收入增长3.8%。"},
		[2]string{review, cmpKept},
		[2]string{review, cmpAdded},
		[2]string{plan, "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%以上。"},
		[2]string{plan, cmpKept2},
		[2]string{plan, cmpKept3},
	),
	cmpReport("福田区", 2024,
		[2]string{plan, "今年主要预期目标是：地区生产总值增长6.5%，城镇调查失业率控制在5.5%以内。"},
	),
	// 宝安区 moved its opening paragraph to the end.
	cmpReport("宝安区", 2023, [2]string{plan, cmpAdded}, [2]string{plan, cmpKept}, [2]string{plan, cmpKept2}, [2]string{plan, cmpKept3}),
	cmpReport("宝安区", 2024, [2]string{plan, cmpKept}, [2]string{plan, cmpKept2}, [2]string{plan, cmpKept3}, [2]string{plan, cmpAdded}),
	cmpReport(cmpFormula, 2024,
		[2]string{plan, "今年主要预期目标是：地区生产总值增长5%。"},
	),
}

func cmpID(district string, year int) string {
	for _, r := range compareReports {
		if r.District == district && r.Year == year {
			return r.ID
		}
	}
	panic("no fixture report " + district)
}

// compareServer returns a Server over an index of compareReports.
func compareServer(t testing.TB) (*Server, *index.Index) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, compareReports); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(ix, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s, ix
}

// asJSON decodes b into a generic value, so that two encodings compare
// by content.
func asJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

func TestDiffAPI(t *testing.T) {
	s, ix := compareServer(t)
	n23, n24, futian := cmpID("南山区", 2023), cmpID("南山区", 2024), cmpID("福田区", 2024)
	tests := []struct {
		name     string
		target   string
		status   int
		old, new string // the reports compared, for 200
		errHas   string // in the error message otherwise
	}{
		{"the previous year by default", "/api/diff/" + n24, 200, n23, n24, ""},
		{"with another report", "/api/diff/" + n24 + "?with=" + futian, 200, futian, n24, ""},
		{"backwards", "/api/diff/" + n23 + "?with=" + n24, 200, n24, n23, ""},
		{"unknown id", "/api/diff/nosuchreport", 404, "", "", `找不到编号或来源路径为 "nosuchreport" 的报告`},
		{"unknown with", "/api/diff/" + n24 + "?with=nosuchreport", 404, "", "", "nosuchreport"},
		{"no earlier report", "/api/diff/" + futian, 404, "", "", "福田区没有更早年份的报告"},
		{"empty with", "/api/diff/" + n24 + "?with=", 400, "", "", "with"},
		{"with twice", "/api/diff/" + n24 + "?with=" + n23 + "&with=" + futian, 400, "", "", "with"},
		{"unknown parameter", "/api/diff/" + n24 + "?same=show", 400, "", "", "same"},
		{"invalid text", "/api/diff/" + n24 + "?with=%ff", 400, "", "", "with"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status != 200 {
				var e struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, tt.errHas) {
					t.Errorf("error %s (%v), want it to name %q", rec.Body, err, tt.errHas)
				}
				return
			}
			ctx := context.Background()
			a, err := ix.Report(ctx, tt.old, "")
			if err != nil {
				t.Fatal(err)
			}
			b, err := ix.Report(ctx, tt.new, "")
			if err != nil {
				t.Fatal(err)
			}
			want, err := reportdiff.Compare(a, b, reportdiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if got, w := asJSON(t, rec.Body.Bytes()), asJSON(t, wantJSON); !reflect.DeepEqual(got, w) {
				t.Errorf("/api/diff differs from reportdiff.Compare:\n got %s\nwant %s", rec.Body, wantJSON)
			}
		})
	}
}

// TestDiffAPIKinds checks the default comparison of the fixture against
// what was written into it, independently of the aligner.
func TestDiffAPIKinds(t *testing.T) {
	s, _ := compareServer(t)
	rec := get(t, s.Handler(), "/api/diff/"+cmpID("南山区", 2024))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var d reportdiff.Diff
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	type step struct {
		kind     string
		old, new int
	}
	var got []step
	for _, p := range d.Pairs {
		st := step{kind: p.Kind}
		if p.Old != nil {
			st.old = p.Old.Paragraph
		}
		if p.New != nil {
			st.new = p.New.Paragraph
		}
		got = append(got, st)
	}
	want := []step{{"same", 1, 1}, {"changed", 2, 2}, {"same", 3, 3}, {"removed", 4, 0}, {"added", 0, 4}, {"changed", 5, 5}, {"same", 6, 6}, {"same", 7, 7}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	has := func(ts []reportdiff.Term, text string) bool {
		for _, t := range ts {
			if t.Text == text {
				return true
			}
		}
		return false
	}
	if !has(d.NewTerms, "数字孪生城市") || !has(d.DroppedTerms, "口袋公园") {
		t.Errorf("new terms %v, dropped %v; want 数字孪生城市 new and 口袋公园 dropped", d.NewTerms, d.DroppedTerms)
	}
}

func TestDiffPage(t *testing.T) {
	s, _ := compareServer(t)
	n23, n24, futian := cmpID("南山区", 2023), cmpID("南山区", 2024), cmpID("福田区", 2024)
	tests := []struct {
		name   string
		target string
		status int
		want   []string
		not    []string
	}{
		{"unchanged paragraphs folded by default", "/diff/" + n24, 200, []string{
			`class="row-changed"`, `class="row-added"`, `class="row-removed"`,
			`<span class="sent sent-changed">`, "<del>", "<ins>",
			// each side's number links into its report
			`href="/doc/` + n23 + `#p4"`, `href="/doc/` + n24 + `#p4"`, `href="/doc/` + n23 + `#p2"`, `href="/doc/` + n24 + `#p5"`,
			`class="row-folded"`, "⋯ 2 段未改动", "⋯ 1 段未改动", `id="toggle-same" href="/diff/` + n24 + `?same=show"`,
			"数字孪生城市", "口袋公园", `href="/doc/` + n24 + `?q=%E6%95%B0%E5%AD%97%E5%AD%AA%E7%94%9F%E5%9F%8E%E5%B8%82#p4"`,
			`href="/api/diff/` + n24 + `"`,
		}, []string{`class="row-same"`, `href="/doc/` + n23 + `#p6"`}},
		{"unchanged paragraphs shown", "/diff/" + n24 + "?same=show", 200, []string{
			`class="row-same"`, `href="/doc/` + n23 + `#p6"`, `href="/doc/` + n24 + `#p7"`, `id="toggle-same" href="/diff/` + n24 + `"`,
		}, []string{`class="row-folded"`}},
		{"with another report", "/diff/" + n24 + "?with=" + futian + "&same=show", 200, []string{
			"南山区 2024 对比 福田区 2024", `href="/api/diff/` + n24 + `?with=` + futian + `"`, `id="toggle-same" href="/diff/` + n24 + `?with=` + futian + `"`,
		}, nil},
		{"with another report, folded", "/diff/" + n24 + "?with=" + n23, 200, []string{
			`id="toggle-same" href="/diff/` + n24 + `?same=show&amp;with=` + n23 + `"`, `<a href="/diff/` + n24 + `?same=show&amp;with=` + n23 + `#r`,
		}, nil},
		{"a moved paragraph is shown and noted", "/diff/" + cmpID("宝安区", 2024), 200, []string{
			`class="row-same moved"`, "移动</span> 这一段换了位置", `href="/doc/` + cmpID("宝安区", 2023) + `#p1"`, `href="/doc/` + cmpID("宝安区", 2024) + `#p4"`,
		}, []string{"row-changed", "row-added", "row-removed"}},
		{"no earlier report", "/diff/" + futian, 404, []string{"福田区没有更早年份的报告", "?with="}, nil},
		{"unknown id", "/diff/nosuchreport", 404, []string{"找不到编号或来源路径为", "nosuchreport"}, nil},
		{"bad same", "/diff/" + n24 + "?same=all", 400, []string{"same"}, nil},
		{"unknown parameter", "/diff/" + n24 + "?q=x", 400, []string{"q"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %s", w)
				}
			}
		})
	}
}

func TestPlaceLabel(t *testing.T) {
	for _, tt := range []struct {
		r    index.ReportInfo
		want string
	}{
		{index.ReportInfo{Level: "district", Province: "广东省", City: "深圳市", District: "南山区"}, "南山区"},
		{index.ReportInfo{Level: "city", Province: "广东省", City: "深圳市"}, "深圳市"},
		{index.ReportInfo{Level: "national"}, "全国"},
		{index.ReportInfo{Level: "district"}, "未注明地区（区县级）"},
		{index.ReportInfo{}, "未注明地区"},
	} {
		if got := placeLabel(tt.r); got != tt.want {
			t.Errorf("placeLabel(%+v) = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestDiffLinkInReport(t *testing.T) {
	s, _ := compareServer(t)
	for _, tt := range []struct {
		id   string
		link bool
	}{{cmpID("南山区", 2024), true}, {cmpID("南山区", 2023), false}, {cmpID("福田区", 2024), false}} {
		body := get(t, s.Handler(), "/doc/"+tt.id).Body.String()
		want := `<a id="diff-link" href="/diff/` + tt.id + `">与上一年对比</a>`
		if got := strings.Contains(body, want); got != tt.link {
			t.Errorf("/doc/%s has the link to the previous year: %v, want %v", tt.id, got, tt.link)
		}
	}
}

// allTargets is targets.Table of every report of ix.
func allTargets(t *testing.T, ix *index.Index) []targets.Row {
	t.Helper()
	ctx := context.Background()
	infos, err := ix.Reports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var reports []*index.Report
	for _, ri := range infos {
		r, err := ix.Report(ctx, ri.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, r)
	}
	return targets.Table(reports)
}

func TestTargetsAPI(t *testing.T) {
	s, ix := compareServer(t)
	all := allTargets(t, ix)
	if len(all) == 0 {
		t.Fatal("the fixture has no targets")
	}
	gdp := targets.Canonical("GDP")
	tests := []struct {
		name   string
		query  string
		status int
		keep   func(targets.Row) bool
	}{
		{"everything", "", 200, func(targets.Row) bool { return true }},
		{"one district", "district=南山区", 200, func(r targets.Row) bool { return r.District == "南山区" }},
		{"province and city", "province=广东省&city=深圳市", 200, func(r targets.Row) bool { return true }},
		{"a synonym", "indicator=GDP", 200, func(r targets.Row) bool { return r.Indicator == gdp }},
		{"the canonical name", "indicator=地区生产总值", 200, func(r targets.Row) bool { return r.Indicator == gdp }},
		{"another synonym, lower case", "indicator=gdp", 200, func(r targets.Row) bool { return r.Indicator == gdp }},
		{"a year", "year=2023", 200, func(r targets.Row) bool { return r.Year == 2023 }},
		{"a range", "year=2023..2024&district=南山区", 200, func(r targets.Row) bool { return r.Year >= 2023 && r.District == "南山区" }},
		{"nothing", "district=罗湖区", 200, func(targets.Row) bool { return false }},
		{"bad year", "year=twenty", 400, nil},
		{"unknown parameter", "indicatr=GDP", 400, nil},
		{"twice", "district=南山区&district=福田区", 400, nil},
		{"size is for the page", "size=10", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), "/api/targets?"+tt.query)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status != 200 {
				return
			}
			var got struct {
				Total int
				Rows  []targets.Row
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := []targets.Row{}
			for _, r := range all {
				if tt.keep(r) {
					want = append(want, r)
				}
			}
			if got.Rows == nil {
				got.Rows = []targets.Row{}
			}
			if !reflect.DeepEqual(got.Rows, want) || got.Total != len(want) {
				t.Errorf("rows (total %d)\n %+v\nwant (%d)\n %+v", got.Total, got.Rows, len(want), want)
			}
		})
	}
}

func TestTargetsCSV(t *testing.T) {
	s, ix := compareServer(t)
	all := allTargets(t, ix)
	rec := get(t, s.Handler(), "/targets.csv")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("no byte-order mark: %q", body[:min(len(body), 20)])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(all)+1 || recs[0][0] != "province" || recs[0][7] != "target" {
		t.Fatalf("%d records (header %v), want %d rows and a header", len(recs), recs[0], len(all))
	}
	formula := 0
	for i, r := range all {
		rec := recs[i+1]
		if r.District == cmpFormula {
			formula++
			if rec[2] != "'"+cmpFormula {
				t.Errorf("a district that reads as a formula is written %q, want it neutralised", rec[2])
			}
			continue
		}
		if rec[2] != r.District || rec[4] != fmt.Sprint(r.Year) || rec[5] != r.Indicator {
			t.Errorf("row %d is %v, want %+v", i, rec, r)
		}
		if r.Target != nil && (rec[7] != r.Target.String() || rec[8] != fmt.Sprintf("%s ¶%d", r.Target.Path, r.Target.Paragraph)) {
			t.Errorf("row %d target %q %q, want %s", i, rec[7], rec[8], r.Target.String())
		}
		if r.Achieved != nil && rec[9] != r.Achieved.String() {
			t.Errorf("row %d achieved %q, want %s", i, rec[9], r.Achieved.String())
		}
	}
	if formula == 0 {
		t.Error("the fixture's formula district has no row")
	}
	// Filters as the API reads them.
	rec = get(t, s.Handler(), "/targets.csv?district=福田区&indicator=GDP")
	recs, err = csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][2] != "福田区" || recs[1][7] != "6.5%" {
		t.Errorf("filtered CSV %v (%v), want one row: 福田区 GDP 6.5%%", recs, err)
	}
	if rec := get(t, s.Handler(), "/targets.csv?year=x"); rec.Code != 400 {
		t.Errorf("bad year: status %d, want 400", rec.Code)
	}
}

func TestTargetsPage(t *testing.T) {
	s, ix := compareServer(t)
	var n23, n24 *targets.Row // 南山区's GDP growth in 2023: target and achievement
	all := allTargets(t, ix)
	for i, r := range all {
		if r.District == "南山区" && r.Year == 2023 && r.Indicator == targets.Canonical("GDP") && r.Kind == targets.Growth {
			n23, n24 = &all[i], &all[i]
		}
	}
	if n23 == nil || n23.Target == nil || n24.Achieved == nil {
		t.Fatalf("the fixture lacks 南山区's 2023 GDP target and result: %+v", all)
	}
	tests := []struct {
		name   string
		query  string
		status int
		want   []string
		not    []string
	}{
		{"everything", "", 200, []string{
			"<h2>广东省 深圳市 南山区</h2>", "<h2>广东省 深圳市 福田区</h2>",
			`<th scope="col">2022</th><th scope="col">2023</th><th scope="col">2024</th>`,
			`目标 <a class="target" href="/doc/` + cmpID("南山区", 2023) + `#p5"`, ">7%左右</a>",
			`实际 <a class="achieved" href="/doc/` + cmpID("南山区", 2024) + `#p2"`, ">5.2%</a>",
			`href="/targets.csv"`, `href="/api/targets"`, `<a href="/targets">预期目标</a>`,
		}, nil},
		{"a synonym", "indicator=GDP&district=南山区", 200, []string{
			"主要预期目标 · 地区生产总值", "地区生产总值 = 生产总值", `value="地区生产总值"`,
			`href="/targets.csv?district=%E5%8D%97%E5%B1%B1%E5%8C%BA&amp;indicator=GDP"`,
		}, []string{"一般公共预算收入<small>", "福田区</h2>"}},
		{"one place shown", "size=1", 200, []string{"显示前 1 个"}, []string{"福田区</h2>"}},
		{"nothing", "district=罗湖区", 200, []string{"没有符合条件的预期目标"}, nil},
		{"bad size", "size=0", 400, []string{"size"}, nil},
		{"bad year", "year=2023..20x", 400, []string{"year"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), "/targets?"+tt.query)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %s", w)
				}
			}
		})
	}
}

// TestTargetsCacheFollowsTheIndex: the table is computed once per set of
// reports, and again when the index serves other reports.
func TestTargetsCacheFollowsTheIndex(t *testing.T) {
	s, _ := compareServer(t)
	ctx := context.Background()
	first, err := s.targetRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.targetRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) == 0 || &first[0] != &again[0] {
		t.Errorf("the second request recomputed the table")
	}
	infos, err := s.searcher.Reports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	changed := append([]index.ReportInfo(nil), infos...)
	changed[0].Added++
	if reportsKey(changed) == reportsKey(infos) {
		t.Errorf("a report added by another generation has the same key")
	}
	if reportsKey(infos[1:]) == reportsKey(infos) {
		t.Errorf("a report fewer has the same key")
	}
}

// gatedSearcher holds Report calls until release is closed, and fails the
// first one when failFirst is set.
type gatedSearcher struct {
	index.Searcher
	entered   chan struct{} // a Report call started
	release   chan struct{}
	mu        sync.Mutex
	calls     int
	failFirst bool
}

func (g *gatedSearcher) Report(ctx context.Context, id, q string) (*index.Report, error) {
	g.mu.Lock()
	g.calls++
	fail := g.failFirst && g.calls == 1
	g.mu.Unlock()
	select {
	case g.entered <- struct{}{}:
	default:
	}
	if fail {
		return nil, errors.New("disk on fire")
	}
	select {
	case <-g.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Searcher.Report(ctx, id, q)
}

// TestTargetsComputedInBackground: a request that gives up while the table
// is computed does not stop the computation, whose rows serve the next
// request; a failed computation is tried again.
func TestTargetsComputedInBackground(t *testing.T) {
	_, ix := compareServer(t)
	want := allTargets(t, ix)
	g := &gatedSearcher{Searcher: ix, entered: make(chan struct{}, 1), release: make(chan struct{})}
	s, err := New(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := s.targetRows(ctx)
		gaveUp <- err
	}()
	<-g.entered
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("the request that gave up got %v", err)
	}
	close(g.release)
	got, err := s.targetRows(context.Background())
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after the computation: %v, %+v; want %+v", err, got, want)
	}
	if g.calls != len(compareReports) {
		t.Errorf("%d reports read, want each of the %d once", g.calls, len(compareReports))
	}

	failing := &gatedSearcher{Searcher: ix, entered: make(chan struct{}, 1), release: make(chan struct{}), failFirst: true}
	close(failing.release)
	s, err = New(failing, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.targetRows(context.Background()); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("first computation: %v, want the read error", err)
	}
	if got, err := s.targetRows(context.Background()); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("second computation: %v, %d rows; want %d", err, len(got), len(want))
	}
}
