package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
)

func testIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	reports := []index.Report{{
		ID: "r1", Path: "sz/2023南山.txt", Title: "2023年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2023,
		Paragraphs: []index.Paragraph{
			{Ordinal: 1, Offset: 0, Section: "工作回顾", Heading: "一、2022年工作回顾", Text: "深化“放管服”改革，优化营商环境。"},
			{Ordinal: 2, Offset: 17, Section: "工作安排", Text: "<b>推进</b>放管服改革。"},
		},
	}, {
		ID: "r2", Path: "yk/2019.txt", Title: "2019年西市區政府工作報告", Level: "district",
		Province: "辽宁省", City: "营口市", District: "西市区", Year: 2019,
		Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作回顾", Text: "統籌推進放管服改革。"}},
	}}
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runSearch(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(context.Background(), args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestJSONShape(t *testing.T) {
	dir := testIndex(t)
	code, out, errs := runSearch(t, "-index", dir, "-json", "-district", "南山区", "放管服")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"query", "total", "took_ms", "hits", "facets"} {
		if _, ok := res[k]; !ok {
			t.Errorf("JSON has no %q", k)
		}
	}
	if res["total"].(float64) != 2 {
		t.Errorf("total = %v, want 2", res["total"])
	}
	hit := res["hits"].([]any)[0].(map[string]any)
	for _, k := range []string{"path", "title", "province", "city", "district", "year", "section", "heading", "paragraph", "offset", "text", "highlight"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit has no %q", k)
		}
	}
	facets := res["facets"].(map[string]any)
	for _, k := range index.FacetFields {
		if _, ok := facets[k]; !ok {
			t.Errorf("facets have no %q", k)
		}
	}
	if !strings.Contains(out, `&lt;b&gt;推进&lt;/b&gt;<mark>放管服</mark>`) {
		t.Errorf("highlight not escaped and marked:\n%s", out)
	}
}

func TestTextAndCSV(t *testing.T) {
	dir := testIndex(t)
	code, out, errs := runSearch(t, "-index", dir, "-color", "never", "统筹推进")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"西市区 · 2019 · 工作回顾", "yk/2019.txt:1", "【統籌推進】放管服改革。", "1 paragraphs"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runSearch(t, "-index", dir, "-csv", "-limit", "0", "放管服")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(csvexport.Columns, ",") {
		t.Errorf("CSV = %q, want header and 3 rows", rows)
	}
}

