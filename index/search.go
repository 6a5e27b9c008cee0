package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/zhengce/zhengce/norm"
	"github.com/zhengce/zhengce/query"
)

// maxTopN bounds how many hits one request may fetch with text.
const maxTopN = 1 << 20

// maxOffset bounds how deep a page may start.
const maxOffset = 1 << 30

// facetSizes caps how many values each facet lists; counts are exact.
var facetSizes = map[string]int{
	"province": 40, "city": 400, "district": 1000, "year": 100, "section": 10,
}

// badQuery marks err as the request's fault; its message stays err's own.
func badQuery(err error) error { return userError{err} }

type userError struct{ err error }

func (e userError) Error() string   { return e.err.Error() }
func (e userError) Unwrap() []error { return []error{ErrBadQuery, e.err} }

// compiled is a request checked and parsed.
type compiled struct {
	expr    query.Node
	filters query.Filters
	phrases []string // positive normalised phrases, for ranking and highlighting
}

func compile(req Request) (*compiled, error) {
	if req.Offset < 0 {
		return nil, badQuery(fmt.Errorf("offset %d is negative", req.Offset))
	}
	if req.Offset > maxOffset {
		return nil, badQuery(fmt.Errorf("offset %d is too large (at most %d)", req.Offset, maxOffset))
	}
	if req.Limit < 0 {
		return nil, badQuery(fmt.Errorf("limit %d is negative", req.Limit))
	}
	switch req.Sort {
	case "", "relevance", "year", "year-asc":
	default:
		return nil, badQuery(fmt.Errorf("unknown sort %q (want relevance, year or year-asc)", req.Sort))
	}
	switch req.TrendBy {
	case "", "district", "province":
	default:
		return nil, badQuery(fmt.Errorf("unknown trend split %q (want district or province)", req.TrendBy))
	}
	q, err := query.Parse(req.Query)
	if err != nil && !(errors.Is(err, query.ErrEmpty) && req.HasFilters()) {
		return nil, badQuery(err)
	}
	if q == nil {
		q = &query.Query{}
	}
	f := q.Filters
	f.Province = append(f.Province, req.Province...)
	f.City = append(f.City, req.City...)
	f.District = append(f.District, req.District...)
	f.Section = append(f.Section, req.Section...)
	if req.YearFrom != 0 {
		f.YearFrom = max(f.YearFrom, req.YearFrom)
	}
	if req.YearTo != 0 {
		if f.YearTo == 0 {
			f.YearTo = req.YearTo
		} else {
			f.YearTo = min(f.YearTo, req.YearTo)
		}
	}
	if q.Expr == nil && f.Empty() {
		return nil, badQuery(query.ErrEmpty)
	}
	return &compiled{expr: q.Expr, filters: f, phrases: q.Phrases()}, nil
}

// matched is the hit set of a request in one generation.
type matched struct {
	g       *generation
	c       *compiled
	hits    []*roaring.Bitmap // per segment
	total   int
	perSlot []int32 // hits per report slot
	perSec  map[string]int
}

// match evaluates a compiled request over every segment, using the cores
// when there are several segments, and counts hits per report and section.
func (g *generation) match(ctx context.Context, c *compiled) (*matched, error) {
	m := &matched{g: g, c: c, hits: make([]*roaring.Bitmap, len(g.segs)), perSlot: make([]int32, len(g.slots)), perSec: map[string]int{}}
	errs := make([]error, len(g.segs))
	secCounts := make([][]int, len(g.segs))
	work := func(k int) {
		gs := g.segs[k]
		within, err := g.filter(gs, c.filters)
		if err != nil {
			errs[k] = err
			return
		}
		var hits *roaring.Bitmap
		if c.expr == nil {
			hits = within
			if hits == nil {
				hits = roaring.New()
				hits.AddRange(0, uint64(gs.s.r.NumParagraphs()))
			}
		} else {
			e := evaluator{ctx: ctx, gs: gs}
			hits, err = e.eval(c.expr, within)
			if err != nil {
				errs[k] = err
				return
			}
		}
		m.hits[k] = hits
		secCounts[k] = g.count(gs, hits, m.perSlot)
	}
	if len(g.segs) == 1 {
		work(0)
	} else {
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		var wg sync.WaitGroup
		for k := range g.segs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				work(k)
			}()
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for k, gs := range g.segs {
		m.total += int(m.hits[k].GetCardinality())
		for code, n := range secCounts[k] {
			if n > 0 {
				m.perSec[gs.s.secNames[code]] += n
			}
		}
	}
	return m, nil
}

