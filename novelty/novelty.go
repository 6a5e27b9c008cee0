package novelty

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/zhengce/zhengce/analyzer"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
	"github.com/zhengce/zhengce/quoted"
	"github.com/zhengce/zhengce/spread"
)

// Options choose the year and the places.
type Options struct {
	Year int
	// Level is what a place is: spread.Province, City or District count
	// the reports' divisions at that level (a report naming none is not
	// counted as a place); "" counts the government that gave each report
	// (the State Council, a province, a city or a district).
	Level spread.Level
	// The scope: only reports of these places (several values of a field
	// are ORed, fields ANDed; either script). Empty: every report.
	Province, City, District []string
	// Limit bounds each list; 0 keeps every phrase.
	Limit int
	// Workers counts candidates in parallel (default GOMAXPROCS).
	Workers int
}

// Result is the new and the disappeared phrases of a year.
type Result struct {
	Year int `json:"year"`
	// Previous is the latest year before Year of which the scope holds a
	// report; 0 if none (then every phrase of Year is new).
	Previous        int      `json:"previous"`
	Level           string   `json:"level"`
	Province        []string `json:"province,omitempty"`
	City            []string `json:"city,omitempty"`
	District        []string `json:"district,omitempty"`
	Reports         int      `json:"reports"`          // reports of Year in the scope
	Places          int      `json:"places"`           // places with a report of Year
	PreviousReports int      `json:"previous_reports"` // reports of Previous
	PreviousPlaces  int      `json:"previous_places"`  // places with a report of Previous
	Candidates      int      `json:"candidates"`       // phrases counted
	// New are the phrases Year uses and no earlier dated report of the
	// scope does; NewTotal how many there are before Limit.
	New      []Phrase `json:"new"`
	NewTotal int      `json:"new_total"`
	// Gone are the phrases Previous uses and no report of Year or later
	// does; GoneTotal how many there are before Limit.
	Gone      []Phrase `json:"gone"`
	GoneTotal int      `json:"gone_total"`
	TookMS    float64  `json:"took_ms"`
}

// Phrase is one phrase of a list, counted in the reports of the list's
// year: Year for Result.New, Previous for Result.Gone.
type Phrase struct {
	Phrase string `json:"phrase"`
	Query  string `json:"query"` // the query that finds it
	// Quoted is how often the reports of Year and Previous put it in
	// quotation marks; Lexicon whether it is in the analyzer's policy
	// vocabulary.
	Quoted    int  `json:"quoted"`
	Lexicon   bool `json:"lexicon"`
	FirstYear int  `json:"first_year"` // first dated report of the scope that uses it
	LastYear  int  `json:"last_year"`  // last dated report of the scope that uses it
	Hits      int  `json:"hits"`       // matching paragraphs of the year's reports
	Reports   int  `json:"reports"`    // the year's reports that use it
	Places    int  `json:"places"`     // places whose report of the year uses it
	// Adopters counts, for a new phrase, the places of Places that also
	// have an earlier report in the scope (which did not use it): places
	// known to have taken it up, not merely first seen.
	Adopters int `json:"adopters"`
	// Dropped counts, for a disappeared phrase, the places of Places that
	// also have a report of Year, which does not use it. A phrase only
	// places without a report of Year used is not listed as disappeared:
	// nothing says they dropped it.
	Dropped    int      `json:"dropped"`
	PlaceNames []string `json:"place_names"` // Places, sorted
	TotalHits  int      `json:"total_hits"`  // matching paragraphs of every year of the scope
	// Report and Paragraph cite the first use in the year: the first
	// report of the year in index order, its first matching paragraph.
	Report    string `json:"report"`
	Title     string `json:"title"`
	Paragraph int    `json:"paragraph"`
}

// ErrBadOptions wraps every error caused by the options rather than the
// index: no year, a year the scope holds no report of, a bad level.
var ErrBadOptions = errors.New("bad options")

// Query is the exact-phrase query that finds phrase.
func Query(phrase string) string { return `"` + phrase + `"` }

