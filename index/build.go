package index

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/zhengce/zhengce/norm"
	"github.com/zhengce/zhengce/segment"
)

// Options configure a Writer.
type Options struct {
	// Fingerprint identifies the corpus; it is recorded in the generation.
	Fingerprint string
	// Progress, if set, is called now and then while reports are added.
	Progress func(Stats)
	// Workers is the number of goroutines writing words (default GOMAXPROCS).
	Workers int
	// SegmentBytes cuts a new segment after this much text (default 128 MB).
	// It bounds the memory a Writer uses: about 3× this.
	SegmentBytes int64
	// AllowEmpty lets a rebuild that read no report replace an index that
	// holds reports.
	AllowEmpty bool
}

// DefaultSegmentBytes is the default Options.SegmentBytes.
const DefaultSegmentBytes = 128 << 20

// Stats count what a Writer did.
type Stats struct {
	Reports    int // reports added
	Paragraphs int // paragraphs added
	TextBytes  int64
	Removed    int // reports removed or replaced
	Segments   int // segments written
	Elapsed    time.Duration
}

// MBPerSecond is the indexing throughput in megabytes of text per second.
func (s Stats) MBPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.TextBytes) / 1e6 / s.Elapsed.Seconds()
}

// ErrEmpty is returned by Commit when a rebuild read no report and would
// replace an index that holds reports.
var ErrEmpty = errors.New("no report to index")

// ReportID is the stable id of the part-th report (from 0) of the file at path.
func ReportID(path string, part int) string {
	h := sha1.Sum([]byte(path + "#" + strconv.Itoa(part)))
	return hex.EncodeToString(h[:6])
}

// A Writer changes an index: it adds reports into new segments, removes
// reports from older ones, and commits the result as a new generation in
// one atomic step. While it is open it holds the index's lock. A Writer is
// not safe for concurrent use. Call Commit or Abort.
type Writer struct {
	dir     string
	opts    Options
	lockF   *os.File
	base    *Manifest // the generation the writer started from; nil if none
	old     *Manifest // an incompatible generation a rebuild replaces
	started *Manifest // the current generation when the writer started, as it was
	replace bool      // Create: drop every report of base

	deleted map[string]map[int]bool // segment → deleted report numbers
	live    map[string]reportPlace  // report id → where it lives
	added   map[string]bool         // ids added by this writer

	gen     int
	k       int // segments written so far
	newSegs []SegmentInfo
	cur     *segBuilder
	stats   Stats
	start   time.Time
	last    time.Time // of the last progress call
	closed  bool
}

type reportPlace struct {
	seg   string
	local int
	path  string
	hash  string
}

// Create starts a rebuild of the index in dir: Commit makes a generation
// that holds exactly the reports added. dir must be missing, empty, or an
// index (of this or the earlier format); anything else is refused.
func Create(dir string, opts Options) (*Writer, error) {
	return newWriter(dir, opts, true)
}

// Update starts a change of the index in dir: Commit makes a generation
// that holds the current one's reports, without those removed or replaced,
// and the reports added. A missing or empty dir is a new index.
func Update(dir string, opts Options) (*Writer, error) {
	return newWriter(dir, opts, false)
}

func newWriter(dir string, opts Options, replace bool) (*Writer, error) {
	dir = filepath.Clean(dir)
	if err := prepareDir(dir); err != nil {
		return nil, err
	}
	if opts.SegmentBytes <= 0 {
		opts.SegmentBytes = DefaultSegmentBytes
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	lf, err := lock(dir)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, opts: opts, lockF: lf, replace: replace, deleted: map[string]map[int]bool{},
		live: map[string]reportPlace{}, added: map[string]bool{}, start: time.Now()}
	w.last = w.start
	base, err := ReadManifest(dir)
	switch {
	case err == nil:
		w.base = base
		w.started = base
	case errors.Is(err, fs.ErrNotExist) && !isLegacy(dir):
		// A new index.
	case replace:
		// A damaged index, or one this version cannot read, is replaced
		// by a rebuild; its files stay until the new generation is
		// committed.
		w.old = base
	default:
		w.unlock()
		return nil, fmt.Errorf("%w; rebuild it with indexer -o %s", err, dir)
	}
	cleanup(dir, w.base, w.old)
	w.gen = 1
	if w.base != nil {
		w.gen = w.base.Generation + 1
		if err := w.loadBase(); err != nil {
			w.unlock()
			return nil, err
		}
	}
	return w, nil
}

