package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
)

var totalRE = regexp.MustCompile(`id="total" data-total="(\d+)"`)

// pageTotal reads the hit total shown on a search page.
func pageTotal(t *testing.T, body string) int {
	t.Helper()
	m := totalRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no total on the page:\n%s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// facetCount reads the count shown next to a facet value, or -1.
func facetCount(body, field, value string) int {
	re := regexp.MustCompile(`data-field="` + field + `" data-value="` + regexp.QuoteMeta(value) + `"[^>]*>.*?<span class="count">(\d+)</span>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// facetURL reads the link of a facet value.
func facetURL(t *testing.T, body, field, value string) string {
	t.Helper()
	re := regexp.MustCompile(`href="([^"]*)" data-field="` + field + `" data-value="` + regexp.QuoteMeta(value) + `"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no facet link for %s=%s", field, value)
	}
	return html.UnescapeString(m[1])
}

func countIn(hits []fixtureHit, keep func(fixtureHit) bool) int {
	n := 0
	for _, h := range hits {
		if keep(h) {
			n++
		}
	}
	return n
}

func TestSearchPage(t *testing.T) {
	s, _ := testServer(t)
	rec := get(t, s.Handler(), "/?q="+url.QueryEscape("放管服"))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /?q=放管服 = %d, want 200:\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	want := bruteForce("放管服", nil)
	if got := pageTotal(t, body); got != len(want) {
		t.Errorf("total = %d, want %d (paragraphs containing 放管服)", got, len(want))
	}
	if got := strings.Count(body, `<li class="hit"`); got != len(want) {
		t.Errorf("%d hits listed, want %d", got, len(want))
	}
	// Every hit is marked, including the traditional-script and quoted ones.
	for _, frag := range []string{"<mark>放管服</mark>改革", "“<mark>放管服</mark>”改革", "「<mark>放管服</mark>」改革"} {
		if !strings.Contains(body, frag) {
			t.Errorf("page lacks highlight %q", frag)
		}
	}
	for _, district := range []string{"南山区", "福田区", "海拉尔区", "西市区"} {
		wantN := countIn(want, func(h fixtureHit) bool { return h.Report.District == district })
		if got := facetCount(body, "district", district); got != wantN {
			t.Errorf("district facet %s = %d, want %d", district, got, wantN)
		}
	}
	if got, wantN := facetCount(body, "year", "2020"), countIn(want, func(h fixtureHit) bool { return h.Report.Year == 2020 }); got != wantN {
		t.Errorf("year facet 2020 = %d, want %d", got, wantN)
	}
	// Each hit links to its paragraph in its report, keeping the query.
	link := "/doc/" + fixtureID("shenzhen/2019年南山区政府工作报告.txt") + "?q=%E6%94%BE%E7%AE%A1%E6%9C%8D#p2"
	if !strings.Contains(body, `href="`+link+`"`) {
		t.Errorf("page lacks the link %s", link)
	}
	for _, s := range []string{"<span>南山区</span> · <span>2019年</span> · <span>工作回顾</span>", "一、2018年工作回顾", `id="trend-chart"`, `id="trend-data"`, `href="/export.csv?q=`, "毫秒"} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	h := rec.Header()
	if got := h.Get("Content-Security-Policy"); got != contentSecurityPolicy {
		t.Errorf("Content-Security-Policy = %q", got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	if strings.Contains(body, "<script>") || regexp.MustCompile(`<script(?: [^>]*)?>[^<]`).MatchString(strings.ReplaceAll(body, `<script type="application/json" id="trend-data">`, "")) {
		t.Errorf("page has an inline script; the CSP forbids them")
	}
}

func TestLandingPage(t *testing.T) {
	s, _ := testServer(t)
	rec := get(t, s.Handler(), "/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d", rec.Code)
	}
	body := rec.Body.String()
	for _, s := range []string{`id="q"`, "查询语法", `href="/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D"`} {
		if !strings.Contains(body, s) {
			t.Errorf("landing page lacks %q", s)
		}
	}
	if strings.Contains(body, `id="total"`) {
		t.Errorf("landing page shows a result count before any search")
	}
}

// TestFacetSelection follows the facet links a reader clicks: one district,
// then a second one, then removes the first through its chip.
func TestFacetSelection(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	all := bruteForce("放管服", nil)
	inDistricts := func(ds ...string) int {
		return countIn(all, func(h fixtureHit) bool {
			return strings.Contains(strings.Join(ds, ","), h.Report.District) && h.Report.District != ""
		})
	}

	body := get(t, h, "/?q=放管服").Body.String()
	nanshan := facetURL(t, body, "district", "南山区")
	body = get(t, h, nanshan).Body.String()
	if got, want := pageTotal(t, body), inDistricts("南山区"); got != want {
		t.Errorf("%s: total = %d, want %d", nanshan, got, want)
	}
	if strings.Count(body, `data-district="南山区"`) != strings.Count(body, `<li class="hit"`) {
		t.Errorf("%s lists hits outside 南山区", nanshan)
	}
	if !strings.Contains(body, `class="chip" href="/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D" data-field="district" data-value="南山区"`) {
		t.Errorf("%s: no removable chip for 南山区", nanshan)
	}
	// The other districts keep their counts, so a second can be added.
	if got, want := facetCount(body, "district", "福田区"), inDistricts("福田区"); got != want {
		t.Errorf("%s: facet 福田区 = %d, want %d (counts ignore the district's own filter)", nanshan, got, want)
	}
	both := facetURL(t, body, "district", "福田区")
	body = get(t, h, both).Body.String()
	if got, want := pageTotal(t, body), inDistricts("南山区", "福田区"); got != want {
		t.Errorf("%s: total = %d, want %d", both, got, want)
	}
	// Removing 南山区 through its chip leaves 福田区.
	re := regexp.MustCompile(`class="chip" href="([^"]*)" data-field="district" data-value="南山区"`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no chip for 南山区", both)
	}
	body = get(t, h, html.UnescapeString(m[1])).Body.String()
	if got, want := pageTotal(t, body), inDistricts("福田区"); got != want {
		t.Errorf("after removing 南山区: total = %d, want %d", got, want)
	}
}

func TestFilters(t *testing.T) {
	s, _ := testServer(t)
	all := bruteForce("放管服", nil)
	for _, tc := range []struct {
		params string
		keep   func(fixtureHit) bool
	}{
		{"year=2020", func(h fixtureHit) bool { return h.Report.Year == 2020 }},
		{"year=2020..2021", func(h fixtureHit) bool { return h.Report.Year >= 2020 && h.Report.Year <= 2021 }},
		{"year=..2019", func(h fixtureHit) bool { return h.Report.Year <= 2019 }},
		{"section=工作安排", func(h fixtureHit) bool { return h.Paragraph.Section == "工作安排" }},
		{"province=广东省&section=工作回顾", func(h fixtureHit) bool {
			return h.Report.Province == "广东省" && h.Paragraph.Section == "工作回顾"
		}},
		{"city=深圳市&city=营口市", func(h fixtureHit) bool { return h.Report.City == "深圳市" || h.Report.City == "营口市" }},
		{"district=火星区", func(fixtureHit) bool { return false }},
	} {
		target := "/?q=放管服&" + tc.params
		rec := get(t, s.Handler(), target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", target, rec.Code)
			continue
		}
		body := rec.Body.String()
		want := countIn(all, tc.keep)
		if got := pageTotal(t, body); got != want {
			t.Errorf("GET %s: total = %d, want %d", target, got, want)
		}
		if want == 0 && !strings.Contains(body, `id="empty"`) {
			t.Errorf("GET %s: no empty state", target)
		}
		if want == 0 && !strings.Contains(body, "去掉筛选条件后有") {
			t.Errorf("GET %s: empty state does not offer the unfiltered hits", target)
		}
	}
}

func TestNoHits(t *testing.T) {
	s, _ := testServer(t)
	rec := get(t, s.Handler(), "/?q=火星移民")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || pageTotal(t, body) != 0 {
		t.Fatalf("GET /?q=火星移民 = %d", rec.Code)
	}
	if !strings.Contains(body, "没有找到包含“火星移民”的段落") {
		t.Errorf("empty state does not name the query")
	}
}

func TestPagingAndSort(t *testing.T) {
	s, ix := testServer(t)
	all := bruteForce("放管服", nil)
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		target := "/api/search?q=放管服&size=4&sort=year&page=" + strconv.Itoa(page)
		rec := get(t, s.Handler(), target)
		var res index.Result
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
			t.Fatalf("GET %s = %d %v", target, rec.Code, err)
		}
		for i, h := range res.Hits {
			if seen[h.ID] {
				t.Errorf("page %d repeats hit %s", page, h.ID)
			}
			seen[h.ID] = true
			if i > 0 && h.Year > res.Hits[i-1].Year {
				t.Errorf("page %d: sort=year put %d after %d", page, h.Year, res.Hits[i-1].Year)
			}
		}
	}
	if len(seen) != len(all) {
		t.Errorf("three pages of 4 gave %d hits, want all %d", len(seen), len(all))
	}
	body := get(t, s.Handler(), "/?q=放管服&size=3&page=2").Body.String()
	for _, s := range []string{`class="prev" href="/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&amp;size=3"`, `class="active" aria-current="page">2<`, `class="next"`, `<ol class="hits" start="4">`} {
		if !strings.Contains(body, s) {
			t.Errorf("page 2 lacks %q", s)
		}
	}
	_ = ix
}