// Find ranks the new and the disappeared phrases of opts.Year.
func Find(ctx context.Context, s index.Searcher, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Year == 0 {
		return nil, fmt.Errorf("novelty: no year given: %w", ErrBadOptions)
	}
	if opts.Level != "" {
		if _, err := spread.ParseLevel(string(opts.Level)); err != nil {
			return nil, fmt.Errorf("%v: %w", err, ErrBadOptions)
		}
	}
	infos, err := s.Reports(ctx)
	if err != nil {
		return nil, err
	}
	sc := newScope(opts)
	res := &Result{Year: opts.Year, Level: string(opts.Level), Province: opts.Province, City: opts.City, District: opts.District}
	byID := map[string]*index.ReportInfo{}
	earliest := map[string]int{} // place → year of its first dated report
	var held []int
	yearPlaces := map[int]map[string]bool{}
	for i := range infos {
		r := &infos[i]
		if !sc.holds(r) {
			continue
		}
		byID[r.ID] = r
		if r.Year == 0 {
			continue
		}
		if !slices.Contains(held, r.Year) {
			held = append(held, r.Year)
		}
		if p, ok := placeOf(r, opts.Level); ok {
			if y, seen := earliest[p]; !seen || r.Year < y {
				earliest[p] = r.Year
			}
			if yearPlaces[r.Year] == nil {
				yearPlaces[r.Year] = map[string]bool{}
			}
			yearPlaces[r.Year][p] = true
		}
	}
	slices.Sort(held)
	if !slices.Contains(held, opts.Year) {
		return nil, fmt.Errorf("novelty: no report of %d in the scope (years held: %s): %w", opts.Year, yearList(held), ErrBadOptions)
	}
	for _, y := range held {
		if y < opts.Year {
			res.Previous = y
		}
	}
	res.Places, res.PreviousPlaces = len(yearPlaces[opts.Year]), len(yearPlaces[res.Previous])

	cands, err := candidates(ctx, s, infos, sc, opts.Year, res.Previous, res)
	if err != nil {
		return nil, err
	}
	res.Candidates = len(cands)
	stats, err := countAll(ctx, s, opts, cands)
	if err != nil {
		return nil, err
	}
	for i, c := range cands {
		st := tally(stats[i], byID, opts, res.Previous)
		if st == nil {
			continue
		}
		switch {
		case st.first == opts.Year:
			p := st.phrase(c, &st.year)
			for name := range st.year.places {
				if earliest[name] < opts.Year {
					p.Adopters++
				}
			}
			res.New = append(res.New, p)
		case res.Previous > 0 && st.last == res.Previous:
			p := st.phrase(c, &st.prev)
			for name := range st.prev.places {
				if yearPlaces[opts.Year][name] {
					p.Dropped++
				}
			}
			if p.Dropped > 0 {
				res.Gone = append(res.Gone, p)
			}
		}
	}
	rank(res.New, func(p Phrase) int { return p.Adopters })
	rank(res.Gone, func(p Phrase) int { return p.Dropped })
	res.NewTotal, res.GoneTotal = len(res.New), len(res.Gone)
	if opts.Limit > 0 {
		res.New = res.New[:min(len(res.New), opts.Limit)]
		res.Gone = res.Gone[:min(len(res.Gone), opts.Limit)]
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// rank orders phrases by the places known to have taken them up (or
// dropped them), then by every place, report, hit and quotation, then
// alphabetically.
func rank(ps []Phrase, known func(Phrase) int) {
	slices.SortFunc(ps, func(a, b Phrase) int {
		return cmp.Or(cmp.Compare(known(b), known(a)), cmp.Compare(b.Places, a.Places), cmp.Compare(b.Reports, a.Reports),
			cmp.Compare(b.Hits, a.Hits), cmp.Compare(b.Quoted, a.Quoted), cmp.Compare(a.Phrase, b.Phrase))
	})
}

// candidate is a phrase to count.
type candidate struct {
	text    string
	quoted  int
	lexicon bool
}

// candidates gathers the quoted spans of the scope's reports of year and
// prev, and the policy vocabulary, each once, sorted.
func candidates(ctx context.Context, s index.Searcher, infos []index.ReportInfo, sc scope, year, prev int, res *Result) ([]candidate, error) {
	byText := map[string]*candidate{}
	for i := range infos {
		r := &infos[i]
		if !sc.holds(r) || r.Year == 0 || (r.Year != year && r.Year != prev) {
			continue
		}
		if r.Year == year {
			res.Reports++
		} else {
			res.PreviousReports++
		}
		rep, err := s.Report(ctx, r.ID, "")
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(err, index.ErrNotFound) {
				continue // removed since the list was read
			}
			return nil, err
		}
		for _, p := range rep.Paragraphs {
			for _, span := range quoted.Spans(p.Text) {
				c := byText[span]
				if c == nil {
					c = &candidate{text: span}
					byText[span] = c
				}
				c.quoted++
			}
		}
	}
	terms, err := analyzer.PolicyTerms()
	if err != nil {
		return nil, err
	}
	for _, t := range terms {
		t = norm.Fold(t)
		c := byText[t]
		if c == nil {
			c = &candidate{text: t}
			byText[t] = c
		}
		c.lexicon = true
	}
	out := make([]candidate, 0, len(byText))
	for _, c := range byText {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Compare(a.text, b.text) })
	return out, nil
}