func TestBadInput(t *testing.T) {
	dir := testIndex(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-index", dir, `"放管服`}, 2, "quote"},
		{[]string{"-index", dir, "foo:bar"}, 2, "foo"},
		{[]string{"-index", dir, "year:abc"}, 2, "abc"},
		{[]string{"-index", dir, strings.Repeat("放", 10000)}, 2, "10000"},
		{[]string{"-index", dir, "-year", "abc", "放管服"}, 2, "-year"},
		{[]string{"-index", dir, "-limit", "-1", "放管服"}, 2, "-limit"},
		{[]string{"-index", dir, "-sort", "size", "放管服"}, 2, "-sort"},
		{[]string{"-index", dir, "-json", "-csv", "放管服"}, 2, "-json"},
		{[]string{"-index", dir}, 2, "usage"},
		{[]string{"-index", filepath.Join(dir, "missing"), "放管服"}, 1, "missing"},
		// Raw bytes that are not UTF-8 would become U+FFFD and match any
		// punctuation.
		{[]string{"-index", dir, "放\xff"}, 2, "invalid UTF-8 (byte 0xff)"},
		{[]string{"-index", dir, "放管服", "\xc3"}, 2, "at character 5"},
		{[]string{"-index", dir, "-district", "南山\xff", "放管服"}, 2, `-district "南山\xff": character 3 is not UTF-8`},
		{[]string{"-index", dir, "-year", "20\xff", "放管服"}, 2, "-year"},
		// Offsets that overflow offset+limit in the engine (a panic).
		{[]string{"-index", dir, "-offset", "9223372036854775807", "放管服"}, 2, "-offset 9223372036854775807: want 0 to 1073741824"},
		{[]string{"-index", dir, "-limit", "9223372036854775807", "放管服"}, 2, "-limit"},
		{[]string{"-index", dir, "-offset", "99999999999999999999", "放管服"}, 2, "-offset"},
		{[]string{"-index", dir, "-timeout", "-1s", "放管服"}, 2, "-timeout"},
		{[]string{"-index", dir, "-timeout", "soon", "放管服"}, 2, "-timeout"},
		// Messages quoting the input are escaped.
		{[]string{"-index", dir + "/\x1b[31mred", "放管服"}, 1, `\x1b[31mred`},
	}
	for _, tt := range tests {
		code, _, errs := runSearch(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) || strings.ContainsAny(errs, "\x1b\xff") {
			t.Errorf("search %.60q = exit %d, %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}

// hostileIndex holds a report whose file name, metadata and text carry
// escape sequences, line breaks, a bidi override and a spreadsheet formula.
func hostileIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	reports := []index.Report{{
		ID: "h1", Path: "sz/a\nb\tc\x1b[31m.txt", Title: "报告\x1b]0;pwned\x07", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山\x1b[2J区", Year: 2023,
		Paragraphs: []index.Paragraph{
			{Ordinal: 1, Section: "工作回顾", Heading: "一、回顾\n二、伪造的一行",
				Text: "=HYPERLINK(\"http://x\",\"放管服\")\x1b[2J改革\u009b31m\u202e深化\r覆盖"},
		},
	}}
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestHostileOutput: what a report holds reaches the terminal escaped, one
// hit per line, whatever the output mode; CSV cells are neutralised as the
// web export's are.
func TestHostileOutput(t *testing.T) {
	dir := hostileIndex(t)
	raw := "\x1b\x07\r\u009b\u202e"
	for _, color := range []string{"never", "always"} {
		code, out, errs := runSearch(t, "-index", dir, "-color", color, "放管服")
		if code != 0 {
			t.Fatalf("-color %s: exit %d: %s", color, code, errs)
		}
		ours := strings.NewReplacer(ansiMark, "", ansiDim, "", ansiReset, "").Replace(out)
		if strings.ContainsAny(ours, raw) {
			t.Errorf("-color %s: output holds raw control characters:\n%q", color, out)
		}
		lines := strings.Split(ours, "\n")
		want := []string{
			`南山\x1b[2j区 · 2023 · 工作回顾  sz/a\nb\tc\x1b[31m.txt:1`, // the index folds metadata
			`一、回顾\n二、伪造的一行`,
		}
		if len(lines) < 3 || lines[0] != want[0] || lines[1] != want[1] || !strings.Contains(lines[2], `改革\u009b31m\u202e深化\r覆盖`) {
			t.Errorf("-color %s: hit is not three escaped lines:\n%s", color, out)
		}
	}
	code, out, errs := runSearch(t, "-index", dir, "-csv", "放管服")
	if code != 0 {
		t.Fatalf("-csv: exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("-csv: %v, rows %q", err, rows)
	}
	if text := rows[1][len(rows[1])-1]; !strings.HasPrefix(text, `'=HYPERLINK(`) {
		t.Errorf("-csv: text cell %q is a live formula; want it quoted as the web export does", text)
	}
	code, out, errs = runSearch(t, "-index", dir, "-json", "放管服")
	if code != 0 {
		t.Fatalf("-json: exit %d: %s", code, errs)
	}
	if strings.ContainsAny(out, raw) {
		t.Errorf("-json: output holds raw control characters: %q", out)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Hits) != 1 || res.Hits[0].Path != "sz/a\nb\tc\x1b[31m.txt" {
		t.Errorf("-json: %v; does not read back as the report's data: %+v", err, res.Hits)
	}
}

// fakeIndex stands in for the index: it answers, blocks (until unblock is
// closed, honouring its context or not) or panics.
type fakeIndex struct {
	index.Searcher        // Reports and Count are not called
	mode           string // "answer", "honour", "ignore", "panic"
	started        chan struct{}
	unblock        chan struct{}
	closed         bool
}

func (f *fakeIndex) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	switch f.mode {
	case "panic":
		panic("engine bug")
	case "honour":
		close(f.started)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("searching %q: %w", req.Query, ctx.Err())
		case <-f.unblock:
		}
	case "ignore":
		close(f.started)
		<-f.unblock
	}
	return &index.Result{Query: req.Query}, nil
}

func (f *fakeIndex) Report(context.Context, string, string) (*index.Report, error) {
	return nil, index.ErrNotFound
}

func (f *fakeIndex) Close() error { f.closed = true; return nil }

func withFake(t *testing.T, f *fakeIndex, openPanics bool) {
	t.Helper()
	saved := openSearcher
	t.Cleanup(func() { openSearcher = saved })
	openSearcher = func(string, io.Writer) (searchCloser, error) {
		if openPanics {
			var ix *index.Index
			ix.Manifest() // what a damaged index did in index.Open (issue 13)
		}
		return f, nil
	}
}

// deadlineCtx is a context whose deadline passes when the test says so.
type deadlineCtx struct {
	context.Context
	done chan struct{}
}

func (c *deadlineCtx) Done() <-chan struct{} { return c.done }
func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestTimeout: a search past its deadline ends the command with a message
// and exit 1, even when the engine does not stop; the index is then left
// open rather than closed under the running search.
func TestTimeout(t *testing.T) {
	f := &fakeIndex{mode: "honour", started: make(chan struct{}), unblock: make(chan struct{})}
	withFake(t, f, false)
	if code, _, errs := runSearch(t, "-timeout", "1ns", "报报报"); code != 1 || !strings.Contains(errs, "no answer within -timeout 1ns") {
		t.Errorf("-timeout 1ns: exit %d, %q; want 1 and the -timeout message", code, errs)
	}
	for _, mode := range []string{"honour", "ignore"} {
		f := &fakeIndex{mode: mode, started: make(chan struct{}), unblock: make(chan struct{})}
		withFake(t, f, false)
		ctx := &deadlineCtx{Context: context.Background(), done: make(chan struct{})}
		go func() {
			<-f.started
			close(ctx.done) // the deadline passes while the engine runs
		}()
		var out, errw bytes.Buffer
		code := run(ctx, []string{"报报报"}, &out, &errw)
		if code != 1 || !strings.Contains(errw.String(), "no answer within -timeout") {
			t.Errorf("engine that %ss its context: exit %d, %q; want 1 and the -timeout message", mode, code, errw.String())
		}
		if mode == "ignore" && f.closed {
			t.Errorf("the index was closed while a search was still running in it")
		}
		close(f.unblock)
	}
	var o options
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	o.register(fs)
	if err := fs.Parse(nil); err != nil || o.timeout != defaultTimeout || o.timeout <= 0 {
		t.Errorf("default -timeout = %v, want %v", o.timeout, defaultTimeout)
	}
}

// TestPanicsAreErrors: a panic in opening the index or in the engine is a
// message and exit 1, not a crash.
func TestPanicsAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		openPanics bool
	}{{"engine", false}, {"open", true}} {
		withFake(t, &fakeIndex{mode: "panic"}, tc.openPanics)
		code, _, errs := runSearch(t, "放管服")
		if code != 1 || !strings.Contains(errs, "search: internal error (a bug; please report it") || !strings.Contains(errs, "goroutine ") {
			t.Errorf("panic in %s: exit %d, %q; want 1, a message and the stack", tc.name, code, errs)
		}
	}
}

func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-timeout", "0s"}, 2, "search serve: -timeout 0s: want a positive duration"},
		{[]string{"-timeout", "-5s"}, 2, "-timeout"},
		{[]string{"extra"}, 2, `search serve: unexpected argument "extra"`},
		{[]string{"-index", filepath.Join(t.TempDir(), "missing\x1b[31m")}, 1, `missing\x1b[31m`},
	} {
		var errw bytes.Buffer
		if code := serve(tc.args, &errw); code != tc.code || !strings.Contains(errw.String(), tc.msg) || strings.Contains(errw.String(), "\x1b") {
			t.Errorf("search serve %q = exit %d, %q; want exit %d mentioning %q", tc.args, code, errw.String(), tc.code, tc.msg)
		}
	}
}
