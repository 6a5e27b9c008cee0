package reuse

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// Source is what Compute reads: *index.Index.
type Source interface {
	Texts(ctx context.Context, fn func(report int, info *index.ReportInfo, ordinal int, text []rune) error) (int, error)
}

// Stats are what one Compute did and cost.
type Stats struct {
	Reports, Paragraphs int
	Compared            int   // paragraphs long enough to compare
	Shingles            int64 // distinct shingles over all compared paragraphs
	Sampled             int64 // entries of the inverted list
	Candidates          int64 // pairs whose containment was computed
	Matches             int64 // pairs found (paragraph, other report)
	Read, Compare       time.Duration
	Elapsed             time.Duration
}

// builder holds the shingles of every paragraph while a table is computed.
type builder struct {
	p       Params
	reports []index.ReportInfo
	place   []int32 // per report
	places  int
	rank    []int32 // per report: position in the order of "earlier"

	// Per paragraph, numbered in reading order.
	report  []uint32
	ordinal []uint32
	chars   []uint32
	shStart []int // into sh; len n+1
	sh      []uint32
	fpStart []int // into fp; len n+1
	fp      []uint32
	post    []uint64 // sampled shingle << 32 | paragraph

	// Inverted lists, after sorting post.
	keys   []uint32 // distinct sampled shingles
	gStart []int    // list of keys[g] is post[gStart[g]:gStart[g+1]]
	bp     []bool   // boilerplate shingle
}

// Compute computes the reuse table of src. It reads src's current
// generation once, then compares in memory; see the package comment for
// what it finds and what it costs.
func Compute(ctx context.Context, src Source, params Params) (*Table, Stats, error) {
	start := time.Now()
	b := &builder{p: params.withDefaults()}
	var st Stats
	gen, err := b.read(ctx, src)
	if err != nil {
		return nil, st, fmt.Errorf("reuse: reading the index: %w", err)
	}
	st.Read = time.Since(start)
	b.invert()
	t, err := b.compare(ctx, &st)
	if err != nil {
		return nil, st, err
	}
	t.Generation = gen
	st.Reports, st.Paragraphs = len(b.reports), len(b.report)
	st.Shingles, st.Sampled = int64(len(b.sh)), int64(len(b.post))
	st.Compare = time.Since(start) - st.Read
	st.Elapsed = time.Since(start)
	return t, st, nil
}

// Comparable appends to dst the text that is compared of a paragraph's
// normalised text: separators removed, every run of digits one "0". It
// returns it with the number of characters of the text without
// separators.
func Comparable(text []rune, dst []rune) ([]rune, int) {
	n := 0
	digit := false
	for _, r := range text {
		if r == norm.Sep {
			continue
		}
		n++
		if r >= '0' && r <= '9' {
			if !digit {
				dst = append(dst, '0')
			}
			digit = true
			continue
		}
		digit = false
		dst = append(dst, r)
	}
	return dst, n
}

// hashShingles appends the 64-bit hash of every k-gram of s to dst.
func hashShingles(s []rune, k int, dst []uint64) []uint64 {
	const base = 1099511628211 // the FNV prime: odd, so the hash is a bijection per character
	pow := uint64(1)
	for i := 1; i < k; i++ {
		pow *= base
	}
	var h uint64
	for i, r := range s {
		if i >= k {
			h -= (uint64(s[i-k]) + 1) * pow
		}
		h = h*base + uint64(r) + 1
		if i >= k-1 {
			dst = append(dst, mix(h))
		}
	}
	return dst
}

