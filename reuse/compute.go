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
	Classes             int   // distinct texts among them
	Shingles            int64 // distinct shingles over all compared paragraphs
	Sampled             int64 // entries of the inverted list
	Candidates          int64 // pairs whose containment was computed
	Matches             int64 // pairs found (paragraph, other report)
	Read, Compare       time.Duration
	Elapsed             time.Duration
}

// builder holds the shingles of every paragraph while a table is computed.
// Paragraphs whose compared text is the same form one class: its shingles
// are kept and compared once, which is what keeps a corpus that repeats
// its paragraphs (boilerplate, a report republished) cheap.
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
	class   []uint32 // noClass for a paragraph too short to compare

	// Per class.
	classOf map[uint64]uint32 // hash of the compared text → class
	shStart []int             // into sh; len classes+1
	sh      []uint32          // distinct shingles, sorted
	fpStart []int             // into fp; len classes+1
	fp      []uint32          // sampled shingles; after invert, their list numbers
	post    []uint64          // sampled shingle << 32 | class
	mStart  []int             // into members; len classes+1
	members []uint32          // paragraphs of each class, earliest report first

	// Inverted lists, after sorting post.
	keys   []uint32 // distinct sampled shingles
	gStart []int    // list of keys[g] is post[gStart[g]:gStart[g+1]]
	bp     []bool   // boilerplate shingle
}

const noClass = ^uint32(0)

// Compute computes the reuse table of src. It reads src's current
// generation once, then compares in memory; see the package comment for
// what it finds and what it costs.
func Compute(ctx context.Context, src Source, params Params) (*Table, Stats, error) {
	start := time.Now()
	b := &builder{p: params.withDefaults(), classOf: map[uint64]uint32{}}
	var st Stats
	gen, err := b.read(ctx, src)
	if err != nil {
		return nil, st, fmt.Errorf("reuse: reading the index: %w", err)
	}
	st.Read = time.Since(start)
	b.classMembers()
	b.invert()
	t, err := b.compare(ctx, &st)
	if err != nil {
		return nil, st, err
	}
	t.Generation = gen
	st.Reports, st.Paragraphs, st.Classes = len(b.reports), len(b.report), len(b.shStart)-1
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

// hashText is a 64-bit hash of the whole of s.
func hashText(s []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range s {
		h = mix(h ^ uint64(r))
	}
	return mix(h ^ uint64(len(s)))
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
		b.report = append(b.report, uint32(rep))
		b.ordinal = append(b.ordinal, uint32(ordinal))
		b.chars = append(b.chars, uint32(n))
		if len(text) < b.p.MinChars {
			b.class = append(b.class, noClass)
			return nil
		}
		h := hashText(text)
		if c, ok := b.classOf[h]; ok {
			b.class = append(b.class, c)
			return nil
		}
		c := uint32(len(b.shStart) - 1)
		b.classOf[h] = c
		b.class = append(b.class, c)
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
		// The smallest shingle too, so that every paragraph has one (a
		// min-hash: two paragraphs share it as often as they resemble
		// each other).
		sampled = append(sampled, ids[0])
		slices.Sort(sampled)
		sampled = slices.Compact(sampled)
		b.sh = append(b.sh, ids...)
		b.fp = append(b.fp, sampled...)
		for _, s := range sampled {
			b.post = append(b.post, uint64(s)<<32|uint64(c))
		}
		b.shStart = append(b.shStart, len(b.sh))
		b.fpStart = append(b.fpStart, len(b.fp))
		return nil
	})
	if err != nil {
		return 0, err
	}
	b.classOf = nil
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

// classMembers lists the paragraphs of every class, earliest report first.
func (b *builder) classMembers() {
	nc := len(b.shStart) - 1
	b.mStart = make([]int, nc+1)
	for _, c := range b.class {
		if c != noClass {
			b.mStart[c+1]++
		}
	}
	for c := range nc {
		b.mStart[c+1] += b.mStart[c]
	}
	b.members = make([]uint32, b.mStart[nc])
	fill := slices.Clone(b.mStart[:nc])
	for p, c := range b.class {
		if c != noClass {
			b.members[fill[c]] = uint32(p)
			fill[c]++
		}
	}
	for c := range nc {
		m := b.members[b.mStart[c]:b.mStart[c+1]]
		if len(m) > 1 {
			slices.SortFunc(m, func(x, y uint32) int {
				if d := b.rank[b.report[x]] - b.rank[b.report[y]]; d != 0 {
					return int(d)
				}
				return int(x) - int(y)
			})
		}
	}
}

