package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
)

// facetLabels name the facet fields on the page.
var facetLabels = map[string]string{
	paramProvince: "省份",
	paramCity:     "城市",
	paramDistrict: "区县",
	paramYear:     "年份",
	paramSection:  "章节",
}

// facetShown is how many values of a facet are listed before "更多".
const facetShown = 8

// examples are the searches offered on the empty page.
var examples = []string{"放管服", "营商环境", "一网通办", "数字政府", "乡村振兴 -脱贫", "district:南山区 科技创新"}

// searchView is the data of search.html.
type searchView struct {
	Params   searchParams
	Query    string
	Version  string
	Searched bool // false on the landing page: nothing was asked yet
	Hidden   []hiddenField

	Total       int
	TookMS      string
	First, Last int // 1-based numbers of the hits shown
	Hits        []hitView
	Facets      []facetView
	Chips       []chipView
	ClearURL    string
	Sorts       []linkView
	Pages       []linkView
	Prev, Next  string
	ExportCSV   string
	ExportJSON  string
	APIURL      string
	SpreadURL   string // /spread for this query and filters
	Trend       *trendView
	Examples    []linkView
	Unfiltered  int    // hits without filters, when the filtered search found none
	UnfilterURL string // the search without filters
}

// hiddenField carries state the query form does not show.
type hiddenField struct{ Name, Value string }

type hitView struct {
	index.Hit
	Snippet template.HTML // the paragraph, or a window around its first match
	Full    template.HTML // the whole paragraph, when Snippet is trimmed
	Trimmed bool
	DocURL  string
	Meta    []string // district · year · section
}

type facetView struct {
	Field, Label string
	Values       []facetValueView
	More         []facetValueView // folded under "更多"
}

type facetValueView struct {
	Field, Value, Label string
	Count               int
	Selected            bool
	URL                 string // toggles this value
}

type chipView struct {
	Field, FieldLabel, Value, RemoveURL string
}

type linkView struct {
	Label, URL string
	Active     bool
}

// searchPage serves /: the form, and when a search is given its hits, facets
// and trend.
func (s *Server) searchPage(c echo.Context) error {
	p, err := parseSearchParams(c.QueryParams(), pageParams, s.opts.MaxPageSize)
	if err != nil {
		return err
	}
	v := &searchView{Params: p, Query: p.Query, Version: s.opts.Version}
	v.Hidden = hiddenFields(p)
	v.Sorts = sortLinks(p)
	if p.Query == "" && !p.hasFilters() {
		for _, ex := range examples {
			v.Examples = append(v.Examples, linkView{Label: ex, URL: newSearch(ex).pageURL()})
		}
		return c.Render(http.StatusOK, "search.html", v)
	}
	v.Searched = true
	ctx := c.Request().Context()
	req := p.request()
	req.TrendBy = cmp.Or(p.By, defaultTrendBy) // counted in the same pass
	res, err := s.searcher.Search(ctx, req)
	if err != nil {
		return err
	}
	facets, err := s.disjunctiveFacets(c, p, res.Facets)
	if err != nil {
		return err
	}
	v.Total = res.Total
	v.TookMS = strconv.FormatFloat(res.TookMS, 'f', 1, 64)
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, newHitView(h, p.Query))
	}
	if len(v.Hits) > 0 {
		v.First = req.Offset + 1
		v.Last = req.Offset + len(v.Hits)
	}
	v.Facets = facetViews(p, facets)
	v.Chips, v.ClearURL = chips(p)
	v.Pages, v.Prev, v.Next = pagination(p, res.Total)
	v.ExportCSV = p.url("/export.csv", false, false)
	v.ExportJSON = p.url("/export.json", false, false)
	v.APIURL = p.url("/api/search", true, false)
	if p.Query != "" {
		v.SpreadURL = p.url("/spread", false, false)
	}
	if res.Total == 0 && p.hasFilters() && p.Query != "" {
		// Say whether the filters are what emptied the page.
		unfiltered := searchParams{Query: p.Query, Page: 1, Size: p.Size, Sort: p.Sort, By: p.By}
		r, err := s.searcher.Search(ctx, index.Request{Query: p.Query, Limit: 1, NoFacets: true})
		if err != nil {
			return err
		}
		v.Unfiltered, v.UnfilterURL = r.Total, unfiltered.pageURL()
	}
	if res.Total > 0 {
		v.Trend = s.trendView(p, res.Trend)
	}
	return c.Render(http.StatusOK, "search.html", v)
}

// disjunctiveFacets returns the facet counts to show. Values of one field are
// ORed, so the counts of a field that has a selection must ignore that
// field's own filter: otherwise choosing 南山区 would hide every other
// district and a second one could never be added. One extra search per
// filtered field gives them.
func (s *Server) disjunctiveFacets(c echo.Context, p searchParams, facets map[string][]index.FacetCount) (map[string][]index.FacetCount, error) {
	out := make(map[string][]index.FacetCount, len(facets))
	for k, v := range facets {
		out[k] = v
	}
	for _, field := range index.FacetFields {
		if len(p.filterValues(field)) == 0 {
			continue
		}
		req := p.with(field, nil).request()
		req.Offset, req.Limit = 0, 1 // Limit 0 would mean every hit
		res, err := s.searcher.Search(c.Request().Context(), req)
		if err != nil {
			return nil, err
		}
		out[field] = res.Facets[field]
	}
	return out, nil
}

