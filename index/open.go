package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/zhengce/zhengce/segment"
)

// Index is an open index. It implements Searcher and is safe for
// concurrent use. It serves one generation at a time; Reload switches to
// the index's current generation without disturbing searches in flight.
// The caller must call Close.
type Index struct {
	dir  string
	opts OpenOptions

	mu     sync.Mutex // guards cur, segs and closed
	cur    *generation
	segs   map[string]*openSeg // open segments, shared by generations
	closed bool
}

var _ Searcher = (*Index)(nil)

// OpenOptions configure Open.
type OpenOptions struct {
	// Verify checks every checksum of every file when a generation is
	// opened (a server does; a one-off search checks the small parts and
	// the rest as it reads them).
	Verify bool
	// Checksums checks the checksum of every byte of every file when a
	// generation is opened, without Verify's decoding of every posting and
	// paragraph: what a start-up can afford (4 ms instead of 150 ms for
	// the bundled index) to find damage before it is served.
	Checksums bool
}

// Open opens the index in dir for searching.
func Open(dir string) (*Index, error) { return OpenWith(dir, OpenOptions{}) }

// OpenWith opens the index in dir with options.
func OpenWith(dir string, opts OpenOptions) (*Index, error) {
	ix := &Index{dir: filepath.Clean(dir), opts: opts, segs: map[string]*openSeg{}}
	if _, err := ix.Reload(); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Manifest returns the generation the index serves.
func (ix *Index) Manifest() Manifest {
	g := ix.acquire()
	defer ix.release(g)
	return *g.m
}

// Reload switches to the index's current generation if it is not the one
// served. It reports whether it switched. On error the generation served
// stays.
func (ix *Index) Reload() (bool, error) {
	// A writer removes old files right after it commits: a generation read
	// just before may name a segment that is gone. Read CURRENT again.
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var switched bool
		switched, err = ix.reload()
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return switched, err
		}
	}
	return false, err
}

func (ix *Index) reload() (bool, error) {
	m, err := ReadManifest(ix.dir)
	if err != nil {
		return false, err
	}
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return false, errors.New("index: closed")
	}
	if ix.cur != nil && ix.cur.m.Generation == m.Generation {
		ix.mu.Unlock()
		return false, nil
	}
	ix.mu.Unlock()

	// Open the segments this generation adds, outside the lock.
	opened := map[string]*openSeg{}
	for _, si := range m.Segments {
		ix.mu.Lock()
		_, have := ix.segs[si.Name]
		ix.mu.Unlock()
		if have {
			continue
		}
		s, err := openSegment(ix.dir, si.Name, ix.opts)
		if err != nil {
			for _, o := range opened {
				o.close()
			}
			return false, err
		}
		opened[si.Name] = s
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for name, s := range opened {
		if _, have := ix.segs[name]; have {
			s.close()
			continue
		}
		ix.segs[name] = s
	}
	g, err := newGeneration(m, ix.segs)
	if err != nil {
		return false, err
	}
	for _, gs := range g.segs {
		gs.s.refs++
	}
	g.refs = 1 // the Index's own reference
	old := ix.cur
	ix.cur = g
	if old != nil {
		ix.releaseLocked(old)
	}
	return true, nil
}

// acquire returns the current generation with a reference the caller
// must release.
func (ix *Index) acquire() *generation {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	g := ix.cur
	g.refs++
	return g
}

func (ix *Index) release(g *generation) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.releaseLocked(g)
}

func (ix *Index) releaseLocked(g *generation) {
	g.refs--
	if g.refs > 0 {
		return
	}
	for _, gs := range g.segs {
		gs.s.refs--
		if gs.s.refs == 0 {
			gs.s.close()
			delete(ix.segs, gs.s.name)
		}
	}
}

// Close releases the index. Searches in flight finish first.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	if ix.cur != nil {
		ix.releaseLocked(ix.cur)
		ix.cur = nil
	}
	for name, s := range ix.segs {
		if s.refs == 0 {
			s.close()
			delete(ix.segs, name)
		}
	}
	return nil
}

