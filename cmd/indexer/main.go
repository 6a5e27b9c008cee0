// Command indexer builds and updates a zhengce index from folders of
// reports, or shows what it would index.
//
//	indexer -o INDEX DIR...
//	indexer -add -o INDEX DIR...
//	indexer -remove -o INDEX PATH...
//	indexer -merge -o INDEX
//	indexer -verify -o INDEX
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
       indexer -add -o INDEX DIR...
       indexer -remove -o INDEX PATH...
       indexer -merge -o INDEX
       indexer -verify -o INDEX
       indexer -inspect [-json] DIR...

Builds a search index of the reports (.txt, .md, .html, .pdf, .docx, .doc, .wps) under each DIR:
the new index replaces the old one in one atomic step, and a build that
reads no report never replaces an index that holds reports (-allow-empty
does). -add adds new and changed reports to an existing index (a file whose
content is unchanged is skipped), then merges small segments and lists the matches of each saved search
(search -save) new since its last look; -remove
removes the reports of each PATH (as the index shows it; PATH/ for a
folder); a running search serve picks up the change without a restart.
-merge merges segments, -verify checks every checksum of the index.
-inspect shows what would be indexed: metadata, sections, paragraphs,
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

// buildIndex and addIndex write the index; tests replace them.
var (
	buildIndex = ingest.Build
	addIndex   = ingest.Add
)

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
	add := fs.Bool("add", false, "add new and changed reports to the index instead of rebuilding it")
	remove := fs.Bool("remove", false, "remove the reports of the PATHs given from the index")
	merge := fs.Bool("merge", false, "merge the index's segments")
	verify := fs.Bool("verify", false, "check every checksum of the index")
	allowEmpty := fs.Bool("allow-empty", false, "let a build that reads no report replace an index that holds reports")
	inspect := fs.Bool("inspect", false, "show what would be indexed, without indexing")
	asJSON := fs.Bool("json", false, "with -inspect: one JSON object per report (JSON Lines)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dirs := fs.Args()
	modes := 0
	for _, m := range []bool{*add, *remove, *merge, *verify, *inspect} {
		if m {
			modes++
		}
	}
	needArgs := !*merge && !*verify
	if modes > 1 || (len(dirs) == 0) == needArgs || (*out == "") == !*inspect {
		fs.Usage()
		return 2
	}
	switch {
	case *remove:
		n, unknown, err := ingest.Remove(*out, dirs)
		for _, p := range unknown {
			errorf(stderr, "%s: no report of the index has this path", termtext.Escape(p))
		}
		if err != nil {
			errorf(stderr, "%v", err)
			return 1
		}
		fmt.Fprintf(stdout, "removed %d reports from %s\n", n, termtext.Escape(*out))
		if len(unknown) > 0 {
			return 1
		}
		return mergeIndex(*out, stdout, stderr, false)
	case *merge:
		return mergeIndex(*out, stdout, stderr, true)
	case *verify:
		ix, err := index.OpenWith(*out, index.OpenOptions{Verify: true})
		if err != nil {
			errorf(stderr, "%v", err)
			return 1
		}
		m := ix.Manifest()
		ix.Close()
		fmt.Fprintf(stdout, "%s: generation %d, %d segments, %d reports, %d paragraphs: every checksum matches\n",
			termtext.Escape(*out), m.Generation, len(m.Segments), m.Reports, m.Paragraphs)
		return 0
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
	opts := index.Options{Progress: progress.update, AllowEmpty: *allowEmpty}
	build := buildIndex
	if *add {
		build = addIndex
	}
	sum, err := build(*out, srcs, opts)
	progress.done()
	if err != nil {
		errorf(stderr, "%v", err)
		return finish(stderr, sum.Problems, nil) | 1
	}
	fmt.Fprintf(stdout, "indexed %d reports, %d paragraphs, %.1f MB of text in %.1fs (%.2f MB/s) into %s\n",
		sum.Reports, sum.Paragraphs, float64(sum.TextBytes)/1e6, sum.Elapsed.Seconds(), sum.MBPerSecond(), termtext.Escape(*out))
	if *add {
		fmt.Fprintf(stdout, "%d files unchanged, %d reports replaced\n", sum.Unchanged, sum.Removed)
	}
	if r := sum.Reuse; r.Elapsed > 0 {
		fmt.Fprintf(stdout, "text reuse: %d paragraphs compared, %d found in other reports, in %.1fs\n", r.Compared, r.Matches, r.Elapsed.Seconds())
	}
	fmt.Fprintf(stdout, "%d metadata warnings (see indexer -inspect)\n", sum.Warnings)
	code = finish(stderr, sum.Problems, nil)
	if *add {
		code |= mergeIndex(*out, stdout, stderr, false)
		code |= reportSaved(*out, stdout, stderr) // saved.go
	}
	return code
}

// mergeIndex merges the index's segments: those the policy picks, or all.
func mergeIndex(dir string, stdout, stderr io.Writer, all bool) int {
	n, err := ingest.Merge(dir, all)
	if err != nil {
		errorf(stderr, "merging: %v", err)
		return 1
	}
	if n > 0 {
		fmt.Fprintf(stdout, "merged %d segments\n", n)
	}
	return 0
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
