package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/novelty"
	"github.com/zhengce/zhengce/query"
	"github.com/zhengce/zhengce/saved"
	"github.com/zhengce/zhengce/spread"
)

// alertOptions are the flags of new phrases and saved searches.
type alertOptions struct {
	newYear string
	level   string
	save    string
	saved   bool
	unsave  string
}

func (a *alertOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&a.newYear, "new", "", "list the new and the disappeared phrases of `year` (-province, -city, -district choose the places; -limit bounds each list)")
	fs.StringVar(&a.level, "level", "", "with -new: count places as provinces, cities or districts (default: the government that gave each report)")
	fs.StringVar(&a.save, "save", "", "save the query and its filters under `name` (letters, digits, - and _)")
	fs.BoolVar(&a.saved, "saved", false, "list every saved search with its matches new since the last look, and mark them seen")
	fs.StringVar(&a.unsave, "unsave", "", "delete the saved search `name`")
}

// active reports whether a flag of these was given.
func (a *alertOptions) active() bool {
	return a.newYear != "" || a.save != "" || a.saved || a.unsave != "" || a.level != ""
}

// runAlerts runs -new, -save, -saved or -unsave.
func runAlerts(ctx context.Context, o *options, args []string, stdout, stderr io.Writer) int {
	a := &o.alerts
	modes := 0
	for _, on := range []bool{a.newYear != "", a.save != "", a.saved, a.unsave != ""} {
		if on {
			modes++
		}
	}
	if modes != 1 || o.batch != "" {
		errorf(stderr, "give one of -new, -save, -saved, -unsave and -batch (-level goes with -new)")
		return 2
	}
	if a.level != "" && a.newYear == "" {
		errorf(stderr, "-level goes with -new")
		return 2
	}
	if o.asCSV {
		errorf(stderr, "-csv does not go with -new, -save, -saved or -unsave; -json does")
		return 2
	}
	q := strings.Join(args, " ")
	req, err := o.request(q)
	if err != nil {
		errorf(stderr, "%v", err)
		return 2
	}
	var level spread.Level
	var year int
	switch {
	case a.newYear != "":
		if year, err = strconv.Atoi(a.newYear); err != nil || year < query.MinYear || year > query.MaxYear {
			errorf(stderr, "-new %q: want a year from %d to %d", a.newYear, query.MinYear, query.MaxYear)
			return 2
		}
		if a.level != "" {
			if level, err = spread.ParseLevel(a.level); err != nil {
				errorf(stderr, "-level %q: want province, city or district", a.level)
				return 2
			}
		}
		if q != "" || len(req.Section) > 0 || req.YearFrom != 0 {
			errorf(stderr, "-new takes no query, -section or -year: it looks at every phrase of the year it is given")
			return 2
		}
	case a.save != "":
		if err := saved.CheckName(a.save); err != nil {
			errorf(stderr, "-save: %v", err)
			return 2
		}
		if _, err := query.Parse(q); err != nil && !(errors.Is(err, query.ErrEmpty) && req.HasFilters()) {
			errorf(stderr, "%v", err)
			return 2
		}
	default:
		if q != "" || req.HasFilters() {
			errorf(stderr, "-saved and -unsave take no query or filters")
			return 2
		}
		if a.unsave != "" {
			if err := saved.CheckName(a.unsave); err != nil {
				errorf(stderr, "-unsave: %v", err)
				return 2
			}
		}
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
	var out any
	var text func(w io.Writer) error
	if a.newYear != "" {
		res, err := novelty.Find(ctx, ix, novelty.Options{Year: year, Level: level, Province: req.Province,
			City: req.City, District: req.District, Limit: o.limit})
		if err != nil {
			return alertErr(stderr, err)
		}
		out, text = res, func(w io.Writer) error { return writeNovelty(w, res) }
	} else {
		d, ok := ix.(interface{ Dir() string })
		if !ok {
			errorf(stderr, "this index keeps no saved searches")
			return 1
		}
		st := saved.Open(d.Dir())
		switch {
		case a.save != "":
			s, err := st.Save(ctx, ix, a.save, req)
			if err != nil {
				return alertErr(stderr, err)
			}
			out, text = s, func(w io.Writer) error {
				fmt.Fprintf(w, "saved %s: %d reports match now; search -saved and indexer -add list what is new\n", termtext.Escape(s.Name), len(s.Reports))
				return nil
			}
		case a.unsave != "":
			if err := st.Delete(a.unsave); err != nil {
				return alertErr(stderr, err)
			}
			out, text = map[string]string{"deleted": a.unsave}, func(w io.Writer) error {
				fmt.Fprintf(w, "deleted %s\n", termtext.Escape(a.unsave))
				return nil
			}
		default:
			list, err := st.List()
			if err != nil {
				return alertErr(stderr, err)
			}
			ms := []saved.Matches{}
			for _, s := range list {
				m, err := st.Look(ctx, ix, s.Name, max(o.limit, 0))
				if err != nil {
					return alertErr(stderr, err)
				}
				ms = append(ms, *m)
			}
			out, text = ms, func(w io.Writer) error {
				if len(ms) == 0 {
					fmt.Fprintln(w, "no saved search; save one with search -save NAME QUERY")
				}
				return saved.WriteText(w, ms)
			}
		}
	}
	if o.asJSON {
		err = writeJSON(stdout, out)
	} else {
		err = text(stdout)
	}
	if err != nil {
		errorf(stderr, "%v", err)
		return 1
	}
	return 0
}

// alertErr reports err; the user's mistakes exit 2.
func alertErr(stderr io.Writer, err error) int {
	errorf(stderr, "%v", err)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return 1
	case errors.Is(err, index.ErrBadQuery), errors.Is(err, novelty.ErrBadOptions), errors.Is(err, saved.ErrBadName),
		errors.Is(err, saved.ErrExists), errors.Is(err, saved.ErrNotFound), errors.Is(err, saved.ErrTooMany):
		return 2
	}
	return 1
}