// loadBase reads which reports the base generation holds.
func (w *Writer) loadBase() error {
	for _, si := range w.base.Segments {
		del := map[int]bool{}
		for _, d := range si.Deleted {
			del[d] = true
		}
		w.deleted[si.Name] = del
		if w.replace {
			continue
		}
		r, err := segment.Open(filepath.Join(w.dir, si.Name, dataFile))
		if err != nil {
			return indexDamaged(w.dir, err)
		}
		for i := 0; i < r.NumReports(); i++ {
			if del[i] {
				continue
			}
			ri, err := r.Report(i)
			var rep Report
			if err == nil {
				err = decodeRecord(ri.Record, &rep)
			}
			if err != nil {
				r.Close()
				return indexDamaged(w.dir, fmt.Errorf("segment %s report %d: %w", si.Name, i, err))
			}
			w.live[rep.ID] = reportPlace{seg: si.Name, local: i, path: rep.Path, hash: rep.FileHash}
		}
		r.Close()
	}
	return nil
}

// indexDamaged words an error about a damaged file for the user.
func indexDamaged(dir string, err error) error {
	if errors.Is(err, segment.ErrDamaged) || errors.Is(err, ErrDamaged) {
		return fmt.Errorf("%v; rebuild it with indexer -o %s: %w", err, dir, ErrDamaged)
	}
	if errors.Is(err, segment.ErrVersion) {
		return fmt.Errorf("%v; rebuild it with indexer -o %s: %w", err, dir, ErrIncompatible)
	}
	return err
}

func (w *Writer) unlock() {
	if w.lockF != nil {
		w.lockF.Close()
		w.lockF = nil
	}
}

// Sources returns, for every report the index holds when the writer
// started (none for Create), its source path and file hash.
func (w *Writer) Sources() map[string]string {
	out := map[string]string{}
	if w.replace {
		return out
	}
	for _, p := range w.live {
		out[p.path] = p.hash
	}
	return out
}

// RemovePath removes every report whose source path is path, or lies
// under it when path ends in "/". It returns how many it removed.
func (w *Writer) RemovePath(path string) int {
	n := 0
	for id, p := range w.live {
		if p.path == path || (len(path) > 0 && path[len(path)-1] == '/' && len(p.path) > len(path) && p.path[:len(path)] == path) {
			w.deleted[p.seg][p.local] = true
			delete(w.live, id)
			n++
		}
	}
	w.stats.Removed += n
	return n
}

// Add adds report r. r.ID must be unique among the reports added; if empty,
// it is ReportID(r.Path, 0). A report of the index with the same id is
// replaced.
func (w *Writer) Add(r *Report) error {
	if w.closed {
		return errors.New("index: Add after Commit or Abort")
	}
	id := r.ID
	if id == "" {
		id = ReportID(r.Path, 0)
	}
	if w.added[id] {
		return fmt.Errorf("index: duplicate report id %q (%s)", id, r.Path)
	}
	w.added[id] = true
	if p, ok := w.live[id]; ok {
		w.deleted[p.seg][p.local] = true
		delete(w.live, id)
		w.stats.Removed++
	}
	if w.cur == nil {
		b, err := w.newSegment()
		if err != nil {
			return err
		}
		w.cur = b
	}
	if err := w.cur.add(id, r, w.gen); err != nil {
		return err
	}
	if w.deleted[w.cur.name] == nil {
		w.deleted[w.cur.name] = map[int]bool{}
	}
	w.live[id] = reportPlace{seg: w.cur.name, local: w.cur.reports - 1, path: r.Path, hash: r.FileHash}
	w.stats.Reports++
	w.stats.Paragraphs += len(r.Paragraphs)
	for _, p := range r.Paragraphs {
		w.stats.TextBytes += int64(len(p.Text))
	}
	if w.cur.text >= w.opts.SegmentBytes {
		if err := w.finishSegment(); err != nil {
			return err
		}
	}
	if w.opts.Progress != nil && time.Since(w.last) > 200*time.Millisecond {
		w.last = time.Now()
		st := w.stats
		st.Elapsed = time.Since(w.start)
		w.opts.Progress(st)
	}
	return nil
}

func (w *Writer) newSegment() (*segBuilder, error) {
	name := nextSegmentName(w.gen, w.k)
	w.k++
	return newSegBuilder(w.dir, name, w.opts.Workers)
}

