package index

// Each segment has a bleve index of its paragraphs' gojieba words (package
// analyzer): one bleve document per paragraph, one field, BM25 statistics
// and no stored text. It orders hits; it never decides what matches. It is
// written with the segment and never changed, so a server can hold it open
// read-only while a writer builds the next generation beside it.
//
// bleve numbers documents its own way, so after building, the builder
// reads back bleve's internal number of every paragraph and stores the map
// in the segment (aux section "words.map"); it also stores the size and crc
// of every bleve file ("words.files"), checked when the index is opened.

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/zhengce/zhengce/analyzer"
)

const (
	wordsField    = "w"
	auxWordsMap   = "words.map"
	auxWordsFiles = "words.files"
	auxSections   = "sections"
)

func wordsVersion() string { return analyzer.WordsVersion }

func wordsMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false
	dm := bleve.NewDocumentStaticMapping()
	w := bleve.NewTextFieldMapping()
	w.Analyzer = analyzer.WordsAnalyzerName
	w.Store, w.IncludeInAll, w.IncludeTermVectors, w.DocValues = false, false, false, false
	dm.AddFieldMappingsAt(wordsField, w)
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im
}

// wordsBuilder writes the words index of one segment. Batches are written
// by several goroutines: bleve analyses a batch's documents in parallel but
// builds its segment on one core.
type wordsBuilder struct {
	dir   string
	idx   bleve.Index
	batch *bleve.Batch
	n     int
	work  chan *bleve.Batch
	wg    sync.WaitGroup
	mu    sync.Mutex // guards err
	err   error
	done  bool
}

const wordsBatch = 1000

func newWordsBuilder(dir string, workers int) (*wordsBuilder, error) {
	idx, err := bleve.NewUsing(dir, wordsMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: creating words index %s: %w", dir, err)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	b := &wordsBuilder{dir: dir, idx: idx, batch: idx.NewBatch(), work: make(chan *bleve.Batch)}
	for range workers {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			for batch := range b.work {
				if err := b.idx.Batch(batch); err != nil {
					b.mu.Lock()
					if b.err == nil {
						b.err = fmt.Errorf("index: writing words: %w", err)
					}
					b.mu.Unlock()
				}
			}
		}()
	}
	return b, nil
}

func (b *wordsBuilder) firstErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// add indexes the text of the segment's paragraph p (numbered from 0, in
// order).
func (b *wordsBuilder) add(p int, text string) error {
	if err := b.batch.Index(strconv.FormatInt(int64(p), 36), map[string]any{wordsField: text}); err != nil {
		return fmt.Errorf("index: words of paragraph %d: %w", p, err)
	}
	b.n++
	if b.batch.Size() >= wordsBatch {
		if err := b.firstErr(); err != nil {
			return err
		}
		b.work <- b.batch
		b.batch = b.idx.NewBatch()
	}
	return nil
}

func (b *wordsBuilder) stop() error {
	if !b.done {
		b.done = true
		if b.batch.Size() > 0 {
			b.work <- b.batch
		}
		close(b.work)
		b.wg.Wait()
	}
	return b.firstErr()
}

// finish merges the index into one bleve segment, closes it and returns
// the map from paragraph to bleve's internal number and the list of files.
func (b *wordsBuilder) finish() (toInternal []byte, files []byte, err error) {
	if err := b.stop(); err != nil {
		b.idx.Close()
		return nil, nil, err
	}
	live, err := forceMerge(b.idx)
	if err != nil {
		b.idx.Close()
		return nil, nil, err
	}
	toInternal, err = internalMap(b.idx, b.n)
	if err != nil {
		b.idx.Close()
		return nil, nil, err
	}
	if err := b.idx.Close(); err != nil {
		return nil, nil, fmt.Errorf("index: closing words index: %w", err)
	}
	if err := removeDeadSegments(filepath.Join(b.dir, "store"), live); err != nil {
		return nil, nil, err
	}
	files, err = listFiles(b.dir)
	return toInternal, files, err
}

func (b *wordsBuilder) abort() {
	b.stop()
	b.idx.Close()
}

