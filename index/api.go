package index

import (
	"context"
	"errors"
)

// Request is one search: a query in the query language (package query),
// filters, paging and sort order.
type Request struct {
	Query string
	// Filters narrow the hits; several values of one field are ORed, fields
	// are ANDed. Values may be written in either script.
	Province, City, District, Section []string
	YearFrom, YearTo                  int // 0 = open
	Offset                            int
	Limit                             int    // 0 = all hits
	Sort                              string // "" or "relevance", "year" (newest first), "year-asc"
	// NoFacets skips facet counting (exports do not need it).
	NoFacets bool
	// TrendBy, if "district" or "province", also counts the hits per year
	// and value into Result.Trend, in the same pass over the hits.
	TrendBy string
}

// HasFilters reports whether any filter narrows the request.
func (r Request) HasFilters() bool {
	return len(r.Province)+len(r.City)+len(r.District)+len(r.Section) > 0 || r.YearFrom != 0 || r.YearTo != 0
}

// Result is the answer to a Request. Its JSON form is the one printed by
// `search -json` and served by /api/search.
type Result struct {
	Query  string                  `json:"query"`
	Total  int                     `json:"total"`
	TookMS float64                 `json:"took_ms"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets"`
	Trend  []TrendPoint            `json:"trend,omitempty"`
}

// Hit is one matching paragraph.
type Hit struct {
	ID        string  `json:"id"`     // paragraph id, "<report id>-<paragraph>"
	Report    string  `json:"report"` // report id, for /doc/{id}
	Path      string  `json:"path"`   // relative to the folder given to the indexer
	Title     string  `json:"title"`
	Province  string  `json:"province"`
	City      string  `json:"city"`
	District  string  `json:"district"`
	Year      int     `json:"year"`
	Section   string  `json:"section"`
	Heading   string  `json:"heading"`        // heading path joined with " › "
	Paragraph int     `json:"paragraph"`      // ordinal in the report, from 1
	Offset    int     `json:"offset"`         // character offset in the source file
	Page      int     `json:"page,omitempty"` // page of a paged source (PDF), from 1
	OCR       bool    `json:"ocr,omitempty"`  // the text was read from a scanned page and may be wrong
	Text      string  `json:"text"`           // original paragraph text
	Highlight string  `json:"highlight"`      // HTML-escaped text with <mark> around every match
	Score     float64 `json:"score"`
}

// FacetCount is the number of hits with one value of a facet field.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// FacetFields are the facets every search counts, in display order.
var FacetFields = []string{"province", "city", "district", "year", "section"}

// TrendPoint counts hits for one year and one value of the split field.
type TrendPoint struct {
	Year  int    `json:"year"`
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Report is a whole report with its metadata, for the report view.
type Report struct {
	ID       string `json:"id"`
	Path     string `json:"path"`
	Title    string `json:"title"`
	Level    string `json:"level"`
	Province string `json:"province"`
	City     string `json:"city"`
	District string `json:"district"`
	Year     int    `json:"year"`
	Speaker  string `json:"speaker"`
	Office   string `json:"office"`
	Meeting  string `json:"meeting"`
	// The place as the report names it, where that differs from the
	// division it is grouped under (清苑县 in a 2005 report, now 清苑区).
	ProvinceAsWritten string `json:"province_as_written,omitempty"`
	CityAsWritten     string `json:"city_as_written,omitempty"`
	DistrictAsWritten string `json:"district_as_written,omitempty"`
	// Source is where the report was found (a URL from a scraper header).
	Source string `json:"source,omitempty"`
	// FileHash is the SHA-256 of the source file: indexer -add skips a file
	// whose hash is unchanged.
	FileHash string `json:"sha256,omitempty"`
	// Added is the generation that added the report (set by the index).
	Added      int         `json:"added,omitempty"`
	Paragraphs []Paragraph `json:"paragraphs"`
}

// Paragraph is one paragraph of a Report; Highlight marks the matches of the
// query the report was opened with (or is the escaped text).
type Paragraph struct {
	Ordinal   int    `json:"paragraph"`
	Offset    int    `json:"offset"`
	Page      int    `json:"page,omitempty"`
	OCR       bool   `json:"ocr,omitempty"`
	Section   string `json:"section"`
	Heading   string `json:"heading"`
	Text      string `json:"text"`
	Highlight string `json:"highlight"`
	Matches   int    `json:"matches"`
}

// Searcher is what the web server and the command line need from an index.
// Implementations are safe for concurrent use.
type Searcher interface {
	// Search runs req; with req.TrendBy set, the result also holds the
	// trend (hits per year and place).
	Search(ctx context.Context, req Request) (*Result, error)
	// Report returns a report with every match of query highlighted
	// (query may be empty).
	Report(ctx context.Context, id, query string) (*Report, error)
	// Reports lists the metadata of every report the index holds, in index
	// order. The slice is shared: do not modify it.
	Reports(ctx context.Context) ([]ReportInfo, error)
	// Count counts the hits of req per report, without loading any text:
	// what the analyses (first use, adoption, batch search) are made of.
	// Paging, sorting, facets and trend fields of req are ignored.
	Count(ctx context.Context, req Request) (*Counts, error)
}

// ReportInfo is one report's metadata, for analyses over the whole index.
type ReportInfo struct {
	ID                string `json:"id"`
	Path              string `json:"path"`
	Title             string `json:"title"`
	Level             string `json:"level"`
	Province          string `json:"province"`
	City              string `json:"city"`
	District          string `json:"district"`
	Year              int    `json:"year"`
	ProvinceAsWritten string `json:"province_as_written,omitempty"`
	CityAsWritten     string `json:"city_as_written,omitempty"`
	DistrictAsWritten string `json:"district_as_written,omitempty"`
	Paragraphs        int    `json:"paragraphs"`
	Chars             int    `json:"chars"` // length of the normalised text: the denominator of "per 10,000 characters"
	// Added is the generation that added the report: reports with Added
	// greater than a generation g are the ones new since g.
	Added int `json:"added"`
}

// Counts is the hit set of a request counted per report.
type Counts struct {
	Query      string        `json:"query"`
	Total      int           `json:"total"` // paragraphs, the same number Search gives
	Generation int           `json:"generation"`
	Reports    []ReportCount `json:"reports"` // reports with at least one hit, in index order
}

// ReportCount is the hits of one report.
type ReportCount struct {
	Report string `json:"report"` // ReportInfo.ID
	Hits   int    `json:"hits"`   // paragraphs that match
	First  int    `json:"first"`  // ordinal of the first matching paragraph
}

// ErrBadQuery wraps every error caused by the request rather than the index:
// a malformed query, an unknown field, a bad year. Callers report it as the
// user's mistake (HTTP 400, exit status 2).
var ErrBadQuery = errors.New("bad query")

// ErrNotFound is returned by Report for an unknown id.
var ErrNotFound = errors.New("no report with this id")
