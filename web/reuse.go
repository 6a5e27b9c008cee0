package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/query"
	"github.com/zhengce/zhengce/reuse"
)

// ReuseSource gives the text reuse table (package reuse) of the index a
// Server searches; *reuse.Cache is one. It must be safe for concurrent use.
type ReuseSource interface {
	Table(ctx context.Context) (*reuse.Table, error)
}

// Parameters of /reuse and /api/reuse.
const (
	paramPlace     = "place"
	defaultReuseN  = 30
	maxReuseN      = 1000
	reuseSnippetCh = 120 // characters of a passage shown on /reuse
)

var reuseParams = []string{paramPlace, paramYear, paramSize}

// reuseRoutes adds the pages and API of text reuse.
func (s *Server) reuseRoutes(e *echo.Echo, methods []string) {
	e.Match(methods, "/reuse", s.reusePage)
	e.Match(methods, "/api/reuse", s.apiReuse)
	e.Match(methods, "/api/reuse/:id", s.apiReuseReport)
}

// reuseTable returns the table, or a 404 when the server has none.
func (s *Server) reuseTable(ctx context.Context) (*reuse.Table, error) {
	if s.opts.Reuse == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, "本服务没有载入文本复用数据")
	}
	t, err := s.opts.Reuse.Table(ctx)
	if err != nil {
		return nil, fmt.Errorf("web: text reuse: %w", err)
	}
	return t, nil
}

// reuseFilter reads place, year and size.
func reuseFilter(v url.Values) (reuse.Filter, int, error) {
	var f reuse.Filter
	if err := checkNames(v, reuseParams); err != nil {
		return f, 0, err
	}
	place, err := single(v, paramPlace)
	if err != nil {
		return f, 0, err
	}
	if f.Place = strings.TrimSpace(place); len([]rune(f.Place)) > maxFilterRunes {
		return f, 0, &paramError{Param: paramPlace, Value: place, Want: fmt.Sprintf("不能超过 %d 个字", maxFilterRunes)}
	}
	year, err := single(v, paramYear)
	if err != nil {
		return f, 0, err
	}
	if year = strings.TrimSpace(year); year != "" {
		if f.YearFrom, f.YearTo, err = query.ParseYear(year); err != nil {
			return f, 0, &paramError{Param: paramYear, Value: year, Want: "应为年份如 2019 或范围如 2018..2021"}
		}
	}
	n := defaultReuseN
	size, err := single(v, paramSize)
	if err != nil {
		return f, 0, err
	}
	if size != "" {
		if n, err = strconv.Atoi(size); err != nil || n < 1 || n > maxReuseN {
			return f, 0, &paramError{Param: paramSize, Value: size, Want: fmt.Sprintf("应为 1 到 %d 的整数", maxReuseN)}
		}
	}
	return f, n, nil
}

// apiReuse serves /api/reuse: the most reused passages, the pairs of
// reports that share most and the reports most made of earlier text of
// other places, filtered by place and year (the JSON of `search -reuse-top`).
func (s *Server) apiReuse(c echo.Context) error {
	f, n, err := reuseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	t, err := s.reuseTable(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t.TopView(f, n))
}

// apiReuseReport serves /api/reuse/{id}: every marked paragraph of one
// report (the JSON of `search -reuse REPORT`).
func (s *Server) apiReuseReport(c echo.Context) error {
	if err := checkNames(c.QueryParams(), nil); err != nil {
		return err
	}
	id, err := reportID(c)
	if err != nil {
		return err
	}
	t, err := s.reuseTable(c.Request().Context())
	if err != nil {
		return err
	}
	r, ok := t.Lookup(id)
	if !ok {
		return fmt.Errorf("text reuse of report %q: %w", id, index.ErrNotFound)
	}
	return c.JSON(http.StatusOK, t.View(r))
}

// reuseLink is a link to a report or one of its paragraphs.
type reuseLink struct{ Href, Label, Title string }

func refLink(r reuse.Ref) reuseLink {
	l := reuseLink{Href: "/doc/" + url.PathEscape(r.Report), Label: placeYear(r), Title: r.Title}
	if r.Paragraph > 0 {
		l.Href += "#p" + strconv.Itoa(r.Paragraph)
		l.Label += " 第 " + strconv.Itoa(r.Paragraph) + " 段"
	}
	if r.Containment > 0 && r.Containment < 1 {
		l.Label += fmt.Sprintf("（%s相同）", percent(r.Containment))
	}
	return l
}

func placeYear(r reuse.Ref) string {
	p := r.Place()
	if r.City != "" && r.District != "" {
		p = r.City + r.District
	}
	if p == "" {
		p = "地点不明"
	}
	if r.Year > 0 {
		return p + " " + strconv.Itoa(r.Year) + "年"
	}
	return p
}

func percent(f float64) string {
	if f > 0 && f < 0.001 {
		return "<0.1%"
	}
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}

// docReuse is the reuse summary at the head of a report.
type docReuse struct {
	Share, SamePlace, Boilerplate string
	Reused                        int // paragraphs found in earlier reports of other places
	Link                          string
}

// paraReuse is the mark of one paragraph.
type paraReuse struct {
	Kind      string // copied, first, same-place, boilerplate
	Text      string
	Source    *reuseLink
	More      string
	Found     []reuseLink
	SameFound []reuseLink
}

