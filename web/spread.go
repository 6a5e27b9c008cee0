package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/spread"
)

// Parameters of /spread and /api/spread besides the search filters.
const paramShade = "shade" // what the map is shaded by

var spreadParams = append(slices.Clone(filterParams), paramLevel, paramShade)

// spreadCite is how many first uses get their paragraph quoted, as
// `search spread` quotes by default.
const spreadCite = 20

// spreadLevels are the values of the level parameter of /spread; absent
// is district, as in `search spread`.
var spreadLevels = []struct{ Value, Label string }{
	{string(spread.Province), "省份"},
	{string(spread.City), "城市"},
	{string(spread.District), "区县"},
}

// spreadShades are the values of the shade parameter; absent is year.
var spreadShades = []struct{ Value, Label string }{
	{"year", "按首次使用年份"},
	{"share", "按采用比例"},
}

// spreadTables keeps the spread.Table of the report list the index gave
// last: Reports returns the same slice until the index changes generation.
type spreadTables struct {
	mu    sync.Mutex
	first *index.ReportInfo
	n     int
	t     *spread.Table
}

func (st *spreadTables) get(infos []index.ReportInfo) *spread.Table {
	st.mu.Lock()
	defer st.mu.Unlock()
	var first *index.ReportInfo
	if len(infos) > 0 {
		first = &infos[0]
	}
	if st.t == nil || st.first != first || st.n != len(infos) {
		st.first, st.n, st.t = first, len(infos), spread.NewTable(infos)
	}
	return st.t
}

// spreadRoutes adds /spread and /api/spread.
func (s *Server) spreadRoutes(e *echo.Echo, methods []string) {
	e.Match(methods, "/spread", s.spreadPage)
	e.Match(methods, "/api/spread", s.apiSpread)
}

// runSpread reads the parameters of /spread and analyses the query: the
// spread.Result of `search spread -json`, with the filters of the search
// page applied to the counts.
func (s *Server) runSpread(c echo.Context) (searchParams, string, *spread.Result, error) {
	v := c.QueryParams()
	p, err := parseSearchParams(v, spreadParams, s.opts.MaxPageSize)
	if err != nil {
		return p, "", nil, err
	}
	if p.Query == "" {
		return p, "", nil, &paramError{Param: paramQuery, Want: "需要一个查询，如 放管服"}
	}
	level, err := oneOf(v, paramLevel, spreadLevels)
	if err != nil {
		return p, "", nil, err
	}
	lv, err := spread.ParseLevel(level)
	if err != nil {
		return p, "", nil, err
	}
	shade, err := oneOf(v, paramShade, spreadShades)
	if err != nil {
		return p, "", nil, err
	}
	if shade == "" {
		shade = "year"
	}
	ctx := c.Request().Context()
	infos, err := s.searcher.Reports(ctx)
	if err != nil {
		return p, "", nil, err
	}
	req := p.request()
	req.Offset, req.Limit, req.Sort = 0, 0, ""
	res, err := s.spreadTables.get(infos).Run(ctx, s.searcher, req, lv)
	if err != nil {
		return p, "", nil, err
	}
	if err := spread.Cite(ctx, s.searcher, res, p.Query, spreadCite); err != nil {
		return p, "", nil, err
	}
	if res.FirstUses == nil {
		res.FirstUses = []spread.FirstUse{}
	}
	if res.ByReport == nil {
		res.ByReport = []spread.ReportFrequency{}
	}
	return p, shade, res, nil
}

