package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reuse"
)

// Reports that copy each other: 南山区 2020 took its investment paragraph
// from 福田区 2019 (with its own name in it) and kept it in 2021; every
// report opens with the same salutation, which is boilerplate.
const (
	reuseCopied = "坚持把招商引资作为经济工作的生命线，建立重大项目专班推进机制，实行一个项目、一名领导、一个专班、一抓到底，全年新签约亿元以上项目四十二个，福田区固定资产投资增长百分之十二。"
	reuseEdited = "坚持把招商引资作为经济工作的生命线，建立重大项目专班推进机制，实行一个项目、一名领导、一个专班、一抓到底，全年新签约亿元以上项目三十五个，南山区固定资产投资增长百分之九。"
)

func salute(district string) string {
	return "各位代表：现在，我代表" + district + "人民政府向大会报告工作，请予审议，并请各位政协委员和其他列席人员提出意见。"
}

func reuseReport(district string, year int, texts ...string) index.Report {
	r := index.Report{Path: fmt.Sprintf("reuse/%s%d.txt", district, year), Title: fmt.Sprintf("%d年%s政府工作报告", year, district),
		Level: "district", Province: "广东省", City: "深圳市", District: district, Year: year}
	r.ID = index.ReportID(r.Path, 0)
	r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: 1, Section: "其他", Text: salute(district)})
	for i, t := range texts {
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 2, Section: "工作回顾", Text: t})
	}
	return r
}

var reuseReports = []index.Report{
	reuseReport("福田区", 2019, reuseCopied, "福田区推进河套深港科技创新合作区建设，引进国际一流科研机构十二家，新增国家高新技术企业八百家，研发投入强度达到百分之六。"),
	reuseReport("南山区", 2020, "南山区持续推进蛇口国际海洋城建设，海洋经济增加值突破千亿元，前海蛇口自贸片区新增注册企业两万家。", reuseEdited),
	reuseReport("南山区", 2021, reuseEdited, "南山区建成学位四万个，新改扩建公办中小学十五所，义务教育优质均衡发展走在全省前列。"),
	reuseReport("罗湖区", 2020, "罗湖区实施城市更新三年行动，改造老旧小区六十个，建成口袋公园三十座，东门商圈客流量恢复到疫情前水平。"),
	reuseReport("宝安区", 2018, "宝安区围绕国际会展中心片区建设，完善交通配套，轨道交通十二号线全线开工，机场东综合交通枢纽加快规划。"),
	reuseReport("龙岗区", 2022, "龙岗区加快大运深港国际科教城建设，香港中文大学深圳校区二期竣工，新型研发机构达到二十家。"),
}

// staticReuse is a ReuseSource with one table.
type staticReuse struct{ t *reuse.Table }

func (s staticReuse) Table(context.Context) (*reuse.Table, error) { return s.t, nil }