func (w *Writer) finishSegment() error {
	if w.cur == nil {
		return nil
	}
	b := w.cur
	w.cur = nil
	if b.reports == 0 {
		b.abort()
		return nil
	}
	if err := b.finish(); err != nil {
		return err
	}
	w.newSegs = append(w.newSegs, SegmentInfo{Name: b.name, Reports: b.reports, Paragraphs: b.paragraphs, TextBytes: b.text})
	w.stats.Segments++
	if crashed("segment finished") {
		return w.die()
	}
	return nil
}

// Commit writes what was added and makes the result the index's current
// generation. It returns ErrEmpty (and changes nothing) when a rebuild read
// no report and the index holds reports, unless Options.AllowEmpty is set.
func (w *Writer) Commit() (Stats, error) {
	if w.closed {
		return w.stats, errors.New("index: Commit after Commit or Abort")
	}
	if err := w.finishSegment(); err != nil {
		w.Abort()
		return w.stats, err
	}
	m := &Manifest{Format: FormatVersion, Analyzer: analyzerVersion(), Generation: w.gen,
		Fingerprint: w.opts.Fingerprint, Built: time.Now().UTC().Truncate(time.Second)}
	if w.base != nil && !w.replace {
		if m.Fingerprint == "" {
			m.Fingerprint = w.base.Fingerprint
		}
		for _, si := range w.base.Segments {
			del := w.deleted[si.Name]
			if len(del) >= si.Reports {
				continue // nothing left in it
			}
			si.Deleted = si.Deleted[:0:0]
			for d := range del {
				si.Deleted = append(si.Deleted, d)
			}
			slices.Sort(si.Deleted)
			m.Segments = append(m.Segments, si)
		}
	}
	for _, si := range w.newSegs {
		del := w.deleted[si.Name]
		if len(del) >= si.Reports {
			os.RemoveAll(filepath.Join(w.dir, si.Name))
			continue
		}
		for d := range del {
			si.Deleted = append(si.Deleted, d)
		}
		slices.Sort(si.Deleted)
		m.Segments = append(m.Segments, si)
	}
	for _, si := range m.Segments {
		live := si.Reports - len(si.Deleted)
		m.Reports += live
	}
	held := 0
	for _, b := range []*Manifest{w.base, w.old} {
		if b != nil {
			held += b.Reports
		}
	}
	if w.replace && w.stats.Reports == 0 && held > 0 && !w.opts.AllowEmpty {
		w.Abort()
		return w.stats, fmt.Errorf("index: no report was read, and %s holds %d reports; not replacing them: %w", w.dir, held, ErrEmpty)
	}
	if err := w.countLive(m); err != nil {
		w.Abort()
		return w.stats, err
	}
	for _, si := range w.newSegs {
		if err := syncTree(filepath.Join(w.dir, si.Name)); err != nil {
			w.Abort()
			return w.stats, fmt.Errorf("index: syncing %s: %w", si.Name, err)
		}
	}
	if err := syncDir(w.dir); err != nil {
		w.Abort()
		return w.stats, fmt.Errorf("index: syncing %s: %w", w.dir, err)
	}
	if crashed("segments written") {
		return w.stats, w.die()
	}
	if err := commit(w.dir, m); err != nil {
		if errors.Is(err, errCrashed) {
			return w.stats, w.die()
		}
		w.Abort()
		return w.stats, err
	}
	if crashed("committed") {
		return w.stats, w.die()
	}
	w.closed = true
	cleanup(w.dir, m, w.started)
	w.unlock()
	w.stats.Elapsed = time.Since(w.start)
	return w.stats, nil
}

// countLive fills the paragraph and text totals of m's live reports.
func (w *Writer) countLive(m *Manifest) error {
	for _, si := range m.Segments {
		if len(si.Deleted) == 0 {
			m.Paragraphs += si.Paragraphs
			m.TextBytes += si.TextBytes
			continue
		}
		r, err := segment.Open(filepath.Join(w.dir, si.Name, dataFile))
		if err != nil {
			return indexDamaged(w.dir, err)
		}
		del := map[int]bool{}
		for _, d := range si.Deleted {
			del[d] = true
		}
		for i := 0; i < r.NumReports(); i++ {
			if del[i] {
				continue
			}
			ri, err := r.Report(i)
			if err != nil {
				r.Close()
				return indexDamaged(w.dir, err)
			}
			m.Paragraphs += ri.Count
			ps, err := r.Paragraphs(ri.First, ri.First+ri.Count)
			if err != nil {
				r.Close()
				return indexDamaged(w.dir, err)
			}
			for _, p := range ps {
				m.TextBytes += int64(len(p.Text))
			}
		}
		r.Close()
	}
	return nil
}