// mix is the finaliser of splitmix64: every bit of the result depends on
// every bit of x.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func (b *builder) read(ctx context.Context, src Source) (int, error) {
	var (
		text    []rune
		hashes  []uint64
		ids     []uint32
		sampled []uint32
	)
	b.shStart = append(b.shStart, 0)
	b.fpStart = append(b.fpStart, 0)
	mask := uint64(b.p.SampleEvery - 1)
	gen, err := src.Texts(ctx, func(rep int, info *index.ReportInfo, ordinal int, norm []rune) error {
		for len(b.reports) <= rep {
			b.reports = append(b.reports, *info)
		}
		var n int
		text, n = Comparable(norm, text[:0])
		para := uint32(len(b.report))
		b.report = append(b.report, uint32(rep))
		b.ordinal = append(b.ordinal, uint32(ordinal))
		b.chars = append(b.chars, uint32(n))
		if len(text) >= b.p.MinChars {
			hashes = hashShingles(text, b.p.ShingleLen, hashes[:0])
			ids, sampled = ids[:0], sampled[:0]
			for _, h := range hashes {
				id := uint32(h >> 32)
				ids = append(ids, id)
				if h&mask == 0 {
					sampled = append(sampled, id)
				}
			}
			slices.Sort(ids)
			ids = slices.Compact(ids)
			// The smallest shingle too, so that every paragraph has one
			// (a min-hash: two paragraphs share it as often as they
			// resemble each other).
			sampled = append(sampled, ids[0])
			slices.Sort(sampled)
			sampled = slices.Compact(sampled)
			b.sh = append(b.sh, ids...)
			b.fp = append(b.fp, sampled...)
			for _, s := range sampled {
				b.post = append(b.post, uint64(s)<<32|uint64(para))
			}
		}
		b.shStart = append(b.shStart, len(b.sh))
		b.fpStart = append(b.fpStart, len(b.fp))
		return nil
	})
	if err != nil {
		return 0, err
	}
	b.placesAndRanks()
	return gen, nil
}

func (b *builder) placesAndRanks() {
	ids := map[string]int32{}
	b.place = make([]int32, len(b.reports))
	for i := range b.reports {
		k := placeKey(&b.reports[i])
		id, ok := ids[k]
		if !ok {
			id = int32(len(ids))
			ids[k] = id
		}
		b.place[i] = id
	}
	b.places = len(ids)
	order := make([]int, len(b.reports))
	for i := range order {
		order[i] = i
	}
	year := func(i int) int {
		if y := b.reports[i].Year; y > 0 {
			return y
		}
		return math.MaxInt
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, c := order[i], order[j]
		if year(a) != year(c) {
			return year(a) < year(c)
		}
		return b.reports[a].Added < b.reports[c].Added
	})
	b.rank = make([]int32, len(b.reports))
	for r, i := range order {
		b.rank[i] = int32(r)
	}
}

// boilerplatePlaces is the number of places from which a passage is
// boilerplate.
func (b *builder) boilerplatePlaces() int {
	return max(b.p.BoilerplateMinPlaces, int(math.Ceil(b.p.BoilerplateShare*float64(b.places)-1e-9)))
}

// invert sorts the sampled shingles into inverted lists, marks the
// boilerplate ones, and replaces every paragraph's sampled shingles by the
// numbers of their lists.
func (b *builder) invert() {
	slices.Sort(b.post)
	bpPlaces := b.boilerplatePlaces()
	stamp := make([]int32, b.places)
	for i := range stamp {
		stamp[i] = -1
	}
	cursor := make([]int32, len(b.report))
	for i := 0; i < len(b.post); {
		key := uint32(b.post[i] >> 32)
		g := int32(len(b.keys))
		j, places := i, 0
		for ; j < len(b.post) && uint32(b.post[j]>>32) == key; j++ {
			para := uint32(b.post[j])
			if pl := b.place[b.report[para]]; stamp[pl] != g {
				stamp[pl] = g
				places++
			}
			b.fp[b.fpStart[para]+int(cursor[para])] = uint32(g)
			cursor[para]++
		}
		b.keys = append(b.keys, key)
		b.gStart = append(b.gStart, i)
		b.bp = append(b.bp, places >= bpPlaces)
		i = j
	}
	b.gStart = append(b.gStart, len(b.post))
}