// reuseServer returns a Server over an index of reuseReports with its
// reuse table.
func reuseServer(t testing.TB) (*Server, *index.Index, *reuse.Table) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, reuseReports); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	tab, _, err := reuse.Compute(context.Background(), ix, reuse.Params{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(ix, Options{Version: "test", Reuse: staticReuse{tab}})
	if err != nil {
		t.Fatal(err)
	}
	return s, ix, tab
}

func reuseID(district string, year int) string {
	for _, r := range reuseReports {
		if r.District == district && r.Year == year {
			return r.ID
		}
	}
	return ""
}

func TestReuseMarks(t *testing.T) {
	s, ix, _ := reuseServer(t)
	futian, nanshan20, nanshan21 := reuseID("福田区", 2019), reuseID("南山区", 2020), reuseID("南山区", 2021)
	tests := []struct {
		name string
		id   string
		want []string // in the page
		not  []string
	}{
		{"a copy is marked with its earliest source", nanshan20, []string{
			`class="para reuse-copied"`, `class="reuse-source" href="/doc/` + futian + `#p2"`, "最早见于",
			`id="reuse-share"`, "复用总览", `href="/reuse?place=%E5%8D%97%E5%B1%B1%E5%8C%BA"`,
		}, nil},
		{"kept the next year by the same place: still the copy of 福田区, the own text apart", nanshan21, []string{
			`class="reuse-source" href="/doc/` + futian + `#p2"`, `class="same-place"><a href="/doc/` + nanshan20 + `#p3"`,
		}, nil},
		{"the original is first, not copied", futian, []string{`class="para reuse-first"`, "其他地方没有更早的报告有此段"},
			[]string{`class="para reuse-copied"`}},
		{"the salutation is boilerplate", reuseID("罗湖区", 2020), []string{`data-kind="boilerplate"`, "套话："},
			[]string{"reuse-copied", "reuse-first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, s.Handler(), "/doc/"+tt.id)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
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
	// Without a table the page is the plain report.
	plain, err := New(ix, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if body := get(t, plain.Handler(), "/doc/"+nanshan20).Body.String(); strings.Contains(body, "reuse-") {
		t.Errorf("report view without a reuse table has reuse marks")
	}
	if rec := get(t, plain.Handler(), "/reuse"); rec.Code != http.StatusNotFound {
		t.Errorf("/reuse without a table: status %d, want 404", rec.Code)
	}
}

func TestReusePage(t *testing.T) {
	s, _, _ := reuseServer(t)
	tests := []struct {
		target string
		status int
		want   []string
		not    []string
	}{
		{"/reuse", 200, []string{"复用最多的段落", "坚持把招商引资作为经济工作的生命线", "南山区 2020年", `class="pair"`, "出现在 3 个以上地方"}, []string{"各位代表"}},
		{"/reuse?place=罗湖区", 200, []string{"没有符合条件的复用段落", "没有符合条件的报告对"}, nil},
		{"/reuse?place=南山区&year=2021", 200, []string{"坚持把招商引资"}, nil},
		{"/reuse?year=2010..2015", 200, []string{"没有符合条件的复用段落"}, nil},
		{"/reuse?year=abc", 400, []string{"year"}, nil},
		{"/reuse?size=0", 400, []string{"size"}, nil},
		{"/reuse?plcae=南山区", 400, []string{"plcae"}, nil},
		{"/reuse?place=" + url.QueryEscape("\xff"), 400, []string{"UTF-8"}, nil},
		{"/api/reuse?size=abc", 400, []string{"size"}, nil},
		{"/api/reuse/nosuchreport", 404, []string{"nosuchreport"}, nil},
		{"/api/reuse/" + reuseID("南山区", 2020) + "?x=1", 400, []string{"x"}, nil},
	}
	for _, tt := range tests {
		rec := get(t, s.Handler(), tt.target)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.target, rec.Code, tt.status, rec.Body)
			continue
		}
		body := rec.Body.String()
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: response lacks %q", tt.target, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(body, w) {
				t.Errorf("%s: response has %q", tt.target, w)
			}
		}
	}
}

func TestReuseAPI(t *testing.T) {
	s, _, tab := reuseServer(t)
	var top reuse.Top
	rec := get(t, s.Handler(), "/api/reuse?place=南山区")
	if err := json.Unmarshal(rec.Body.Bytes(), &top); err != nil {
		t.Fatalf("/api/reuse: %v: %s", err, rec.Body)
	}
	if len(top.Pairs) != 2 || len(top.Passages) != 1 || top.Passages[0].Original.District != "福田区" {
		t.Errorf("/api/reuse?place=南山区 = %+v; want 2 pairs (南山区 2020 and 2021 ← 福田区) and the passage of 福田区", top)
	}
	if top.Generation != tab.Generation || top.Threshold != reuse.Threshold {
		t.Errorf("generation %d, threshold %v; want %d, %v", top.Generation, top.Threshold, tab.Generation, reuse.Threshold)
	}
	var rv reuse.ReportView
	rec = get(t, s.Handler(), "/api/reuse/"+reuseID("南山区", 2020))
	if err := json.Unmarshal(rec.Body.Bytes(), &rv); err != nil {
		t.Fatalf("/api/reuse/{id}: %v: %s", err, rec.Body)
	}
	var copied *reuse.ParagraphView
	for i := range rv.Paragraphs {
		if rv.Paragraphs[i].Paragraph == 3 {
			copied = &rv.Paragraphs[i]
		}
	}
	if copied == nil || copied.Source == nil || copied.Source.Report != reuseID("福田区", 2019) || copied.Source.Paragraph != 2 {
		t.Fatalf("paragraph 3 of 南山区 2020 = %+v, want copied from 福田区 2019 ¶2", copied)
	}
	if rv.Share <= 0 || rv.Share >= 1 || copied.Source.Containment <= reuse.Threshold {
		t.Errorf("share %v, containment %v", rv.Share, copied.Source.Containment)
	}
}