// die stops the writer as a killed process would: files stay as they are.
func (w *Writer) die() error {
	w.closed = true
	w.unlock()
	return errCrashed
}

// Abort discards what was added; the index is unchanged.
func (w *Writer) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	if w.cur != nil {
		w.cur.abort()
		w.cur = nil
	}
	for _, si := range w.newSegs {
		os.RemoveAll(filepath.Join(w.dir, si.Name))
	}
	w.unlock()
}

// segBuilder writes one segment: the exact data and the words index.
type segBuilder struct {
	name, dir  string
	w          *segment.Writer
	words      *wordsBuilder
	sections   map[string]uint8
	secNames   []string
	reports    int
	paragraphs int
	text       int64
	paras      []segment.Paragraph // scratch
}

func newSegBuilder(indexDir, name string, workers int) (*segBuilder, error) {
	dir := filepath.Join(indexDir, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	sw, err := segment.Create(filepath.Join(dir, dataFile))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	wb, err := newWordsBuilder(filepath.Join(dir, wordsDir), workers)
	if err != nil {
		sw.Abort()
		os.RemoveAll(dir)
		return nil, err
	}
	return &segBuilder{name: name, dir: dir, w: sw, words: wb, sections: map[string]uint8{}}, nil
}

// Flags of a paragraph in a segment.
const flagOCR = 1

func (b *segBuilder) add(id string, r *Report, gen int) error {
	meta := *r
	meta.ID = id
	meta.Paragraphs = nil
	if meta.Added == 0 {
		meta.Added = gen
	}
	meta.Province, meta.City, meta.District = norm.Fold(r.Province), norm.Fold(r.City), norm.Fold(r.District)
	b.paras = b.paras[:0]
	for _, p := range r.Paragraphs {
		sec := norm.Fold(p.Section)
		code, ok := b.sections[sec]
		if !ok {
			if len(b.secNames) == 255 {
				return fmt.Errorf("index: %s: more than 255 section names", r.Path)
			}
			code = uint8(len(b.secNames))
			b.sections[sec] = code
			b.secNames = append(b.secNames, sec)
		}
		var flags uint8
		if p.OCR {
			flags |= flagOCR
		}
		b.paras = append(b.paras, segment.Paragraph{Ordinal: p.Ordinal, Offset: p.Offset, Page: p.Page,
			Section: code, Flags: flags, Heading: p.Heading, Text: p.Text})
	}
	first := b.w.Paragraphs()
	if err := b.w.AddReport(encodeRecord(&meta), b.paras); err != nil {
		return fmt.Errorf("index: adding %s: %w", r.Path, err)
	}
	for i, p := range r.Paragraphs {
		if err := b.words.add(first+i, p.Text); err != nil {
			return err
		}
		b.text += int64(len(p.Text))
	}
	b.reports++
	b.paragraphs += len(r.Paragraphs)
	return nil
}

func (b *segBuilder) finish() error {
	toInternal, files, err := b.words.finish()
	if err != nil {
		b.w.Abort()
		os.RemoveAll(b.dir)
		return err
	}
	secs, _ := json.Marshal(b.secNames)
	for _, a := range []struct {
		name string
		data []byte
	}{{auxSections, secs}, {auxWordsMap, toInternal}, {auxWordsFiles, files}} {
		if err := b.w.AddAux(a.name, a.data); err != nil {
			b.w.Abort()
			os.RemoveAll(b.dir)
			return err
		}
	}
	if err := b.w.Finish(); err != nil {
		os.RemoveAll(b.dir)
		return err
	}
	return nil
}

func (b *segBuilder) abort() {
	b.words.abort()
	b.w.Abort()
	os.RemoveAll(b.dir)
}

// BuildReports builds an index at dir from reports; for tests and tools.
func BuildReports(dir string, reports []Report) error {
	w, err := Create(dir, Options{AllowEmpty: true})
	if err != nil {
		return err
	}
	for i := range reports {
		if err := w.Add(&reports[i]); err != nil {
			w.Abort()
			return err
		}
	}
	_, err = w.Commit()
	return err
}
