package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reportdiff"
)

// Parameters of /diff/{id} and /api/diff/{id}.
const (
	paramWith = "with" // the report to compare with, instead of the previous year's
	paramSame = "same" // show or hide (the default) the unchanged paragraphs
)

var (
	diffParams    = []string{paramWith, paramSame}
	apiDiffParams = []string{paramWith}
	sameChoices   = []struct{ Value, Label string }{{"hide", "折叠未改动的段落"}, {"show", "显示未改动的段落"}}
)

// diffRoutes adds the comparison of two reports.
func (s *Server) diffRoutes(e *echo.Echo, methods []string) {
	e.Match(methods, "/diff/:id", s.diffPage)
	e.Match(methods, "/api/diff/:id", s.apiDiff)
}

// errNoPrevious is answered 404 with its message: /diff/{id} without with=
// of a report that has no earlier report of its place, or a report id
// that names no report.
type errNoPrevious struct{ err error }

func (e *errNoPrevious) Error() string { return e.err.Error() }

// compare reads {id} and with=, finds the two reports and compares them.
func (s *Server) compare(c echo.Context, allowed []string) (*reportdiff.Diff, error) {
	v := c.QueryParams()
	if err := checkNames(v, allowed); err != nil {
		return nil, err
	}
	id, err := reportID(c)
	if err != nil {
		return nil, err
	}
	with, err := single(v, paramWith)
	if err != nil {
		return nil, err
	}
	if _, ok := v[paramWith]; ok && with == "" {
		return nil, &paramError{Param: paramWith, Want: "应为要对比的报告编号"}
	}
	ctx := c.Request().Context()
	infos, err := s.searcher.Reports(ctx)
	if err != nil {
		return nil, err
	}
	find := func(ref string) (index.ReportInfo, error) {
		ri, err := reportdiff.Find(infos, ref)
		if errors.Is(err, index.ErrNotFound) {
			return ri, &errNoPrevious{fmt.Errorf("找不到编号或来源路径为 %q 的报告", ref)}
		}
		return ri, err
	}
	newer, err := find(id)
	if err != nil {
		return nil, err
	}
	var older index.ReportInfo
	if with != "" {
		if older, err = find(with); err != nil {
			return nil, err
		}
	} else if older, err = reportdiff.Previous(infos, newer.ID); err != nil {
		if errors.Is(err, reportdiff.ErrNoPrevious) {
			return nil, &errNoPrevious{fmt.Errorf("%s没有更早年份的报告可以对比；可用 ?with=报告编号 指定要对比的报告", placeLabel(newer))}
		}
		return nil, err
	}
	a, err := s.searcher.Report(ctx, older.ID, "")
	if err != nil {
		return nil, fmt.Errorf("report %q: %w", older.ID, err)
	}
	b, err := s.searcher.Report(ctx, newer.ID, "")
	if err != nil {
		return nil, fmt.Errorf("report %q: %w", newer.ID, err)
	}
	// The alignment is CPU work like a search: it takes a search slot.
	return limited(ctx, s.searcher, fmt.Sprintf("diff %q %q", older.ID, newer.ID), func() (*reportdiff.Diff, error) {
		return reportdiff.Compare(a, b, reportdiff.Options{})
	})
}