// count adds the hits of one segment to perSlot (slots of different
// segments never overlap, so segments count concurrently) and returns the
// hits per section code.
func (g *generation) count(gs *genSeg, hits *roaring.Bitmap, perSlot []int32) []int {
	secs := make([]int, len(gs.s.secNames))
	repCol := gs.s.r.Reports()
	secCol := gs.s.r.Sections()
	slots := perSlot[gs.base : gs.base+len(gs.s.reports)]
	it := hits.ManyIterator()
	buf := make([]uint32, 512)
	for {
		n := it.NextMany(buf)
		if n == 0 {
			break
		}
		for _, p := range buf[:n] {
			if int(p) >= len(repCol) {
				continue
			}
			if r := repCol[p]; int(r) < len(slots) {
				slots[r]++
			}
			if c := secCol[p]; int(c) < len(secs) {
				secs[c]++
			}
		}
	}
	return secs
}

// filter returns the live paragraphs of a segment that pass the filters,
// or nil when every paragraph does.
func (g *generation) filter(gs *genSeg, f query.Filters) (*roaring.Bitmap, error) {
	var out *roaring.Bitmap
	if f.Province != nil || f.City != nil || f.District != nil || f.YearFrom != 0 || f.YearTo != 0 {
		want := func(vals []string, v ...string) bool {
			if len(vals) == 0 {
				return true
			}
			for _, x := range vals {
				x = norm.Fold(strings.TrimSpace(x))
				for _, y := range v {
					if y != "" && norm.Fold(y) == x {
						return true
					}
				}
			}
			return false
		}
		out = roaring.New()
		for i := range gs.s.reports {
			r := &gs.s.reports[i]
			if !want(f.Province, r.Province, r.ProvinceAsWritten) || !want(f.City, r.City, r.CityAsWritten) ||
				!want(f.District, r.District, r.DistrictAsWritten) ||
				(f.YearFrom != 0 && r.Year < f.YearFrom) || (f.YearTo != 0 && (r.Year > f.YearTo || r.Year == 0)) {
				continue
			}
			ri, err := gs.s.r.Report(i)
			if err != nil {
				return nil, err
			}
			out.AddRange(uint64(ri.First), uint64(ri.First+ri.Count))
		}
	}
	if len(f.Section) > 0 {
		gs.s.bitmaps()
		sec := roaring.New()
		for _, v := range f.Section {
			v = norm.Fold(strings.TrimSpace(v))
			for code, name := range gs.s.secNames {
				if name == v {
					sec.Or(gs.s.secBM[code])
				}
			}
		}
		if out == nil {
			out = sec
		} else {
			out.And(sec)
		}
	}
	if gs.live != nil {
		if out == nil {
			return gs.live, nil
		}
		out.And(gs.live)
	}
	return out, nil
}

// evaluator evaluates a query expression on one segment. Each node narrows
// the set it is given, so the phrases of an AND verify only the candidates
// the others left.
type evaluator struct {
	ctx context.Context
	gs  *genSeg
}

func (e *evaluator) all() *roaring.Bitmap {
	bm := roaring.New()
	bm.AddRange(0, uint64(e.gs.s.r.NumParagraphs()))
	return bm
}

