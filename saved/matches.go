package saved

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/query"
)

// Matches is what a saved search finds now.
type Matches struct {
	Search     Search `json:"search"`
	Generation int    `json:"generation"` // of the index counted
	Total      int    `json:"total"`      // matching paragraphs now
	Reports    int    `json:"reports"`    // reports with a match now
	// New are the reports with matches new since the last look, the most
	// recently added first; NewHits their new matching paragraphs.
	New     []Report `json:"new"`
	NewHits int      `json:"new_hits"`
}

// Report is a report that matches a saved search.
type Report struct {
	index.ReportInfo
	Hits   int       `json:"hits"`   // matching paragraphs
	Before int       `json:"before"` // of them, those that matched at the last look
	Since  time.Time `json:"since"`  // first seen matching; zero if not yet recorded
	// Paragraphs are its matching paragraphs (at most as many as asked).
	Paragraphs []index.Hit `json:"paragraphs,omitempty"`
}

// Save saves req under name, with its current matches as seen: what is new
// is what comes after. The query is checked by counting it (a bad query is
// index.ErrBadQuery). Paging, sorting and facet fields of req are ignored.
func (st *Store) Save(ctx context.Context, s index.Searcher, name string, req index.Request) (*Search, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	req.Query = strings.TrimSpace(req.Query)
	if _, err := query.Parse(req.Query); err != nil && !(req.HasFilters() && req.Query == "") {
		return nil, fmt.Errorf("saved: %w: %w", index.ErrBadQuery, err)
	}
	now := st.now().UTC()
	srch := Search{Name: name, Query: req.Query, Province: normalise(req.Province), City: normalise(req.City),
		District: normalise(req.District), Section: normalise(req.Section), YearFrom: req.YearFrom, YearTo: req.YearTo,
		Created: now, Looked: now, Reports: map[string]Mark{}}
	c, err := s.Count(ctx, srch.Request())
	if err != nil {
		return nil, err
	}
	for _, rc := range c.Reports {
		srch.Reports[rc.Report] = Mark{Hits: rc.Hits, Since: now, Counted: rc.Hits}
	}
	err = st.update(func(f *file) error {
		if f.find(name) >= 0 {
			return fmt.Errorf("saved: %q: %w", name, ErrExists)
		}
		if len(f.Searches) >= MaxSearches {
			return fmt.Errorf("saved: %w; delete some first", ErrTooMany)
		}
		f.Searches = append(f.Searches, srch)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &srch, nil
}

// New returns what the saved search name finds now, with the matches new
// since the last look, each new report with up to paragraphs of its
// matching paragraphs. It changes nothing.
func (st *Store) New(ctx context.Context, s index.Searcher, name string, paragraphs int) (*Matches, error) {
	srch, err := st.Get(name)
	if err != nil {
		return nil, err
	}
	m, _, err := find(ctx, s, srch, paragraphs)
	return m, err
}

// Look is New, and records the current matches as seen: the next look
// shows only what comes after.
func (st *Store) Look(ctx context.Context, s index.Searcher, name string, paragraphs int) (*Matches, error) {
	srch, err := st.Get(name)
	if err != nil {
		return nil, err
	}
	m, c, err := find(ctx, s, srch, paragraphs)
	if err != nil {
		return nil, err
	}
	now := st.now().UTC()
	err = st.update(func(f *file) error {
		i := f.find(name)
		if i < 0 {
			return fmt.Errorf("saved: %q: %w", name, ErrNotFound)
		}
		cur := &f.Searches[i]
		marks := map[string]Mark{}
		for _, rc := range c.Reports {
			mk, ok := cur.Reports[rc.Report]
			if !ok || rc.Hits > mk.Counted {
				mk.Since, mk.Counted = now, rc.Hits
			}
			mk.Hits = rc.Hits
			marks[rc.Report] = mk
		}
		cur.Reports, cur.Looked = marks, now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Observe returns, for every saved search, what it finds now with the
// matches new since its last look (up to paragraphs paragraphs of each new
// report), and records when each new report was first seen matching. It
// does not count as a look. `indexer -add` calls it after adding.
func (st *Store) Observe(ctx context.Context, s index.Searcher, paragraphs int) ([]Matches, error) {
	list, err := st.List()
	if err != nil {
		return nil, err
	}
	out := make([]Matches, 0, len(list))
	counts := map[string]*index.Counts{}
	for i := range list {
		m, c, err := find(ctx, s, &list[i], paragraphs)
		if err != nil {
			return nil, fmt.Errorf("saved: %q: %w", list[i].Name, err)
		}
		out = append(out, *m)
		counts[list[i].Name] = c
	}
	if err := st.record(counts); err != nil {
		return nil, err
	}
	// The times just recorded.
	for i := range out {
		stamp(&out[i], st)
	}
	return out, nil
}

// stamp fills in the Since of new reports recorded after m was found.
func stamp(m *Matches, st *Store) {
	srch, err := st.Get(m.Search.Name)
	if err != nil {
		return
	}
	for k := range m.New {
		if mk, ok := srch.Reports[m.New[k].ID]; ok {
			m.New[k].Since = mk.Since
		}
	}
}

// record notes the first sighting of every matching report the marks of
// the saved searches named in counts do not hold yet, and forgets the
// unseen ones that no longer match.
func (st *Store) record(counts map[string]*index.Counts) error {
	if len(counts) == 0 {
		return nil
	}
	now := st.now().UTC()
	return st.update(func(f *file) error {
		changed := false
		for name, c := range counts {
			i := f.find(name)
			if i < 0 || c == nil {
				continue // deleted meanwhile
			}
			cur := &f.Searches[i]
			matching := map[string]bool{}
			for _, rc := range c.Reports {
				matching[rc.Report] = true
				if mk, ok := cur.Reports[rc.Report]; !ok || rc.Hits > mk.Counted {
					mk.Since, mk.Counted = now, rc.Hits
					cur.Reports[rc.Report] = mk
					changed = true
				}
			}
			for id, mk := range cur.Reports {
				if mk.Hits == 0 && !matching[id] {
					delete(cur.Reports, id)
					changed = true
				}
			}
		}
		if !changed {
			return errUnchanged // a feed read again writes nothing
		}
		return nil
	})
}

// Recent returns the reports matching the saved search name that were
// seen after it was saved (Mark.Since), most recent first, at most reports
// of them (0: all), each with up to paragraphs of its matching paragraphs:
// what its feed shows. The matches of a report when the search was saved
// are not news and are left out. Reports not yet seen are recorded as seen
// now first (not as a look).
func (st *Store) Recent(ctx context.Context, s index.Searcher, name string, reports, paragraphs int) (*Matches, []Report, error) {
	srch, err := st.Get(name)
	if err != nil {
		return nil, nil, err
	}
	m, c, err := find(ctx, s, srch, 0)
	if err != nil {
		return nil, nil, err
	}
	if err := st.record(map[string]*index.Counts{name: c}); err != nil {
		return nil, nil, err
	}
	if srch, err = st.Get(name); err != nil {
		return nil, nil, err
	}
	infos, err := s.Reports(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := reportIndex(infos)
	var out []Report
	for _, rc := range c.Reports {
		k, ok := byID[rc.Report]
		if !ok {
			continue
		}
		mk := srch.Reports[rc.Report]
		if !mk.Since.After(srch.Created) {
			continue
		}
		out = append(out, Report{ReportInfo: infos[k], Hits: rc.Hits, Before: min(mk.Hits, rc.Hits), Since: mk.Since})
	}
	sortRecent(out)
	if reports > 0 && len(out) > reports {
		out = out[:reports]
	}
	if err := fillParagraphs(ctx, s, srch, out, paragraphs); err != nil {
		return nil, nil, err
	}
	return m, out, nil
}

// sortRecent puts the most recently seen reports first, then the most
// recently added, then the newest.
func sortRecent(rs []Report) {
	slices.SortStableFunc(rs, func(a, b Report) int {
		return cmp.Or(b.Since.Compare(a.Since), cmp.Compare(b.Added, a.Added), cmp.Compare(b.Year, a.Year))
	})
}

func reportIndex(infos []index.ReportInfo) map[string]int {
	byID := make(map[string]int, len(infos))
	for i := range infos {
		byID[infos[i].ID] = i
	}
	return byID
}

// find counts srch and picks the reports new since its last look.
func find(ctx context.Context, s index.Searcher, srch *Search, paragraphs int) (*Matches, *index.Counts, error) {
	c, err := s.Count(ctx, srch.Request())
	if err != nil {
		return nil, nil, err
	}
	infos, err := s.Reports(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := reportIndex(infos)
	m := &Matches{Search: *srch, Generation: c.Generation, Total: c.Total, Reports: len(c.Reports)}
	m.Search.Reports = nil // the marks are internal; the JSON stays small
	for _, rc := range c.Reports {
		mk := srch.Reports[rc.Report]
		if rc.Hits <= mk.Hits {
			continue
		}
		k, ok := byID[rc.Report]
		if !ok {
			continue
		}
		m.New = append(m.New, Report{ReportInfo: infos[k], Hits: rc.Hits, Before: mk.Hits, Since: mk.Since})
		m.NewHits += rc.Hits - mk.Hits
	}
	sortRecent(m.New)
	if err := fillParagraphs(ctx, s, srch, m.New, paragraphs); err != nil {
		return nil, nil, err
	}
	return m, c, nil
}

// fillParagraphs reads up to max matching paragraphs of each report.
func fillParagraphs(ctx context.Context, s index.Searcher, srch *Search, rs []Report, max int) error {
	if max <= 0 {
		return nil
	}
	for k := range rs {
		hs, err := Paragraphs(ctx, s, srch.Request(), &rs[k].ReportInfo, max)
		if err != nil {
			return err
		}
		rs[k].Paragraphs = hs
	}
	return nil
}

// Paragraphs returns up to max paragraphs of report r that match req, in
// their order in the report. The search is narrowed to r's place and year
// (a narrowing of req, since r matches it) and its hits kept if they are
// r's, so it reads only the reports of one place and year.
func Paragraphs(ctx context.Context, s index.Searcher, req index.Request, r *index.ReportInfo, max int) ([]index.Hit, error) {
	if r.Province != "" {
		req.Province = []string{r.Province}
	}
	if r.City != "" {
		req.City = []string{r.City}
	}
	if r.District != "" {
		req.District = []string{r.District}
	}
	if r.Year != 0 {
		req.YearFrom, req.YearTo = r.Year, r.Year
	}
	req.Offset, req.Limit, req.Sort, req.NoFacets, req.TrendBy = 0, 0, "", true, ""
	res, err := s.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	var out []index.Hit
	for _, h := range res.Hits {
		if h.Report == r.ID {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b index.Hit) int { return cmp.Compare(a.Paragraph, b.Paragraph) })
	if len(out) > max {
		out = out[:max]
	}
	return out, nil
}
