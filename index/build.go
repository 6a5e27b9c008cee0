package index

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/zhengce/zhengce/norm"
)

// Options configure a Builder.
type Options struct {
	// Fingerprint identifies the corpus; it is recorded in the manifest.
	Fingerprint string
	// BatchSize is the number of paragraphs per bleve batch (default 2000).
	BatchSize int
	// Progress, if set, is called after every batch.
	Progress func(Stats)
	// Workers is the number of batches written at once (default GOMAXPROCS).
	Workers int
}

// Stats count what a Builder has indexed.
type Stats struct {
	Reports    int
	Paragraphs int
	TextBytes  int64
	Elapsed    time.Duration
}

// MBPerSecond is the indexing throughput in megabytes of text per second.
func (s Stats) MBPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.TextBytes) / 1e6 / s.Elapsed.Seconds()
}

// A Builder writes a new index. Call Add for every report, then Finish, or
// Abort to throw the partial index away. A Builder is not safe for
// concurrent use.
type Builder struct {
	dir, tmp string
	opts     Options
	idx      bleve.Index
	batch    *bleve.Batch
	reports  []Report
	stats    Stats
	start    time.Time
	ids      map[string]bool

	// Batches are written by Workers goroutines: bleve analyses the
	// documents of one batch in parallel but builds its segment on one
	// core, which left the other core idle.
	work   chan *bleve.Batch
	wg     sync.WaitGroup
	mu     sync.Mutex // guards err
	err    error      // first error of a worker
	closed bool
}

