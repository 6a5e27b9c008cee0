// Command search queries a zhengce index from the command line, or serves
// the web interface.
//
//	search [flags] QUERY...
//	search serve [-addr 127.0.0.1:8080] [-index DIR]
//
// With no -index it uses the index of the bundled reports, building it once
// into the user cache directory.
package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/query"
)

const usage = `usage: search [flags] QUERY...
       search serve [-addr 127.0.0.1:8080] [-index DIR]

Finds every paragraph that contains the query, exactly: each term is a
phrase matched through script (報告 = 报告), width, quotation marks and
brackets. Terms separated by spaces must all match; "a b" is a phrase with
a space; -term excludes; OR between terms; filters province: city:
district: year:2019 year:2018..2021 section:工作回顾.

Exit status: 0 on success, 1 on failure, 2 on a bad query or bad usage.

Flags:
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serve(os.Args[2:], os.Stderr))
	}
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	index                                   string
	asJSON, asCSV                           bool
	limit, offset                           int
	province, city, district, year, section string
	sort                                    string
	color                                   string
}

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.index, "index", "", "index `directory` (default: the bundled reports, built once into the user cache)")
	fs.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	fs.BoolVar(&o.asCSV, "csv", false, "print the hits as CSV")
	fs.IntVar(&o.limit, "limit", 20, "print at most `N` hits; 0 prints all")
	fs.IntVar(&o.offset, "offset", 0, "skip the first `N` hits")
	fs.StringVar(&o.province, "province", "", "only this `province` (comma-separated for several)")
	fs.StringVar(&o.city, "city", "", "only this `city` (comma-separated for several)")
	fs.StringVar(&o.district, "district", "", "only this `district` (comma-separated for several)")
	fs.StringVar(&o.year, "year", "", "only this `year` or range Y1..Y2")
	fs.StringVar(&o.section, "section", "", "only this `section`: 工作回顾, 工作安排, 政府自身建设, 名词解释, 其他")
	fs.StringVar(&o.sort, "sort", "relevance", "order: relevance, year (newest first) or year-asc")
	fs.StringVar(&o.color, "color", "auto", "highlight matches: auto, always or never")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var o options
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	q := strings.Join(fs.Args(), " ")
	req, err := o.request(q)
	if err != nil {
		fmt.Fprintf(stderr, "search: %v\n", err)
		return 2
	}
	if strings.TrimSpace(q) == "" && !req.HasFilters() {
		fs.Usage()
		return 2
	}
	if o.asJSON && o.asCSV {
		fmt.Fprintln(stderr, "search: -json and -csv cannot be used together")
		return 2
	}
	// A bad query is reported before the index is opened or built.
	if _, err := query.Parse(q); err != nil && !(errors.Is(err, query.ErrEmpty) && req.HasFilters()) {
		fmt.Fprintf(stderr, "search: %v\n", err)
		return 2
	}
	ix, err := openIndex(o.index, stderr, false)
	if err != nil {
		fmt.Fprintf(stderr, "search: %v\n", err)
		return 1
	}
	defer ix.Close()
	res, err := ix.Search(ctx, req)
	if err != nil {
		fmt.Fprintf(stderr, "search: %v\n", err)
		if errors.Is(err, index.ErrBadQuery) {
			return 2
		}
		return 1
	}
	switch {
	case o.asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	case o.asCSV:
		err = writeCSV(stdout, res.Hits)
	default:
		err = writeText(stdout, res, useColor(o.color, stdout))
	}
	if err != nil {
		fmt.Fprintf(stderr, "search: %v\n", err)
		return 1
	}
	return 0
}

func (o *options) request(q string) (index.Request, error) {
	req := index.Request{
		Query: q, Limit: o.limit, Offset: o.offset, Sort: o.sort,
		Province: splitList(o.province), City: splitList(o.city),
		District: splitList(o.district), Section: splitList(o.section),
	}
	if o.limit < 0 {
		return req, fmt.Errorf("-limit %d: want 0 (all) or more", o.limit)
	}
	if o.offset < 0 {
		return req, fmt.Errorf("-offset %d: want 0 or more", o.offset)
	}
	switch o.sort {
	case "relevance", "year", "year-asc":
	default:
		return req, fmt.Errorf("-sort %q: want relevance, year or year-asc", o.sort)
	}
	switch o.color {
	case "auto", "always", "never":
	default:
		return req, fmt.Errorf("-color %q: want auto, always or never", o.color)
	}
	if o.year != "" {
		from, to, err := query.ParseYear(o.year)
		if err != nil {
			return req, fmt.Errorf("-year: %w", err)
		}
		req.YearFrom, req.YearTo = from, to
	}
	return req, nil
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// openIndex opens dir, or the bundled index when dir is empty; verify
// checks every checksum first (a server does, once).
func openIndex(dir string, stderr io.Writer, verify bool) (*index.Index, error) {
	if dir == "" {
		var shown bool
		d, err := ingest.BundledDir(func(s index.Stats) {
			if !shown {
				fmt.Fprintln(stderr, "search: building the index of the bundled reports (once)…")
				shown = true
			}
		})
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return index.OpenWith(dir, index.OpenOptions{Verify: verify})
}

func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd()) && os.Getenv("NO_COLOR") == ""
}

var csvHeader = []string{"path", "title", "province", "city", "district", "year", "section", "heading", "paragraph", "offset", "text"}

func writeCSV(w io.Writer, hits []index.Hit) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, h := range hits {
		cw.Write([]string{h.Path, h.Title, h.Province, h.City, h.District, strconv.Itoa(h.Year), h.Section, h.Heading,
			strconv.Itoa(h.Paragraph), strconv.Itoa(h.Offset), h.Text})
	}
	cw.Flush()
	return cw.Error()
}

const (
	ansiMark  = "\x1b[1;31m"
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// terminalText turns a hit's HTML highlight into terminal text.
func terminalText(highlight string, color bool) string {
	on, off := "", ""
	if color {
		on, off = ansiMark, ansiReset
	} else {
		on, off = "【", "】"
	}
	s := strings.NewReplacer("<mark>", on, "</mark>", off).Replace(highlight)
	return html.UnescapeString(s)
}

func writeText(w io.Writer, res *index.Result, color bool) error {
	dim, reset := "", ""
	if color {
		dim, reset = ansiDim, ansiReset
	}
	for _, h := range res.Hits {
		place := h.District
		if place == "" {
			place = firstNonEmpty(h.City, h.Province, "全国")
		}
		year := "?"
		if h.Year > 0 {
			year = strconv.Itoa(h.Year)
		}
		fmt.Fprintf(w, "%s · %s · %s%s  %s:%d%s\n", place, year, h.Section, dim, h.Path, h.Paragraph, reset)
		if h.Heading != "" {
			fmt.Fprintf(w, "%s%s%s\n", dim, h.Heading, reset)
		}
		fmt.Fprintf(w, "%s\n\n", terminalText(h.Highlight, color))
	}
	fmt.Fprintf(w, "%d paragraphs (%.1f ms)", res.Total, res.TookMS)
	if len(res.Hits) < res.Total {
		fmt.Fprintf(w, ", showing %d", len(res.Hits))
	}
	fmt.Fprintln(w)
	for _, name := range index.FacetFields {
		counts := res.Facets[name]
		if len(counts) == 0 {
			continue
		}
		parts := make([]string, 0, 12)
		for i, c := range counts {
			if i == 12 {
				parts = append(parts, fmt.Sprintf("… %d more", len(counts)-12))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %d", c.Value, c.Count))
		}
		fmt.Fprintf(w, "%s%-8s%s %s\n", dim, name, reset, strings.Join(parts, " · "))
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
