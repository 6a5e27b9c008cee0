package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/spread"
)

const spreadUsage = `usage: search spread [-index DIR] [-level district] [-json] QUERY...

How a phrase spread: the first report of every place that used it (with the
citing paragraph), the adoption curve (places that have used it by each
year, as a count and as a share of the places the corpus holds by then), and
the frequency per 10,000 characters of each year's reports. QUERY is in the
query syntax of search.

Flags:
`

// spreadCmd is `search spread`.
func spreadCmd(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	fs := flag.NewFlagSet("search spread", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { io.WriteString(stderr, spreadUsage); fs.PrintDefaults() }
	dir := fs.String("index", "", "index `directory` (default: the bundled reports)")
	level := fs.String("level", "district", "count places at this `level`: province, city or district")
	asJSON := fs.Bool("json", false, "print the whole analysis as JSON")
	cite := fs.Int("cite", 20, "quote the paragraph of the first `N` first uses")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lv, err := spread.ParseLevel(*level)
	if err != nil {
		say(stderr, "search spread", "-level: %v", err)
		return 2
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		say(stderr, "search spread", "no query")
		return 2
	}
	ix, err := openIndex(*dir, stderr, false)
	if err != nil {
		say(stderr, "search spread", "%v", err)
		return 1
	}
	defer ix.Close()
	infos, err := ix.Reports(ctx)
	if err != nil {
		say(stderr, "search spread", "%v", err)
		return 1
	}
	res, err := spread.NewTable(infos).Run(ctx, ix, index.Request{Query: q}, lv)
	if err != nil {
		say(stderr, "search spread", "%v", err)
		if errors.Is(err, index.ErrBadQuery) {
			return 2
		}
		return 1
	}
	if err := spread.Cite(ctx, ix, res, q, *cite); err != nil {
		say(stderr, "search spread", "%v", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			return 1
		}
		return 0
	}
	w := termtext.NewWriter(stdout)
	defer w.Flush()
	fmt.Fprintf(w, "%s: %d paragraphs in %d reports; %d places (%s) used it", res.Query, res.Total, res.Reports, len(res.FirstUses), lv.Label())
	if res.Unplaced > 0 {
		fmt.Fprintf(w, "; %d paragraphs in reports of no %s", res.Unplaced, lv)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "\nyear  new  adopted/held  share  using/reporting  per 10k chars\n")
	for i, a := range res.Adoption {
		f := res.Frequency[i]
		fmt.Fprintf(w, "%4d  %3d  %7d/%-4d  %4.0f%%  %5d/%-9d  %.2f\n", a.Year, a.New, a.Adopted, a.Held, 100*a.Share, a.Using, a.Reporting, f.Per10k)
	}
	fmt.Fprintf(w, "\nfirst use per place, earliest first:\n")
	for i, fu := range res.FirstUses {
		fmt.Fprintf(w, "%4d  %s  %s ¶%d  (%d hits)\n", fu.Year, fu.Name, fu.Path, fu.Paragraph, fu.AllHits)
		if i < *cite && fu.Text != "" {
			fmt.Fprintf(w, "      %s\n", shorten(fu.Text, 120))
		}
	}
	return 0
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
