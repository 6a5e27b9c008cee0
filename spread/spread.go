package spread

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/zhengce/zhengce/index"
)

// Per is the length frequencies are normalised to: matching paragraphs per
// this many characters of report text.
const Per = 10000

// Result is the spread of one query.
type Result struct {
	Query   string `json:"query"`
	Level   Level  `json:"level"`
	Total   int    `json:"total"`   // matching paragraphs, as Search counts them
	Reports int    `json:"reports"` // reports with a match
	// Unplaced counts the matching paragraphs of reports that name no
	// place at Level (the State Council's, a city's at the district level).
	Unplaced  int               `json:"unplaced"`
	FirstUses []FirstUse        `json:"first_uses"` // one per place that used it, earliest first
	Adoption  []YearPoint       `json:"adoption"`   // one per year the corpus holds
	Frequency []YearFrequency   `json:"frequency"`  // one per year the corpus holds
	ByReport  []ReportFrequency `json:"by_report"`  // every report with a match, by year then index order
	Provinces []ProvinceSummary `json:"provinces"`  // every province the corpus holds
}

// FirstUse is the earliest report of one place that uses the query.
type FirstUse struct {
	Place
	Name      string `json:"name"` // Place.Name
	Year      int    `json:"year"` // 0: the place's only matching reports are undated
	Report    string `json:"report"`
	Title     string `json:"title"`
	Path      string `json:"path"`
	Paragraph int    `json:"paragraph"` // ordinal of the first matching paragraph of Report
	// Text is that paragraph, and Highlight its HTML with the matches
	// marked, once Cite has filled them in.
	Text      string `json:"text,omitempty"`
	Highlight string `json:"-"`
	Hits      int    `json:"hits"`    // matching paragraphs of Report
	Reports   int    `json:"reports"` // reports of the place with a match
	AllHits   int    `json:"all_hits"`
}

// YearPoint is the adoption of the query by one year.
type YearPoint struct {
	Year int `json:"year"`
	// New is the places whose first use is this year; Adopted those whose
	// first use is this year or earlier; Held the places the corpus holds a
	// report of, of this year or earlier. Share = Adopted / Held.
	New     int     `json:"new"`
	Adopted int     `json:"adopted"`
	Held    int     `json:"held"`
	Share   float64 `json:"share"`
	// Using is the places whose reports of this year use the query;
	// Reporting the places with a report of this year. YearShare =
	// Using / Reporting.
	Using     int     `json:"using"`
	Reporting int     `json:"reporting"`
	YearShare float64 `json:"year_share"`
}

// YearFrequency is the frequency of the query in the reports of one year.
type YearFrequency struct {
	Year        int     `json:"year"`
	Reports     int     `json:"reports"`      // reports of the year
	WithMatches int     `json:"with_matches"` // of them, those with a match
	Hits        int     `json:"hits"`         // matching paragraphs
	Chars       int     `json:"chars"`        // characters of all the year's reports
	Per10k      float64 `json:"per_10k"`      // Hits per 10,000 Chars
}

// ReportFrequency is the frequency of the query in one report.
type ReportFrequency struct {
	Report string  `json:"report"`
	Title  string  `json:"title"`
	Place  string  `json:"place"` // Place.FullName at the result's level, "" if none
	Year   int     `json:"year"`
	Hits   int     `json:"hits"`
	Chars  int     `json:"chars"`
	Per10k float64 `json:"per_10k"`
	First  int     `json:"first"` // first matching paragraph
}

// ProvinceSummary is the spread within one province, for the map.
type ProvinceSummary struct {
	Province  string  `json:"province"`
	MapName   string  `json:"map_name"`   // ShortProvince(Province), the map's name
	FirstYear int     `json:"first_year"` // 0: never (or only undated)
	Places    int     `json:"places"`     // places at the level that used it
	Held      int     `json:"held"`       // places at the level the corpus holds
	Share     float64 `json:"share"`      // Places / Held
	Hits      int     `json:"hits"`
}

// Run counts req with s and analyses the counts at level l.
func (t *Table) Run(ctx context.Context, s index.Searcher, req index.Request, l Level) (*Result, error) {
	c, err := s.Count(ctx, req)
	if err != nil {
		return nil, err
	}
	return t.Analyze(c, l)
}

