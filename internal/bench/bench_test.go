package bench

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/index"
)

func testSources() []sourceReport {
	var out []sourceReport
	for i := 0; i < 5; i++ {
		r := sourceReport{Path: fmt.Sprintf("r%d.txt", i)}
		for j := 0; j < 7+i; j++ {
			r.Paragraphs = append(r.Paragraphs, sourceParagraph{Text: fmt.Sprintf("第%d篇第%d段：深入推进放管服改革持续优化营商环境。", i, j)})
		}
		out = append(out, r)
	}
	return out
}

const testDivisions = "# test\n11\t北京市\n1101\t市辖区\n110101\t东城区\n110102\t西城区\n44\t广东省\n4403\t深圳市\n440301\t市辖区\n440305\t南山区\n440303\t罗湖区\n4407\t江门市\n440781\t台山市\n"

func collect(t *testing.T, c *Corpus) []index.Report {
	t.Helper()
	var out []index.Report
	err := c.Reports(func(r *index.Report) error {
		cp := *r
		cp.Paragraphs = append([]index.Paragraph(nil), r.Paragraphs...)
		out = append(out, cp)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCorpusIsDeterminedBySeed(t *testing.T) {
	divs := parseDivisions(testDivisions)
	for _, n := range []int{1, 9, 100} {
		a, err := newCorpus(7, n, 4, testSources(), divs)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := newCorpus(7, n, 4, testSources(), divs)
		ra, rb := collect(t, a), collect(t, b)
		if fmt.Sprint(ra) != fmt.Sprint(rb) {
			t.Errorf("n=%d: two corpora from seed 7 differ", n)
		}
		paras := 0
		ids := map[string]bool{}
		for _, r := range ra {
			paras += len(r.Paragraphs)
			if ids[r.ID] {
				t.Errorf("n=%d: duplicate report id %s", n, r.ID)
			}
			ids[r.ID] = true
			if r.Year < a.YearFrom || r.Year > a.YearTo || r.District == "" || r.Province == "" || r.City == "" {
				t.Errorf("n=%d: report %+v lacks metadata", n, r)
			}
		}
		if paras != n {
			t.Errorf("n=%d: corpus has %d paragraphs", n, paras)
		}
		c, _ := newCorpus(8, n, 4, testSources(), divs)
		if n == 100 && fmt.Sprint(collect(t, c)) == fmt.Sprint(ra) {
			t.Errorf("n=%d: seeds 7 and 8 give the same corpus", n)
		}
	}
}

func TestPickPlaces(t *testing.T) {
	divs := parseDivisions(testDivisions)
	got, err := newCorpus(1, 10, 3, testSources(), divs)
	if err != nil {
		t.Fatal(err)
	}
	if got.Districts() != 3 || got.Provinces() != 2 {
		t.Errorf("3 districts over %d districts and %d provinces, want 3 and 2", got.Districts(), got.Provinces())
	}
	for _, p := range got.places {
		if p.District == "市辖区" {
			t.Errorf("placeholder division %+v picked", p)
		}
		if p.Province == "北京市" && p.City != "北京市" {
			t.Errorf("municipality district %+v: city should be the municipality", p)
		}
		if p.District == "南山区" && p.City != "深圳市" {
			t.Errorf("%+v: city should be 深圳市", p)
		}
	}
	if _, err := newCorpus(1, 10, 3, testSources(), parseDivisions("11\t北京市\n")); err == nil {
		t.Error("gazetteer without counties: no error")
	}
	if _, err := newCorpus(1, 0, 3, testSources(), divs); err == nil {
		t.Error("n=0: no error")
	}
}

func TestQueryForms(t *testing.T) {
	for _, tc := range []struct {
		q             Query
		str, url, fts string
		phraseOnly    bool
		minRunes      int
	}{
		{Query{Terms: []string{"放管服"}}, "放管服", "q=%E6%94%BE%E7%AE%A1%E6%9C%8D&size=20", `"放管服"`, true, 3},
		{Query{Terms: []string{"改革", "人才"}, Not: []string{"疫情"}}, "改革 人才 -疫情", "q=%E6%94%B9%E9%9D%A9+%E4%BA%BA%E6%89%8D+-%E7%96%AB%E6%83%85&size=20", `"改革" AND "人才" NOT "疫情"`, false, 2},
		{Query{Terms: []string{"发展"}, Province: "广东省", YearFrom: 2019, YearTo: 2021}, "发展 province:广东省 year:2019..2021", "province=%E5%B9%BF%E4%B8%9C%E7%9C%81&q=%E5%8F%91%E5%B1%95&size=20&year=2019..2021", `"发展"`, false, 2},
		{Query{Terms: []string{`a"b`}, YearFrom: 2020, YearTo: 2020, Section: "其他"}, `a"b section:其他 year:2020`, "q=a%22b&section=%E5%85%B6%E4%BB%96&size=20&year=2020", `"a""b"`, false, 3},
	} {
		if got := tc.q.String(); got != tc.str {
			t.Errorf("String(%+v) = %q, want %q", tc.q, got, tc.str)
		}
		if got := tc.q.urlQuery(); got != tc.url {
			t.Errorf("urlQuery(%+v) = %q, want %q", tc.q, got, tc.url)
		}
		if got := tc.q.ftsMatch(); got != tc.fts {
			t.Errorf("ftsMatch(%+v) = %q, want %q", tc.q, got, tc.fts)
		}
		if got := tc.q.PhraseOnly(); got != tc.phraseOnly {
			t.Errorf("PhraseOnly(%+v) = %v, want %v", tc.q, got, tc.phraseOnly)
		}
		if got := tc.q.minTermRunes(); got != tc.minRunes {
			t.Errorf("minTermRunes(%+v) = %d, want %d", tc.q, got, tc.minRunes)
		}
	}
}

func TestMixHasEveryClass(t *testing.T) {
	c, err := newCorpus(3, 50, 4, testSources(), parseDivisions(testDivisions))
	if err != nil {
		t.Fatal(err)
	}
	mix, err := c.Mix()
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]int{}
	lengths := map[int]bool{}
	for _, q := range mix {
		classes[q.Class]++
		if q.Class == ClassSampled {
			lengths[len([]rune(q.Terms[0]))] = true
		}
	}
	for _, cl := range []string{ClassCommon, ClassRare, ClassTraditional, ClassSampled, ClassAnd, ClassNot, ClassFiltered} {
		if classes[cl] == 0 {
			t.Errorf("mix has no %s query", cl)
		}
	}
	for n := 1; n <= 8; n++ {
		if !lengths[n] {
			t.Errorf("mix has no sampled phrase of %d characters", n)
		}
	}
	again, _ := c.Mix()
	if fmt.Sprint(again) != fmt.Sprint(mix) {
		t.Error("the mix differs between two calls with the same seed")
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	got := summarize(ds)
	want := Latency{N: 100, P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond, Mean: 50500 * time.Microsecond}
	if got != want {
		t.Errorf("summarize(1..100 ms) = %+v, want %+v", got, want)
	}
	if got := summarize(nil); got != (Latency{}) {
		t.Errorf("summarize(nil) = %+v, want zero", got)
	}
	if got := summarize([]time.Duration{7}); got.P50 != 7 || got.P99 != 7 {
		t.Errorf("summarize([7]) = %+v", got)
	}
}

func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		row  targetRow
		want string
	}{
		{atMost("x", "≤ 5 ms", 4, 5, "ms", true), "met"},
		{atMost("x", "≤ 5 ms", 12, 5, "ms", true), "**missed** by 7.00 ms (2.4× the limit)"},
		{atLeast("x", "≥ 3 MB/s", 1.5, 3, "MB/s", true), "**missed** by 1.50 MB/s (needs 2.0×)"},
		{atLeast("x", "≥ 3 MB/s", 3.5, 3, "MB/s", true), "met"},
		{atLeast("x", "≥ 3 MB/s", 0, 3, "MB/s", false), "—"},
		{atMost("x", "0", 7, 0, "errors", true), "**missed**: 7.00 errors"},
		{atMost("x", "0", 0, 0, "errors", true), "met"},
	} {
		if tc.row.verdict != tc.want {
			t.Errorf("verdict = %q, want %q", tc.row.verdict, tc.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		peer, ours time.Duration
		want       string
	}{
		{10, 1, "10.0×"}, {1, 4, "0.25×"}, {1, 41, "0.024×"}, {0, 1, "—"}, {1, 0, "—"},
	} {
		if got := ratio(tc.peer, tc.ours); got != tc.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tc.peer, tc.ours, got, tc.want)
		}
	}
}

func TestReportHasEverySection(t *testing.T) {
	res := &Results{Config: Config{N: 10, Seed: 1}, Queries: []QueryResult{{Query: Query{Class: ClassRare, Terms: []string{"放管服"}}, RGCount: -1}}}
	res.HTTP.Skipped = "skipped by flag"
	var b strings.Builder
	if err := res.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range ReportSections {
		if !strings.Contains(b.String(), "\n## "+s+"\n") {
			t.Errorf("report lacks section %q", s)
		}
	}
}