// boilerplatePlaces is the number of places from which a passage is
// boilerplate.
func (b *builder) boilerplatePlaces() int {
	return max(b.p.BoilerplateMinPlaces, int(math.Ceil(b.p.BoilerplateShare*float64(b.places)-1e-9)))
}

// invert sorts the sampled shingles into inverted lists, marks the
// boilerplate ones, and replaces every class's sampled shingles by the
// numbers of their lists.
func (b *builder) invert() {
	slices.Sort(b.post)
	bpPlaces := b.boilerplatePlaces()
	stamp := make([]int32, b.places)
	for i := range stamp {
		stamp[i] = -1
	}
	cursor := make([]int32, len(b.shStart)-1)
	for i := 0; i < len(b.post); {
		key := uint32(b.post[i] >> 32)
		g := int32(len(b.keys))
		j, places := i, 0
		for ; j < len(b.post) && uint32(b.post[j]>>32) == key; j++ {
			c := uint32(b.post[j])
			if places < bpPlaces {
				for _, p := range b.members[b.mStart[c]:b.mStart[c+1]] {
					if pl := b.place[b.report[p]]; stamp[pl] != g {
						stamp[pl] = g
						places++
					}
				}
			}
			b.fp[b.fpStart[c]+int(cursor[c])] = uint32(g)
			cursor[c]++
		}
		b.keys = append(b.keys, key)
		b.gStart = append(b.gStart, i)
		b.bp = append(b.bp, places >= bpPlaces)
		i = j
	}
	b.gStart = append(b.gStart, len(b.post))
}

// containment is |sh(c) ∩ sh(d)| / |sh(c)| of classes c and d.
func (b *builder) containment(c, d uint32) float64 {
	x := b.sh[b.shStart[c]:b.shStart[c+1]]
	y := b.sh[b.shStart[d]:b.shStart[d+1]]
	shared := 0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			shared++
			i++
			j++
		}
	}
	return float64(shared) / float64(len(x))
}

