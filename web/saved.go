package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/saved"
)

// Saved searches: the page listing them, one page each with its new
// matches, its Atom feed, and the forms that save, mark seen and delete.
//
//	GET  /saved              every saved search with what is new in it
//	POST /saved              save: name, q and the filters of a search URL
//	GET  /saved/NAME         its new matches since the last look
//	GET  /saved/NAME.atom    its Atom feed
//	POST /saved/NAME/seen    record a look
//	POST /saved/NAME/delete  delete it
//	GET  /api/saved          every saved search with its new matches, as JSON
//
// The forms change state, so they are POSTs and refused unless the browser
// says they come from this site (Sec-Fetch-Site, Origin, Referer): another
// site cannot make a reader's browser save or delete searches.

const (
	paramName      = "name"
	atomSuffix     = ".atom"
	maxFormBytes   = 64 << 10
	savedParagraph = 20 // paragraphs shown per new report
	feedReports    = 50 // reports in a feed
	feedParagraphs = 10 // paragraphs per report in a feed
)

// saveParams are the fields of the save form: a search URL's and the name.
var saveParams = append(slices.Clone(pageParams), paramName)

func (s *Server) savedRoutes(e *echo.Echo, getOrHead []string) {
	e.Match(getOrHead, "/saved", s.savedList)
	e.POST("/saved", s.saveSearch)
	e.Match(getOrHead, "/saved/:name", s.savedPage)
	e.POST("/saved/:name/seen", s.savedSeen)
	e.POST("/saved/:name/delete", s.savedDelete)
	e.Match(getOrHead, "/api/saved", s.apiSaved)
}

// store is the saved searches, or a 404 when the server keeps none.
func (s *Server) store() (*saved.Store, error) {
	if s.opts.Saved == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, "此服务器不保存检索")
	}
	return s.opts.Saved, nil
}

// savedErr turns the store's errors about the request into 4xx.
func savedErr(err error) error {
	var he *echo.HTTPError
	switch {
	case err == nil, errors.As(err, &he):
		return err
	case errors.Is(err, saved.ErrNotFound):
		return echo.NewHTTPError(http.StatusNotFound, "没有这个已保存的检索")
	case errors.Is(err, saved.ErrBadName):
		return &paramError{Param: paramName, Want: "名称只能由字母、汉字、数字、- 和 _ 组成，最长 64 个字符"}
	case errors.Is(err, saved.ErrExists):
		return echo.NewHTTPError(http.StatusConflict, "已有同名的已保存检索；请换一个名称，或先删除它")
	case errors.Is(err, saved.ErrTooMany):
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("已保存的检索最多 %d 个；请先删除一些", saved.MaxSearches))
	}
	return err
}

// sameOrigin refuses a state-changing request another site made the
// browser send. Browsers send Sec-Fetch-Site and Origin with every form
// POST; a request with neither (curl, a script) is not a browser's and
// is let through.
func sameOrigin(r *http.Request) error {
	forbidden := echo.NewHTTPError(http.StatusForbidden, "拒绝来自其他网站的请求")
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return forbidden
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = r.Header.Get("Referer")
	}
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host != r.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return forbidden
	}
	return nil
}

// postForm checks a POST and returns its form fields.
func postForm(c echo.Context) (url.Values, error) {
	r := c.Request()
	if err := sameOrigin(r); err != nil {
		return nil, err
	}
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "表单无法读取："+err.Error())
	}
	return r.PostForm, nil
}

// savedName reads the name in the path.
func savedName(c echo.Context) (string, error) {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return "", &paramError{Param: paramName, Value: c.Param("name"), Want: "名称不是有效的网址编码"}
	}
	if err := saved.CheckName(name); err != nil {
		return "", savedErr(err)
	}
	return name, nil
}

func (s *Server) saveSearch(c echo.Context) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	name, err := single(form, paramName)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if err := saved.CheckName(name); err != nil {
		return savedErr(err)
	}
	form.Del(paramName)
	p, err := parseSearchParams(form, saveParams, s.opts.MaxPageSize)
	if err != nil {
		return err
	}
	if p.Query == "" && !p.hasFilters() {
		return &paramError{Param: paramQuery, Want: "要保存的检索没有查询词，也没有筛选条件"}
	}
	req := p.request()
	if _, err := st.Save(c.Request().Context(), s.searcher, name, req); err != nil {
		return savedErr(err)
	}
	return c.Redirect(http.StatusSeeOther, savedURL(name))
}

func savedURL(name string) string { return "/saved/" + url.PathEscape(name) }

// savedSearchView is one saved search on a page.
type savedSearchView struct {
	Name, Description string
	URL, FeedURL      string
	SearchURL         string // the search on the search page
	Looked            string
	Total, Reports    int
	NewHits           int
	New               []newReportView
}

type newReportView struct {
	saved.Report
	Place   string
	DocURL  string
	Changed bool      // a replaced report that matches more than it did
	Shown   []hitView // its matching paragraphs shown
	More    int       // matching paragraphs not shown
}

// savedView is the data of saved.html: the list, or one saved search.
type savedView struct {
	Query    string
	Hidden   []hiddenField
	Version  string
	List     []savedSearchView
	One      *savedSearchView
	Listing  bool
	APIURL   string
	SavedNow bool
}