// apiSpread serves /api/spread: the spread.Result, the JSON of
// `search spread -json`.
func (s *Server) apiSpread(c echo.Context) error {
	_, _, res, err := s.runSpread(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// spreadView is the data of spread.html.
type spreadView struct {
	Query   string
	Hidden  []hiddenField
	Version string
	Res     *spread.Result
	Level   string // the label of the level: 区县
	Levels  []linkView
	Shades  []linkView
	Shade   string
	// SearchURL lists every matching paragraph; APIURL is this page's JSON.
	SearchURL, APIURL string
	FirstUses         []firstUseRow
	Years             []spreadYearRow
	Provinces         []provinceRow
	Chart             spreadChart
	MapURL            string     // the GeoJSON of the map
	LevelOptions      []linkView // of the form: URL is the value
	Examples          []linkView // on the page without a query
}

// spreadExamples are offered on /spread without a query.
var spreadExamples = []string{"放管服", "营商环境", "一网通办", "数字政府"}

// levelOptions are the choices of the form's level.
func levelOptions(active spread.Level) []linkView {
	var out []linkView
	for _, l := range spreadLevels {
		out = append(out, linkView{Label: l.Label, URL: l.Value, Active: l.Value == string(active)})
	}
	return out
}

type firstUseRow struct {
	spread.FirstUse
	FullName  string
	PlaceURL  string        // every matching paragraph of the place
	YearURL   string        // those of its first year
	DocURL    string        // the report, matches marked
	CiteURL   string        // the first matching paragraph in the report
	Cite      template.HTML // that paragraph, when quoted
	YearLabel string
}

type spreadYearRow struct {
	spread.YearPoint
	Freq                      spread.YearFrequency
	SearchURL                 string // the matching paragraphs of the year
	SharePct, YearSharePct    string
	Per10k                    string
	HasHits, HasNew, HasUsing bool
}

type provinceRow struct {
	spread.ProvinceSummary
	SearchURL string // the matching paragraphs of the province
	FirstURL  string // those of its first year
	SharePct  string
}

// spreadChart is what app.js draws: the adoption curve, the frequency and
// the map.
type spreadChart struct {
	Query     string     `json:"query"`
	Level     string     `json:"level"`
	Years     []int      `json:"years"`
	Adopted   []int      `json:"adopted"`
	Share     []float64  `json:"share"`      // percent
	YearShare []float64  `json:"year_share"` // percent
	Per10k    []float64  `json:"per_10k"`
	Shade     string     `json:"shade"`
	Map       []mapPoint `json:"map"`
}

type mapPoint struct {
	Name      string  `json:"name"` // the map's name of the province
	Province  string  `json:"province"`
	Value     float64 `json:"value"` // first year or share in percent; -1 when never
	FirstYear int     `json:"first_year"`
	Share     float64 `json:"share"` // percent
	Places    int     `json:"places"`
	Held      int     `json:"held"`
	Hits      int     `json:"hits"`
	URL       string  `json:"url"`
}

// spreadPage serves /spread: first use per place, the adoption curve, the
// frequency per 10,000 characters and a map by province.
func (s *Server) spreadPage(c echo.Context) error {
	if strings.TrimSpace(c.QueryParam(paramQuery)) == "" {
		// No query yet: the form, with the filters it would apply.
		p, err := parseSearchParams(c.QueryParams(), spreadParams, s.opts.MaxPageSize)
		if err != nil {
			return err
		}
		v := &spreadView{Hidden: hiddenFields(p), Version: s.opts.Version, LevelOptions: levelOptions(spread.District)}
		for _, ex := range spreadExamples {
			v.Examples = append(v.Examples, linkView{Label: ex, URL: "/spread?" + url.Values{paramQuery: {ex}}.Encode()})
		}
		return c.Render(http.StatusOK, "spread.html", v)
	}
	p, shade, res, err := s.runSpread(c)
	if err != nil {
		return err
	}
	mapURL, err := s.assetURL("vendor/china.json")
	if err != nil {
		return err
	}
	lv := res.Level
	v := &spreadView{Query: p.Query, Hidden: hiddenFields(p), Version: s.opts.Version, Res: res, Level: lv.Label(),
		Shade: shade, MapURL: mapURL, LevelOptions: levelOptions(res.Level)}
	base := p.clone()
	base.Page, base.Size, base.Sort, base.By = 1, defaultPageSize, "", ""
	v.SearchURL = base.pageURL()
	here := func(level, shade string) string {
		u := base.values(false, false)
		if level != "" && level != string(spread.District) {
			u.Set(paramLevel, level)
		}
		if shade != "" && shade != "year" {
			u.Set(paramShade, shade)
		}
		return "/spread?" + u.Encode()
	}
	v.APIURL = "/api" + here(string(lv), "")
	for _, l := range spreadLevels {
		v.Levels = append(v.Levels, linkView{Label: l.Label, URL: here(l.Value, shade), Active: l.Value == string(lv)})
	}
	for _, sh := range spreadShades {
		v.Shades = append(v.Shades, linkView{Label: sh.Label, URL: here(string(lv), sh.Value) + "#map", Active: sh.Value == shade})
	}
	inYear := func(sp searchParams, y int) searchParams {
		if y != 0 {
			sp = sp.with(paramYear, []string{strconv.Itoa(y)})
		}
		return sp
	}
	for _, fu := range res.FirstUses {
		at := placeSearch(base, fu.Place)
		row := firstUseRow{FirstUse: fu, FullName: fu.FullName(), PlaceURL: at.pageURL(), YearURL: inYear(at, fu.Year).pageURL(),
			DocURL: docURL(fu.Report, p.Query, 0), CiteURL: docURL(fu.Report, p.Query, fu.Paragraph), YearLabel: "年份不详"}
		if fu.Year != 0 {
			row.YearLabel = strconv.Itoa(fu.Year)
		}
		if fu.Text != "" {
			row.Cite = safeHighlight(fu.Highlight, fu.Text)
		}
		v.FirstUses = append(v.FirstUses, row)
	}
	ch := &v.Chart
	ch.Query, ch.Level, ch.Shade = p.Query, lv.Label(), shade
	for i, a := range res.Adoption {
		f := res.Frequency[i]
		v.Years = append(v.Years, spreadYearRow{YearPoint: a, Freq: f, SearchURL: inYear(base, a.Year).pageURL(),
			SharePct: percent(a.Share), YearSharePct: percent(a.YearShare), Per10k: strconv.FormatFloat(f.Per10k, 'f', 2, 64),
			HasHits: f.Hits > 0, HasNew: a.New > 0, HasUsing: a.Using > 0})
		ch.Years = append(ch.Years, a.Year)
		ch.Adopted = append(ch.Adopted, a.Adopted)
		ch.Share = append(ch.Share, round(100*a.Share, 1))
		ch.YearShare = append(ch.YearShare, round(100*a.YearShare, 1))
		ch.Per10k = append(ch.Per10k, round(f.Per10k, 3))
	}
	for _, ps := range res.Provinces {
		at := base.with(paramProvince, []string{ps.Province})
		at.City, at.District = nil, nil
		row := provinceRow{ProvinceSummary: ps, SearchURL: at.pageURL(), SharePct: percent(ps.Share)}
		if ps.FirstYear != 0 {
			row.FirstURL = inYear(at, ps.FirstYear).pageURL()
		}
		v.Provinces = append(v.Provinces, row)
		mp := mapPoint{Name: ps.MapName, Province: ps.Province, Value: -1, FirstYear: ps.FirstYear, Share: round(100*ps.Share, 1),
			Places: ps.Places, Held: ps.Held, Hits: ps.Hits, URL: row.SearchURL}
		switch {
		case shade == "share" && ps.Held > 0:
			mp.Value = mp.Share
		case shade == "year" && ps.FirstYear != 0:
			mp.Value = float64(ps.FirstYear)
		}
		ch.Map = append(ch.Map, mp)
	}
	return c.Render(http.StatusOK, "spread.html", v)
}

// placeSearch is the search sp within one place: its province, city and
// district as filters.
func placeSearch(sp searchParams, pl spread.Place) searchParams {
	q := sp.clone()
	q.Page = 1
	q.Province, q.City, q.District = nil, nil, nil
	if pl.Province != "" {
		q.Province = []string{pl.Province}
	}
	if pl.City != "" {
		q.City = []string{pl.City}
	}
	if pl.District != "" {
		q.District = []string{pl.District}
	}
	return q
}

// round rounds f to n decimals, for the chart's JSON.
func round(f float64, n int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', n, 64), 64)
	return r
}
