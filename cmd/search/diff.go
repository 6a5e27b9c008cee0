package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"

	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/reportdiff"
)

const diffUsage = `usage: search diff [-index DIR] [-json] REPORT [REPORT]

Compares two reports paragraph by paragraph (REPORT: a report id or its
source path as the index shows it). With one REPORT, it is compared with the
report of the same place from the nearest earlier year. Moved and lightly
edited paragraphs are aligned; changed sentences are marked; phrases new and
dropped this year are listed.

Flags:
`

// diff is `search diff`: the text form by default, -json the Diff.
func diff(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	fs := flag.NewFlagSet("search diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { io.WriteString(stderr, diffUsage); fs.PrintDefaults() }
	dir := fs.String("index", "", "index `directory` (default: the bundled reports)")
	asJSON := fs.Bool("json", false, "print the comparison as JSON (pairs with kind same, changed, added or removed)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		say(stderr, "search diff", "want one or two reports, got %d arguments", fs.NArg())
		return 2
	}
	ix, err := openIndex(*dir, stderr, false)
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	defer ix.Close()
	infos, err := ix.Reports(ctx)
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	newer, err := reportdiff.Find(infos, fs.Arg(fs.NArg()-1))
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 2
	}
	older, err := reportdiff.Previous(infos, newer.ID)
	if fs.NArg() == 2 {
		older, err = reportdiff.Find(infos, fs.Arg(0))
	}
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 2
	}
	a, err := ix.Report(ctx, older.ID, "")
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	b, err := ix.Report(ctx, newer.ID, "")
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	d, err := reportdiff.Compare(a, b, reportdiff.Options{})
	if err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d); err != nil {
			say(stderr, "search diff", "%v", err)
			return 1
		}
		return 0
	}
	w := termtext.NewWriter(stdout)
	defer w.Flush()
	if err := reportdiff.WriteText(w, d); err != nil {
		say(stderr, "search diff", "%v", err)
		return 1
	}
	return 0
}
