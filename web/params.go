package web

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/query"
)

// Parameter names. The search page, the export and the API share them, so a
// search URL can be turned into an export or API URL by changing the path.
const (
	paramQuery    = "q"
	paramProvince = "province"
	paramCity     = "city"
	paramDistrict = "district"
	paramYear     = "year"
	paramSection  = "section"
	paramPage     = "page"
	paramSize     = "size"
	paramSort     = "sort"
	paramBy       = "by" // split of the trend panel
)

// Which parameters each kind of URL accepts; anything else is a 400 naming
// it, so a typo (distrct=南山区) is not silently ignored.
var (
	filterParams = []string{paramQuery, paramProvince, paramCity, paramDistrict, paramYear, paramSection}
	pageParams   = append(slices.Clone(filterParams), paramPage, paramSize, paramSort, paramBy)
	apiParams    = append(slices.Clone(filterParams), paramPage, paramSize, paramSort)
	exportParams = append(slices.Clone(filterParams), paramSort)
	docParams    = []string{paramQuery}
)

// Limits on user input, so one request cannot make the server do unbounded
// work. Deep paging is refused because the index must rank offset+size hits
// to return the last size; exports exist for reading everything.
const (
	defaultPageSize = 20
	maxQueryRunes   = 1000
	maxFilterValues = 50
	maxFilterRunes  = 100
	maxPagedResults = 10000
	defaultTrendBy  = "district"
)

// sortOrders are the values of the sort parameter, as index.Request.Sort
// takes them, with their labels on the page.
var sortOrders = []struct{ Value, Label string }{
	{"relevance", "相关度"},
	{"year", "最新在前"},
	{"year-asc", "最早在前"},
}

// trendSplits are the values of the by parameter.
var trendSplits = []struct{ Value, Label string }{
	{"district", "按区县"},
	{"province", "按省份"},
}

// paramError is a bad request parameter; its message names the parameter and
// the value received, in the interface language.
type paramError struct {
	Param, Value, Want string
}

func (e *paramError) Error() string {
	name := e.Param
	if !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) {
		name = strconv.Quote(name)
	}
	if e.Value == "" {
		return fmt.Sprintf("参数 %s：%s", name, e.Want)
	}
	return fmt.Sprintf("参数 %s 的值 %q 无效：%s", name, e.Value, e.Want)
}

// checkText rejects a parameter value that is not UTF-8. The bytes would
// become U+FFFD, which normalises to a separator: 放%FF would find 放
// before any punctuation.
func checkText(name, value string) error {
	var qe *query.Error
	if err := query.CheckUTF8(value); errors.As(err, &qe) {
		return &paramError{Param: name, Value: value,
			Want: fmt.Sprintf("第 %d 个字符不是有效的 UTF-8 文本", qe.Pos+1)}
	}
	return nil
}

// searchParams is the state of a search as it travels in a URL.
type searchParams struct {
	Query                             string
	Province, City, District, Section []string
	YearFrom, YearTo                  int // 0 = open
	Page                              int // from 1
	Size                              int
	Sort                              string // "" = relevance
	By                                string // "" = defaultTrendBy
}

