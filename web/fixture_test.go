package web

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// fixtureReports are the hand-written reports of the test index. They hold
// 放管服 written plainly, in quotation marks and in traditional characters,
// reports at district, city-less and national level, and a paragraph of
// markup that must come out as text.
var fixtureReports = []index.Report{
	{
		Path: "shenzhen/2019年南山区政府工作报告.txt", Title: "2019年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2019, Speaker: "王强", Office: "区长", Meeting: "南山区第七届人民代表大会第五次会议",
		Paragraphs: paras("工作回顾", "一、2018年工作回顾",
			"一、2018年工作回顾",
			"深化“放管服”改革，营商环境持续优化，企业开办时间压缩至1天。",
			"推进放管服改革，“一网通办”事项达到95%。",
		).then("工作安排", "二、2019年工作安排",
			"二、2019年工作安排",
			"继续深化放管服改革，打造国际一流营商环境。",
			"<script>alert(1)</script> 这一段来自网页抓取，标记必须原样显示为文字。",
			"建设数字政府，推动科技创新。",
		),
	},
	{
		Path: "shenzhen/2020年南山区政府工作报告.txt", Title: "2020年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2020,
		Paragraphs: paras("工作回顾", "一、2019年工作回顾",
			"放管服改革再上新台阶，审批时限平均压缩60%。",
			"科技创新能力显著增强。",
		).then("工作安排", "二、2020年工作安排",
			"深入推进“放管服”改革，持续优化营商环境。",
		),
	},
	{
		Path: "shenzhen/2020年福田区政府工作报告.txt", Title: "2020年福田区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "福田区", Year: 2020,
		Paragraphs: paras("工作回顾", "一、2019年工作回顾",
			"全面推进“放管服”改革，“秒批”事项达到200项。",
			"数字政府建设走在全市前列。",
		),
	},
	{
		Path: "shenzhen/2021年福田区政府工作报告.txt", Title: "2021年福田区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "福田区", Year: 2021,
		Paragraphs: paras("工作安排", "二、2021年工作安排",
			"深化放管服改革，放管服改革向纵深推进。",
			"优化营商环境，建设服务型政府。",
		),
	},
	{
		Path: "hailar/2021.txt", Title: "2021年海拉尔区政府工作报告", Level: "district",
		Province: "内蒙古自治区", City: "呼伦贝尔市", District: "海拉尔区", Year: 2021,
		Paragraphs: paras("工作安排", "",
			"深化放管服改革，优化营商环境。",
			"推进乡村振兴。",
		),
	},
	{
		Path: "samples/004.txt", Title: "2019年西市區政府工作報告", Level: "district",
		Province: "辽宁省", City: "营口市", District: "西市区", Year: 2019,
		Paragraphs: paras("工作回顾", "一、2018年工作回顧",
			"深化「放管服」改革，持續優化營商環境。",
			"統籌推進疫情防控和經濟社會發展。",
		),
	},
	{
		Path: "shenzhen/国务院政府工作报告_2018年.txt", Title: "2018年国务院政府工作报告", Level: "national", Year: 2018,
		Paragraphs: paras("工作安排", "",
			"深入推进简政放权、放管结合、优化服务改革，即放管服改革。",
			"坚持稳中求进工作总基调。",
		),
	},
}

// paragraphs builds the paragraphs of a fixture report section by section.
type paragraphs []index.Paragraph

func paras(section, heading string, texts ...string) paragraphs {
	return paragraphs(nil).then(section, heading, texts...)
}

func (ps paragraphs) then(section, heading string, texts ...string) paragraphs {
	for _, t := range texts {
		offset := 0
		if n := len(ps); n > 0 {
			offset = ps[n-1].Offset + len([]rune(ps[n-1].Text)) + 1
		}
		ps = append(ps, index.Paragraph{Ordinal: len(ps) + 1, Offset: offset, Section: section, Heading: heading, Text: t})
	}
	return ps
}

// fixtureHit is one paragraph of the fixture.
type fixtureHit struct {
	Report    *index.Report
	Paragraph index.Paragraph
}

// bruteForce returns the fixture paragraphs containing phrase, compared as
// the index compares: on the normalised text.
func bruteForce(phrase string, keep func(*index.Report) bool) []fixtureHit {
	want := norm.String(phrase)
	var out []fixtureHit
	for i := range fixtureReports {
		r := &fixtureReports[i]
		if keep != nil && !keep(r) {
			continue
		}
		for _, p := range r.Paragraphs {
			if strings.Contains(norm.String(p.Text), want) {
				out = append(out, fixtureHit{r, p})
			}
		}
	}
	return out
}

var (
	fixtureOnce sync.Once
	fixtureIdx  *index.Index
	fixtureErr  error
	fixtureDir  string
)

// TestMain removes the shared test index when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureIdx != nil {
		fixtureIdx.Close()
	}
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// testIndex returns the real index built from fixtureReports, built once
// per test binary because opening the segmenter takes a second.
func testIndex(t testing.TB) *index.Index {
	t.Helper()
	fixtureOnce.Do(func() {
		if fixtureDir, fixtureErr = os.MkdirTemp("", "zhengce-web-test-"); fixtureErr != nil {
			return
		}
		dir := fixtureDir + "/index"
		if fixtureErr = index.BuildReports(dir, fixtureReports); fixtureErr != nil {
			return
		}
		fixtureIdx, fixtureErr = index.Open(dir)
	})
	if fixtureErr != nil {
		t.Fatalf("building the test index: %v", fixtureErr)
	}
	return fixtureIdx
}

// testServer returns a Server over the test index.
func testServer(t testing.TB) (*Server, *index.Index) {
	t.Helper()
	ix := testIndex(t)
	s, err := New(ix, Options{Version: "test"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, ix
}

// get serves one GET request and returns the recorded response.
func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, strings.ReplaceAll(target, " ", "%20"), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// fixtureID is the index id of the fixture report at path.
func fixtureID(path string) string { return index.ReportID(path, 0) }

// externalIndexEnv names an index to run the browser test and the benchmarks
// on instead of the fixture, for example the bundled corpus built with
// `indexer -o DIR corpus/reports`.
const externalIndexEnv = "ZHENGCE_WEB_INDEX"

// browsedIndex returns the index named by $ZHENGCE_WEB_INDEX, or the
// fixture index when it is unset; fixture reports whether it is the fixture.
func browsedIndex(t testing.TB) (ix *index.Index, fixture bool) {
	t.Helper()
	dir := os.Getenv(externalIndexEnv)
	if dir == "" {
		return testIndex(t), true
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatalf("$%s: %v", externalIndexEnv, err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, false
}