// Verify checks every checksum of every file of the generation served.
func (ix *Index) Verify() error {
	g := ix.acquire()
	defer ix.release(g)
	for _, gs := range g.segs {
		if err := gs.s.r.Verify(); err != nil {
			return indexDamaged(ix.dir, err)
		}
		list, _ := gs.s.r.Aux(auxWordsFiles)
		if err := checkWords(filepath.Join(ix.dir, gs.s.name, wordsDir), list, true); err != nil {
			return indexDamaged(ix.dir, err)
		}
	}
	return nil
}

// openSeg is an open segment with its words index and the metadata of its
// reports decoded.
type openSeg struct {
	name     string
	r        *segment.Reader
	w        *words
	secNames []string
	reports  []Report // metadata only
	refs     int      // generations using it, guarded by Index.mu

	once   sync.Once
	secBM  []*roaring.Bitmap       // paragraphs per section code
	yearBM map[int]*roaring.Bitmap // paragraphs per report year
}

func openSegment(dir, name string, opts OpenOptions) (*openSeg, error) {
	path := filepath.Join(dir, name, dataFile)
	r, err := segment.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, indexDamaged(dir, err)
	}
	s := &openSeg{name: name, r: r}
	fail := func(err error) (*openSeg, error) {
		s.close()
		return nil, indexDamaged(dir, err)
	}
	switch {
	case opts.Verify:
		if err := r.Verify(); err != nil {
			return fail(err)
		}
	case opts.Checksums:
		if err := r.Checksums(); err != nil {
			return fail(err)
		}
	}
	secs, ok := r.Aux(auxSections)
	if !ok || json.Unmarshal(secs, &s.secNames) != nil {
		return fail(fmt.Errorf("segment %s is damaged (section names): %w", path, ErrDamaged))
	}
	s.reports = make([]Report, r.NumReports())
	for i := range s.reports {
		ri, err := r.Report(i)
		if err != nil {
			return fail(err)
		}
		if err := decodeRecord(ri.Record, &s.reports[i]); err != nil {
			return fail(fmt.Errorf("segment %s is damaged (report %d: %v): %w", path, i, err, ErrDamaged))
		}
	}
	m, ok := r.Aux(auxWordsMap)
	if !ok || len(m) != 4*r.NumParagraphs() {
		return fail(fmt.Errorf("segment %s is damaged (words map): %w", path, ErrDamaged))
	}
	files, _ := r.Aux(auxWordsFiles)
	wdir := filepath.Join(dir, name, wordsDir)
	if err := checkWords(wdir, files, opts.Verify || opts.Checksums); err != nil {
		return fail(err)
	}
	if s.w, err = openWords(wdir, u32view(m)); err != nil {
		return fail(err)
	}
	return s, nil
}

func (s *openSeg) close() {
	if s.w != nil {
		s.w.close()
		s.w = nil
	}
	if s.r != nil {
		s.r.Close()
		s.r = nil
	}
}

// bitmaps computes, once, the paragraphs of every section and year.
func (s *openSeg) bitmaps() {
	s.once.Do(func() {
		s.secBM = make([]*roaring.Bitmap, len(s.secNames))
		lists := make([][]uint32, len(s.secNames))
		for p, c := range s.r.Sections() {
			if int(c) < len(lists) {
				lists[c] = append(lists[c], uint32(p))
			}
		}
		for c, l := range lists {
			s.secBM[c] = roaring.BitmapOf(l...)
			s.secBM[c].RunOptimize()
		}
		s.yearBM = map[int]*roaring.Bitmap{}
		for i := range s.reports {
			ri, err := s.r.Report(i)
			if err != nil || ri.Count == 0 {
				continue
			}
			y := s.reports[i].Year
			bm := s.yearBM[y]
			if bm == nil {
				bm = roaring.New()
				s.yearBM[y] = bm
			}
			bm.AddRange(uint64(ri.First), uint64(ri.First+ri.Count))
		}
		for _, bm := range s.yearBM {
			bm.RunOptimize()
		}
	})
}