// containment is |sh(p) ∩ sh(q)| / |sh(p)|.
func (b *builder) containment(p, q uint32) float64 {
	a := b.sh[b.shStart[p]:b.shStart[p+1]]
	c := b.sh[b.shStart[q]:b.shStart[q+1]]
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(c); {
		switch {
		case a[i] < c[j]:
			i++
		case a[i] > c[j]:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	return float64(shared) / float64(len(a))
}

// found is one paragraph found in another report.
type found struct {
	q uint32 // the paragraph of the other report
	c float64
}

// paraResult is what comparing one paragraph gave.
type paraResult struct {
	p    uint32
	mark Mark
}

// workerOut is what one comparing goroutine gathered.
type workerOut struct {
	marks      []paraResult
	passages   []Passage
	pairs      map[uint64]*pairAgg
	reused     []float64 // per report
	same       []float64
	candidates int64
	matches    int64
}

type pairAgg struct {
	in    [2]float64 // [0]: lower-numbered report's text found in the other
	paras [2]int
}

func (b *builder) compare(ctx context.Context, st *Stats) (*Table, error) {
	workers := b.p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := len(b.report)
	var next atomic.Int64
	const chunk = 512
	outs := make([]*workerOut, workers)
	var wg sync.WaitGroup
	for w := range outs {
		out := &workerOut{pairs: map[uint64]*pairAgg{}, reused: make([]float64, len(b.reports)), same: make([]float64, len(b.reports))}
		outs[w] = out
		wg.Add(1)
		go func() {
			defer wg.Done()
			cnt := make([]uint32, n)
			stamp := make([]int32, b.places)
			for i := range stamp {
				stamp[i] = -1
			}
			var touched []uint32
			var hits []found
			for ctx.Err() == nil {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for p := lo; p < min(lo+chunk, n); p++ {
					touched, hits = b.compareOne(uint32(p), out, cnt, stamp, touched[:0], hits[:0])
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.table(outs, st), nil
}

// compareOne finds the reports that contain paragraph p and adds what it
// found to out. cnt must be all zero, and is left so.
func (b *builder) compareOne(p uint32, out *workerOut, cnt []uint32, stamp []int32, touched []uint32, hits []found) ([]uint32, []found) {
	groups := b.fp[b.fpStart[p]:b.fpStart[p+1]]
	if len(groups) == 0 {
		return touched, hits
	}
	rep := b.report[p]
	nbp := 0
	for _, g := range groups {
		if b.bp[g] {
			nbp++
		}
	}
	chars := int(b.chars[p])
	if 2*nbp >= len(groups) {
		out.marks = append(out.marks, paraResult{p, Mark{Ordinal: int(b.ordinal[p]), Chars: chars, Boilerplate: true}})
		return touched, hits
	}
	for _, g := range groups {
		lo, hi := b.gStart[g], b.gStart[g+1]
		if b.bp[g] || hi-lo > b.p.MaxPosting {
			continue
		}
		for _, e := range b.post[lo:hi] {
			q := uint32(e)
			if b.report[q] == rep {
				continue
			}
			if cnt[q] == 0 {
				touched = append(touched, q)
			}
			cnt[q]++
		}
	}
	// Candidates share at least half as many sampled shingles as a match
	// would on average.
	need := uint32(max(1, int(math.Ceil(b.p.Threshold/2*float64(len(groups)-nbp)-1e-9))))
	for _, q := range touched {
		if cnt[q] >= need {
			out.candidates++
			if c := b.containment(p, q); c >= b.p.Threshold-1e-12 {
				hits = append(hits, found{q, c})
			}
		}
		cnt[q] = 0
	}
	if len(hits) == 0 {
		return touched, hits
	}
	// One match per report: its paragraph that contains most of p (the
	// first in the report on a tie).
	slices.SortFunc(hits, func(x, y found) int {
		rx, ry := b.rank[b.report[x.q]], b.rank[b.report[y.q]]
		switch {
		case rx != ry:
			return int(rx - ry)
		case x.c != y.c:
			if x.c > y.c {
				return -1
			}
			return 1
		}
		return int(x.q) - int(y.q)
	})
	k := 0
	for i, h := range hits {
		if i > 0 && b.report[h.q] == b.report[hits[k-1].q] {
			continue
		}
		hits[k] = h
		k++
	}
	hits = hits[:k]
	out.matches += int64(len(hits))

	myPlace, myYear := b.place[rep], b.reports[rep].Year
	stamp[myPlace] = int32(p)
	places := 1
	m := Mark{Ordinal: int(b.ordinal[p]), Chars: chars}
	var earlier, same float64
	for _, h := range hits {
		qr := b.report[h.q]
		pl := b.place[qr]
		if stamp[pl] != int32(p) {
			stamp[pl] = int32(p)
			places++
		}
		match := Match{Report: int(qr), Ordinal: int(b.ordinal[h.q]), Containment: h.c}
		if pl == myPlace {
			m.Same++
			same = max(same, h.c)
			if len(m.SameFound) < MaxListedSamePlace {
				m.SameFound = append(m.SameFound, match)
			}
			continue
		}
		m.Others++
		if y := b.reports[qr].Year; y > 0 && myYear > 0 && y < myYear {
			earlier = max(earlier, h.c)
		}
		if len(m.Found) < MaxListed {
			m.Found = append(m.Found, match)
		}
	}
	m.Places = places
	if places >= b.boilerplatePlaces() {
		m.Boilerplate = true
		m.Found, m.SameFound = nil, nil
		out.marks = append(out.marks, paraResult{p, m})
		return touched, hits
	}
	m.Earlier = earlier
	out.marks = append(out.marks, paraResult{p, m})
	out.reused[rep] += float64(chars) * earlier
	out.same[rep] += float64(chars) * same
	for _, h := range hits {
		qr := b.report[h.q]
		if b.place[qr] == myPlace {
			continue
		}
		lo, hi, dir := rep, qr, 0
		if lo > hi {
			lo, hi, dir = qr, rep, 1
		}
		key := uint64(lo)<<32 | uint64(hi)
		a := out.pairs[key]
		if a == nil {
			a = &pairAgg{}
			out.pairs[key] = a
		}
		a.in[dir] += float64(chars) * h.c
		a.paras[dir]++
	}
	// The original: p comes before every report that contains it.
	if m.Others > 0 && b.rank[rep] < b.rank[b.report[hits[0].q]] {
		ps := Passage{Report: int(rep), Ordinal: int(b.ordinal[p]), Chars: chars, Places: places,
			Reports: make([]int, 0, len(hits)+1)}
		ps.Reports = append(ps.Reports, int(rep))
		for _, h := range hits {
			ps.Reports = append(ps.Reports, int(b.report[h.q]))
		}
		out.passages = append(out.passages, ps)
	}
	return touched, hits
}

// table gathers what the workers found.
func (b *builder) table(outs []*workerOut, st *Stats) *Table {
	t := &Table{Params: b.p, Places: b.places, BoilerplatePlaces: b.boilerplatePlaces()}
	t.Params.Workers = 0
	t.Reports = make([]Report, len(b.reports))
	for i, ri := range b.reports {
		t.Reports[i] = Report{ID: ri.ID, Path: ri.Path, Title: ri.Title, Level: ri.Level, Province: ri.Province,
			City: ri.City, District: ri.District, Year: ri.Year, Added: ri.Added, Rank: int(b.rank[i])}
	}
	for p, rep := range b.report {
		t.Reports[rep].Chars += int(b.chars[p])
		if b.fpStart[p+1] > b.fpStart[p] {
			st.Compared++
		}
	}
	reused := make([]float64, len(b.reports))
	same := make([]float64, len(b.reports))
	pairs := map[uint64]*pairAgg{}
	for _, o := range outs {
		st.Candidates += o.candidates
		st.Matches += o.matches
		for i := range reused {
			reused[i] += o.reused[i]
			same[i] += o.same[i]
		}
		for _, pr := range o.marks {
			r := &t.Reports[b.report[pr.p]]
			r.Marks = append(r.Marks, pr.mark)
			if pr.mark.Boilerplate {
				r.Boilerplate += pr.mark.Chars
			}
		}
		t.Passages = append(t.Passages, o.passages...)
		for k, a := range o.pairs {
			if x := pairs[k]; x != nil {
				for d := range 2 {
					x.in[d] += a.in[d]
					x.paras[d] += a.paras[d]
				}
				continue
			}
			pairs[k] = a
		}
	}
	for i := range t.Reports {
		r := &t.Reports[i]
		r.Reused = int(math.Round(reused[i]))
		r.SamePlace = int(math.Round(same[i]))
		slices.SortFunc(r.Marks, func(x, y Mark) int { return x.Ordinal - y.Ordinal })
	}
	for k, a := range pairs {
		lo, hi := int(k>>32), int(uint32(k))
		p := Pair{A: lo, B: hi, AinB: int(math.Round(a.in[0])), BinA: int(math.Round(a.in[1])), Paragraphs: a.paras[0]}
		if b.rank[lo] < b.rank[hi] {
			p = Pair{A: hi, B: lo, AinB: p.BinA, BinA: p.AinB, Paragraphs: a.paras[1]}
		}
		t.Pairs = append(t.Pairs, p)
	}
	slices.SortFunc(t.Pairs, func(x, y Pair) int {
		if d := max(y.AinB, y.BinA) - max(x.AinB, x.BinA); d != 0 {
			return d
		}
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	slices.SortFunc(t.Passages, func(x, y Passage) int {
		if x.Places != y.Places {
			return y.Places - x.Places
		}
		if len(x.Reports) != len(y.Reports) {
			return len(y.Reports) - len(x.Reports)
		}
		if x.Chars != y.Chars {
			return y.Chars - x.Chars
		}
		if x.Report != y.Report {
			return x.Report - y.Report
		}
		return x.Ordinal - y.Ordinal
	})
	t.index()
	return t
}