// writeNovelty writes the new and the disappeared phrases as text.
func writeNovelty(w io.Writer, r *novelty.Result) error {
	esc := termtext.Escape
	fmt.Fprintf(w, "新提法 %d: %d reports of %d places", r.Year, r.Reports, r.Places)
	if r.Previous > 0 {
		fmt.Fprintf(w, "; compared with %d (%d reports of %d places)", r.Previous, r.PreviousReports, r.PreviousPlaces)
	}
	fmt.Fprintf(w, "; %d phrases counted (%.0f ms)\n\n", r.Candidates, r.TookMS)
	list := func(title string, ps []novelty.Phrase, total int, known string, year int) {
		fmt.Fprintf(w, "%s (%d", title, total)
		if len(ps) < total {
			fmt.Fprintf(w, ", showing %d", len(ps))
		}
		fmt.Fprintf(w, ")\n")
		for i, p := range ps {
			k := p.Adopters
			if known == "dropped" {
				k = p.Dropped
			}
			fmt.Fprintf(w, "%3d. %s\t%d places (%d %s) · %d paragraphs in %d reports of %d · first %d, last %d",
				i+1, esc(p.Phrase), p.Places, k, known, p.Hits, p.Reports, year, p.FirstYear, p.LastYear)
			if p.Quoted > 0 {
				fmt.Fprintf(w, " · quoted %d×", p.Quoted)
			}
			fmt.Fprintf(w, "\n     %s\n", esc(strings.Join(p.PlaceNames, "、")))
		}
		fmt.Fprintln(w)
	}
	list("New: first seen in "+strconv.Itoa(r.Year), r.New, r.NewTotal, "with an earlier report", r.Year)
	if r.Previous > 0 {
		list("Disappeared: used in "+strconv.Itoa(r.Previous)+", not since", r.Gone, r.GoneTotal, "dropped", r.Previous)
	}
	return nil
}