// generation is one generation opened: its segments with what is deleted
// in them, and its live reports numbered across segments ("slots").
type generation struct {
	m    *Manifest
	segs []*genSeg
	refs int // guarded by Index.mu

	slots []slot         // every report of every segment, deleted or not
	byID  map[string]int // live report id → slot

	// Facet values of every slot, interned.
	province, city, district []int32 // -1: unknown
	names                    [3][]string
	years                    []int // distinct years of live reports, newest first
	paragraphs               int

	reportList
}

type slot struct {
	seg, local int
	meta       *Report
	live       bool
}

type genSeg struct {
	s    *openSeg
	base int             // slot of report 0
	live *roaring.Bitmap // live paragraphs; nil when none is deleted
}

func newGeneration(m *Manifest, segs map[string]*openSeg) (*generation, error) {
	g := &generation{m: m, byID: map[string]int{}}
	intern := [3]map[string]int32{{}, {}, {}}
	id := func(k int, v string) int32 {
		if v == "" {
			return -1
		}
		i, ok := intern[k][v]
		if !ok {
			i = int32(len(g.names[k]))
			intern[k][v] = i
			g.names[k] = append(g.names[k], v)
		}
		return i
	}
	years := map[int]bool{}
	for k, si := range m.Segments {
		s := segs[si.Name]
		if s == nil {
			return nil, fmt.Errorf("index: segment %s not open", si.Name)
		}
		gs := &genSeg{s: s, base: len(g.slots)}
		del := map[int]bool{}
		for _, d := range si.Deleted {
			if d < 0 || d >= len(s.reports) {
				return nil, fmt.Errorf("index: generation %d deletes report %d of %s, which has %d: %w", m.Generation, d, si.Name, len(s.reports), ErrDamaged)
			}
			del[d] = true
		}
		if len(del) > 0 {
			gs.live = roaring.New()
			gs.live.AddRange(0, uint64(s.r.NumParagraphs()))
		}
		for i := range s.reports {
			live := !del[i]
			meta := &s.reports[i]
			g.slots = append(g.slots, slot{seg: k, local: i, meta: meta, live: live})
			g.province = append(g.province, id(0, meta.Province))
			g.city = append(g.city, id(1, meta.City))
			g.district = append(g.district, id(2, meta.District))
			ri, err := s.r.Report(i)
			if err != nil {
				return nil, err
			}
			if !live {
				gs.live.RemoveRange(uint64(ri.First), uint64(ri.First+ri.Count))
				continue
			}
			if _, dup := g.byID[meta.ID]; dup {
				return nil, fmt.Errorf("index: report %s is live twice in generation %d: %w", meta.ID, m.Generation, ErrDamaged)
			}
			g.byID[meta.ID] = len(g.slots) - 1
			g.paragraphs += ri.Count
			years[meta.Year] = true
		}
		g.segs = append(g.segs, gs)
	}
	for y := range years {
		g.years = append(g.years, y)
	}
	// Newest first; unknown years (0) last.
	sort.Slice(g.years, func(i, j int) bool {
		a, b := g.years[i], g.years[j]
		if (a == 0) != (b == 0) {
			return b == 0
		}
		return a > b
	})
	return g, nil
}

func u32view(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24
	}
	return out
}

// Watch calls Reload every interval until ctx is done, so a long-running
// reader serves each new generation a writer commits. report, if not nil,
// is told of every switch and every error (the generation served stays).
func (ix *Index) Watch(ctx context.Context, every time.Duration, report func(m Manifest, err error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		switched, err := ix.Reload()
		if report != nil && (switched || err != nil) {
			report(ix.Manifest(), err)
		}
	}
}