func (e *evaluator) eval(n query.Node, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	if err := e.ctx.Err(); err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case *query.Phrase:
		return e.gs.s.r.Phrase(e.ctx, []rune(n.Norm), within)
	case *query.And:
		var pos, neg []query.Node
		for _, c := range n.Children {
			if nc, ok := c.(*query.Not); ok {
				neg = append(neg, nc.Child)
			} else {
				pos = append(pos, c)
			}
		}
		// Rarest first: each later child only checks what is left.
		sort.SliceStable(pos, func(i, j int) bool { return e.estimate(pos[i]) < e.estimate(pos[j]) })
		cur := within
		for _, c := range pos {
			bm, err := e.eval(c, cur)
			if err != nil {
				return nil, err
			}
			cur = bm
			if cur.IsEmpty() {
				return cur, nil
			}
		}
		if cur == nil {
			cur = e.all()
		}
		for _, c := range neg {
			bm, err := e.eval(c, cur)
			if err != nil {
				return nil, err
			}
			cur = roaring.AndNot(cur, bm)
			if cur.IsEmpty() {
				break
			}
		}
		return cur, nil
	case *query.Or:
		parts := make([]*roaring.Bitmap, 0, len(n.Children))
		for _, c := range n.Children {
			bm, err := e.eval(c, within)
			if err != nil {
				return nil, err
			}
			parts = append(parts, bm)
		}
		return roaring.FastOr(parts...), nil
	case *query.Not:
		base := within
		if base == nil {
			base = e.all()
		}
		bm, err := e.eval(n.Child, base)
		if err != nil {
			return nil, err
		}
		return roaring.AndNot(base, bm), nil
	}
	return nil, fmt.Errorf("index: unknown query node %T", n)
}

// estimate is an upper bound on a node's hits, from the dictionaries.
func (e *evaluator) estimate(n query.Node) int {
	switch n := n.(type) {
	case *query.Phrase:
		r := []rune(n.Norm)
		if len(r) == 1 {
			bm, err := e.gs.s.r.Unigram(r[0])
			if err != nil {
				return math.MaxInt
			}
			return int(bm.GetCardinality())
		}
		best := math.MaxInt
		for i := 0; i+1 < len(r); i++ {
			best = min(best, e.gs.s.r.PairCardinality(r[i], r[i+1]))
		}
		return best
	case *query.And:
		best := math.MaxInt
		for _, c := range n.Children {
			if _, ok := c.(*query.Not); !ok {
				best = min(best, e.estimate(c))
			}
		}
		return best
	case *query.Or:
		sum := 0
		for _, c := range n.Children {
			sum += min(e.estimate(c), math.MaxInt/64)
		}
		return sum
	}
	return math.MaxInt
}

// Search runs a request.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	c, err := compile(req)
	if err != nil {
		return nil, err
	}
	g := ix.acquire()
	defer ix.release(g)
	m, err := g.match(ctx, c)
	if err != nil {
		return nil, ix.searchErr(req, err)
	}
	out := &Result{Query: req.Query, Total: m.total}
	limit := req.Limit
	if limit == 0 {
		limit = m.total
	}
	limit = min(limit, maxTopN)
	page, err := m.page(ctx, req.Sort, req.Offset, limit)
	if err != nil {
		return nil, ix.searchErr(req, err)
	}
	out.Hits, err = m.hitsOf(page)
	if err != nil {
		return nil, ix.searchErr(req, err)
	}
	if !req.NoFacets {
		out.Facets = m.facets()
	}
	if req.TrendBy != "" {
		out.Trend = m.trend(req.TrendBy)
	}
	out.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return out, nil
}

func (ix *Index) searchErr(req Request, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("searching %q: %w", req.Query, indexDamaged(ix.dir, err))
}

// facets sums the hits of each report into the report's place and year.
func (m *matched) facets() map[string][]FacetCount {
	g := m.g
	var sums [3][]int
	for k := range sums {
		sums[k] = make([]int, len(g.names[k]))
	}
	years := map[int]int{}
	for s, n := range m.perSlot {
		if n == 0 {
			continue
		}
		for k, ids := range [3][]int32{g.province, g.city, g.district} {
			if id := ids[s]; id >= 0 {
				sums[k][id] += int(n)
			}
		}
		if y := g.slots[s].meta.Year; y > 0 {
			years[y] += int(n)
		}
	}
	out := make(map[string][]FacetCount, len(FacetFields))
	for k, field := range []string{"province", "city", "district"} {
		counts := make(map[string]int)
		for id, n := range sums[k] {
			if n > 0 {
				counts[g.names[k][id]] = n
			}
		}
		out[field] = sortedCounts(counts, false, facetSizes[field])
	}
	ys := make(map[string]int, len(years))
	for y, n := range years {
		ys[strconv.Itoa(y)] = n
	}
	out["year"] = sortedCounts(ys, true, facetSizes["year"])
	out["section"] = sortedCounts(m.perSec, false, facetSizes["section"])
	return out
}

