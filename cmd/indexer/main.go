// Command indexer builds a zhengce index from folders of reports, or shows
// what it would index.
//
//	indexer -o INDEX DIR...
//	indexer -inspect [-json] DIR...
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"

	"github.com/mattn/go-isatty"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/internal/termtext"
)

const usage = `usage: indexer -o INDEX DIR...
       indexer -inspect [-json] DIR...

Builds a search index of the reports (.txt, .md, .html) under each DIR, or
with -inspect shows what would be indexed: metadata, sections, paragraphs,
dropped lines, duplicates and warnings for every report. Paths in the index
are relative to the DIR they were found in.

File names and text are printed with control characters and escape
sequences escaped (\x1b, \t, \u202e).

Exit status: 0 if every file was read, 1 if some were skipped or the index
could not be written, 2 on bad usage.
`

func main() {
	log.SetFlags(0)
	log.SetPrefix("indexer: ")
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// buildIndex builds the index; tests replace it.
var buildIndex = ingest.Build

// errorf prints one message on stderr, escaped: messages name files, whose
// names may hold anything.
func errorf(stderr io.Writer, format string, args ...any) {
	fmt.Fprintf(stderr, "indexer: %s\n", termtext.Escape(fmt.Sprintf(format, args...)))
}

func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		// The last line of defence: a bug is reported as one, not as a crash.
		if r := recover(); r != nil {
			errorf(stderr, "internal error (a bug; please report it with what follows): %v", r)
			stderr.Write(debug.Stack())
			code = 1
		}
	}()
	fs := flag.NewFlagSet("indexer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	out := fs.String("o", "", "write the index to this `directory` (replaced atomically)")
	inspect := fs.Bool("inspect", false, "show what would be indexed, without indexing")
	asJSON := fs.Bool("json", false, "with -inspect: one JSON object per report (JSON Lines)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dirs := fs.Args()
	if len(dirs) == 0 || (*out == "") == !*inspect {
		fs.Usage()
		return 2
	}
	for _, d := range dirs {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			errorf(stderr, "%s is not a readable directory", d)
			return 2
		}
	}
	if *inspect {
		// Report text and file names go to the terminal: escape them line
		// by line (the listing's own line breaks stay).
		w := termtext.NewWriter(stdout)
		if *asJSON {
			w = termtext.NewJSONWriter(stdout)
		}
		problems, err := corpus.Inspect(w, dirs, *asJSON)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		return finish(stderr, problems, err)
	}

	var srcs []ingest.Source
	for _, d := range dirs {
		srcs = append(srcs, ingest.Dir(d))
	}
	progress := newProgress(stderr)
	sum, err := buildIndex(*out, srcs, index.Options{Progress: progress.update})
	progress.done()
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	fmt.Fprintf(stdout, "indexed %d reports, %d paragraphs, %.1f MB of text in %.1fs (%.2f MB/s) into %s\n",
		sum.Reports, sum.Paragraphs, float64(sum.TextBytes)/1e6, sum.Elapsed.Seconds(), sum.MBPerSecond(), termtext.Escape(*out))
	fmt.Fprintf(stdout, "%d metadata warnings (see indexer -inspect)\n", sum.Warnings)
	return finish(stderr, sum.Problems, nil)
}

func finish(stderr io.Writer, problems []corpus.Problem, err error) int {
	for _, p := range problems {
		errorf(stderr, "skipped %s: %s", p.Path, p.Reason)
	}
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	if len(problems) > 0 {
		errorf(stderr, "%d file(s) skipped", len(problems))
		return 1
	}
	return 0
}

// progress draws a one-line progress report on a terminal; elsewhere it is
// silent, so logs stay clean.
type progress struct {
	w     io.Writer
	shown bool
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) update(s index.Stats) {
	if !isTerminal(p.w) {
		return
	}
	p.shown = true
	fmt.Fprintf(p.w, "\r%d reports, %d paragraphs, %.1f MB, %.2f MB/s ", s.Reports, s.Paragraphs, float64(s.TextBytes)/1e6, s.MBPerSecond())
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