// found is a class, or a paragraph, that contains a class.
type found struct {
	q uint32
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

// scratch is a comparing goroutine's working memory.
type scratch struct {
	cnt     []uint32 // per class; all zero between classes
	stamp   []int32  // per place
	touched []uint32
	classes []found // classes that contain the class compared
	hits    []found // paragraphs that contain the paragraph compared
	seen    []int32 // per report: last paragraph that found it
}

func (b *builder) compare(ctx context.Context, st *Stats) (*Table, error) {
	workers := b.p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nc := len(b.shStart) - 1
	var next atomic.Int64
	const chunk = 64
	outs := make([]*workerOut, workers)
	var wg sync.WaitGroup
	for w := range outs {
		out := &workerOut{pairs: map[uint64]*pairAgg{}, reused: make([]float64, len(b.reports)), same: make([]float64, len(b.reports))}
		outs[w] = out
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &scratch{cnt: make([]uint32, nc), stamp: make([]int32, b.places), seen: make([]int32, len(b.reports))}
			for i := range s.stamp {
				s.stamp[i] = -1
			}
			for i := range s.seen {
				s.seen[i] = -1
			}
			for ctx.Err() == nil {
				lo := int(next.Add(chunk)) - chunk
				if lo >= nc {
					return
				}
				for c := lo; c < min(lo+chunk, nc); c++ {
					b.compareClass(uint32(c), out, s)
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

// compareClass finds the classes that contain class c, then what that
// means for each of its paragraphs, and adds it to out.
func (b *builder) compareClass(c uint32, out *workerOut, s *scratch) {
	groups := b.fp[b.fpStart[c]:b.fpStart[c+1]]
	members := b.members[b.mStart[c]:b.mStart[c+1]]
	nbp := 0
	for _, g := range groups {
		if b.bp[g] {
			nbp++
		}
	}
	if 2*nbp >= len(groups) {
		for _, p := range members {
			out.marks = append(out.marks, paraResult{p, Mark{Ordinal: int(b.ordinal[p]), Chars: int(b.chars[p]), Boilerplate: true}})
		}
		return
	}
	s.touched = s.touched[:0]
	for _, g := range groups {
		lo, hi := b.gStart[g], b.gStart[g+1]
		if b.bp[g] || hi-lo > b.p.MaxPosting {
			continue
		}
		for _, e := range b.post[lo:hi] {
			d := uint32(e)
			if d == c {
				continue
			}
			if s.cnt[d] == 0 {
				s.touched = append(s.touched, d)
			}
			s.cnt[d]++
		}
	}
	// Candidates share at least half as many sampled shingles as a match
	// would on average.
	need := uint32(max(1, int(math.Ceil(b.p.Threshold/2*float64(len(groups)-nbp)-1e-9))))
	s.classes = s.classes[:0]
	for _, d := range s.touched {
		if s.cnt[d] >= need {
			out.candidates++
			if x := b.containment(c, d); x >= b.p.Threshold-1e-12 {
				s.classes = append(s.classes, found{d, x})
			}
		}
		s.cnt[d] = 0
	}
	if len(members) == 1 && len(s.classes) == 0 {
		return
	}
	// The places of the passage: its own and those of every paragraph that
	// contains it.
	mark := int32(c)
	places := 0
	count := func(ps []uint32) {
		for _, p := range ps {
			if pl := b.place[b.report[p]]; s.stamp[pl] != mark {
				s.stamp[pl] = mark
				places++
			}
		}
	}
	count(members)
	for _, d := range s.classes {
		count(b.members[b.mStart[d.q]:b.mStart[d.q+1]])
	}
	boilerplate := places >= b.boilerplatePlaces()
	for _, p := range members {
		b.compareParagraph(p, c, places, boilerplate, out, s)
	}
}

// compareParagraph lists the reports that contain paragraph p of class c:
// the other paragraphs of its class, and those of the classes found.
func (b *builder) compareParagraph(p, c uint32, places int, boilerplate bool, out *workerOut, s *scratch) {
	rep := b.report[p]
	s.hits = s.hits[:0]
	for _, q := range b.members[b.mStart[c]:b.mStart[c+1]] {
		if b.report[q] != rep {
			s.hits = append(s.hits, found{q, 1})
		}
	}
	if len(s.classes) > 0 {
		for _, d := range s.classes {
			for _, q := range b.members[b.mStart[d.q]:b.mStart[d.q+1]] {
				if b.report[q] != rep {
					s.hits = append(s.hits, found{q, d.c})
				}
			}
		}
		// Earliest report first; in a report, the paragraph that contains
		// most of p, then the first.
		slices.SortFunc(s.hits, func(x, y found) int {
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
	}
	// One match per report (the class members are in that order already).
	k := 0
	for _, h := range s.hits {
		if r := b.report[h.q]; s.seen[r] != int32(p) {
			s.seen[r] = int32(p)
			s.hits[k] = h
			k++
		}
	}
	hits := s.hits[:k]
	if len(hits) == 0 {
		return
	}
	out.matches += int64(len(hits))
	chars := int(b.chars[p])
	m := Mark{Ordinal: int(b.ordinal[p]), Chars: chars, Places: places, Boilerplate: boilerplate}
	myPlace, myYear := b.place[rep], b.reports[rep].Year
	var earlier, same float64
	for _, h := range hits {
		qr := b.report[h.q]
		match := Match{Report: int(qr), Ordinal: int(b.ordinal[h.q]), Containment: h.c}
		if b.place[qr] == myPlace {
			m.Same++
			same = max(same, h.c)
			if len(m.SameFound) < MaxListedSamePlace && !boilerplate {
				m.SameFound = append(m.SameFound, match)
			}
			continue
		}
		m.Others++
		if y := b.reports[qr].Year; y > 0 && myYear > 0 && y < myYear {
			earlier = max(earlier, h.c)
		}
		if len(m.Found) < MaxListed && !boilerplate {
			m.Found = append(m.Found, match)
		}
	}
	if boilerplate {
		out.marks = append(out.marks, paraResult{p, m})
		return
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
		if b.class[p] != noClass {
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