// sortedCounts lists counts from most to fewest hits (years newest first),
// ties by value, at most limit of them.
func sortedCounts(m map[string]int, byValue bool, limit int) []FacetCount {
	out := make([]FacetCount, 0, len(m))
	for v, n := range m {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if byValue {
			return out[i].Value > out[j].Value
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// trend sums the hits of each report into its year and place.
func (m *matched) trend(by string) []TrendPoint {
	sums := map[TrendPoint]int{}
	for s, n := range m.perSlot {
		if n == 0 {
			continue
		}
		r := m.g.slots[s].meta
		if r.Year == 0 {
			continue
		}
		v := r.District
		if by == "province" {
			v = r.Province
		}
		if v != "" {
			sums[TrendPoint{Year: r.Year, Value: v}] += int(n)
		}
	}
	out := make([]TrendPoint, 0, len(sums))
	for p, n := range sums {
		p.Count = n
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// hitsOf loads the paragraphs of a page.
func (m *matched) hitsOf(page []ranked) ([]Hit, error) {
	out := make([]Hit, 0, len(page))
	for _, h := range page {
		gs := m.g.segs[h.seg]
		p, err := gs.s.r.Paragraph(int(h.para))
		if err != nil {
			return nil, err
		}
		r := &gs.s.reports[p.Report]
		hit := Hit{
			ID: r.ID + "-" + strconv.Itoa(p.Ordinal), Report: r.ID, Path: r.Path, Title: r.Title,
			Province: r.Province, City: r.City, District: r.District, Year: r.Year,
			Section: gs.s.sectionName(p.Section), Heading: p.Heading, Paragraph: p.Ordinal, Offset: p.Offset,
			Page: p.Page, OCR: p.Flags&flagOCR != 0, Text: p.Text, Score: h.score,
		}
		hit.Highlight, _ = Highlight(hit.Text, m.c.phrases)
		out = append(out, hit)
	}
	return out, nil
}

func (s *openSeg) sectionName(code uint8) string {
	if int(code) < len(s.secNames) {
		return s.secNames[code]
	}
	return ""
}

// Report returns a report with every match of query highlighted.
func (ix *Index) Report(ctx context.Context, id, q string) (*Report, error) {
	var phrases []string
	if strings.TrimSpace(q) != "" {
		pq, err := query.Parse(q)
		if err != nil && !errors.Is(err, query.ErrEmpty) {
			return nil, badQuery(err)
		}
		if pq != nil {
			phrases = pq.Phrases()
		}
	}
	g := ix.acquire()
	defer ix.release(g)
	k, ok := g.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	sl := g.slots[k]
	gs := g.segs[sl.seg]
	ri, err := gs.s.r.Report(sl.local)
	if err != nil {
		return nil, indexDamaged(ix.dir, err)
	}
	ps, err := gs.s.r.Paragraphs(ri.First, ri.First+ri.Count)
	if err != nil {
		return nil, indexDamaged(ix.dir, err)
	}
	r := *sl.meta
	r.Paragraphs = make([]Paragraph, 0, len(ps))
	for i, p := range ps {
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		para := Paragraph{Ordinal: p.Ordinal, Offset: p.Offset, Page: p.Page, OCR: p.Flags&flagOCR != 0,
			Section: gs.s.sectionName(p.Section), Heading: p.Heading, Text: p.Text}
		para.Highlight, para.Matches = Highlight(para.Text, phrases)
		r.Paragraphs = append(r.Paragraphs, para)
	}
	return &r, nil
}
