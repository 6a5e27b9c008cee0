package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/targets"
)

const targetsUsage = `usage: search targets [-index DIR] [-json | -csv] [-province P] [-city C] [-district D] [-indicator I]

The 主要预期目标 of every report, one row per place, year and indicator: the
target the report of that year set (value, unit, modifier such as 左右 or
以上), beside the result the next year's report states for it in its review.
Indicator names are grouped by synonym (GDP = 地区生产总值 = 生产总值).

Flags:
`

// targetsCmd is `search targets`.
func targetsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	fs := flag.NewFlagSet("search targets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { io.WriteString(stderr, targetsUsage); fs.PrintDefaults() }
	dir := fs.String("index", "", "index `directory` (default: the bundled reports)")
	asJSON := fs.Bool("json", false, "print the rows as JSON Lines")
	asCSV := fs.Bool("csv", false, "print the rows as CSV (UTF-8 with a byte-order mark, for Excel)")
	province := fs.String("province", "", "only this `province`")
	city := fs.String("city", "", "only this `city`")
	district := fs.String("district", "", "only this `district`")
	indicator := fs.String("indicator", "", "only this `indicator` (any of its synonyms)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		say(stderr, "search targets", "unexpected argument %q", fs.Arg(0))
		return 2
	}
	if *asJSON && *asCSV {
		say(stderr, "search targets", "-json and -csv: choose one")
		return 2
	}
	ix, err := openIndex(*dir, stderr, false)
	if err != nil {
		say(stderr, "search targets", "%v", err)
		return 1
	}
	defer ix.Close()
	infos, err := ix.Reports(ctx)
	if err != nil {
		say(stderr, "search targets", "%v", err)
		return 1
	}
	var reports []*index.Report
	for _, ri := range infos {
		if (*province != "" && ri.Province != *province) || (*city != "" && ri.City != *city) || (*district != "" && ri.District != *district) {
			continue
		}
		r, err := ix.Report(ctx, ri.ID, "")
		if err != nil {
			say(stderr, "search targets", "%s: %v", ri.Path, err)
			return 1
		}
		reports = append(reports, r)
	}
	want := ""
	if *indicator != "" {
		want = targets.Canonical(*indicator)
	}
	var rows []targets.Row
	for _, r := range targets.Table(reports) {
		if want == "" || r.Indicator == want {
			rows = append(rows, r)
		}
	}
	show := func(t *targets.Target) (value, where string) {
		if t == nil {
			return "", ""
		}
		return t.String(), fmt.Sprintf("%s ¶%d", t.Path, t.Paragraph)
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return 1
			}
		}
	case *asCSV:
		io.WriteString(stdout, "\ufeff")
		cw := csv.NewWriter(stdout)
		cw.Write([]string{"province", "city", "district", "level", "year", "indicator", "kind", "target", "target_source", "achieved", "achieved_source"})
		for _, r := range rows {
			tv, ts := show(r.Target)
			av, as := show(r.Achieved)
			rec := []string{r.Province, r.City, r.District, r.Level, strconv.Itoa(r.Year), r.Indicator, r.Kind, tv, ts, av, as}
			for i := range rec {
				rec[i] = csvexport.Cell(rec[i])
			}
			cw.Write(rec)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			say(stderr, "search targets", "%v", err)
			return 1
		}
	default:
		w := termtext.NewWriter(stdout)
		defer w.Flush()
		for _, r := range rows {
			tv, ts := show(r.Target)
			av, as := show(r.Achieved)
			where := or(r.Province+r.City+r.District, "全国")
			fmt.Fprintf(w, "%s  %d  %s (%s)  target %s  achieved %s   %s %s\n", where, r.Year, r.Indicator, r.Kind, or(tv, "—"), or(av, "—"), ts, as)
		}
	}
	return 0
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