// TestEscaping checks that markup in the corpus and in the query is shown as
// text everywhere.
func TestEscaping(t *testing.T) {
	s, _ := testServer(t)
	const raw = "<script>alert(1)</script>"
	id := fixtureID("shenzhen/2019年南山区政府工作报告.txt")
	for _, target := range []string{
		"/?q=alert", "/?q=这一段来自网页抓取", "/doc/" + id, "/doc/" + id + "?q=alert",
		"/?q=" + url.QueryEscape(`"><script>alert(2)</script>`), "/?q=" + url.QueryEscape(`<img src=x onerror=alert(3)>`),
		"/doc/" + id + "?q=" + url.QueryEscape(`<b>x</b>`),
	} {
		rec := get(t, s.Handler(), target)
		body := rec.Body.String()
		if rec.Code >= 500 {
			t.Errorf("GET %s = %d", target, rec.Code)
		}
		for _, bad := range []string{raw, "<script>alert(2)", "<img src=x", "<b>x</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: response contains unescaped %q", target, bad)
			}
		}
		if strings.Contains(target, "alert") && !strings.Contains(target, "%") && !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("GET %s: the script paragraph is not shown as text", target)
		}
	}
	// JSON carries the text as data; the highlight is escaped HTML.
	var res index.Result
	if err := json.Unmarshal(get(t, s.Handler(), "/api/search?q=alert").Body.Bytes(), &res); err != nil || len(res.Hits) != 1 {
		t.Fatalf("GET /api/search?q=alert: %v, %d hits", err, len(res.Hits))
	}
	if !strings.Contains(res.Hits[0].Text, raw) || strings.Contains(res.Hits[0].Highlight, "<script") {
		t.Errorf("API hit text %q, highlight %q", res.Hits[0].Text, res.Hits[0].Highlight)
	}
}