// NewBuilder starts an index that Finish will move to dir, replacing any
// index there.
func NewBuilder(dir string, opts Options) (*Builder, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2000
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("creating index parent: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".building-")
	if err != nil {
		return nil, fmt.Errorf("creating temporary index directory: %w", err)
	}
	idx, err := bleve.NewUsing(filepath.Join(tmp, "bleve"), newMapping(), "scorch", "scorch", nil)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("creating index in %s: %w", tmp, err)
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	b := &Builder{dir: dir, tmp: tmp, opts: opts, idx: idx, batch: idx.NewBatch(), start: time.Now(),
		ids: map[string]bool{}, work: make(chan *bleve.Batch)}
	for range opts.Workers {
		b.wg.Add(1)
		go b.writeBatches()
	}
	return b, nil
}

func (b *Builder) writeBatches() {
	defer b.wg.Done()
	for batch := range b.work {
		if err := b.idx.Batch(batch); err != nil {
			b.mu.Lock()
			if b.err == nil {
				b.err = fmt.Errorf("index: writing batch: %w", err)
			}
			b.mu.Unlock()
		}
	}
}

func (b *Builder) workerErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// stopWorkers waits for every batch handed out to be written.
func (b *Builder) stopWorkers() error {
	if !b.closed {
		b.closed = true
		close(b.work)
		b.wg.Wait()
	}
	return b.workerErr()
}

// ReportID is the stable id of the part-th report (from 0) of the file at path.
func ReportID(path string, part int) string {
	h := sha1.Sum([]byte(path + "#" + strconv.Itoa(part)))
	return hex.EncodeToString(h[:6])
}

// Add indexes every paragraph of r. r.ID must be unique; if empty, it is
// ReportID(r.Path, 0).
func (b *Builder) Add(r *Report) error {
	id := r.ID
	if id == "" {
		id = ReportID(r.Path, 0)
	}
	if b.ids[id] {
		return fmt.Errorf("index: duplicate report id %q (%s)", id, r.Path)
	}
	b.ids[id] = true
	meta := *r
	meta.ID = id
	meta.Paragraphs = nil
	meta.Province, meta.City, meta.District = norm.Fold(r.Province), norm.Fold(r.City), norm.Fold(r.District)
	b.reports = append(b.reports, meta)
	b.stats.Reports++
	for _, p := range r.Paragraphs {
		doc := map[string]any{
			fieldText:      p.Text,
			fieldReport:    id,
			fieldSection:   norm.Fold(p.Section),
			fieldFacetKey:  id + "|" + norm.Fold(p.Section),
			fieldHeading:   p.Heading,
			fieldParagraph: p.Ordinal,
			fieldOffset:    p.Offset,
		}
		for field, v := range map[string]string{fieldProvince: meta.Province, fieldCity: meta.City, fieldDistrict: meta.District} {
			if v != "" {
				doc[field] = v
			}
		}
		if r.Year > 0 {
			doc[fieldYear] = r.Year
		}
		if err := b.batch.Index(id+"-"+strconv.Itoa(p.Ordinal), doc); err != nil {
			return fmt.Errorf("index: adding %s paragraph %d: %w", r.Path, p.Ordinal, err)
		}
		b.stats.Paragraphs++
		b.stats.TextBytes += int64(len(p.Text))
		if b.batch.Size() >= b.opts.BatchSize {
			if err := b.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *Builder) flush() error {
	if err := b.workerErr(); err != nil {
		return err
	}
	if b.batch.Size() == 0 {
		return nil
	}
	b.work <- b.batch
	b.batch = b.idx.NewBatch()
	b.stats.Elapsed = time.Since(b.start)
	if b.opts.Progress != nil {
		b.opts.Progress(b.stats)
	}
	return nil
}

// Finish completes the index and moves it into place.
func (b *Builder) Finish() (Stats, error) {
	if err := b.flush(); err != nil {
		b.Abort()
		return b.stats, err
	}
	if err := b.stopWorkers(); err != nil {
		b.Abort()
		return b.stats, err
	}
	live, err := b.forceMerge()
	if err != nil {
		b.Abort()
		return b.stats, err
	}
	if err := b.idx.Close(); err != nil {
		os.RemoveAll(b.tmp)
		return b.stats, fmt.Errorf("index: closing: %w", err)
	}
	if err := removeDeadSegments(filepath.Join(b.tmp, "bleve", "store"), live); err != nil {
		os.RemoveAll(b.tmp)
		return b.stats, err
	}
	b.stats.Elapsed = time.Since(b.start)
	m := Manifest{
		Format: FormatVersion, Analyzer: analyzerVersion(), Fingerprint: b.opts.Fingerprint,
		Built: time.Now().UTC().Truncate(time.Second), Reports: b.stats.Reports,
		Paragraphs: b.stats.Paragraphs, TextBytes: b.stats.TextBytes,
	}
	if err := writeJSON(filepath.Join(b.tmp, "reports.json"), b.reports); err != nil {
		os.RemoveAll(b.tmp)
		return b.stats, fmt.Errorf("index: writing reports: %w", err)
	}
	if err := writeJSON(filepath.Join(b.tmp, "manifest.json"), m); err != nil {
		os.RemoveAll(b.tmp)
		return b.stats, fmt.Errorf("index: writing manifest: %w", err)
	}
	if err := swapIn(b.tmp, b.dir); err != nil {
		os.RemoveAll(b.tmp)
		return b.stats, err
	}
	return b.stats, nil
}

// forceMerge merges the index into one segment: searches then walk one
// term dictionary instead of dozens, and the index is written once more
// but read forever. It returns the file names of the live segments.
func (b *Builder) forceMerge() (map[string]bool, error) {
	adv, err := b.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: merging: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	if err := s.ForceMerge(context.Background(), nil); err != nil {
		return nil, fmt.Errorf("index: merging: %w", err)
	}
	r, err := s.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: merging: %w", err)
	}
	defer r.Close()
	live := map[string]bool{}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		for _, seg := range snap.Segments() {
			if p, ok := seg.Segment().(interface{ Path() string }); ok {
				live[filepath.Base(p.Path())] = true
			}
		}
	}
	return live, nil
}

// removeDeadSegments deletes the segment files a merge made obsolete.
// Scorch deletes them in the background, which a builder that closes
// right after merging never waits for: without this an index was twice
// its size.
func removeDeadSegments(store string, live map[string]bool) error {
	if len(live) == 0 {
		return nil
	}
	entries, err := os.ReadDir(store)
	if err != nil {
		return fmt.Errorf("index: cleaning up: %w", err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".zap" && !live[e.Name()] {
			if err := os.Remove(filepath.Join(store, e.Name())); err != nil {
				return fmt.Errorf("index: cleaning up: %w", err)
			}
		}
	}
	return nil
}

// Abort discards the partial index.
func (b *Builder) Abort() {
	b.stopWorkers()
	b.idx.Close()
	os.RemoveAll(b.tmp)
}

// swapIn renames the finished index tmp to dir. An old index at dir is
// first renamed aside, so dir always holds a complete index or none.
func swapIn(tmp, dir string) error {
	old := ""
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				return fmt.Errorf("index: %s exists and is not an index; not replacing it", dir)
			}
		}
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("index: moving old index aside: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir)
		}
		return fmt.Errorf("index: moving new index into place: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// BuildReports builds an index at dir from reports; for tests and tools.
func BuildReports(dir string, reports []Report) error {
	b, err := NewBuilder(dir, Options{})
	if err != nil {
		return err
	}
	for i := range reports {
		if err := b.Add(&reports[i]); err != nil {
			b.Abort()
			return err
		}
	}
	_, err = b.Finish()
	return err
}