// Analyze arranges the counts of one query at level l. Every report of c
// must be in the table (c counted on the index the table was built from).
func (t *Table) Analyze(c *index.Counts, l Level) (*Result, error) {
	lt, ok := t.levels[l]
	if !ok {
		return nil, fmt.Errorf("spread: level %q: want province, city or district", l)
	}
	res := &Result{Query: c.Query, Level: l, Total: c.Total, Reports: len(c.Reports)}
	first := make([]int, len(lt.places)) // place → index in c.Reports of its first use, +1
	perPlace := make([]struct{ reports, hits int }, len(lt.places))
	using := make([]map[int]bool, len(t.years))
	res.Frequency = make([]YearFrequency, len(t.years))
	for y, year := range t.years {
		res.Frequency[y] = YearFrequency{Year: year, Reports: t.yearReports[y], Chars: t.yearChars[y]}
	}
	for k, rc := range c.Reports {
		i, ok := t.byID[rc.Report]
		if !ok {
			return nil, fmt.Errorf("spread: the counts name report %q, which the index's report list does not hold", rc.Report)
		}
		r := &t.reports[i]
		place := lt.placeOf[i]
		rf := ReportFrequency{Report: r.ID, Title: r.Title, Year: r.Year, Hits: rc.Hits, Chars: r.Chars, Per10k: per10k(rc.Hits, r.Chars), First: rc.First}
		y, dated := t.yearIx[r.Year]
		if dated {
			f := &res.Frequency[y]
			f.WithMatches++
			f.Hits += rc.Hits
		}
		if place < 0 {
			res.Unplaced += rc.Hits
		} else {
			rf.Place = lt.places[place].FullName()
			perPlace[place].reports++
			perPlace[place].hits += rc.Hits
			if f := first[place]; f == 0 || earlier(r, &t.reports[t.byID[c.Reports[f-1].Report]]) {
				first[place] = k + 1
			}
			if dated {
				if using[y] == nil {
					using[y] = map[int]bool{}
				}
				using[y][place] = true
			}
		}
		res.ByReport = append(res.ByReport, rf)
	}
	slices.SortStableFunc(res.ByReport, func(a, b ReportFrequency) int { return yearOrder(a.Year, b.Year) })
	for y := range res.Frequency {
		f := &res.Frequency[y]
		f.Per10k = per10k(f.Hits, f.Chars)
	}

	newPer := make([]int, len(t.years))
	provs := make([]ProvinceSummary, len(t.provinces))
	for p, name := range t.provinces {
		provs[p] = ProvinceSummary{Province: name, MapName: ShortProvince(name), Held: lt.provHeld[p]}
	}
	for place, f := range first {
		if f == 0 {
			continue
		}
		rc := c.Reports[f-1]
		r := &t.reports[t.byID[rc.Report]]
		pl := lt.places[place]
		res.FirstUses = append(res.FirstUses, FirstUse{
			Place: pl, Name: pl.Name(), Year: r.Year, Report: r.ID, Title: r.Title, Path: r.Path,
			Paragraph: rc.First, Hits: rc.Hits, Reports: perPlace[place].reports, AllHits: perPlace[place].hits,
		})
		if y, ok := t.yearIx[r.Year]; ok {
			newPer[y]++
		}
		if pl.Province != "" {
			ps := &provs[lt.provOf[place]]
			ps.Places++
			ps.Hits += perPlace[place].hits
			if r.Year > 0 && (ps.FirstYear == 0 || r.Year < ps.FirstYear) {
				ps.FirstYear = r.Year
			}
		}
	}
	slices.SortStableFunc(res.FirstUses, func(a, b FirstUse) int {
		return cmp.Or(yearOrder(a.Year, b.Year), cmp.Compare(a.FullName(), b.FullName()))
	})
	for p := range provs {
		provs[p].Share = share(provs[p].Places, provs[p].Held)
	}
	res.Provinces = provs

	adopted := 0
	res.Adoption = make([]YearPoint, len(t.years))
	for y, year := range t.years {
		adopted += newPer[y]
		res.Adoption[y] = YearPoint{
			Year: year, New: newPer[y], Adopted: adopted, Held: lt.held[y], Share: share(adopted, lt.held[y]),
			Using: len(using[y]), Reporting: lt.reporting[y], YearShare: share(len(using[y]), lt.reporting[y]),
		}
	}
	return res, nil
}

// earlier reports whether a comes before b as a first use: an earlier year,
// and a dated report before an undated one. Equal years keep index order.
func earlier(a, b *index.ReportInfo) bool { return yearOrder(a.Year, b.Year) < 0 }

// yearOrder orders years ascending with 0 (unknown) last.
func yearOrder(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

func per10k(hits, chars int) float64 {
	if chars == 0 {
		return 0
	}
	return float64(hits) * Per / float64(chars)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// Cite fills in the text of the first matching paragraph of the first max
// first uses of res (all if max <= 0), reading each report from s with
// query highlighted. A report that cannot be read is left without text.
func Cite(ctx context.Context, s index.Searcher, res *Result, query string, max int) error {
	for i := range res.FirstUses {
		if max > 0 && i >= max {
			break
		}
		fu := &res.FirstUses[i]
		rep, err := s.Report(ctx, fu.Report, query)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		for _, p := range rep.Paragraphs {
			if p.Ordinal == fu.Paragraph {
				fu.Text, fu.Highlight = p.Text, p.Highlight
				break
			}
		}
	}
	return nil
}