func TestSafeHighlight(t *testing.T) {
	for _, tc := range []struct{ highlight, text, want string }{
		{"a <mark>b</mark> &lt;c&gt;", "a b <c>", "a <mark>b</mark> &lt;c&gt;"},
		{"", "<x>", "&lt;x&gt;"},
		// A highlight with any other tag is not trusted.
		{"<script>x</script>", "<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"<mark onclick=x>b</mark>", "b", "b"},
	} {
		if got := string(safeHighlight(tc.highlight, tc.text)); got != tc.want {
			t.Errorf("safeHighlight(%q, %q) = %q, want %q", tc.highlight, tc.text, got, tc.want)
		}
	}
}

// TestBadParameters: user input is answered 400 with a message naming what
// was wrong, never 500, on every route.
func TestBadParameters(t *testing.T) {
	s, _ := testServer(t)
	id := fixtureID("hailar/2021.txt")
	long := strings.Repeat("政", maxQueryRunes+1)
	for _, tc := range []struct {
		target, mention string
	}{
		{"/api/search?q=放管服&page=-1", "page"},
		{"/api/search?q=放管服&page=0", "page"},
		{"/api/search?q=放管服&page=abc", "page"},
		{"/api/search?q=放管服&page=1.5", "page"},
		{"/api/search?q=放管服&page=2000", "page"}, // deeper than maxPagedResults
		{"/api/search?q=放管服&size=100000", "size"},
		{"/api/search?q=放管服&size=0", "size"},
		{"/api/search?q=放管服&size=-3", "size"},
		{"/api/search?q=放管服&facet=foo", "facet"},
		{"/api/search?q=放管服&county=朝阳区", "county"},
		{"/api/search?q=放管服&year=abc", "year"},
		{"/api/search?q=放管服&year=2021..2018", "year"},
		{"/api/search?q=放管服&year=19", "year"},
		{"/api/search?q=放管服&year=..", "year"},
		{"/api/search?q=放管服&year=2019&year=2020", "year"},
		{"/api/search?q=放管服&sort=random", "sort"},
		{"/api/search?q=放管服&by=district", "by"}, // the trend split belongs to the page
		{"/api/search?q=放管服&q=营商环境", "q"},
		{"/api/search?q=" + long, "q"},
		{"/api/search?q=" + url.QueryEscape(`"放管服`), "查询有误"},
		{"/api/search?q=year:abc", "查询有误"},
		{"/api/search?q=foo:bar", "查询有误"},
		{"/api/search", "查询有误"}, // nothing to search for
		{"/api/search?district=" + strings.Repeat("区", maxFilterRunes+1), "district"},
		{"/export.csv?q=放管服&page=2", "page"},
		{"/export.json?q=放管服&year=abc", "year"},
		{"/export.csv?q=" + url.QueryEscape(`"`), "查询有误"},
		{"/api/doc/" + id + "?district=南山区", "district"},
		{"/api/doc/" + id + "?q=" + url.QueryEscape(`"放管服`), "查询有误"},
		{"/?q=放管服&page=-1", "page"},
		{"/?q=放管服&size=100000", "size"},
		{"/?q=放管服&facet=foo", "facet"},
		{"/?q=放管服&year=abc", "year"},
		{"/?q=放管服&by=city", "by"},
		{"/?q=" + url.QueryEscape(`"放管服`), "查询有误"},
		{"/doc/" + id + "?page=1", "page"},
		// Bytes that are not UTF-8 would become U+FFFD, which matches any
		// punctuation (issue 13): each text parameter names itself.
		{"/api/search?q=放%FF", "参数 q"},
		{"/api/search?q=%C3", "UTF-8"},
		{"/api/search?q=放管服&district=南山%FF", "参数 district"},
		{"/api/search?q=放管服&province=%FF", "参数 province"},
		{"/api/search?q=放管服&city=%E5%8C", "参数 city"},
		{"/api/search?q=放管服&section=%FF", "参数 section"},
		{"/api/search?q=放管服&year=20%FF19", "参数 year"},
		{"/api/search?q=放管服&sort=year%FF", "参数 sort"},
		{"/api/search?q=放管服&page=1%FF", "参数 page"},
		{"/api/search?q=放管服&%FF=1", "UTF-8"},
		{"/?q=放%FF", "参数 q"},
		{"/?q=放管服&by=%FF", "参数 by"},
		{"/export.csv?q=放%FF", "参数 q"},
		{"/export.json?q=放管服&district=%FF", "参数 district"},
		{"/api/doc/" + id + "?q=放%FF", "参数 q"},
		{"/doc/" + id + "?q=放%FF", "参数 q"},
		{"/api/doc/%FF", "参数 id"},
		// Offsets that overflow: page*size wrapped round to a negative
		// number and passed the deep-paging check (500 "makeslice: cap out
		// of range", then a wrong 200 for the next value).
		{"/api/search?q=放管服&page=4611686018427387904&size=2", "page"},
		{"/api/search?q=放管服&page=4611686018427387905&size=2", "page"},
		{"/api/search?q=放管服&page=9223372036854775807", "page"},
		{"/api/search?q=放管服&page=9223372036854775807&size=100", "page"},
		{"/api/search?q=放管服&page=92233720368547758070", "page"},
		{"/api/search?q=放管服&size=9223372036854775807", "size"},
		{"/?q=放管服&page=4611686018427387904&size=2", "page"},
	} {
		rec := get(t, s.Handler(), tc.target)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400:\n%.300s", tc.target, rec.Code, rec.Body)
			continue
		}
		var msg string
		if strings.HasPrefix(tc.target, "/api/") || strings.HasPrefix(tc.target, "/export.") {
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("GET %s: body %q is not {\"error\": ...}", tc.target, rec.Body)
				continue
			}
			msg = e.Error
		} else {
			m := regexp.MustCompile(`id="error-message">([^<]*)<`).FindStringSubmatch(rec.Body.String())
			if m == nil {
				t.Errorf("GET %s: no error message on the page", tc.target)
				continue
			}
			msg = html.UnescapeString(m[1])
		}
		if !strings.Contains(msg, tc.mention) {
			t.Errorf("GET %s: message %q does not mention %q", tc.target, msg, tc.mention)
		}
	}
}

