package web

import (
	"context"
	"encoding/json"
	"html"
	"io/fs"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/spread"
)

// decodeJSON decodes b into a generic value, to compare documents.
func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

// TestSpreadAPIEqualsSpread: /api/spread is what package spread answers
// for the same query, level and filters (what `search spread -json` prints).
func TestSpreadAPIEqualsSpread(t *testing.T) {
	s, ix := testServer(t)
	ctx := context.Background()
	infos, err := ix.Reports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target string
		req    index.Request
		level  spread.Level
	}{
		{"/api/spread?q=放管服", index.Request{Query: "放管服"}, spread.District},
		{"/api/spread?q=放管服&level=province", index.Request{Query: "放管服"}, spread.Province},
		{"/api/spread?q=放管服&level=city", index.Request{Query: "放管服"}, spread.City},
		{"/api/spread?q=营商环境&level=district", index.Request{Query: "营商环境"}, spread.District},
		{"/api/spread?q=放管服&province=广东省&year=2020..", index.Request{Query: "放管服", Province: []string{"广东省"}, YearFrom: 2020}, spread.District},
		{"/api/spread?q=放管服&section=工作回顾&level=province", index.Request{Query: "放管服", Section: []string{"工作回顾"}}, spread.Province},
		{"/api/spread?q=没有这个词", index.Request{Query: "没有这个词"}, spread.District},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			want, err := spread.NewTable(infos).Run(ctx, ix, tt.req, tt.level)
			if err != nil {
				t.Fatal(err)
			}
			if err := spread.Cite(ctx, ix, want, tt.req.Query, spreadCite); err != nil {
				t.Fatal(err)
			}
			if want.FirstUses == nil {
				want.FirstUses = []spread.FirstUse{}
			}
			if want.ByReport == nil {
				want.ByReport = []spread.ReportFrequency{}
			}
			wb, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if got, w := decodeJSON(t, rec.Body.Bytes()), decodeJSON(t, wb); !reflect.DeepEqual(got, w) {
				t.Errorf("/api/spread:\n%s\nspread.Run:\n%s", rec.Body, wb)
			}
		})
	}
}

// TestSpreadFirstUses checks the first uses and the province summary of
// /api/spread against the fixture read by hand: for each place, its
// earliest report with a paragraph containing the phrase.
func TestSpreadFirstUses(t *testing.T) {
	s, _ := testServer(t)
	type use struct {
		Year, Paragraph, AllHits int
	}
	for _, level := range []string{"province", "city", "district"} {
		t.Run(level, func(t *testing.T) {
			want := map[string]use{}      // place → first use
			provFirst := map[string]int{} // province → first year
			provHits := map[string]int{}
			for _, h := range bruteForce("放管服", nil) {
				r := h.Report
				parts := []string{r.Province, r.City, r.District}
				n := map[string]int{"province": 1, "city": 2, "district": 3}[level]
				if parts[n-1] == "" {
					continue // no place at this level: the State Council's
				}
				place := strings.Join(parts[:n], " ")
				u, ok := want[place]
				switch {
				case !ok || r.Year < u.Year:
					u = use{Year: r.Year, Paragraph: h.Paragraph.Ordinal, AllHits: u.AllHits}
				case r.Year == u.Year && h.Paragraph.Ordinal < u.Paragraph:
					u.Paragraph = h.Paragraph.Ordinal
				}
				u.AllHits++
				want[place] = u
				if f, ok := provFirst[r.Province]; !ok || r.Year < f {
					provFirst[r.Province] = r.Year
				}
				provHits[r.Province]++
			}
			rec := get(t, s.Handler(), "/api/spread?q=放管服&level="+level)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var res spread.Result
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			got := map[string]use{}
			last := 0
			for _, fu := range res.FirstUses {
				got[fu.FullName()] = use{fu.Year, fu.Paragraph, fu.AllHits}
				if fu.Year < last {
					t.Errorf("first uses not earliest first: %d after %d", fu.Year, last)
				}
				last = fu.Year
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("first uses %v, want %v", got, want)
			}
			for _, p := range res.Provinces {
				if p.FirstYear != provFirst[p.Province] || p.Hits != provHits[p.Province] {
					t.Errorf("%s: first year %d, %d hits; want %d, %d", p.Province, p.FirstYear, p.Hits, provFirst[p.Province], provHits[p.Province])
				}
			}
		})
	}
}