// parseSearchParams reads and checks the parameters of a search URL. Only the
// names in allowed are accepted; maxSize bounds the page size.
func parseSearchParams(v url.Values, allowed []string, maxSize int) (searchParams, error) {
	p := searchParams{Page: 1, Size: defaultPageSize}
	if p.Size > maxSize {
		p.Size = maxSize
	}
	if err := checkNames(v, allowed); err != nil {
		return p, err
	}
	var err error
	if p.Query, err = single(v, paramQuery); err != nil {
		return p, err
	}
	p.Query = strings.TrimSpace(p.Query)
	if n := utf8.RuneCountInString(p.Query); n > maxQueryRunes {
		return p, &paramError{Param: paramQuery, Want: fmt.Sprintf("查询最长 %d 个字符，收到 %d 个", maxQueryRunes, n)}
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{
		{paramProvince, &p.Province}, {paramCity, &p.City}, {paramDistrict, &p.District}, {paramSection, &p.Section},
	} {
		if *f.dst, err = multi(v, f.name); err != nil {
			return p, err
		}
	}
	year, err := single(v, paramYear)
	if err != nil {
		return p, err
	}
	if p.YearFrom, p.YearTo, err = parseYear(year); err != nil {
		return p, err
	}
	if p.Page, err = positive(v, paramPage, 1, 0); err != nil {
		return p, err
	}
	if p.Size, err = positive(v, paramSize, p.Size, maxSize); err != nil {
		return p, err
	}
	// Page*Size could overflow; compare by division.
	if p.Page > 1 && p.Page > maxPagedResults/p.Size {
		return p, &paramError{Param: paramPage, Value: strconv.Itoa(p.Page),
			Want: fmt.Sprintf("翻页最多到第 %d 条结果；请缩小范围，或导出全部结果", maxPagedResults)}
	}
	if p.Sort, err = oneOf(v, paramSort, sortOrders); err != nil {
		return p, err
	}
	if p.By, err = oneOf(v, paramBy, trendSplits); err != nil {
		return p, err
	}
	return p, nil
}

// checkNames rejects any parameter not in allowed.
func checkNames(v url.Values, allowed []string) error {
	var unknown []string
	for name := range v {
		if !utf8.ValidString(name) {
			return &paramError{Param: name, Want: "参数名不是有效的 UTF-8 文本"}
		}
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return &paramError{Param: unknown[0], Want: "未知参数，可用的参数有 " + strings.Join(allowed, ", ")}
}

// single returns the one value of a parameter that may appear at most once.
func single(v url.Values, name string) (string, error) {
	switch vals := v[name]; len(vals) {
	case 0:
		return "", nil
	case 1:
		return vals[0], checkText(name, vals[0])
	default:
		return "", &paramError{Param: name, Want: fmt.Sprintf("只能出现一次，收到 %d 次", len(vals))}
	}
}

// multi returns the non-empty values of a repeatable filter parameter, in
// order, without duplicates.
func multi(v url.Values, name string) ([]string, error) {
	var out []string
	for _, s := range v[name] {
		if err := checkText(name, s); err != nil {
			return nil, err
		}
		s = strings.TrimSpace(s)
		if s == "" || slices.Contains(out, s) {
			continue
		}
		if utf8.RuneCountInString(s) > maxFilterRunes {
			return nil, &paramError{Param: name, Value: s, Want: fmt.Sprintf("最长 %d 个字符", maxFilterRunes)}
		}
		out = append(out, s)
	}
	if len(out) > maxFilterValues {
		return nil, &paramError{Param: name, Want: fmt.Sprintf("最多 %d 个值，收到 %d 个", maxFilterValues, len(out))}
	}
	return out, nil
}

// positive parses a positive integer parameter; an absent or empty one is
// def. max > 0 is an upper bound; a number too large for an int is taken as
// math.MaxInt, so that the bound (or the caller's) reports it.
func positive(v url.Values, name string, def, max int) (int, error) {
	s, err := single(v, name)
	if err != nil || s == "" {
		return def, err
	}
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-") {
		n, err = math.MaxInt, nil
	}
	if err != nil || n < 1 {
		return 0, &paramError{Param: name, Value: s, Want: "应为正整数"}
	}
	if max > 0 && n > max {
		return 0, &paramError{Param: name, Value: s, Want: fmt.Sprintf("最大为 %d", max)}
	}
	return n, nil
}

// oneOf returns a parameter that must be one of choices, or "" when absent.
func oneOf(v url.Values, name string, choices []struct{ Value, Label string }) (string, error) {
	s, err := single(v, name)
	if err != nil || s == "" {
		return "", err
	}
	var names []string
	for _, c := range choices {
		if c.Value == s {
			return s, nil
		}
		names = append(names, c.Value)
	}
	return "", &paramError{Param: name, Value: s, Want: "应为 " + strings.Join(names, "、") + " 之一"}
}

// parseYear reads the year parameter as the query language reads year:
// "" (any year), "2019", or a range "2018..2021" with either end open
// ("2018..", "..2021").
func parseYear(s string) (from, to int, err error) {
	if strings.TrimSpace(s) == "" {
		return 0, 0, nil
	}
	from, to, err = query.ParseYear(s)
	if err != nil {
		return 0, 0, &paramError{Param: paramYear, Value: s,
			Want: fmt.Sprintf("应为年份 2019 或范围 2018..2021、2018..、..2021（%d–%d）", query.MinYear, query.MaxYear)}
	}
	return from, to, nil
}

// formatYear is the inverse of parseYear.
func formatYear(from, to int) string {
	switch {
	case from == 0 && to == 0:
		return ""
	case from == to:
		return strconv.Itoa(from)
	case from == 0:
		return ".." + strconv.Itoa(to)
	case to == 0:
		return strconv.Itoa(from) + ".."
	default:
		return strconv.Itoa(from) + ".." + strconv.Itoa(to)
	}
}

// request is the index request for one page of this search.
func (p searchParams) request() index.Request {
	return index.Request{
		Query:    p.Query,
		Province: p.Province,
		City:     p.City,
		District: p.District,
		Section:  p.Section,
		YearFrom: p.YearFrom,
		YearTo:   p.YearTo,
		Offset:   (p.Page - 1) * p.Size,
		Limit:    p.Size,
		Sort:     p.Sort,
	}
}

// hasFilters reports whether any filter narrows the search.
func (p searchParams) hasFilters() bool {
	return len(p.Province)+len(p.City)+len(p.District)+len(p.Section) > 0 || p.YearFrom != 0 || p.YearTo != 0
}

// filterValues returns the values selected for a facet field.
func (p searchParams) filterValues(field string) []string {
	switch field {
	case paramProvince:
		return p.Province
	case paramCity:
		return p.City
	case paramDistrict:
		return p.District
	case paramSection:
		return p.Section
	case paramYear:
		if y := formatYear(p.YearFrom, p.YearTo); y != "" {
			return []string{y}
		}
	}
	return nil
}

// with returns a copy of p in which field holds values; page goes back to 1
// because the hits change.
func (p searchParams) with(field string, values []string) searchParams {
	q := p.clone()
	q.Page = 1
	switch field {
	case paramProvince:
		q.Province = values
	case paramCity:
		q.City = values
	case paramDistrict:
		q.District = values
	case paramSection:
		q.Section = values
	case paramYear:
		q.YearFrom, q.YearTo = 0, 0
		if len(values) > 0 {
			q.YearFrom, q.YearTo, _ = parseYear(values[0])
		}
	}
	return q
}

// toggle returns p with value added to or removed from a facet field. The
// index takes one year range, so choosing a year outside the range widens it
// to cover that year, choosing one inside narrows it to that year, and
// choosing the only year clears it.
func (p searchParams) toggle(field, value string) searchParams {
	if field == paramYear {
		y, err := strconv.Atoi(value)
		if err != nil {
			return p
		}
		from, to := p.YearFrom, p.YearTo
		switch {
		case from == y && to == y:
			return p.with(paramYear, nil)
		case from == 0 && to == 0:
			from, to = y, y
		case (from == 0 || y >= from) && (to == 0 || y <= to):
			from, to = y, y // a year inside the range: look at that year alone
		case from != 0 && y < from:
			from = y
		default:
			to = y
		}
		return p.with(paramYear, []string{formatYear(from, to)})
	}
	vals := p.filterValues(field)
	if i := slices.Index(vals, value); i >= 0 {
		return p.with(field, slices.Delete(slices.Clone(vals), i, i+1))
	}
	return p.with(field, append(slices.Clone(vals), value))
}

func (p searchParams) clone() searchParams {
	q := p
	q.Province = slices.Clone(p.Province)
	q.City = slices.Clone(p.City)
	q.District = slices.Clone(p.District)
	q.Section = slices.Clone(p.Section)
	return q
}

// values encodes p as URL parameters, leaving out defaults so shared URLs
// stay short. withPaging adds page and size; withView adds sort and by.
func (p searchParams) values(withPaging, withView bool) url.Values {
	v := url.Values{}
	if p.Query != "" {
		v.Set(paramQuery, p.Query)
	}
	for _, f := range []struct {
		name string
		vals []string
	}{
		{paramProvince, p.Province}, {paramCity, p.City}, {paramDistrict, p.District},
	} {
		for _, s := range f.vals {
			v.Add(f.name, s)
		}
	}
	if y := formatYear(p.YearFrom, p.YearTo); y != "" {
		v.Set(paramYear, y)
	}
	for _, s := range p.Section {
		v.Add(paramSection, s)
	}
	if withPaging {
		if p.Page > 1 {
			v.Set(paramPage, strconv.Itoa(p.Page))
		}
		if p.Size > 0 && p.Size != defaultPageSize {
			v.Set(paramSize, strconv.Itoa(p.Size))
		}
	}
	if withView {
		if p.Sort != "" {
			v.Set(paramSort, p.Sort)
		}
		if p.By != "" && p.By != defaultTrendBy {
			v.Set(paramBy, p.By)
		}
	}
	return v
}

// newSearch is the first page of a search for query, with default settings.
func newSearch(query string) searchParams {
	return searchParams{Query: query, Page: 1, Size: defaultPageSize}
}

// url is the address of path with p's state.
func (p searchParams) url(path string, withPaging, withView bool) string {
	if enc := p.values(withPaging, withView).Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// pageURL is the search page showing p.
func (p searchParams) pageURL() string { return p.url("/", true, true) }