func TestNotFound(t *testing.T) {
	s, _ := testServer(t)
	for _, tc := range []struct {
		target string
		json   bool
	}{
		{"/doc/ffffffffffff", false},
		{"/doc/..%2F..%2Fetc%2Fpasswd", false},
		{"/api/doc/ffffffffffff", true},
		{"/nothing-here", false},
		{"/assets/../server.go", true},
		{"/assets/..%2Fserver.go", true},
		{"/assets/%2e%2e/server.go", true},
		{"/assets/nothing.js", true},
		{"/assets/vendor/../../server.go", true},
		{"/templates/search.html", false},
	} {
		rec := get(t, s.Handler(), tc.target)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", tc.target, rec.Code)
		}
		if body := rec.Body.String(); strings.Contains(body, "package web") || strings.Contains(body, "root:") {
			t.Errorf("GET %s served a file from outside the assets", tc.target)
		}
		if tc.json && !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("GET %s: body %q is not a JSON error", tc.target, rec.Body)
		}
	}
}

// TestAPIEqualsSearcher: /api/search returns exactly what the index returns
// for the same request (the JSON of `search -json`).
func TestAPIEqualsSearcher(t *testing.T) {
	s, ix := testServer(t)
	for _, tc := range []struct {
		params string
		req    index.Request
	}{
		{"q=放管服", index.Request{Query: "放管服", Limit: defaultPageSize}},
		{"q=营商环境", index.Request{Query: "营商环境", Limit: defaultPageSize}},
		{"q=統籌推進", index.Request{Query: "統籌推進", Limit: defaultPageSize}},
		{"q=放管服&district=南山区&district=福田区", index.Request{Query: "放管服", District: []string{"南山区", "福田区"}, Limit: defaultPageSize}},
		{"q=放管服&province=广东省&year=2019..2020&section=工作回顾", index.Request{Query: "放管服", Province: []string{"广东省"}, YearFrom: 2019, YearTo: 2020, Section: []string{"工作回顾"}, Limit: defaultPageSize}},
		{"q=放管服&page=2&size=2&sort=year", index.Request{Query: "放管服", Offset: 2, Limit: 2, Sort: "year"}},
		{"q=放管服 -南山&sort=year-asc", index.Request{Query: "放管服 -南山", Limit: defaultPageSize, Sort: "year-asc"}},
		{"district=福田区", index.Request{District: []string{"福田区"}, Limit: defaultPageSize}},
	} {
		rec := get(t, s.Handler(), "/api/search?"+tc.params)
		if rec.Code != http.StatusOK {
			t.Errorf("GET /api/search?%s = %d: %s", tc.params, rec.Code, rec.Body)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET /api/search?%s: Content-Type %q", tc.params, ct)
		}
		var got index.Result
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("GET /api/search?%s: %v", tc.params, err)
		}
		want, err := ix.Search(context.Background(), tc.req)
		if err != nil {
			t.Fatalf("Search(%+v): %v", tc.req, err)
		}
		got.TookMS, want.TookMS = 0, 0
		if len(want.Hits) == 0 {
			want.Hits = []index.Hit{}
		}
		if !reflect.DeepEqual(&got, want) {
			t.Errorf("GET /api/search?%s =\n%+v\nwant Searcher.Search =\n%+v", tc.params, got, *want)
		}
		if tc.params == "q=放管服" && got.Total != len(bruteForce("放管服", nil)) {
			t.Errorf("GET /api/search?q=放管服: total %d, want %d", got.Total, len(bruteForce("放管服", nil)))
		}
	}
}