func newHitView(h index.Hit, query string) hitView {
	hv := hitView{Hit: h, Full: safeHighlight(h.Highlight, h.Text)}
	var snippet string
	snippet, hv.Trimmed = trimHighlight(string(hv.Full), snippetRunes, snippetLead)
	hv.Snippet = template.HTML(snippet) // cut from safe HTML at character boundaries
	hv.DocURL = docURL(h.Report, query, h.Paragraph)
	for _, m := range []string{h.District, yearLabel(h.Year), h.Section} {
		if m != "" {
			hv.Meta = append(hv.Meta, m)
		}
	}
	if h.District == "" {
		// Reports above district level: name the place they speak for.
		place := h.City
		if place == "" {
			place = h.Province
		}
		if place != "" {
			hv.Meta = append([]string{place}, hv.Meta...)
		}
	}
	return hv
}

// docURL links to a paragraph of a report, keeping the query so its matches
// are highlighted there too.
func docURL(report, query string, paragraph int) string {
	u := "/doc/" + url.PathEscape(report)
	if query != "" {
		u += "?" + url.Values{paramQuery: {query}}.Encode()
	}
	if paragraph > 0 {
		u += "#p" + strconv.Itoa(paragraph)
	}
	return u
}

func yearLabel(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y) + "年"
}

// hiddenFields are the filters and view choices the query form keeps when a
// new query is typed.
func hiddenFields(p searchParams) []hiddenField {
	var out []hiddenField
	v := p.values(false, true)
	for _, name := range pageParams {
		if name == paramQuery {
			continue
		}
		for _, val := range v[name] {
			out = append(out, hiddenField{name, val})
		}
	}
	return out
}

func sortLinks(p searchParams) []linkView {
	var out []linkView
	for _, o := range sortOrders {
		q := p.clone()
		q.Page = 1
		q.Sort = o.Value
		if o.Value == "relevance" {
			q.Sort = ""
		}
		out = append(out, linkView{Label: o.Label, URL: q.pageURL(), Active: q.Sort == p.Sort})
	}
	return out
}

// facetViews orders and labels the facet counts. Selected values are listed
// even when they have no hits, so they can be seen and removed.
func facetViews(p searchParams, facets map[string][]index.FacetCount) []facetView {
	var out []facetView
	for _, field := range index.FacetFields {
		fv := facetView{Field: field, Label: facetLabels[field]}
		counts := slices.Clone(facets[field])
		if field == paramYear {
			sort.SliceStable(counts, func(i, j int) bool { return counts[i].Value > counts[j].Value })
		}
		seen := map[string]bool{}
		var vals []facetValueView
		for _, fc := range counts {
			seen[fc.Value] = true
			vals = append(vals, facetValue(p, field, fc.Value, fc.Count))
		}
		if field != paramYear {
			for _, sel := range p.filterValues(field) {
				if !seen[sel] {
					vals = append(vals, facetValue(p, field, sel, 0))
				}
			}
		}
		if len(vals) == 0 {
			continue
		}
		// Selected values first, so a long list never hides them under "更多".
		sort.SliceStable(vals, func(i, j int) bool { return vals[i].Selected && !vals[j].Selected })
		if len(vals) > facetShown+2 {
			fv.Values, fv.More = vals[:facetShown], vals[facetShown:]
		} else {
			fv.Values = vals
		}
		out = append(out, fv)
	}
	return out
}

func facetValue(p searchParams, field, value string, count int) facetValueView {
	fv := facetValueView{Field: field, Value: value, Label: value, Count: count, URL: p.toggle(field, value).pageURL()}
	if value == "" {
		fv.Label = "（未注明）"
	}
	if field == paramYear {
		y, err := strconv.Atoi(value)
		fv.Selected = err == nil && (p.YearFrom != 0 || p.YearTo != 0) &&
			(p.YearFrom == 0 || y >= p.YearFrom) && (p.YearTo == 0 || y <= p.YearTo)
	} else {
		fv.Selected = slices.Contains(p.filterValues(field), value)
	}
	return fv
}

// chips are the active filters, each with a link that removes it, and a
// link removing them all.
func chips(p searchParams) ([]chipView, string) {
	var out []chipView
	for _, field := range index.FacetFields {
		for _, val := range p.filterValues(field) {
			rest := slices.DeleteFunc(slices.Clone(p.filterValues(field)), func(s string) bool { return s == val })
			label := val
			if field == paramYear {
				label = strings.ReplaceAll(val, "..", "–")
			}
			out = append(out, chipView{Field: field, FieldLabel: facetLabels[field], Value: label, RemoveURL: p.with(field, rest).pageURL()})
		}
	}
	clear := searchParams{Query: p.Query, Page: 1, Size: p.Size, Sort: p.Sort, By: p.By}
	return out, clear.pageURL()
}

// pagination returns links to a window of pages around the current one,
// with the first and last page always reachable.
func pagination(p searchParams, total int) (pages []linkView, prev, next string) {
	last := (min(total, maxPagedResults) + p.Size - 1) / p.Size
	if last <= 1 {
		return nil, "", ""
	}
	at := func(n int) string {
		q := p.clone()
		q.Page = n
		return q.pageURL()
	}
	if p.Page > 1 {
		prev = at(p.Page - 1)
	}
	if p.Page < last {
		next = at(p.Page + 1)
	}
	lo, hi := max(1, p.Page-3), min(last, p.Page+3)
	if lo > 1 {
		pages = append(pages, linkView{Label: "1", URL: at(1)})
		if lo > 2 {
			pages = append(pages, linkView{Label: "…"})
		}
	}
	for n := lo; n <= hi; n++ {
		pages = append(pages, linkView{Label: strconv.Itoa(n), URL: at(n), Active: n == p.Page})
	}
	if hi < last {
		if hi < last-1 {
			pages = append(pages, linkView{Label: "…"})
		}
		pages = append(pages, linkView{Label: strconv.Itoa(last), URL: at(last)})
	}
	return pages, prev, next
}
