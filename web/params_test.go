package web

import (
	"cmp"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
)

func TestParseSearchParams(t *testing.T) {
	for _, tc := range []struct {
		query   string
		want    searchParams
		wantErr string // part of the error message; "" = no error
	}{
		{"", searchParams{Page: 1, Size: 20}, ""},
		{"q=+放管服+&page=2&size=50&sort=year&by=province", searchParams{Query: "放管服", Page: 2, Size: 50, Sort: "year", By: "province"}, ""},
		{"district=南山区&district=福田区&district=南山区&district=", searchParams{District: []string{"南山区", "福田区"}, Page: 1, Size: 20}, ""},
		{"province=广东省&city=深圳市&section=工作回顾", searchParams{Province: []string{"广东省"}, City: []string{"深圳市"}, Section: []string{"工作回顾"}, Page: 1, Size: 20}, ""},
		{"year=2019", searchParams{YearFrom: 2019, YearTo: 2019, Page: 1, Size: 20}, ""},
		{"year=2018..2021", searchParams{YearFrom: 2018, YearTo: 2021, Page: 1, Size: 20}, ""},
		{"year=2018..", searchParams{YearFrom: 2018, Page: 1, Size: 20}, ""},
		{"year=..2021", searchParams{YearTo: 2021, Page: 1, Size: 20}, ""},
		{"year=２０１９", searchParams{YearFrom: 2019, YearTo: 2019, Page: 1, Size: 20}, ""},
		{"year=", searchParams{Page: 1, Size: 20}, ""},
		{"page=", searchParams{Page: 1, Size: 20}, ""},
		{"size=100", searchParams{Page: 1, Size: 100}, ""},
		{"page=500&size=20", searchParams{Page: 500, Size: 20}, ""},
		// errors.
		{"page=501&size=20", searchParams{}, "page"},
		{"page=-1", searchParams{}, `参数 page 的值 "-1" 无效`},
		{"page=0", searchParams{}, "page"},
		{"page=x", searchParams{}, "page"},
		{"page=99999999999999999999", searchParams{}, "page"},
		{"size=101", searchParams{}, "最大为 100"},
		{"size=0", searchParams{}, "size"},
		{"facet=foo", searchParams{}, "参数 facet：未知参数"},
		{"Q=放管服", searchParams{}, "参数 Q"},
		{"year=abc", searchParams{}, "year"},
		{"year=1800", searchParams{}, "year"},
		{"year=2021..2018", searchParams{}, "year"},
		{"year=2019&year=2020", searchParams{}, "只能出现一次"},
		{"sort=score", searchParams{}, "relevance、year、year-asc"},
		{"by=city", searchParams{}, "by"},
		{"q=" + strings.Repeat("政", maxQueryRunes+1), searchParams{}, "q"},
		{"page=4611686018427387904&size=2", searchParams{}, "翻页最多到第 10000 条结果"}, // page*size overflows
		{"page=4611686018427387905&size=2", searchParams{}, "翻页最多到第 10000 条结果"},
		{"page=10001&size=1", searchParams{}, "翻页最多到第 10000 条结果"},
		{"page=9223372036854775808", searchParams{}, "翻页最多到第 10000 条结果"}, // beyond int64
		{"page=-9223372036854775809", searchParams{}, "应为正整数"},
		{"size=18446744073709551616", searchParams{}, "最大为 100"},
		{"q=放%FF", searchParams{}, `参数 q 的值 "放\xff" 无效：第 2 个字符不是有效的 UTF-8 文本`},
		{"district=南山区&district=%FF", searchParams{}, "参数 district"},
		{"year=%FF", searchParams{}, "参数 year"},
		{"%FF=1", searchParams{}, `参数 "\xff"：参数名不是有效的 UTF-8 文本`},
	} {
		v, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseSearchParams(v, pageParams, DefaultMaxPageSize)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseSearchParams(%q) error = %v, want one containing %q", tc.query, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseSearchParams(%q) = %+v, %v, want %+v", tc.query, got, err, tc.want)
		}
	}
}

