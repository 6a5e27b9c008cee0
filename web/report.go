package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
)

// levelLabels name report levels on the page.
var levelLabels = map[string]string{
	"national": "国家",
	"province": "省级",
	"city":     "市级",
	"district": "区县级",
}

// headingSep joins the parts of a heading path (index.Hit.Heading).
const headingSep = " › "

// docView is the data of doc.html.
type docView struct {
	Report     *index.Report
	Query      string
	Hidden     []hiddenField // none: the form starts a new search
	Version    string
	Level      string
	Meta       []metaField
	Outline    []outlineItem
	Paragraphs []paragraphView
	Matches    int
	SearchURL  string // the query, among reports of this district
	SearchText string
	APIURL     string
	Reuse      *docReuse // nil without a reuse table
	DiffURL    string    // the comparison with the place's previous report, if there is one
}

type metaField struct{ Label, Value string }

type outlineItem struct {
	Label   string
	Anchor  string
	Depth   int
	Matches int // matches of the query under this heading
}

type paragraphView struct {
	index.Paragraph
	Anchor    string
	HTML      template.HTML
	IsHeading bool       // the paragraph is the heading itself
	Reuse     *paraReuse // found in other reports, or boilerplate
}

// reportID reads the {id} path parameter.
func reportID(c echo.Context) (string, error) {
	id, err := url.PathUnescape(c.Param("id"))
	if err != nil || id == "" {
		return "", &paramError{Param: "id", Value: c.Param("id"), Want: "不是有效的报告编号"}
	}
	return id, checkText("id", id)
}

// report reads the id and the optional q of a report URL and fetches it.
func (s *Server) report(c echo.Context) (*index.Report, string, error) {
	p, err := parseSearchParams(c.QueryParams(), docParams, s.opts.MaxPageSize)
	if err != nil {
		return nil, "", err
	}
	id, err := reportID(c)
	if err != nil {
		return nil, "", err
	}
	r, err := s.searcher.Report(c.Request().Context(), id, p.Query)
	if err != nil {
		return nil, "", fmt.Errorf("report %q: %w", id, err)
	}
	return r, p.Query, nil
}

// docPage serves /doc/{id}: one report, with the matches of ?q= marked.
func (s *Server) docPage(c echo.Context) error {
	r, q, err := s.report(c)
	if err != nil {
		return err
	}
	v := newDocView(r, q, s.opts.Version)
	s.markReuse(c.Request().Context(), v)
	v.DiffURL = s.previousDiff(c.Request().Context(), r.ID)
	return c.Render(http.StatusOK, "doc.html", v)
}

// apiDoc serves /api/doc/{id}.
func (s *Server) apiDoc(c echo.Context) error {
	r, _, err := s.report(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func newDocView(r *index.Report, query, version string) *docView {
	v := &docView{Report: r, Query: query, Version: version, Level: levelLabels[r.Level]}
	if v.Level == "" {
		v.Level = r.Level
	}
	for _, f := range []metaField{
		{"级别", v.Level}, {"省份", r.Province}, {"城市", r.City}, {"区县", r.District},
		{"年份", yearLabel(r.Year)}, {"报告人", strings.TrimSpace(r.Office + " " + r.Speaker)},
		{"会议", r.Meeting}, {"来源文件", r.Path},
	} {
		if f.Value != "" {
			v.Meta = append(v.Meta, f)
		}
	}
	search := newSearch(query)
	v.SearchText = "返回搜索"
	if r.District != "" {
		search.District = []string{r.District}
		v.SearchText = "在" + r.District + "的报告中搜索"
	}
	v.SearchURL = search.pageURL()
	v.APIURL = "/api/doc/" + url.PathEscape(r.ID)
	if query != "" {
		v.APIURL += "?" + url.Values{paramQuery: {query}}.Encode()
	}
	section, heading := "\x00", "\x00" // differ from every real value
	inSection, inHeading := -1, -1     // outline items the paragraph is under
	for _, para := range r.Paragraphs {
		pv := paragraphView{Paragraph: para, Anchor: "p" + strconv.Itoa(para.Ordinal), HTML: safeHighlight(para.Highlight, para.Text)}
		if para.Heading != "" {
			parts := strings.Split(para.Heading, headingSep)
			pv.IsHeading = strings.TrimSpace(para.Text) == strings.TrimSpace(parts[len(parts)-1])
		}
		v.Paragraphs = append(v.Paragraphs, pv)
		v.Matches += para.Matches
		if para.Section != section {
			section, inSection, inHeading = para.Section, -1, -1
			if section != "" {
				inSection = len(v.Outline)
				v.Outline = append(v.Outline, outlineItem{Label: section, Anchor: pv.Anchor})
			}
		}
		if para.Heading != heading {
			heading, inHeading = para.Heading, -1
			if heading != "" {
				parts := strings.Split(heading, headingSep)
				inHeading = len(v.Outline)
				v.Outline = append(v.Outline, outlineItem{Label: parts[len(parts)-1], Anchor: pv.Anchor, Depth: len(parts)})
			}
		}
		if inSection >= 0 {
			v.Outline[inSection].Matches += para.Matches
		}
		if inHeading >= 0 {
			v.Outline[inHeading].Matches += para.Matches
		}
	}
	return v
}
