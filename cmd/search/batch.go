package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/zhengce/zhengce/batch"
	"github.com/zhengce/zhengce/internal/csvexport"
	"github.com/zhengce/zhengce/internal/termtext"
)

// runBatch is `search -batch FILE`: the filters of o apply to every query.
func runBatch(ctx context.Context, o *options, stdout, stderr io.Writer) int {
	if o.asJSON && o.asCSV {
		errorf(stderr, "-json and -csv cannot be used together")
		return 2
	}
	filter, err := o.request("")
	if err != nil {
		errorf(stderr, "%v", err)
		return 2
	}
	in := io.Reader(os.Stdin)
	if o.batch != "-" {
		f, err := os.Open(o.batch)
		if err != nil {
			errorf(stderr, "-batch: %v", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	queries, err := batch.Parse(in)
	if err != nil {
		errorf(stderr, "-batch %s: %v", o.batch, err)
		return 2
	}
	ix, err := openSearcher(o.index, stderr)
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	defer ix.Close()
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	res, err := batch.Run(ctx, ix, queries, filter)
	if err != nil {
		errorf(stderr, "-batch %s: %v", o.batch, err)
		return 1
	}
	bad := 0
	for _, r := range res.Rows {
		if r.Error != "" {
			bad++
			errorf(stderr, "-batch %s: %q: %s", o.batch, r.Query, r.Error)
		}
	}
	switch {
	case o.asJSON:
		// One object a line, each with the matrices' keys beside its rows.
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, r := range res.Rows {
			line := struct {
				batch.Row
				YearKeys     []int    `json:"year_keys"`
				ProvinceKeys []string `json:"province_keys"`
			}{r, res.Years, res.Provinces}
			if err := enc.Encode(line); err != nil {
				return 1
			}
		}
	case o.asCSV:
		if err := batch.WriteCSV(stdout, res, csvexport.Cell); err != nil {
			errorf(stderr, "%v", err)
			return 1
		}
	default:
		w := termtext.NewWriter(stdout)
		defer w.Flush()
		for _, r := range res.Rows {
			if r.Error != "" {
				fmt.Fprintf(w, "%s  error: %s\n", r.Query, r.Error)
				continue
			}
			first := "—"
			if r.FirstYear != 0 {
				first = fmt.Sprint(r.FirstYear)
			}
			var top []string
			for i, n := range r.Provinces {
				if n > 0 {
					top = append(top, fmt.Sprintf("%s %d", res.Provinces[i], n))
				}
			}
			fmt.Fprintf(w, "%s  %d hits, %d reports, %d places, first %s  %s\n", r.Query, r.Total, r.Reports, r.Places, first, strings.Join(top, ", "))
		}
	}
	if bad > 0 {
		return 2
	}
	return 0
}