// TestSpreadPage checks what the page shows without script: the tables,
// the paragraph links, and the data and map the charts are drawn from.
func TestSpreadPage(t *testing.T) {
	s, _ := testServer(t)
	nanshan19 := fixtureID("shenzhen/2019年南山区政府工作报告.txt")
	q := url.QueryEscape("放管服")
	tests := []struct {
		target string
		want   []string
		not    []string
	}{
		{"/spread?q=放管服", []string{
			"“放管服”的传播 · 按区县", `id="first-use-table"`, `id="adoption-table"`, `id="province-table"`,
			// the first use of 南山区: its report and its paragraph 2, quoted with the match marked
			`<a class="report" href="/doc/` + nanshan19 + `?q=` + q + `">2019年南山区政府工作报告</a>`,
			`<a class="cite" href="/doc/` + nanshan19 + `?q=` + q + `#p2">第 2 段</a>`,
			`深化“<mark>放管服</mark>”改革`,
			`<a class="place" href="/?city=%E6%B7%B1%E5%9C%B3%E5%B8%82&amp;district=%E5%8D%97%E5%B1%B1%E5%8C%BA&amp;province=%E5%B9%BF%E4%B8%9C%E7%9C%81&amp;q=` + q + `"`,
			`data-map="/assets/vendor/china.json?v=`, `id="map-chart"`, `id="spread-data"`, `"name":"广东"`,
			`"shade":"year"`, "vendor/echarts.min.js", `id="spread-total" data-total="10"`, "另有 1 段在不属于任何区县的报告中",
			`<tr class="province-row" data-province="广东省" data-first="2019">`,
		}, nil},
		{"/spread?q=放管服&level=province&shade=share", []string{"按省份", `"shade":"share"`, `class="active" aria-current="true">按采用比例`,
			`<a href="/spread?q=` + q + `&amp;shade=share">区县</a>`}, nil},
		{"/spread?q=放管服&province=广东省", []string{`<input type="hidden" name="province" value="广东省">`,
			`<tr class="province-row" data-province="辽宁省" data-first="0">`}, nil},
		{"/spread?q=没有这个词", []string{`id="spread-empty"`, `data-total="0"`}, nil},
		{"/spread?q=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E", []string{`id="spread-empty"`, "&lt;/script&gt;&lt;script&gt;alert(1)"},
			[]string{"<script>alert(1)"}},
		{"/spread", []string{`id="spread-form"`, `href="/spread?q=%E6%94%BE%E7%AE%A1%E6%9C%8D"`}, []string{`id="spread-data"`, "echarts.min.js"}},
		{"/?q=放管服&province=广东省", []string{`id="spread-link" href="/spread?province=%E5%B9%BF%E4%B8%9C%E7%9C%81&amp;q=` + q + `"`,
			`<a id="nav-spread" href="/spread">传播</a>`, `<a id="nav-batch" href="/batch">批量检索</a>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s.Handler(), tt.target)
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
}

// TestSpreadMapNames: every province has its name on the vendored map, so
// none is left unshaded.
func TestSpreadMapNames(t *testing.T) {
	b, err := fs.ReadFile(assetFS, "assets/vendor/china.json")
	if err != nil {
		t.Fatal(err)
	}
	var geo struct {
		Features []struct {
			Properties struct{ Name string } `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &geo); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range geo.Features {
		names[f.Properties.Name] = true
	}
	for _, p := range []string{"北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
		"浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市",
		"四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
		"香港特别行政区", "澳门特别行政区", "台湾省"} {
		if !names[spread.ShortProvince(p)] {
			t.Errorf("%s is %q on the map, which has no such name", p, spread.ShortProvince(p))
		}
	}
}

var hitsLinkRE = regexp.MustCompile(`<a class="hits" href="([^"]+)">(\d+)</a>`)

// checkHitsLinks follows every <a class="hits"> of body: the search page
// it opens must find as many paragraphs as the link says.
func checkHitsLinks(t *testing.T, h http.Handler, body string) int {
	t.Helper()
	links := hitsLinkRE.FindAllStringSubmatch(body, -1)
	for _, m := range links {
		u := html.UnescapeString(m[1])
		rec := get(t, h, u)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", u, rec.Code)
			continue
		}
		if n, _ := strconv.Atoi(m[2]); pageTotal(t, rec.Body.String()) != n {
			t.Errorf("a link says %d paragraphs; %s finds %d", n, u, pageTotal(t, rec.Body.String()))
		}
	}
	return len(links)
}

// TestSpreadNumbersLink: the paragraph counts per year and per province
// open a search that finds exactly those paragraphs.
func TestSpreadNumbersLink(t *testing.T) {
	s, _ := testServer(t)
	for _, target := range []string{"/spread?q=放管服&level=province", "/spread?q=营商环境&year=2019..2020", "/spread?q=放管服&section=工作安排&level=city"} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, s.Handler(), target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if n := checkHitsLinks(t, s.Handler(), rec.Body.String()); n == 0 {
				t.Errorf("no paragraph counts linked")
			}
		})
	}
}

// TestSpreadBadRequests: mistakes are a 4xx naming what is wrong.
func TestSpreadBadRequests(t *testing.T) {
	s, _ := testServer(t)
	tests := []struct {
		target string
		status int
		want   string
	}{
		{"/api/spread", http.StatusBadRequest, "需要一个查询"},
		{"/api/spread?q=放管服&level=town", http.StatusBadRequest, "level"},
		{"/spread?q=放管服&level=town", http.StatusBadRequest, "level"},
		{"/api/spread?q=放管服&shade=red", http.StatusBadRequest, "shade"},
		{"/api/spread?q=放管服&distrct=南山区", http.StatusBadRequest, "distrct"},
		{"/spread?distrct=南山区", http.StatusBadRequest, "distrct"},
		{"/api/spread?q=放管服&year=abc", http.StatusBadRequest, "year"},
		{"/api/spread?q=%FF", http.StatusBadRequest, "UTF-8"},
		{"/api/spread?q=" + strings.Repeat("放", maxQueryRunes+1), http.StatusBadRequest, "1000"},
		{"/api/spread?q=放管服&q=营商环境", http.StatusBadRequest, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 60)], func(t *testing.T) {
			rec := get(t, s.Handler(), tt.target)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("status %d, want %d with %q: %.300s", rec.Code, tt.status, tt.want, rec.Body)
			}
		})
	}
}
