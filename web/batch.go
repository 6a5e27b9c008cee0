package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/batch"
	"github.com/zhengce/zhengce/internal/csvexport"
	"github.com/zhengce/zhengce/spread"
)

// Fields of the batch form besides the search filters.
const (
	paramQueries = "queries" // the textarea: one query a line
	paramFile    = "file"    // an uploaded CSV or text file
)

// batchFilterParams are the filters that apply to every query of a batch.
var batchFilterParams = []string{paramProvince, paramCity, paramDistrict, paramYear, paramSection}

// maxBatchBody bounds the body of a batch request: the largest batch file
// batch.Parse reads, and room for the form around it.
const maxBatchBody = batch.MaxQueries*batch.MaxQueryBytes + 64<<10

// batchRoutes adds the batch search: the form, its result as a page, as
// CSV and as JSON.
func (s *Server) batchRoutes(e *echo.Echo, methods []string) {
	e.Match(methods, "/batch", s.batchForm)
	e.POST("/batch", s.batchPage)
	e.POST("/batch.csv", s.batchCSV)
	e.POST("/api/batch", s.apiBatch)
}

// batchInput is a batch request: the text of the queries, the queries, and
// the filters.
type batchInput struct {
	Text    string
	Queries []string
	Filters searchParams
}

// batchWant is what a batch must be, said in every error about one.
var batchWant = fmt.Sprintf("每行一个查询，或上传 CSV/文本文件（第一列为查询），最多 %d 个查询", batch.MaxQueries)

// readBatch reads a batch request: a form (urlencoded or multipart, the
// queries in the textarea or an uploaded file), or a text/plain or text/csv
// body that is the batch file itself with the filters in the URL.
func readBatch(c echo.Context) (*batchInput, error) {
	r := c.Request()
	r.Body = http.MaxBytesReader(c.Response(), r.Body, maxBatchBody)
	in := &batchInput{}
	var vals url.Values
	mt, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	switch mt {
	case echo.MIMEApplicationForm, echo.MIMEMultipartForm:
		var err error
		if mt == echo.MIMEMultipartForm {
			err = r.ParseMultipartForm(1 << 20) // a larger file goes to a temporary file
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			return nil, formError(err)
		}
		vals = r.Form
		in.Text = r.Form.Get(paramQueries)
		if r.MultipartForm != nil {
			if fhs := r.MultipartForm.File[paramFile]; len(fhs) > 0 && fhs[0].Size > 0 {
				f, err := fhs[0].Open()
				if err != nil {
					return nil, formError(err)
				}
				b, err := io.ReadAll(f)
				f.Close()
				if err != nil {
					return nil, formError(err)
				}
				in.Text = string(b)
			}
		}
	case "text/plain", "text/csv", "":
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, formError(err)
		}
		in.Text = string(b)
		vals = r.URL.Query()
	default:
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"请用表单提交（application/x-www-form-urlencoded 或 multipart/form-data），或直接提交 text/plain、text/csv 文件；收到 "+mt)
	}
	filters := url.Values{}
	for name, vs := range vals {
		// An empty file input comes as a field, not a file.
		if name != paramQueries && name != paramFile {
			filters[name] = vs
		}
	}
	var err error
	if in.Filters, err = parseSearchParams(filters, batchFilterParams, maxPagedResults); err != nil {
		return nil, err
	}
	if in.Queries, err = batch.Parse(strings.NewReader(in.Text)); err != nil {
		return nil, &paramError{Param: paramQueries, Want: batchWant + "：" + strings.TrimPrefix(err.Error(), "batch: ")}
	}
	return in, nil
}

// formError is a form that could not be read: too large, or malformed.
func formError(err error) error {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			fmt.Sprintf("提交的内容超过 %d 字节；%s", mbe.Limit, batchWant))
	}
	return &paramError{Param: paramQueries, Want: "无法读取提交的表单：" + err.Error()}
}