func newSavedSearchView(m *saved.Matches, paragraphs bool) savedSearchView {
	srch := &m.Search
	p := newSearch(srch.Query)
	p.Province, p.City, p.District, p.Section = srch.Province, srch.City, srch.District, srch.Section
	p.YearFrom, p.YearTo = srch.YearFrom, srch.YearTo
	v := savedSearchView{Name: srch.Name, Description: describeSaved(srch), URL: savedURL(srch.Name),
		FeedURL: savedURL(srch.Name) + atomSuffix, SearchURL: p.pageURL(), Looked: srch.Looked.Local().Format("2006-01-02 15:04"),
		Total: m.Total, Reports: m.Reports, NewHits: m.NewHits}
	for _, r := range m.New {
		rv := newReportView{Report: r, Changed: r.Before > 0, DocURL: docURL(r.ID, srch.Query, 0)}
		rv.Place = strings.Join(slices.DeleteFunc([]string{r.Province, r.City, r.District}, func(s string) bool { return s == "" }), " ")
		if rv.Place == "" {
			rv.Place = "全国"
		}
		if paragraphs {
			for _, h := range r.Paragraphs {
				rv.Shown = append(rv.Shown, newHitView(h, srch.Query))
			}
			rv.More = r.Hits - len(r.Paragraphs)
		}
		v.New = append(v.New, rv)
	}
	return v
}

// describeSaved says in words what a saved search looks for.
func describeSaved(srch *saved.Search) string {
	parts := []string{}
	if srch.Query != "" {
		parts = append(parts, "“"+srch.Query+"”")
	}
	for _, f := range []struct {
		label string
		vs    []string
	}{{"省份", srch.Province}, {"城市", srch.City}, {"区县", srch.District}, {"部分", srch.Section}} {
		if len(f.vs) > 0 {
			parts = append(parts, f.label+"："+strings.Join(f.vs, "、"))
		}
	}
	if y := formatYear(srch.YearFrom, srch.YearTo); y != "" {
		parts = append(parts, "年份："+y)
	}
	return strings.Join(parts, " · ")
}

func (s *Server) savedList(c echo.Context) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if err := checkNames(c.QueryParams(), nil); err != nil {
		return err
	}
	ms, err := s.allSaved(c, st, 0)
	if err != nil {
		return err
	}
	v := &savedView{Version: s.opts.Version, Listing: true, APIURL: "/api/saved"}
	for i := range ms {
		v.List = append(v.List, newSavedSearchView(&ms[i], false))
	}
	return c.Render(http.StatusOK, "saved.html", v)
}

// allSaved finds what is new in every saved search, without looking.
func (s *Server) allSaved(c echo.Context, st *saved.Store, paragraphs int) ([]saved.Matches, error) {
	list, err := st.List()
	if err != nil {
		return nil, err
	}
	out := []saved.Matches{}
	for _, srch := range list {
		m, err := st.New(c.Request().Context(), s.searcher, srch.Name, paragraphs)
		if errors.Is(err, saved.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

func (s *Server) apiSaved(c echo.Context) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if err := checkNames(c.QueryParams(), nil); err != nil {
		return err
	}
	ms, err := s.allSaved(c, st, savedParagraph)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ms)
}

// savedPage serves /saved/NAME, and /saved/NAME.atom.
func (s *Server) savedPage(c echo.Context) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if err := checkNames(c.QueryParams(), nil); err != nil {
		return err
	}
	if strings.HasSuffix(c.Param("name"), atomSuffix) {
		return s.savedFeed(c, st)
	}
	name, err := savedName(c)
	if err != nil {
		return err
	}
	m, err := st.New(c.Request().Context(), s.searcher, name, savedParagraph)
	if err != nil {
		return savedErr(err)
	}
	one := newSavedSearchView(m, true)
	return c.Render(http.StatusOK, "saved.html", &savedView{Version: s.opts.Version, One: &one, APIURL: "/api/saved"})
}

// savedFeed serves the Atom feed of a saved search.
func (s *Server) savedFeed(c echo.Context, st *saved.Store) error {
	c.SetParamValues(strings.TrimSuffix(c.Param("name"), atomSuffix))
	name, err := savedName(c)
	if err != nil {
		return err
	}
	m, recent, err := st.Recent(c.Request().Context(), s.searcher, name, feedReports, feedParagraphs)
	if err != nil {
		return savedErr(err)
	}
	base := baseURL(c.Request())
	srch := m.Search
	b, err := saved.Atom(&srch, recent, saved.FeedLinks{
		Self:      base + savedURL(name) + atomSuffix,
		Alternate: base + savedURL(name),
		Paragraph: func(h index.Hit) string { return base + docURL(h.Report, srch.Query, h.Paragraph) },
	}, time.Now())
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", b)
}

// baseURL is the scheme and host the request was made to, for the
// absolute links a feed needs.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) savedSeen(c echo.Context) error {
	return s.savedChange(c, func(st *saved.Store, name string) (string, error) {
		_, err := st.Look(c.Request().Context(), s.searcher, name, 0)
		return savedURL(name), err
	})
}

func (s *Server) savedDelete(c echo.Context) error {
	return s.savedChange(c, func(st *saved.Store, name string) (string, error) {
		return "/saved", st.Delete(name)
	})
}

// savedChange runs a form that changes a saved search, then redirects.
func (s *Server) savedChange(c echo.Context, change func(*saved.Store, string) (string, error)) error {
	st, err := s.store()
	if err != nil {
		return err
	}
	if _, err := postForm(c); err != nil {
		return err
	}
	name, err := savedName(c)
	if err != nil {
		return err
	}
	to, err := change(st, name)
	if err != nil {
		return savedErr(err)
	}
	return c.Redirect(http.StatusSeeOther, to)
}