// countAll counts every candidate in the scope, in parallel.
func countAll(ctx context.Context, s index.Searcher, opts Options, cands []candidate) ([]*index.Counts, error) {
	out := make([]*index.Counts, len(cands))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex // guards firstErr
		firstErr error
	)
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c, err := s.Count(ctx, index.Request{Query: Query(cands[i].text), Province: opts.Province, City: opts.City, District: opts.District})
				switch {
				case errors.Is(err, index.ErrBadQuery):
					// A candidate the query language cannot say is skipped.
				case err != nil:
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("novelty: counting %q: %w", cands[i].text, err)
					}
					mu.Unlock()
					cancel()
				default:
					out[i] = c
				}
			}
		}()
	}
feed:
	for i := range cands {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// yearStats is the use of a phrase in the reports of one year.
type yearStats struct {
	hits, reports int
	places        map[string]bool
	report        *index.ReportInfo
	paragraph     int
}

func (y *yearStats) add(r *index.ReportInfo, rc index.ReportCount, place string, ok bool) {
	y.hits += rc.Hits
	y.reports++
	if ok {
		if y.places == nil {
			y.places = map[string]bool{}
		}
		y.places[place] = true
	}
	if y.report == nil {
		y.report, y.paragraph = r, rc.First
	}
}

// stats is the use of one phrase.
type stats struct {
	first, last int // dated years
	total       int
	year, prev  yearStats
}

// tally arranges the counts of one phrase; nil if no dated report uses it.
func tally(c *index.Counts, byID map[string]*index.ReportInfo, opts Options, prev int) *stats {
	if c == nil {
		return nil
	}
	st := &stats{}
	for _, rc := range c.Reports {
		r := byID[rc.Report]
		if r == nil {
			continue // added since the list was read
		}
		st.total += rc.Hits
		if r.Year == 0 {
			continue
		}
		if st.first == 0 || r.Year < st.first {
			st.first = r.Year
		}
		st.last = max(st.last, r.Year)
		p, ok := placeOf(r, opts.Level)
		switch r.Year {
		case opts.Year:
			st.year.add(r, rc, p, ok)
		case prev:
			st.prev.add(r, rc, p, ok)
		}
	}
	if st.first == 0 {
		return nil
	}
	return st
}

// phrase is the list entry of c counted in y.
func (st *stats) phrase(c candidate, y *yearStats) Phrase {
	p := Phrase{Phrase: c.text, Query: Query(c.text), Quoted: c.quoted, Lexicon: c.lexicon,
		FirstYear: st.first, LastYear: st.last, Hits: y.hits, Reports: y.reports, Places: len(y.places),
		TotalHits: st.total, PlaceNames: []string{}}
	for name := range y.places {
		p.PlaceNames = append(p.PlaceNames, name)
	}
	slices.Sort(p.PlaceNames)
	if y.report != nil {
		p.Report, p.Title, p.Paragraph = y.report.ID, y.report.Title, y.paragraph
	}
	return p
}

// National is the place of the State Council's reports when places are
// the governments that gave the reports.
const National = "全国"

// placeOf is the place of r: at level l, or the government that gave it.
func placeOf(r *index.ReportInfo, l spread.Level) (string, bool) {
	if l != "" {
		p, ok := spread.PlaceOf(r, l)
		return p.FullName(), ok
	}
	p := spread.Place{Province: r.Province, City: r.City, District: r.District}
	if name := p.FullName(); name != "" {
		return name, true
	}
	return National, true
}

// scope is the places of Options, folded as the index folds them.
type scope struct{ province, city, district map[string]bool }

func newScope(o Options) scope {
	set := func(vs []string) map[string]bool {
		if len(vs) == 0 {
			return nil
		}
		m := map[string]bool{}
		for _, v := range vs {
			m[norm.Fold(v)] = true
		}
		return m
	}
	return scope{set(o.Province), set(o.City), set(o.District)}
}

func (s scope) holds(r *index.ReportInfo) bool {
	return (s.province == nil || s.province[r.Province]) && (s.city == nil || s.city[r.City]) &&
		(s.district == nil || s.district[r.District])
}

// yearList writes years as ranges: 2001–2003, 2005.
func yearList(ys []int) string {
	if len(ys) == 0 {
		return "none"
	}
	out := ""
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		if out != "" {
			out += ", "
		}
		out += strconv.Itoa(ys[i])
		if j > i {
			out += "–" + strconv.Itoa(ys[j])
		}
		i = j + 1
	}
	return out
}