// FuzzParseSearchParams: any query string is a searchParams or a
// *paramError (a 400), never a panic; what is accepted is bounded (valid
// UTF-8, a page within maxPagedResults whose offset does not overflow) and
// reads back the same from the URL the page builds for it.
func FuzzParseSearchParams(f *testing.F) {
	for _, s := range []string{
		"", "q=放管服&page=2&size=50&sort=year&by=province", "district=南山区&district=福田区&year=2018..",
		"page=4611686018427387904&size=2", "q=放%FF", "%FF=1", "q=a&q=b", "page=500&size=20", "size=100&page=100",
		"year=２０１９年", "q=+%E3%80%80放管服+&section=工作回顾&section=", "page=-0&size=+5", "sort=year-asc&by=district",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // the values it could parse, as echo gives them
		p, err := parseSearchParams(v, pageParams, DefaultMaxPageSize)
		if err != nil {
			if _, ok := err.(*paramError); !ok {
				t.Fatalf("parseSearchParams(%q) error %v is %T, want *paramError", raw, err, err)
			}
			return
		}
		for _, s := range append([]string{p.Query, p.Sort, p.By}, slices.Concat(p.Province, p.City, p.District, p.Section)...) {
			if !utf8.ValidString(s) {
				t.Fatalf("parseSearchParams(%q) accepted %q, which is not UTF-8", raw, s)
			}
		}
		req := p.request()
		if p.Page < 1 || p.Size < 1 || p.Size > DefaultMaxPageSize || req.Offset < 0 ||
			(p.Page > 1 && req.Offset+req.Limit > maxPagedResults) {
			t.Fatalf("parseSearchParams(%q) = page %d, size %d, offset %d: out of bounds", raw, p.Page, p.Size, req.Offset)
		}
		u, err := url.Parse(p.pageURL())
		if err != nil {
			t.Fatalf("parseSearchParams(%q): page URL %q: %v", raw, p.pageURL(), err)
		}
		back, err := parseSearchParams(u.Query(), pageParams, DefaultMaxPageSize)
		p.By, back.By = cmp.Or(p.By, defaultTrendBy), cmp.Or(back.By, defaultTrendBy)
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Fatalf("parseSearchParams(%q) = %+v, whose URL %s reads back as %+v, %v", raw, p, u, back, err)
		}
	})
}

func TestDistinctValuesAreDistinct(t *testing.T) {
	v := url.Values{}
	for i := 0; i <= maxFilterValues; i++ {
		v.Add(paramDistrict, strings.Repeat("区", i+1))
	}
	if _, err := parseSearchParams(v, pageParams, DefaultMaxPageSize); err == nil {
		t.Errorf("%d distinct districts accepted, want at most %d", maxFilterValues+1, maxFilterValues)
	}
}

func TestParamsPerRoute(t *testing.T) {
	for _, tc := range []struct {
		allowed []string
		param   string
		ok      bool
	}{
		{pageParams, "by", true},
		{apiParams, "by", false},
		{apiParams, "page", true},
		{exportParams, "page", false},
		{exportParams, "size", false},
		{exportParams, "sort", true},
		{docParams, "q", true},
		{docParams, "district", false},
	} {
		_, err := parseSearchParams(url.Values{tc.param: {"1"}}, tc.allowed, DefaultMaxPageSize)
		var pe *paramError
		if unknown := err != nil && asParamError(err, &pe) && strings.Contains(pe.Want, "未知参数"); unknown == tc.ok {
			t.Errorf("parameter %s on %v: error %v", tc.param, tc.allowed, err)
		}
	}
}

func asParamError(err error, pe **paramError) bool {
	p, ok := err.(*paramError)
	*pe = p
	return ok
}

// TestURLRoundTrip: every URL the page builds parses back to the same state.
func TestURLRoundTrip(t *testing.T) {
	p := searchParams{Query: "放管服 -南山", Province: []string{"广东省"}, District: []string{"南山区", "福田区"},
		Section: []string{"工作回顾"}, YearFrom: 2018, YearTo: 2021, Page: 3, Size: 50, Sort: "year", By: "province"}
	for _, q := range []searchParams{p, p.toggle(paramDistrict, "南山区"), p.toggle(paramYear, "2016"), p.with(paramYear, nil), newSearch("营商环境")} {
		u, err := url.Parse(q.pageURL())
		if err != nil {
			t.Fatal(err)
		}
		got, err := parseSearchParams(u.Query(), pageParams, DefaultMaxPageSize)
		if err != nil || !reflect.DeepEqual(got, q) {
			t.Errorf("%s parses to %+v, %v, want %+v", u, got, err, q)
		}
	}
	if got := newSearch("").pageURL(); got != "/" {
		t.Errorf("empty search URL = %q, want /", got)
	}
}