func TestAPIDoc(t *testing.T) {
	s, ix := testServer(t)
	id := fixtureID("samples/004.txt")
	rec := get(t, s.Handler(), "/api/doc/"+id+"?q=营商环境")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/doc/%s = %d: %s", id, rec.Code, rec.Body)
	}
	var got index.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want, err := ix.Report(context.Background(), id, "营商环境")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("GET /api/doc/%s = %+v, want %+v", id, got, *want)
	}
	if got.Paragraphs[0].Highlight != "深化「放管服」改革，持續優化<mark>營商環境</mark>。" {
		t.Errorf("traditional paragraph highlight = %q", got.Paragraphs[0].Highlight)
	}
}

func TestDocPage(t *testing.T) {
	s, _ := testServer(t)
	id := fixtureID("shenzhen/2019年南山区政府工作报告.txt")
	rec := get(t, s.Handler(), "/doc/"+id+"?q=放管服")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /doc/%s = %d: %s", id, rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, s := range []string{
		"<h1>2019年南山区政府工作报告</h1>",
		"<dt>报告人</dt><dd>区长 王强</dd>", "<dt>会议</dt><dd>南山区第七届人民代表大会第五次会议</dd>",
		"<dt>级别</dt><dd>区县级</dd>", "<dt>来源文件</dt><dd>shenzhen/2019年南山区政府工作报告.txt</dd>",
		`<li class="depth-0"><a href="#p1">工作回顾</a><span class="count" title="本节匹配数">2</span>`,
		`<li class="depth-1"><a href="#p4">二、2019年工作安排</a>`,
		`<p id="p2" class="para has-match"`, `<p id="p1" class="para heading"`,
		`id="match-count">3</strong>`, "深化“<mark>放管服</mark>”改革",
		`<p id="p6" class="para" data-section="工作安排"><a class="pnum" href="#p6" title="第 6 段：二、2019年工作安排">6</a>&lt;script&gt;alert(1)&lt;/script&gt;`,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("report page lacks %q", s)
		}
	}
	if got := strings.Count(body, "<mark>"); got != 3 {
		t.Errorf("report page has %d marks, want 3", got)
	}
	plain := get(t, s.Handler(), "/doc/"+id).Body.String()
	if strings.Contains(plain, "<mark>") || strings.Contains(plain, "match-count") {
		t.Errorf("report opened without a query marks matches")
	}
}

