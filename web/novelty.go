package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/novelty"
	"github.com/zhengce/zhengce/spread"
)

// Parameters of /new and /api/new.
const (
	paramLevel = "level"
	paramLimit = "limit"
)

var newParams = []string{paramYear, paramLevel, paramProvince, paramCity, paramDistrict, paramLimit}

// Rows of each list of /new by default and at most.
const (
	defaultNewLimit = 50
	maxNewLimit     = 1000
)

// newLevels are the values of the level parameter of /new.
var newLevels = []struct{ Value, Label string }{
	{"", "发布报告的政府"},
	{string(spread.Province), "省份"},
	{string(spread.City), "城市"},
	{string(spread.District), "区县"},
}

// newView is the data of new.html.
type newView struct {
	Query   string
	Hidden  []hiddenField
	Version string
	*novelty.Result
	Scope     string // the places chosen, in words
	Years     []linkView
	Levels    []linkView
	New, Gone []phraseRow
	APIURL    string
	// Form values, to show back.
	Province, City, District string
	LevelValue               string
}

// phraseRow is one phrase of a list, with the links behind its numbers.
type phraseRow struct {
	novelty.Phrase
	Rank       int
	Known      int    // Adopters or Dropped
	SearchURL  string // every use
	YearURL    string // the uses of the list's year
	CiteURL    string // the first use of the list's year
	PlaceList  string
	FirstLabel string
}

// newOptions reads the parameters of /new. Without a year it is the latest
// year the index holds a report of.
func (s *Server) newOptions(c echo.Context) (novelty.Options, error) {
	v := c.QueryParams()
	var o novelty.Options
	if err := checkNames(v, newParams); err != nil {
		return o, err
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{paramProvince, &o.Province}, {paramCity, &o.City}, {paramDistrict, &o.District}} {
		vals, err := multi(v, f.name)
		if err != nil {
			return o, err
		}
		*f.dst = vals
	}
	year, err := single(v, paramYear)
	if err != nil {
		return o, err
	}
	if year != "" {
		y, err := strconv.Atoi(year)
		if err != nil || y < 1949 || y > 2100 {
			return o, &paramError{Param: paramYear, Value: year, Want: "需要一个年份，如 2024"}
		}
		o.Year = y
	} else {
		infos, err := s.searcher.Reports(c.Request().Context())
		if err != nil {
			return o, err
		}
		for _, r := range infos {
			o.Year = max(o.Year, r.Year)
		}
	}
	level, err := oneOf(v, paramLevel, newLevels)
	if err != nil {
		return o, err
	}
	o.Level = spread.Level(level)
	if o.Limit, err = positive(v, paramLimit, defaultNewLimit, maxNewLimit); err != nil {
		return o, err
	}
	return o, nil
}

// findNew runs novelty.Find; options the index cannot answer (a year
// without reports) are the request's mistake.
func (s *Server) findNew(c echo.Context) (*novelty.Result, novelty.Options, error) {
	o, err := s.newOptions(c)
	if err != nil {
		return nil, o, err
	}
	res, err := novelty.Find(c.Request().Context(), s.searcher, o)
	if errors.Is(err, novelty.ErrBadOptions) {
		return nil, o, &paramError{Param: paramYear, Value: strconv.Itoa(o.Year), Want: strings.TrimPrefix(err.Error(), "novelty: ")}
	}
	return res, o, err
}

// newPage serves /new: the new and the disappeared phrases of a year.
func (s *Server) newPage(c echo.Context) error {
	res, o, err := s.findNew(c)
	if err != nil {
		return err
	}
	infos, err := s.searcher.Reports(c.Request().Context())
	if err != nil {
		return err
	}
	v := &newView{Version: s.opts.Version, Result: res, LevelValue: string(o.Level),
		Province: strings.Join(o.Province, "，"), City: strings.Join(o.City, "，"), District: strings.Join(o.District, "，")}
	scope := func(year int, level string) url.Values {
		q := url.Values{}
		if year != 0 {
			q.Set(paramYear, strconv.Itoa(year))
		}
		if level != "" {
			q.Set(paramLevel, level)
		}
		for _, f := range []struct {
			name string
			vs   []string
		}{{paramProvince, o.Province}, {paramCity, o.City}, {paramDistrict, o.District}} {
			for _, x := range f.vs {
				q.Add(f.name, x)
			}
		}
		return q
	}
	var years []int
	for _, r := range infos {
		if r.Year != 0 && !slices.Contains(years, r.Year) {
			years = append(years, r.Year)
		}
	}
	slices.Sort(years)
	for _, y := range years {
		v.Years = append(v.Years, linkView{Label: strconv.Itoa(y), URL: "/new?" + scope(y, string(o.Level)).Encode(), Active: y == o.Year})
	}
	for _, l := range newLevels {
		v.Levels = append(v.Levels, linkView{Label: l.Label, URL: "/new?" + scope(o.Year, l.Value).Encode(), Active: l.Value == string(o.Level)})
	}
	var parts []string
	for _, vs := range [][]string{o.Province, o.City, o.District} {
		parts = append(parts, vs...)
	}
	v.Scope = strings.Join(parts, "、")
	v.APIURL = "/api/new?" + scope(o.Year, string(o.Level)).Encode()
	search := func(p novelty.Phrase, year int) string {
		sp := newSearch(p.Query)
		sp.Province, sp.City, sp.District = o.Province, o.City, o.District
		sp.YearFrom, sp.YearTo = year, year
		return sp.pageURL()
	}
	rows := func(ps []novelty.Phrase, year int, known func(novelty.Phrase) int) []phraseRow {
		out := make([]phraseRow, 0, len(ps))
		for i, p := range ps {
			out = append(out, phraseRow{Phrase: p, Rank: i + 1, Known: known(p),
				SearchURL: search(p, 0), YearURL: search(p, year), CiteURL: docURL(p.Report, p.Query, p.Paragraph),
				PlaceList: strings.Join(p.PlaceNames, "、"), FirstLabel: yearsLabel(p.FirstYear, p.LastYear)})
		}
		return out
	}
	v.New = rows(res.New, res.Year, func(p novelty.Phrase) int { return p.Adopters })
	v.Gone = rows(res.Gone, res.Previous, func(p novelty.Phrase) int { return p.Dropped })
	return c.Render(http.StatusOK, "new.html", v)
}

// apiNew serves /api/new: the novelty.Result, the JSON of `search -new`.
func (s *Server) apiNew(c echo.Context) error {
	res, _, err := s.findNew(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// yearsLabel is the years a phrase was used, for a table cell.
func yearsLabel(first, last int) string {
	if first == last {
		return strconv.Itoa(first)
	}
	return fmt.Sprintf("%d–%d", first, last)
}
