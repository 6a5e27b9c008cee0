package web

import (
	"encoding/csv"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
)

// exportRow is one hit in an export: everything needed to cite it. Its
// JSON keys are csvexport.Columns.
type exportRow struct {
	Path      string `json:"path"`
	Title     string `json:"title"`
	Province  string `json:"province"`
	City      string `json:"city"`
	District  string `json:"district"`
	Year      int    `json:"year"`
	Section   string `json:"section"`
	Heading   string `json:"heading"`
	Paragraph int    `json:"paragraph"`
	Offset    int    `json:"offset"`
	Page      int    `json:"page"` // page of a PDF, 0 for other formats
	OCR       bool   `json:"ocr"`  // read from a scanned page: may be wrong
	Text      string `json:"text"`
}

// exportDoc is the JSON export: the search, then its hits.
type exportDoc struct {
	Query   string      `json:"query"`
	Filters exportQuery `json:"filters"`
	Total   int         `json:"total"`
	Hits    []exportRow `json:"hits"`
}

type exportQuery struct {
	Province []string `json:"province,omitempty"`
	City     []string `json:"city,omitempty"`
	District []string `json:"district,omitempty"`
	Year     string   `json:"year,omitempty"`
	Section  []string `json:"section,omitempty"`
}

// utf8BOM makes Excel read the CSV as UTF-8 instead of the system code page.
const utf8BOM = "\ufeff"

// exportHits runs the search of an export URL for every hit.
func (s *Server) exportHits(c echo.Context) (searchParams, *index.Result, error) {
	p, err := parseSearchParams(c.QueryParams(), exportParams, s.opts.MaxPageSize)
	if err != nil {
		return p, nil, err
	}
	req := p.request()
	req.Offset, req.Limit, req.NoFacets = 0, 0, true
	res, err := s.searcher.Search(c.Request().Context(), req)
	return p, res, err
}

func toExportRow(h index.Hit) exportRow {
	return exportRow{
		Path: h.Path, Title: h.Title, Province: h.Province, City: h.City, District: h.District,
		Year: h.Year, Section: h.Section, Heading: h.Heading, Paragraph: h.Paragraph, Offset: h.Offset, Page: h.Page, OCR: h.OCR, Text: h.Text,
	}
}

// exportCSV serves /export.csv.
func (s *Server) exportCSV(c echo.Context) error {
	p, res, err := s.exportHits(c)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, attachment(p.Query, "csv"))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(utf8BOM)); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write(csvexport.Columns); err != nil {
		return err
	}
	for _, h := range res.Hits {
		if err := cw.Write(csvexport.Record(h)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportJSON serves /export.json.
func (s *Server) exportJSON(c echo.Context) error {
	p, res, err := s.exportHits(c)
	if err != nil {
		return err
	}
	doc := exportDoc{
		Query: p.Query,
		Filters: exportQuery{Province: p.Province, City: p.City, District: p.District,
			Year: formatYear(p.YearFrom, p.YearTo), Section: p.Section},
		Total: res.Total,
		Hits:  make([]exportRow, 0, len(res.Hits)),
	}
	for _, h := range res.Hits {
		doc.Hits = append(doc.Hits, toExportRow(h))
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.Header().Set(echo.HeaderContentDisposition, attachment(p.Query, "json"))
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// attachment is a Content-Disposition naming the download after the query.
func attachment(query, ext string) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, query)
	if r := []rune(name); len(r) > 40 {
		name = string(r[:40])
	}
	name = strings.Trim(name, "_")
	if name == "" {
		name = "all"
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": "zhengce-" + name + "." + ext})
}
