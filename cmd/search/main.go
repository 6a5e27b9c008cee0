// Command search queries a zhengce index from the command line, or serves
// the web interface.
//
//	search [flags] QUERY...
//	search serve [-addr 127.0.0.1:8080] [-index DIR] [-timeout 30s]
//	search diff [-index DIR] [-json] REPORT [REPORT]
//	search spread [-index DIR] [-level district] [-json] QUERY...
//	search targets [-index DIR] [-json | -csv] [-province P] [-indicator I]
//	search -reuse REPORT | -reuse-top [-district D] [-year Y]
//
// With no -index it uses the index of the bundled reports, building it once
// into the user cache directory.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/query"
)

const usage = `usage: search [flags] QUERY...
       search -new YEAR [-level L] [-province P] [-city C] [-district D]
       search -save NAME [flags] QUERY...
       search -saved | -unsave NAME
       search serve [-addr 127.0.0.1:8080] [-index DIR] [-timeout 30s]
       search diff [-index DIR] [-json] REPORT [REPORT]
       search spread [-index DIR] [-level district] [-json] QUERY...
       search targets [-index DIR] [-json | -csv] [-province P] [-indicator I]
       search -reuse REPORT | -reuse-top [-district D] [-year Y]

Finds every paragraph that contains the query, exactly: each term is a
phrase matched through script (報告 = 报告), width, quotation marks and
brackets. Terms separated by spaces must all match; "a b" is a phrase with
a space; -term excludes; OR between terms; filters province: city:
district: year:2019 year:2018..2021 section:工作回顾.

-new YEAR lists the phrases (quoted slogans and policy terms) first seen
in YEAR, ranked by the places that took them up, and those used the year
before and no longer. -save NAME saves the query and filters; -saved lists
each saved search with its matches new since the last look (and marks them
seen); indexer -add lists them after adding. The web server serves each as
an Atom feed at /saved/NAME.atom.
-reuse REPORT (an id or a source path) lists the paragraphs of a report
found in other reports, oldest first, and where each was first written;
-reuse-top lists the most reused passages and the report pairs that share
most text, for one place and range of years if given.

Text output escapes control characters and escape sequences found in
reports and file names (\x1b, \n, \u202e), so one hit is one line.

Exit status: 0 on success, 1 on failure (including -timeout), 2 on a bad
query or bad usage.

Flags:
`

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serve(os.Args[2:], os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "spread" {
		os.Exit(spreadCmd(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "targets" {
		os.Exit(targetsCmd(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "diff" {
		os.Exit(diff(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
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
	timeout                                 time.Duration
	batch                                   string
	alerts                                  alertOptions // -new, -save, -saved, -unsave (alerts.go)
	reuse                                   string
	reuseTop                                bool
}

// maxHits bounds -limit and -offset: far more hits than any index holds,
// and small enough that offset+limit cannot overflow in the engine.
const maxHits = 1 << 30

// defaultTimeout is how long a search may run: far longer than any search
// of a sane index takes (p99 0.2 s on a million reports), short enough that
// a pathological query does not hang a script.
const defaultTimeout = time.Minute

func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.index, "index", "", "index `directory` (default: the bundled reports, built once into the user cache)")
	fs.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	fs.BoolVar(&o.asCSV, "csv", false, "print the hits as CSV")
	fs.StringVar(&o.batch, "batch", "", "run every query of `file` (one a line, or CSV with the query first; - for standard input; at most 1,000) and print one row each: hits, reports, places, first year, hits per year and per province (-json: one object a line; -csv: a table)")
	fs.IntVar(&o.limit, "limit", 20, "print at most `N` hits; 0 prints all")
	fs.IntVar(&o.offset, "offset", 0, "skip the first `N` hits")
	fs.StringVar(&o.province, "province", "", "only this `province` (comma-separated for several)")
	fs.StringVar(&o.city, "city", "", "only this `city` (comma-separated for several)")
	fs.StringVar(&o.district, "district", "", "only this `district` (comma-separated for several)")
	fs.StringVar(&o.year, "year", "", "only this `year` or range Y1..Y2")
	fs.StringVar(&o.section, "section", "", "only this `section`: 工作回顾, 工作安排, 政府自身建设, 名词解释, 其他")
	fs.StringVar(&o.sort, "sort", "relevance", "order: relevance, year (newest first) or year-asc")
	fs.StringVar(&o.color, "color", "auto", "highlight matches: auto, always or never")
	fs.DurationVar(&o.timeout, "timeout", defaultTimeout, "give up a search that runs longer than `duration`; 0 waits for ever")
	o.alerts.register(fs)
	fs.StringVar(&o.reuse, "reuse", "", "show the text reuse of `REPORT` (an id or a source path)")
	fs.BoolVar(&o.reuseTop, "reuse-top", false, "show the most reused passages and report pairs")
}

// searchCloser is what run needs of an index.
type searchCloser interface {
	index.Searcher
	Close() error
}

// openSearcher opens the index run searches; tests replace it.
var openSearcher = func(dir string, stderr io.Writer) (searchCloser, error) {
	ix, err := openIndex(dir, stderr, false)
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// errorf prints a message on stderr, prefixed with the command name and
// escaped: messages quote paths and queries, which may hold anything.
func errorf(stderr io.Writer, format string, args ...any) {
	say(stderr, "search", format, args...)
}

// say prints one escaped line on w, after prefix and a colon.
func say(w io.Writer, prefix, format string, args ...any) {
	fmt.Fprintf(w, "%s: %s\n", prefix, termtext.Escape(fmt.Sprintf(format, args...)))
}

// recoverPanic turns a panic into a message and exit status 1: the last line
// of defence, so that a bug is reported as one rather than as a crash.
func recoverPanic(stderr io.Writer, code *int) {
	if r := recover(); r != nil {
		errorf(stderr, "internal error (a bug; please report it with what follows): %v", r)
		stderr.Write(debug.Stack())
		*code = 1
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	var o options
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.alerts.active() {
		return runAlerts(ctx, &o, fs.Args(), stdout, stderr)
	}
	if o.reuse != "" || o.reuseTop {
		return runReuse(ctx, &o, fs.Args(), stdout, stderr)
	}
	q := strings.Join(fs.Args(), " ")
	if o.batch != "" {
		if q != "" {
			errorf(stderr, "-batch %s: no query arguments with -batch", o.batch)
			return 2
		}
		return runBatch(ctx, &o, stdout, stderr)
	}
	req, err := o.request(q)
	if err != nil {
		errorf(stderr, "%v", err)
		return 2
	}
	if strings.TrimSpace(q) == "" && !req.HasFilters() {
		fs.Usage()
		return 2
	}
	if o.asJSON && o.asCSV {
		errorf(stderr, "-json and -csv cannot be used together")
		return 2
	}
	// A bad query is reported before the index is opened or built.
	if _, err := query.Parse(q); err != nil && !(errors.Is(err, query.ErrEmpty) && req.HasFilters()) {
		errorf(stderr, "%v", err)
		return 2
	}
	ix, err := openSearcher(o.index, stderr)
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	res, running, err := searchWithin(ctx, ix, req)
	if !running {
		// An engine call still running past the deadline may be inside the
		// index: leave it open; the process is about to exit.
		defer ix.Close()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		errorf(stderr, "no answer within -timeout %v; narrow the search (a filter, a longer phrase) or raise -timeout", o.timeout)
		return 1
	case errors.Is(err, index.ErrBadQuery):
		errorf(stderr, "%v", err)
		return 2
	case err != nil:
		errorf(stderr, "%v", err)
		return 1
	}
	switch {
	case o.asJSON:
		err = writeJSON(stdout, res)
	case o.asCSV:
		err = writeCSV(stdout, res.Hits, isTerminal(stdout))
	default:
		err = writeText(stdout, res, useColor(o.color, stdout))
	}
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	return 0
}

// searchWithin runs req and returns when it is answered or when ctx ends,
// whichever is first, so a search past its deadline never hangs the
// command even if the engine does not stop when told. running reports
// that the engine call had not returned. A panic in the engine is returned
// as an error.
func searchWithin(ctx context.Context, s index.Searcher, req index.Request) (res *index.Result, running bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	type outcome struct {
		res *index.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- outcome{err: fmt.Errorf("internal error (a bug; please report it): panic: %v\n%s", r, debug.Stack())}
			}
		}()
		res, err := s.Search(ctx, req)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, false, o.err
	case <-ctx.Done():
	}
	select {
	case o := <-done:
		return o.res, false, o.err
	default:
		return nil, true, ctx.Err()
	}
}

func (o *options) request(q string) (index.Request, error) {
	req := index.Request{
		Query: q, Limit: o.limit, Offset: o.offset, Sort: o.sort,
		Province: splitList(o.province), City: splitList(o.city),
		District: splitList(o.district), Section: splitList(o.section),
	}
	if o.limit < 0 || o.limit > maxHits {
		return req, fmt.Errorf("-limit %d: want 0 (all) to %d", o.limit, maxHits)
	}
	if o.offset < 0 || o.offset > maxHits {
		return req, fmt.Errorf("-offset %d: want 0 to %d", o.offset, maxHits)
	}
	if o.timeout < 0 {
		return req, fmt.Errorf("-timeout %v: want a positive duration, or 0 for no limit", o.timeout)
	}
	for _, f := range []struct{ name, value string }{
		{"province", o.province}, {"city", o.city}, {"district", o.district}, {"section", o.section}, {"year", o.year},
	} {
		var qe *query.Error
		if err := query.CheckUTF8(f.value); errors.As(err, &qe) {
			return req, fmt.Errorf("-%s %q: character %d is not UTF-8 text", f.name, f.value, qe.Pos+1)
		}
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
	return isTerminal(w) && os.Getenv("NO_COLOR") == ""
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// writeJSON writes res as the JSON of /api/search, with the C1 and bidi
// controls that encoding/json leaves raw escaped (the same JSON value).
func writeJSON(w io.Writer, res any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	_, err := w.Write(termtext.JSON(buf.Bytes()))
	return err
}

// writeCSV writes hits as the web export does, formulas neutralised. On a
// terminal the cells are escaped too; in a file they stay as they are.
func writeCSV(w io.Writer, hits []index.Hit, terminal bool) error {
	cw := csv.NewWriter(w)
	cw.Write(csvexport.Columns)
	for _, h := range hits {
		rec := csvexport.Record(h)
		if terminal {
			for i, c := range rec {
				rec[i] = termtext.Escape(c)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

const (
	ansiMark  = "\x1b[1;31m"
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// terminalText turns a hit's HTML highlight into terminal text: the text
// unescaped from HTML and escaped for the terminal, the marks as colour or
// 【】.
func terminalText(highlight string, color bool) string {
	on, off := "【", "】"
	if color {
		on, off = ansiMark, ansiReset
	}
	var b strings.Builder
	for i, marked := range strings.Split(highlight, "<mark>") {
		if i > 0 {
			b.WriteString(on)
		}
		inner, rest, closed := strings.Cut(marked, "</mark>")
		b.WriteString(termtext.Escape(html.UnescapeString(inner)))
		if closed {
			b.WriteString(off)
			b.WriteString(termtext.Escape(html.UnescapeString(rest)))
		}
	}
	return b.String()
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
		esc := termtext.Escape
		fmt.Fprintf(w, "%s · %s · %s%s  %s:%d%s\n", esc(place), year, esc(h.Section), dim, esc(h.Path), h.Paragraph, reset)
		if h.Heading != "" {
			fmt.Fprintf(w, "%s%s%s\n", dim, esc(h.Heading), reset)
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
			parts = append(parts, fmt.Sprintf("%s %d", termtext.Escape(c.Value), c.Count))
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