func TestExportCSV(t *testing.T) {
	s, ix := testServer(t)
	rec := get(t, s.Handler(), "/export.csv?q=放管服&district=南山区&district=福田区&sort=year")
	if rec.Code != http.StatusOK {
		t.Fatalf("export = %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "zhengce-%E6%94%BE%E7%AE%A1%E6%9C%8D.csv") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	b := rec.Body.Bytes()
	if !bytes.HasPrefix(b, []byte(utf8BOM)) {
		t.Fatalf("CSV does not start with a UTF-8 byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(b[len(utf8BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[0], csvexport.Columns) {
		t.Errorf("header = %q, want %q", rows[0], csvexport.Columns)
	}
	want, err := ix.Search(context.Background(), index.Request{Query: "放管服", District: []string{"南山区", "福田区"}, Sort: "year", NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != want.Total || want.Total != countIn(bruteForce("放管服", nil), func(h fixtureHit) bool {
		return h.Report.District == "南山区" || h.Report.District == "福田区"
	}) {
		t.Fatalf("%d rows, want every hit (%d)", len(rows)-1, want.Total)
	}
	for i, h := range want.Hits {
		wantRow := []string{h.Path, h.Title, h.Province, h.City, h.District, strconv.Itoa(h.Year), h.Section, h.Heading, strconv.Itoa(h.Paragraph), strconv.Itoa(h.Offset), "", "false", h.Text}
		if !reflect.DeepEqual(rows[i+1], wantRow) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i+1], wantRow)
		}
	}
}

func TestExportJSON(t *testing.T) {
	s, _ := testServer(t)
	rec := get(t, s.Handler(), "/export.json?q=放管服")
	if rec.Code != http.StatusOK {
		t.Fatalf("export = %d: %s", rec.Code, rec.Body)
	}
	var doc struct {
		Query string           `json:"query"`
		Total int              `json:"total"`
		Hits  []map[string]any `json:"hits"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := len(bruteForce("放管服", nil))
	if doc.Query != "放管服" || doc.Total != want || len(doc.Hits) != want {
		t.Fatalf("export: query %q, total %d, %d hits; want 放管服, %d, %d", doc.Query, doc.Total, len(doc.Hits), want, want)
	}
	for _, h := range doc.Hits {
		for _, k := range csvexport.Columns {
			if _, ok := h[k]; !ok {
				t.Errorf("hit lacks %q: %v", k, h)
			}
		}
		if len(h) != len(csvexport.Columns) {
			t.Errorf("hit has keys beyond %v: %v", csvexport.Columns, h)
		}
	}
}

func TestTrendPanel(t *testing.T) {
	s, ix := testServer(t)
	for _, by := range []string{"district", "province"} {
		rec := get(t, s.Handler(), "/?q=放管服&by="+by)
		body := rec.Body.String()
		m := regexp.MustCompile(`(?s)<script type="application/json" id="trend-data">(.*?)</script>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("by=%s: no trend data on the page", by)
		}
		var chart trendChart
		if err := json.Unmarshal([]byte(m[1]), &chart); err != nil {
			t.Fatalf("by=%s: trend data %q: %v", by, m[1], err)
		}
		res, err := ix.Search(context.Background(), index.Request{Query: "放管服", TrendBy: by, NoFacets: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		points := res.Trend
		want := map[string]int{}
		for _, p := range points {
			want[p.Value+"|"+strconv.Itoa(p.Year)] += p.Count
		}
		got := map[string]int{}
		for _, s := range chart.Series {
			for i, n := range s.Data {
				if n > 0 {
					got[s.Name+"|"+chart.Years[i]] += n
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("by=%s: chart = %v, want Trend = %v", by, got, want)
		}
		if by == "district" && !strings.Contains(body, `<tr><th scope="row">南山区</th>`) {
			t.Errorf("by=district: the table has no row for 南山区")
		}
		if by == "province" && !strings.Contains(body, `<a href="/?q=%E6%94%BE%E7%AE%A1%E6%9C%8D#trend">按区县</a>`) {
			t.Errorf("by=province: no link back to the district split")
		}
	}
}

func TestAssets(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	page := get(t, h, "/?q=放管服").Body.String()
	for _, name := range []string{"app.js", "style.css", "vendor/echarts.min.js"} {
		u, err := s.assetURL(name)
		if err != nil || !strings.Contains(page, `"`+u+`"`) {
			t.Errorf("page does not load %s (%s, %v)", name, u, err)
		}
		rec := get(t, h, u)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("GET %s = %d, %d bytes", u, rec.Code, rec.Body.Len())
		}
		if rec.Header().Get("Cache-Control") == "" {
			t.Errorf("GET %s: no Cache-Control", u)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "/assets/vendor/echarts.min.js", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() > 600_000 {
		t.Errorf("echarts.min.js is not sent compressed: %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
}

// slowSearcher blocks every call until its context ends, to test timeouts.
type slowSearcher struct{ index.Searcher }

func (slowSearcher) Search(ctx context.Context, _ index.Request) (*index.Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (slowSearcher) Report(ctx context.Context, _, _ string) (*index.Report, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestRequestTimeout(t *testing.T) {
	var log bytes.Buffer
	s, err := New(slowSearcher{}, Options{RequestTimeout: 20 * time.Millisecond, ErrorLog: &log})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/?q=放管服", "/api/search?q=放管服", "/doc/abc", "/export.csv?q=x"} {
		rec := get(t, s.Handler(), target)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "查询超时") {
			t.Errorf("GET %s past the deadline = %d %q, want 503 查询超时", target, rec.Code, rec.Body)
		}
	}
}

func TestNew(t *testing.T) {
	if _, err := New(nil, Options{}); err == nil {
		t.Errorf("New(nil) succeeded")
	}
	s, err := New(slowSearcher{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.opts.MaxPageSize != DefaultMaxPageSize || s.opts.RequestTimeout != DefaultRequestTimeout {
		t.Errorf("defaults not applied: %+v", s.opts)
	}
	if _, err := s.assetURL("missing.js"); err == nil {
		t.Errorf("assetURL of a missing asset succeeded")
	}
}

// TestServe starts a real server, answers a request, and shuts it down
// when the context is cancelled.
func TestServe(t *testing.T) {
	s, _ := testServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, s.Handler(), &log) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/api/search?q=放管服")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"total":`)) {
		t.Errorf("GET over HTTP = %d %s", resp.StatusCode, b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve after cancel = %v, want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
	if err := Serve(context.Background(), "256.0.0.1:http", s.Handler(), io.Discard); err == nil || !strings.Contains(err.Error(), "256.0.0.1") {
		t.Errorf("Serve on a bad address = %v", err)
	}
	if !strings.Contains(log.String(), "serving on http://"+ln.Addr().String()) || !strings.Contains(log.String(), "server stopped") {
		t.Errorf("server log = %q", log.String())
	}
}

// TestHEAD: HEAD answers wherever GET does, with GET's status and headers
// and no body (it was 405, and 404 on assets).
func TestHEAD(t *testing.T) {
	s, _ := testServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	app, err := s.assetURL("app.js")
	if err != nil {
		t.Fatal(err)
	}
	id := fixtureID("hailar/2021.txt")
	for _, target := range []string{
		"/", "/?q=放管服", "/doc/" + id, "/doc/" + id + "?q=放管服", "/api/search?q=放管服", "/api/doc/" + id,
		"/export.csv?q=放管服", "/export.json?q=放管服", app, "/assets/style.css",
		"/api/search?q=放管服&page=0", "/doc/ffffffffffff", "/nothing-here", "/assets/nothing.js",
	} {
		u := ts.URL + strings.ReplaceAll(target, " ", "%20")
		getResp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		getResp.Body.Close()
		resp, err := http.Head(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != getResp.StatusCode || len(body) > 0 {
			t.Errorf("HEAD %s = %d with %d bytes, want %d (as GET) and no body", target, resp.StatusCode, len(body), getResp.StatusCode)
		}
		for _, h := range []string{"Content-Type", "Content-Security-Policy", "Content-Disposition", "Cache-Control"} {
			if got, want := resp.Header.Get(h), getResp.Header.Get(h); got != want {
				t.Errorf("HEAD %s: %s = %q, want %q (as GET)", target, h, got, want)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/search?q=放管服", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/search = %d, want 405", resp.StatusCode)
	}
}