// runBatch runs a batch request with the server's limiter and deadline:
// every query is one Count through s.searcher.
func (s *Server) runBatch(c echo.Context) (*batchInput, *batch.Result, error) {
	in, err := readBatch(c)
	if err != nil {
		return nil, nil, err
	}
	filter := in.Filters.request()
	filter.Offset, filter.Limit, filter.Sort = 0, 0, ""
	res, err := batch.Run(c.Request().Context(), s.searcher, in.Queries, filter)
	if err != nil {
		return nil, nil, err
	}
	if res.Years == nil {
		res.Years = []int{}
	}
	if res.Provinces == nil {
		res.Provinces = []string{}
	}
	return in, res, nil
}

// apiBatch serves POST /api/batch: the batch.Result as JSON.
func (s *Server) apiBatch(c echo.Context) error {
	_, res, err := s.runBatch(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// batchCSV serves POST /batch.csv: one row per query, the year and the
// province matrices side by side, for Excel (a byte-order mark, formula
// cells neutralised as in /export.csv).
func (s *Server) batchCSV(c echo.Context) error {
	_, res, err := s.runBatch(c)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, attachment("batch", "csv"))
	w.WriteHeader(http.StatusOK)
	return batch.WriteCSV(w, res, csvexport.Cell)
}

// batchView is the data of batch.html.
type batchView struct {
	Query          string
	Hidden         []hiddenField
	Version        string
	Max            int
	Text           string        // the queries, shown back in the form
	Filters        []batchFilter // shown back in the form
	Ran            bool
	Res            *batch.Result
	ProvinceLabels []string // the short names of Res.Provinces
	Rows           []batchRow
	Errors         int
}

// batchFilter is one filter of the form: an input per value, and an empty
// one when there is none.
type batchFilter struct {
	Name, Label string
	Values      []string
}

func batchFilters(p searchParams) []batchFilter {
	var out []batchFilter
	for _, name := range batchFilterParams {
		vals := p.filterValues(name)
		if len(vals) == 0 {
			vals = []string{""}
		}
		out = append(out, batchFilter{Name: name, Label: facetLabels[name], Values: vals})
	}
	return out
}

type batchRow struct {
	batch.Row
	Rank                           int
	SearchURL, SpreadURL, FirstURL string
	Years, Provinces               []batchCell
}

type batchCell struct {
	N   int
	URL string
}

// batchForm serves GET /batch: the form.
func (s *Server) batchForm(c echo.Context) error {
	if err := checkNames(c.QueryParams(), nil); err != nil {
		return err
	}
	return c.Render(http.StatusOK, "batch.html", &batchView{Version: s.opts.Version, Max: batch.MaxQueries, Filters: batchFilters(searchParams{})})
}

// batchPage serves POST /batch: a row per query and the two matrices.
func (s *Server) batchPage(c echo.Context) error {
	in, res, err := s.runBatch(c)
	if err != nil {
		return err
	}
	f := in.Filters
	v := &batchView{Version: s.opts.Version, Max: batch.MaxQueries, Text: strings.Join(in.Queries, "\n"), Ran: true, Res: res,
		Filters: batchFilters(f)}
	for _, p := range res.Provinces {
		v.ProvinceLabels = append(v.ProvinceLabels, spread.ShortProvince(p))
	}
	for i, r := range res.Rows {
		sp := f.clone()
		sp.Query, sp.Page, sp.Size = r.Query, 1, defaultPageSize
		row := batchRow{Row: r, Rank: i + 1, SearchURL: sp.pageURL(), SpreadURL: sp.url("/spread", false, false)}
		if r.Error != "" {
			v.Errors++
			v.Rows = append(v.Rows, row)
			continue
		}
		if r.FirstYear != 0 {
			row.FirstURL = sp.with(paramYear, []string{strconv.Itoa(r.FirstYear)}).pageURL()
		}
		for i, n := range r.Years {
			cell := batchCell{N: n}
			if n > 0 {
				cell.URL = sp.with(paramYear, []string{strconv.Itoa(res.Years[i])}).pageURL()
			}
			row.Years = append(row.Years, cell)
		}
		for i, n := range r.Provinces {
			cell := batchCell{N: n}
			if n > 0 {
				at := sp.with(paramProvince, []string{res.Provinces[i]})
				cell.URL = at.pageURL()
			}
			row.Provinces = append(row.Provinces, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	return c.Render(http.StatusOK, "batch.html", v)
}
