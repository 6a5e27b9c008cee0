// Package batch runs a list of queries at once (issue 11's batch search):
// for each, the hits, reports and places, the first year, and its hits per
// year and per province, the rows of a phrase × year and a phrase ×
// province matrix. It reads no text: each query is one index Count.
package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
)

// MaxQueries is the most queries one batch may hold.
const MaxQueries = 1000

// MaxQueryBytes bounds one line of a batch file.
const MaxQueryBytes = 4096

// Parse reads a batch: one query a line, or CSV whose first column is the
// query (a first line "query", "phrase", 查询 or 词语 is a header). A byte-order mark,
// blank lines and lines starting with # are ignored. Queries keep the full
// query syntax. An error names the line.
func Parse(r io.Reader) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxQueries*MaxQueryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxQueries*MaxQueryBytes {
		return nil, fmt.Errorf("batch: more than %d bytes", MaxQueries*MaxQueryBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxQueryBytes+2)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("batch: line %d is not UTF-8", n)
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.ContainsAny(line, ",\"") { // a CSV row: its first cell
			rec, err := csv.NewReader(strings.NewReader(line)).Read()
			if err != nil {
				return nil, fmt.Errorf("batch: line %d: %v", n, err)
			}
			line = strings.TrimSpace(rec[0])
			if line == "" {
				continue
			}
		}
		if len(out) == 0 && (strings.EqualFold(line, "query") || strings.EqualFold(line, "phrase") || line == "查询" || line == "词语") {
			continue // a header
		}
		if len(out) == MaxQueries {
			return nil, fmt.Errorf("batch: more than %d queries (line %d)", MaxQueries, n)
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("batch: a line longer than %d bytes", MaxQueryBytes)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("batch: no query")
	}
	return out, nil
}

// Row is the answer to one query of a batch.
type Row struct {
	Query     string `json:"query"`
	Error     string `json:"error,omitempty"` // the query could not run (a malformed query)
	Total     int    `json:"total"`           // matching paragraphs: what search -json QUERY gives as total
	Reports   int    `json:"reports"`
	Places    int    `json:"places"`     // districts (or cities, provinces) with a match: the most specific place of each report
	FirstYear int    `json:"first_year"` // 0: no dated match
	// Years and Provinces count matching paragraphs per year and per
	// province, in the order of Result.Years and Result.Provinces: one row
	// of each matrix.
	Years     []int `json:"years"`
	Provinces []int `json:"provinces"`
}

// Result is a whole batch.
type Result struct {
	Years     []int    `json:"years"`     // every year the index holds, ascending
	Provinces []string `json:"provinces"` // every province the index holds
	Rows      []Row    `json:"rows"`      // in the order of the queries
}

// Run runs every query against s, on all cores. A malformed query is a row
// with Error set; an index error or a cancelled ctx stops the batch.
func Run(ctx context.Context, s index.Searcher, queries []string, filter index.Request) (*Result, error) {
	infos, err := s.Reports(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]int, len(infos))
	yearSet, provSet := map[int]bool{}, map[string]bool{}
	for i, r := range infos {
		byID[r.ID] = i
		if r.Year != 0 {
			yearSet[r.Year] = true
		}
		if r.Province != "" {
			provSet[r.Province] = true
		}
	}
	res := &Result{Rows: make([]Row, len(queries))}
	for y := range yearSet {
		res.Years = append(res.Years, y)
	}
	for p := range provSet {
		res.Provinces = append(res.Provinces, p)
	}
	slices.Sort(res.Years)
	slices.Sort(res.Provinces)
	yearAt := map[int]int{}
	for i, y := range res.Years {
		yearAt[y] = i
	}
	provAt := map[string]int{}
	for i, p := range res.Provinces {
		provAt[p] = i
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(queries) {
					return
				}
				req := filter
				req.Query = queries[i]
				row := Row{Query: queries[i], Years: make([]int, len(res.Years)), Provinces: make([]int, len(res.Provinces))}
				c, err := s.Count(ctx, req)
				if err != nil {
					if !errors.Is(err, index.ErrBadQuery) {
						cancel(err)
						return
					}
					row.Error = err.Error()
					res.Rows[i] = row
					continue
				}
				row.Total, row.Reports = c.Total, len(c.Reports)
				places := map[string]bool{}
				for _, rc := range c.Reports {
					r := &infos[byID[rc.Report]]
					if p := r.Province + "/" + r.City + "/" + r.District; p != "//" {
						places[p] = true
					}
					if r.Year != 0 {
						row.Years[yearAt[r.Year]] += rc.Hits
						if row.FirstYear == 0 || r.Year < row.FirstYear {
							row.FirstYear = r.Year
						}
					}
					if k, ok := provAt[r.Province]; ok {
						row.Provinces[k] += rc.Hits
					}
				}
				row.Places = len(places)
				res.Rows[i] = row
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// WriteCSV writes one row per query: its figures, then its hits per year
// and per province (both matrices side by side), with a UTF-8 byte-order
// mark so that Excel reads the Chinese right. Cells that would be read as
// formulas are neutralised by cell.
func WriteCSV(w io.Writer, res *Result, cell func(string) string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"query", "error", "total", "reports", "places", "first_year"}
	for _, y := range res.Years {
		head = append(head, fmt.Sprint(y))
	}
	head = append(head, res.Provinces...)
	cw.Write(head)
	for _, r := range res.Rows {
		first := ""
		if r.FirstYear != 0 {
			first = fmt.Sprint(r.FirstYear)
		}
		rec := []string{cell(r.Query), cell(r.Error), fmt.Sprint(r.Total), fmt.Sprint(r.Reports), fmt.Sprint(r.Places), first}
		for _, n := range r.Years {
			rec = append(rec, fmt.Sprint(n))
		}
		for _, n := range r.Provinces {
			rec = append(rec, fmt.Sprint(n))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
