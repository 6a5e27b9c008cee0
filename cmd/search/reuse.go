package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/reuse"
)

// runReuse answers -reuse REPORT (the reuse of one report, paragraph by
// paragraph) and -reuse-top (the corpus view, filtered by -province,
// -city or -district and -year).
func runReuse(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		errorf(stderr, "-reuse and -reuse-top take no query (got %q)", strings.Join(args, " "))
		return 2
	}
	if o.reuse != "" && o.reuseTop {
		errorf(stderr, "-reuse and -reuse-top cannot be used together")
		return 2
	}
	if o.asCSV {
		errorf(stderr, "-csv is not available with -reuse or -reuse-top; use -json")
		return 2
	}
	req, err := o.request("")
	if err != nil {
		errorf(stderr, "%v", err)
		return 2
	}
	var places []string
	for _, l := range [][]string{req.District, req.City, req.Province} {
		places = append(places, l...)
	}
	if len(places) > 1 {
		errorf(stderr, "-reuse-top takes one place (-district, -city or -province), got %d", len(places))
		return 2
	}
	ix, err := openIndex(o.index, stderr, false)
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	defer ix.Close()
	t, err := reuse.Load(ctx, ix)
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	if o.reuseTop {
		f := reuse.Filter{YearFrom: req.YearFrom, YearTo: req.YearTo}
		if len(places) == 1 {
			f.Place = places[0]
		}
		limit := o.limit
		if limit == 0 {
			limit = -1
		}
		top := t.TopView(f, limit)
		if o.asJSON {
			err = writeAnyJSON(stdout, top)
		} else {
			err = writeReuseTop(ctx, stdout, ix, top)
		}
	} else {
		r, ok := findReport(t, o.reuse)
		if !ok {
			errorf(stderr, "-reuse %q: no report of the index has this id or source path", o.reuse)
			return 1
		}
		v := t.View(r)
		if o.asJSON {
			err = writeAnyJSON(stdout, v)
		} else {
			err = writeReuseReport(ctx, stdout, ix, v)
		}
	}
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	return 0
}

// findReport finds a report by id or by source path.
func findReport(t *reuse.Table, s string) (*reuse.Report, bool) {
	if r, ok := t.Lookup(s); ok {
		return r, true
	}
	for i := range t.Reports {
		if t.Reports[i].Path == s {
			return &t.Reports[i], true
		}
	}
	return nil, false
}

func writeAnyJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(termtext.JSON(buf.Bytes()))
	return err
}

// texts returns the text of every paragraph of report id, by ordinal.
func texts(ctx context.Context, ix index.Searcher, id string) map[int]string {
	out := map[int]string{}
	if r, err := ix.Report(ctx, id, ""); err == nil {
		for _, p := range r.Paragraphs {
			out[p.Ordinal] = p.Text
		}
	}
	return out
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func refText(r reuse.Ref) string {
	s := firstNonEmpty(r.Place(), "?")
	if r.Year > 0 {
		s += fmt.Sprintf(" %d", r.Year)
	}
	if r.Paragraph > 0 {
		s += fmt.Sprintf(" ¶%d", r.Paragraph)
	}
	if r.Containment > 0 && r.Containment < 1 {
		s += fmt.Sprintf(" (%.0f%%)", 100*r.Containment)
	}
	return termtext.Escape(s) + " [" + r.Report + "]"
}

func writeReuseReport(ctx context.Context, w io.Writer, ix index.Searcher, v *reuse.ReportView) error {
	esc := termtext.Escape
	fmt.Fprintf(w, "%s · %s\n", refText(v.Ref), esc(v.Title))
	fmt.Fprintf(w, "%.1f%% of its text is found in earlier reports of other places; %.1f%% in its own place's other reports (not copying); %.1f%% boilerplate\n\n",
		100*v.Share, pct(v.SamePlace, v.Chars), pct(v.Boilerplate, v.Chars))
	text := texts(ctx, ix, v.Report)
	for _, p := range v.Paragraphs {
		var what string
		switch {
		case p.Boilerplate:
			what = "boilerplate"
		case p.Source != nil:
			what = "copied: earliest source " + refText(*p.Source)
		case p.Others > 0:
			what = "first here: no earlier report of another place has it"
		default:
			what = "its own place's other reports (not copying)"
		}
		fmt.Fprintf(w, "¶%d %s\n  %s\n", p.Paragraph, what, esc(cut(text[p.Paragraph], 60)))
		if p.Boilerplate {
			continue
		}
		if len(p.Found) > 0 {
			var refs []string
			for _, f := range p.Found {
				refs = append(refs, refText(f))
			}
			fmt.Fprintf(w, "  in %d reports of other places, oldest first: %s\n", p.Others, strings.Join(refs, "; "))
		}
		if len(p.SameFound) > 0 {
			var refs []string
			for _, f := range p.SameFound {
				refs = append(refs, refText(f))
			}
			fmt.Fprintf(w, "  in %d reports of its own place: %s\n", p.Same, strings.Join(refs, "; "))
		}
	}
	fmt.Fprintf(w, "\n%d paragraphs marked (generation %d)\n", len(v.Paragraphs), v.Generation)
	return nil
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func writeReuseTop(ctx context.Context, w io.Writer, ix index.Searcher, top *reuse.Top) error {
	fmt.Fprintf(w, "found in: at least %.0f%% of a paragraph's %d-character shingles; boilerplate: in %d of %d places or more\n\n",
		100*top.Threshold, top.ShingleLen, top.BoilerplatePlaces, top.Places)
	fmt.Fprintf(w, "most reused passages (%d):\n", top.Totals["passages"])
	cache := map[string]map[int]string{}
	for i, p := range top.Passages {
		if cache[p.Original.Report] == nil {
			cache[p.Original.Report] = texts(ctx, ix, p.Original.Report)
		}
		fmt.Fprintf(w, "%3d. %d places, %d reports; first %s\n     %s\n", i+1, p.Places, p.Reports, refText(p.Original),
			termtext.Escape(cut(cache[p.Original.Report][p.Original.Paragraph], 60)))
	}
	fmt.Fprintf(w, "\nreport pairs sharing most (%d), later ← earlier:\n", top.Totals["pairs"])
	for i, p := range top.Pairs {
		fmt.Fprintf(w, "%3d. %s ← %s: %d characters (%.1f%% of the later) in %d paragraphs; the other way %d (%.1f%%)\n",
			i+1, refText(p.A), refText(p.B), p.AinB, 100*p.AShare, p.Paragraphs, p.BinA, 100*p.BShare)
	}
	fmt.Fprintf(w, "\nreports with most text found in earlier reports of other places (%d):\n", top.Totals["reports"])
	for i, r := range top.Reports {
		fmt.Fprintf(w, "%3d. %s: %.1f%% (%d of %d characters)\n", i+1, refText(r.Ref), 100*r.Share, r.Reused, r.Chars)
	}
	return nil
}