// markReuse adds the reuse of the report to v. A table that cannot be had
// leaves the page as it is: the report is still worth reading.
func (s *Server) markReuse(ctx context.Context, v *docView) {
	if s.opts.Reuse == nil {
		return
	}
	t, err := s.opts.Reuse.Table(ctx)
	if err != nil {
		s.errorLog.Printf("text reuse of %s: %v", v.Report.ID, err)
		return
	}
	r, ok := t.Lookup(v.Report.ID)
	if !ok {
		return
	}
	place := r.District
	if place == "" {
		place = r.City
	}
	if place == "" {
		place = r.Province
	}
	v.Reuse = &docReuse{Share: percent(r.Share()), SamePlace: percent(share(r.SamePlace, r.Chars)),
		Boilerplate: percent(share(r.Boilerplate, r.Chars)), Link: "/reuse"}
	if place != "" {
		v.Reuse.Link += "?" + url.Values{paramPlace: {place}}.Encode()
	}
	for i := range v.Paragraphs {
		pv := &v.Paragraphs[i]
		m, ok := r.Mark(pv.Ordinal)
		if !ok {
			continue
		}
		pr := newParaReuse(t.ParagraphView(r, m))
		if pr.Kind == "copied" {
			v.Reuse.Reused++
		}
		pv.Reuse = pr
	}
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func newParaReuse(pv reuse.ParagraphView) *paraReuse {
	pr := &paraReuse{}
	switch {
	case pv.Boilerplate:
		pr.Kind = "boilerplate"
		pr.Text = "套话：许多地方的报告都有这段话，不计为复用"
		if pv.Places > 0 {
			pr.Text = fmt.Sprintf("套话：%d 个地方的报告都有这段话，不计为复用", pv.Places)
		}
		return pr
	case pv.Source != nil:
		pr.Kind = "copied"
		pr.Text = "最早见于"
		l := refLink(*pv.Source)
		pr.Source = &l
	case pv.Others > 0:
		pr.Kind = "first"
		pr.Text = fmt.Sprintf("其他地方没有更早的报告有此段；%d 份其他地方的报告（同年或更晚）也有", pv.Others)
	default:
		pr.Kind = "same-place"
		pr.Text = fmt.Sprintf("本地其他年份的 %d 份报告也有此段（同一地方沿用，不计为复用）", pv.Same)
	}
	for _, f := range pv.Found {
		pr.Found = append(pr.Found, refLink(f))
	}
	for _, f := range pv.SameFound {
		pr.SameFound = append(pr.SameFound, refLink(f))
	}
	var parts []string
	if pv.Others > 0 {
		parts = append(parts, fmt.Sprintf("见于 %d 份其他地方的报告", pv.Others))
	}
	if pv.Same > 0 && pr.Kind != "same-place" {
		parts = append(parts, fmt.Sprintf("本地其他年份 %d 份（不计为复用）", pv.Same))
	}
	pr.More = strings.Join(parts, "；")
	return pr
}

// reuseView is the data of reuse.html.
type reuseView struct {
	Query   string
	Hidden  []hiddenField
	Version string
	Place   string
	Year    string
	Top     *reuse.Top
	// ThresholdPct is the threshold, as a percentage.
	ThresholdPct string
	Passages     []passageRow
	Pairs        []pairRow
	Reports      []reportRow
	APIURL       string
}

type passageRow struct {
	Original reuseLink
	Text     string
	Places   int
	Reports  int
	Found    []reuseLink
}

type pairRow struct {
	A, B       reuseLink
	AinB, BinA int
	AShare     string
	BShare     string
	Paragraphs int
	SameYear   bool
}

type reportRow struct {
	Report        reuseLink
	Share         string
	Reused, Chars int
}

// reusePage serves /reuse: the corpus view of text reuse.
func (s *Server) reusePage(c echo.Context) error {
	f, n, err := reuseFilter(c.QueryParams())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.reuseTable(ctx)
	if err != nil {
		return err
	}
	top := t.TopView(f, n)
	v := &reuseView{Version: s.opts.Version, Place: f.Place, Top: top, APIURL: "/api/reuse",
		ThresholdPct: strconv.FormatFloat(100*top.Threshold, 'f', -1, 64) + "%"}
	v.Year = strings.TrimSpace(c.QueryParam(paramYear))
	if q := c.QueryParams().Encode(); q != "" {
		v.APIURL += "?" + q
	}
	texts := map[string]map[int]string{} // report → ordinal → text
	for _, p := range top.Passages {
		row := passageRow{Original: refLink(p.Original), Places: p.Places, Reports: p.Reports}
		if texts[p.Original.Report] == nil {
			texts[p.Original.Report] = map[int]string{}
			if rep, err := s.searcher.Report(ctx, p.Original.Report, ""); err == nil {
				for _, para := range rep.Paragraphs {
					texts[p.Original.Report][para.Ordinal] = para.Text
				}
			} else if ctx.Err() != nil {
				return err
			}
		}
		row.Text = snippet(texts[p.Original.Report][p.Original.Paragraph], reuseSnippetCh)
		for _, r := range p.Found {
			row.Found = append(row.Found, refLink(r))
		}
		v.Passages = append(v.Passages, row)
	}
	for _, p := range top.Pairs {
		v.Pairs = append(v.Pairs, pairRow{A: refLink(p.A), B: refLink(p.B), AinB: p.AinB, BinA: p.BinA,
			AShare: percent(p.AShare), BShare: percent(p.BShare), Paragraphs: p.Paragraphs, SameYear: p.A.Year == p.B.Year})
	}
	for _, r := range top.Reports {
		v.Reports = append(v.Reports, reportRow{Report: refLink(r.Ref), Share: percent(r.Share), Reused: r.Reused, Chars: r.Chars})
	}
	return c.Render(http.StatusOK, "reuse.html", v)
}

// snippet cuts s to n characters.
func snippet(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