func TestToggle(t *testing.T) {
	base := searchParams{Query: "放管服", Page: 4, Size: 20}
	for _, tc := range []struct {
		name     string
		from     searchParams
		field    string
		value    string
		wantURL  string
		wantFrom int
		wantTo   int
	}{
		{"add district", base, paramDistrict, "南山区", "/?district=%E5%8D%97%E5%B1%B1%E5%8C%BA&q=%E6%94%BE%E7%AE%A1%E6%9C%8D", 0, 0},
		{"add second district", base.with(paramDistrict, []string{"南山区"}), paramDistrict, "福田区",
			"/?district=%E5%8D%97%E5%B1%B1%E5%8C%BA&district=%E7%A6%8F%E7%94%B0%E5%8C%BA&q=%E6%94%BE%E7%AE%A1%E6%9C%8D", 0, 0},
		{"remove district", base.with(paramDistrict, []string{"南山区"}), paramDistrict, "南山区", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D", 0, 0},
		{"first year", base, paramYear, "2019", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2019", 2019, 2019},
		{"second year widens", base.with(paramYear, []string{"2019"}), paramYear, "2016", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2016..2019", 2016, 2019},
		{"later year widens", base.with(paramYear, []string{"2016..2019"}), paramYear, "2021", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2016..2021", 2016, 2021},
		{"same year clears", base.with(paramYear, []string{"2019"}), paramYear, "2019", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D", 0, 0},
		{"open range widens", base.with(paramYear, []string{"2018.."}), paramYear, "2016", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2016..", 2016, 0},
		{"year inside range narrows", base.with(paramYear, []string{"2016..2021"}), paramYear, "2019", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2019", 2019, 2019},
		{"year inside open range narrows", base.with(paramYear, []string{"..2021"}), paramYear, "2019", "/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&year=2019", 2019, 2019},
	} {
		got := tc.from.toggle(tc.field, tc.value)
		if u := got.pageURL(); u != tc.wantURL || got.YearFrom != tc.wantFrom || got.YearTo != tc.wantTo {
			t.Errorf("%s: toggle(%s, %s) = %s (%d..%d), want %s (%d..%d)", tc.name, tc.field, tc.value, u, got.YearFrom, got.YearTo, tc.wantURL, tc.wantFrom, tc.wantTo)
		}
		if len(tc.from.District) > 0 && len(got.District) > 0 && &got.District[0] == &tc.from.District[0] {
			t.Errorf("%s: toggle shares its slice with the original", tc.name)
		}
	}
}

func TestRequest(t *testing.T) {
	p := searchParams{Query: "放管服", District: []string{"南山区"}, YearFrom: 2019, Page: 3, Size: 10, Sort: "year"}
	want := index.Request{Query: "放管服", District: []string{"南山区"}, YearFrom: 2019, Offset: 20, Limit: 10, Sort: "year"}
	if got := p.request(); !reflect.DeepEqual(got, want) {
		t.Errorf("request() = %+v, want %+v", got, want)
	}
}

func TestPagination(t *testing.T) {
	labels := func(ls []linkView) string {
		var out []string
		for _, l := range ls {
			s := l.Label
			if l.Active {
				s = "[" + s + "]"
			}
			out = append(out, s)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		page, total    int
		want           string
		hasPrev, hasNx bool
	}{
		{1, 20, "", false, false},
		{1, 21, "[1] 2", false, true},
		{2, 45, "1 [2] 3", true, true},
		{1, 1000, "[1] 2 3 4 … 50", false, true},
		{10, 1000, "1 … 7 8 9 [10] 11 12 13 … 50", true, true},
		{50, 1000, "1 … 47 48 49 [50]", true, false},
		{5, 1_000_000, "1 2 3 4 [5] 6 7 8 … 500", true, true}, // paging stops at maxPagedResults
	} {
		p := searchParams{Query: "x", Page: tc.page, Size: 20}
		pages, prev, next := pagination(p, tc.total)
		if got := labels(pages); got != tc.want || (prev != "") != tc.hasPrev || (next != "") != tc.hasNx {
			t.Errorf("pagination(page %d, total %d) = %q prev %q next %q, want %q", tc.page, tc.total, got, prev, next, tc.want)
		}
	}
}

func TestTrimHighlight(t *testing.T) {
	long := strings.Repeat("甲", 100)
	for _, tc := range []struct {
		in         string
		max, lead  int
		want       string
		wantCut    bool
		wantVisble int
	}{
		{"短<mark>段</mark>落", 10, 3, "短<mark>段</mark>落", false, 3},
		{long + "<mark>放管服</mark>" + long, 10, 3, "…甲甲甲<mark>放管服</mark>甲甲甲甲…", true, 10},
		{"<mark>放管服</mark>" + long, 5, 3, "<mark>放管服</mark>甲甲…", true, 5},
		{long + "<mark>放管服</mark>", 6, 3, "…甲甲甲<mark>放管服</mark>", true, 6},
		// The window may start inside a match and end inside another.
		{"甲甲<mark>乙乙乙乙</mark>甲<mark>丙丙丙</mark>" + long, 6, 0, "…<mark>乙乙乙乙</mark>甲<mark>丙</mark>…", true, 6},
		// Character references count as one character and are never split.
		{strings.Repeat("&lt;", 20) + "<mark>x</mark>", 4, 2, "…&lt;&lt;&lt;<mark>x</mark>", true, 4},
		{"&amp;&amp;&amp;&amp;&amp;", 2, 0, "&amp;&amp;…", true, 2},
		// No match: the start of the paragraph.
		{long, 4, 2, "甲甲甲甲…", true, 4},
	} {
		got, cut := trimHighlight(tc.in, tc.max, tc.lead)
		if got != tc.want || cut != tc.wantCut {
			t.Errorf("trimHighlight(%.40q, %d, %d) = %q, %v, want %q, %v", tc.in, tc.max, tc.lead, got, cut, tc.want, tc.wantCut)
		}
		visible := -strings.Count(got, "…")
		for _, u := range splitHighlight(got) {
			if u.visible {
				visible++
			}
		}
		if visible != tc.wantVisble {
			t.Errorf("trimHighlight(%.40q) = %q: %d characters, want %d", tc.in, got, visible, tc.wantVisble)
		}
		if strings.Count(got, markOpen) != strings.Count(got, markClose) {
			t.Errorf("trimHighlight(%.40q) = %q: unbalanced marks", tc.in, got)
		}
	}
}

func TestNewTrendView(t *testing.T) {
	points := []index.TrendPoint{
		{Year: 2016, Value: "南山区", Count: 3},
		{Year: 2019, Value: "南山区", Count: 1},
		{Year: 2019, Value: "福田区", Count: 5},
		{Year: 0, Value: "福田区", Count: 2},
	}
	tv := newTrendView(points, "district")
	if want := []string{"2016", "2017", "2018", "2019", unknownYearLabel}; !reflect.DeepEqual(tv.YearLabels, want) {
		t.Errorf("years = %v, want %v (gaps filled, unknown last)", tv.YearLabels, want)
	}
	wantRows := []trendRow{
		{Label: "福田区", Counts: []int{0, 0, 0, 5, 2}, Total: 7},
		{Label: "南山区", Counts: []int{3, 0, 0, 1, 0}, Total: 4},
	}
	if !reflect.DeepEqual(tv.Rows, wantRows) {
		t.Errorf("rows = %+v, want %+v", tv.Rows, wantRows)
	}
	if !reflect.DeepEqual(tv.YearTotals, []int{3, 0, 0, 6, 2}) || tv.Total != 11 {
		t.Errorf("totals = %v / %d", tv.YearTotals, tv.Total)
	}

	// More values than the chart shows: the smallest are summed as 其他,
	// the table keeps them all.
	points = nil
	for i := range chartSeriesMax + 3 {
		points = append(points, index.TrendPoint{Year: 2020, Value: string(rune('A' + i)), Count: 100 - i})
	}
	tv = newTrendView(points, "province")
	if len(tv.Rows) != chartSeriesMax+3 || len(tv.Chart.Series) != chartSeriesMax+1 {
		t.Fatalf("%d rows, %d series; want %d, %d", len(tv.Rows), len(tv.Chart.Series), chartSeriesMax+3, chartSeriesMax+1)
	}
	other := tv.Chart.Series[chartSeriesMax]
	if other.Name != otherLabel || other.Data[0] != (100-chartSeriesMax)+(100-chartSeriesMax-1)+(100-chartSeriesMax-2) {
		t.Errorf("其他 series = %+v", other)
	}
	if tv := newTrendView(nil, "district"); len(tv.Rows) != 0 || len(tv.Chart.Series) != 0 {
		t.Errorf("no points gave %+v", tv)
	}
}

func TestAttachment(t *testing.T) {
	for q, want := range map[string]string{
		"放管服":            "attachment; filename*=utf-8''zhengce-%E6%94%BE%E7%AE%A1%E6%9C%8D.csv",
		"":               "attachment; filename=zhengce-all.csv",
		"a/b\\c\"d":      "attachment; filename=zhengce-a_b_c_d.csv",
		"../../etc":      "attachment; filename=zhengce-etc.csv",
		"district:南山区 x": "attachment; filename*=utf-8''zhengce-district_%E5%8D%97%E5%B1%B1%E5%8C%BA_x.csv",
	} {
		if got := attachment(q, "csv"); got != want {
			t.Errorf("attachment(%q) = %q, want %q", q, got, want)
		}
	}
}