// forceMerge merges the bleve index into one segment: a search then walks
// one term dictionary. It returns the file names of the live segments.
func forceMerge(idx bleve.Index) (map[string]bool, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("index: merging words: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	if err := s.ForceMerge(context.Background(), nil); err != nil {
		return nil, fmt.Errorf("index: merging words: %w", err)
	}
	r, err := s.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: merging words: %w", err)
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

// removeDeadSegments deletes the bleve segment files a merge made
// obsolete; scorch deletes them in the background, which a builder that
// closes right after merging never waits for.
func removeDeadSegments(store string, live map[string]bool) error {
	if len(live) == 0 {
		return nil
	}
	entries, err := os.ReadDir(store)
	if err != nil {
		return fmt.Errorf("index: cleaning up words: %w", err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) == ".zap" && !live[e.Name()] {
			if err := os.Remove(filepath.Join(store, e.Name())); err != nil {
				return fmt.Errorf("index: cleaning up words: %w", err)
			}
		}
	}
	return nil
}

// internalMap reads bleve's internal number of each of n paragraphs.
func internalMap(idx bleve.Index, n int) ([]byte, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("index: reading words: %w", err)
	}
	defer r.Close()
	out := make([]byte, 4*n)
	for i := range n {
		binary.LittleEndian.PutUint32(out[4*i:], noInternal)
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("index: reading words: %w", err)
	}
	defer ids.Close()
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, fmt.Errorf("index: reading words: %w", err)
		}
		if id == nil {
			break
		}
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, fmt.Errorf("index: reading words: %w", err)
		}
		p, err := strconv.ParseInt(ext, 36, 64)
		num := id.Value()
		if err != nil || p < 0 || p >= int64(n) || num >= noInternal {
			return nil, fmt.Errorf("index: words index has an unexpected document %q", ext)
		}
		binary.LittleEndian.PutUint32(out[4*p:], uint32(num))
	}
	return out, nil
}

const noInternal = 0xFFFFFFFF

type wordsFile struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	CRC  uint32 `json:"crc"`
}

// listFiles lists every file under dir with its size and crc, and makes it
// readable by others (bleve writes files for its owner only, which a server
// run as another user could not open).
func listFiles(dir string) ([]byte, error) {
	var files []wordsFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		if err := os.Chmod(p, 0o644); err != nil {
			return err
		}
		crc, size, err := fileCRC(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, wordsFile{Name: filepath.ToSlash(rel), Size: size, CRC: crc})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("index: listing words files: %w", err)
	}
	return json.Marshal(files)
}

func fileCRC(path string) (uint32, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	h := crc32.NewIEEE()
	n, err := io.Copy(h, f)
	return h.Sum32(), n, err
}

// words is the open words index of a segment.
type words struct {
	idx        bleve.Index
	r          bindex.IndexReader
	toInternal []uint32 // paragraph → bleve's number
	docs       uint64
	fieldLen   uint64 // total words in the field
}

// checkWords compares the files under dir with the list the segment
// stored: sizes always, crcs when full is set.
func checkWords(dir string, list []byte, full bool) error {
	var files []wordsFile
	if err := json.Unmarshal(list, &files); err != nil {
		return fmt.Errorf("index: words index %s: file list: %v: %w", dir, err, ErrDamaged)
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("index file %s is missing: %w", p, ErrDamaged)
		}
		if st.Size() != f.Size {
			return fmt.Errorf("index file %s is damaged (size %d, want %d): %w", p, st.Size(), f.Size, ErrDamaged)
		}
		if full {
			crc, _, err := fileCRC(p)
			if err != nil {
				return fmt.Errorf("index file %s: %w", p, err)
			}
			if crc != f.CRC {
				return fmt.Errorf("index file %s is damaged (checksum mismatch): %w", p, ErrDamaged)
			}
		}
	}
	return nil
}

func openWords(dir string, toInternal []uint32) (w *words, err error) {
	// bleve panics on some damage its own checks miss: that is damage too.
	defer func() {
		if p := recover(); p != nil {
			w, err = nil, fmt.Errorf("index: words index %s is damaged (%v): %w", dir, p, ErrDamaged)
		}
	}()
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		if idx != nil {
			idx.Close()
		}
		return nil, fmt.Errorf("index: words index %s is damaged (%v): %w", dir, err, ErrDamaged)
	}
	adv, err := idx.Advanced()
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: words index %s: %w", dir, err)
	}
	r, err := adv.Reader()
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: words index %s: %w", dir, err)
	}
	w = &words{idx: idx, r: r, toInternal: toInternal}
	if w.docs, err = r.DocCount(); err != nil {
		w.close()
		return nil, fmt.Errorf("index: words index %s: %w", dir, err)
	}
	if br, ok := r.(bindex.BM25Reader); ok {
		n, err := br.FieldCardinality(wordsField)
		if err != nil {
			w.close()
			return nil, fmt.Errorf("index: words index %s: %w", dir, err)
		}
		w.fieldLen = uint64(n)
	}
	return w, nil
}

func (w *words) close() error {
	if w == nil {
		return nil
	}
	err := w.r.Close()
	if cerr := w.idx.Close(); err == nil {
		err = cerr
	}
	return err
}

var errNoWords = errors.New("no words index")