// apiDiff serves /api/diff/{id}[?with=]: the reportdiff.Diff, the JSON of
// `search diff -json`.
func (s *Server) apiDiff(c echo.Context) error {
	d, err := s.compare(c, apiDiffParams)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// diffView is the data of diff.html.
type diffView struct {
	Query   string
	Hidden  []hiddenField
	Version string
	*reportdiff.Diff
	OldLabel, NewLabel string // place and year of each side
	OldURL, NewURL     string
	Rows               []diffRow
	ShowSame           bool
	SameHidden         int    // unchanged paragraphs collapsed
	ToggleURL          string // the same comparison with the unchanged paragraphs shown or hidden
	APIURL             string
	NewTerms, Dropped  []termView
}

// diffRow is one row of the side-by-side table: a pair, or a run of
// unchanged pairs collapsed into one line.
type diffRow struct {
	Kind      string // same, changed, added, removed, or folded
	Anchor    string // r + the index of its first pair
	Old, New  *sideView
	Moved     bool
	Join      string
	Folded    int // unchanged paragraphs in a folded row
	FoldedURL string
}

// sideView is one side of a row.
type sideView struct {
	Paragraph int
	Old       bool   // the old side: its changed text was deleted, not inserted
	URL       string // the paragraph in the report view
	Text      string
	Sentences []sentenceView // a changed paragraph's sentences
}

type sentenceView struct {
	Changed bool
	Spans   []reportdiff.Span
}

// termView is a phrase new or dropped, linked to its first paragraph.
type termView struct {
	reportdiff.Term
	URL string
}

// diffPage serves /diff/{id}: two reports side by side, old | new.
func (s *Server) diffPage(c echo.Context) error {
	d, err := s.compare(c, diffParams)
	if err != nil {
		return err
	}
	same, err := oneOf(c.QueryParams(), paramSame, sameChoices)
	if err != nil {
		return err
	}
	v := &diffView{Version: s.opts.Version, Diff: d, ShowSame: same == "show",
		OldLabel: sideLabel(d.Old), NewLabel: sideLabel(d.New),
		OldURL: docURL(d.Old.ID, "", 0), NewURL: docURL(d.New.ID, "", 0)}
	with := c.QueryParam(paramWith)
	link := func(showSame bool) string {
		q := url.Values{}
		if with != "" {
			q.Set(paramWith, with)
		}
		if showSame {
			q.Set(paramSame, "show")
		}
		u := "/diff/" + url.PathEscape(c.Param("id"))
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		return u
	}
	v.ToggleURL = link(!v.ShowSame)
	v.APIURL = "/api/diff/" + url.PathEscape(c.Param("id"))
	if with != "" {
		v.APIURL += "?" + url.Values{paramWith: {with}}.Encode()
	}
	side := func(id string, sd *reportdiff.Side) *sideView {
		if sd == nil {
			return nil
		}
		out := &sideView{Paragraph: sd.Paragraph, Old: id == d.Old.ID, URL: docURL(id, "", sd.Paragraph), Text: sd.Text}
		for _, st := range sd.Sentences {
			out.Sentences = append(out.Sentences, sentenceView{Changed: st.Changed, Spans: st.Spans})
		}
		return out
	}
	for i := 0; i < len(d.Pairs); i++ {
		p := d.Pairs[i]
		if p.Kind == reportdiff.Same && !p.Moved && p.Join == "" && !v.ShowSame {
			n := 1
			for i+n < len(d.Pairs) && d.Pairs[i+n].Kind == reportdiff.Same && !d.Pairs[i+n].Moved && d.Pairs[i+n].Join == "" {
				n++
			}
			v.Rows = append(v.Rows, diffRow{Kind: "folded", Anchor: "r" + strconv.Itoa(i), Folded: n, FoldedURL: link(true) + "#r" + strconv.Itoa(i)})
			v.SameHidden += n
			i += n - 1
			continue
		}
		v.Rows = append(v.Rows, diffRow{Kind: p.Kind, Anchor: "r" + strconv.Itoa(i), Old: side(d.Old.ID, p.Old), New: side(d.New.ID, p.New), Moved: p.Moved, Join: p.Join})
	}
	terms := func(id string, ts []reportdiff.Term) []termView {
		out := make([]termView, 0, len(ts))
		for _, t := range ts {
			out = append(out, termView{Term: t, URL: docURL(id, t.Text, t.Paragraph)})
		}
		return out
	}
	v.NewTerms, v.Dropped = terms(d.New.ID, d.NewTerms), terms(d.Old.ID, d.DroppedTerms)
	return c.Render(http.StatusOK, "diff.html", v)
}

// placeLabel names the place of a report: district, city or province;
// 全国 for the national level, and a report whose place is not known says
// so.
func placeLabel(r index.ReportInfo) string {
	for _, s := range []string{r.District, r.City, r.Province} {
		if s != "" {
			return s
		}
	}
	return unnamedPlace(r.Level)
}

// unnamedPlace is the label of a place without a name at level.
func unnamedPlace(level string) string {
	if level == "national" {
		return "全国"
	}
	if l := levelLabels[level]; l != "" {
		return "未注明地区（" + l + "）"
	}
	return "未注明地区"
}

// sideLabel is "南山区 2019" for one side of a comparison.
func sideLabel(m reportdiff.Meta) string {
	l := placeLabel(index.ReportInfo{Level: m.Level, Province: m.Province, City: m.City, District: m.District})
	if m.Year != 0 {
		l += " " + strconv.Itoa(m.Year)
	}
	return l
}

// previousDiff is the URL comparing the report with id with its place's
// previous one, or "" when there is none.
func (s *Server) previousDiff(ctx context.Context, id string) string {
	infos, err := s.searcher.Reports(ctx)
	if err != nil {
		return ""
	}
	if _, err := reportdiff.Previous(infos, id); err != nil {
		return ""
	}
	return "/diff/" + url.PathEscape(id)
}
