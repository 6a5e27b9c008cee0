package index

// The index directory and its generations.
//
//	INDEX/CURRENT          names the current generation: "gen-000007.json <crc>\n"
//	INDEX/gen-000007.json  the generation: its segments and what is deleted in them
//	INDEX/seg-000007-0/    an immutable segment: data.seg (package segment)
//	                       and words/, its bleve index of gojieba words
//	INDEX/LOCK             held (flock) by the one process writing the index
//
// A generation file is JSON followed by a line "crc <hex>" with the CRC-32
// of the JSON. A writer makes a new generation current in one atomic step:
// it writes and fsyncs every new segment, then the generation file (to a
// temporary name, fsynced, renamed, directory fsynced), then CURRENT the
// same way. A process killed at any instant leaves CURRENT naming either
// the old generation, whose files are all still there, or the new one,
// whose files are all complete. Files no generation in use names (the
// segments of killed builds, generations older than the previous one) are
// removed by the next writer.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// FormatVersion changes whenever the layout of an index directory, its
// generation files or its segments change.
const FormatVersion = 3

const (
	currentFile = "CURRENT"
	lockFile    = "LOCK"
	dataFile    = "data.seg"
	wordsDir    = "words"
)

// ErrIncompatible means an index was built by an incompatible version of
// zhengce and must be rebuilt.
var ErrIncompatible = errors.New("index built by an incompatible version")

// ErrDamaged means a file of the index is truncated, corrupted or missing.
var ErrDamaged = errors.New("index is damaged")

// ErrNotIndex means a directory holds something other than an index.
var ErrNotIndex = errors.New("not an index directory")

// ErrLocked means another process is writing the index.
var ErrLocked = errors.New("index is being written by another process")

// Manifest is a generation: what an index holds at one moment.
type Manifest struct {
	Format      int           `json:"format"`
	Analyzer    string        `json:"analyzer"` // exact and words analyzer versions
	Generation  int           `json:"generation"`
	Fingerprint string        `json:"fingerprint,omitempty"` // of the corpus it was built from, if known
	Built       time.Time     `json:"built"`
	Reports     int           `json:"reports"`    // live reports
	Paragraphs  int           `json:"paragraphs"` // live paragraphs
	TextBytes   int64         `json:"text_bytes"`
	Segments    []SegmentInfo `json:"segments"`
}

// SegmentInfo is one segment of a generation.
type SegmentInfo struct {
	Name       string `json:"name"`
	Reports    int    `json:"reports"`    // in the segment, deleted or not
	Paragraphs int    `json:"paragraphs"` // in the segment
	TextBytes  int64  `json:"text_bytes"`
	// Deleted lists the segment's reports (by number in the segment) that
	// were removed or replaced after it was written.
	Deleted []int `json:"deleted,omitempty"`
}

func analyzerVersion() string {
	return fmt.Sprintf("exact-norm-1/words-%s", wordsVersion())
}

var genName = regexp.MustCompile(`^gen-([0-9]{6,})\.json$`)

func genFile(n int) string { return fmt.Sprintf("gen-%06d.json", n) }

// readCurrent returns the generation file CURRENT names.
func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		return "", err
	}
	name, crc, ok := strings.Cut(strings.TrimSuffix(string(b), "\n"), " ")
	if !ok || !genName.MatchString(name) || crc != fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(name))) {
		return "", fmt.Errorf("index %s: %s is damaged: %w", dir, currentFile, ErrDamaged)
	}
	return name, nil
}

// ReadManifest reads the current generation of the index in dir and checks
// that this program can read it.
func ReadManifest(dir string) (*Manifest, error) {
	name, err := readCurrent(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && isLegacy(dir) {
			return nil, fmt.Errorf("index %s was built by an earlier version of zhengce: %w", dir, ErrIncompatible)
		}
		return nil, fmt.Errorf("reading index %s: %w", dir, err)
	}
	return readGeneration(dir, name)
}

func readGeneration(dir, name string) (*Manifest, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w", dir, err)
	}
	i := bytes.LastIndex(b, []byte("\ncrc "))
	if i < 0 {
		return nil, fmt.Errorf("index file %s is damaged (no checksum): %w", path, ErrDamaged)
	}
	body, tail := b[:i+1], strings.TrimSpace(string(b[i+5:]))
	if tail != fmt.Sprintf("%08x", crc32.ChecksumIEEE(body)) {
		return nil, fmt.Errorf("index file %s is damaged (checksum mismatch): %w", path, ErrDamaged)
	}
	var m Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("index file %s is damaged (%v): %w", path, err, ErrDamaged)
	}
	if m.Format != FormatVersion || m.Analyzer != analyzerVersion() {
		return &m, fmt.Errorf("index %s has format %d, analyzers %q; this program reads format %d, analyzers %q: %w",
			dir, m.Format, m.Analyzer, FormatVersion, analyzerVersion(), ErrIncompatible)
	}
	for _, s := range m.Segments {
		if !segName.MatchString(s.Name) {
			return nil, fmt.Errorf("index file %s is damaged (segment %q): %w", path, s.Name, ErrDamaged)
		}
	}
	return &m, nil
}

var segName = regexp.MustCompile(`^seg-[0-9]{6,}-[0-9]+$`)

// isLegacy reports whether dir holds an index of the bleve-only format
// (manifest.json and bleve/), which this version replaces but cannot read.
func isLegacy(dir string) bool {
	_, err1 := os.Stat(filepath.Join(dir, "manifest.json"))
	_, err2 := os.Stat(filepath.Join(dir, "bleve"))
	return err1 == nil && err2 == nil
}

// writeFileSync writes data to dir/name through a temporary file, fsyncs
// it, renames it into place and fsyncs the directory.
func writeFileSync(dir, name string, data []byte) error {
	tmp := filepath.Join(dir, name+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if crashed("before rename of " + name) {
		return errCrashed
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// syncTree fsyncs every file and directory under dir.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
			return err
		}
		return nil
	})
}

// commit makes m the current generation of dir.
func commit(dir string, m *Manifest) error {
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	body = append(body, '\n')
	data := append(body, fmt.Sprintf("crc %08x\n", crc32.ChecksumIEEE(body))...)
	name := genFile(m.Generation)
	if err := writeFileSync(dir, name, data); err != nil {
		return fmt.Errorf("index: writing %s: %w", name, err)
	}
	cur := fmt.Sprintf("%s %08x\n", name, crc32.ChecksumIEEE([]byte(name)))
	if err := writeFileSync(dir, currentFile, []byte(cur)); err != nil {
		return fmt.Errorf("index: writing %s: %w", currentFile, err)
	}
	return nil
}

// crashPoint, set by tests, is asked at each step of a commit whether the
// writer dies there: it then stops at once, leaving every file as a killed
// process would.
var crashPoint func(point string) bool

var errCrashed = errors.New("index: killed (test)")

func crashed(point string) bool { return crashPoint != nil && crashPoint(point) }

// lock takes the writer's lock of dir.
func lock(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("index %s: %w", dir, ErrLocked)
	}
	return f, nil
}

// prepareDir makes sure dir can hold an index: it creates it, or checks
// that it is empty, an index, or an index of the earlier bleve-only
// format. Anything else is refused, so -o never overwrites a user's file.
func prepareDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("index: creating %s: %w", dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("index: %w", err)
	case !st.IsDir():
		return fmt.Errorf("index: %s is a file, not an index directory; not replacing it: %w", dir, ErrNotIndex)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if len(entries) == 0 || isLegacy(dir) {
		return nil
	}
	for _, e := range entries {
		if e.Name() == currentFile || genName.MatchString(e.Name()) {
			return nil
		}
	}
	return fmt.Errorf("index: %s holds files that are not an index; not replacing it: %w", dir, ErrNotIndex)
}

// cleanup removes what no generation in use names: segments and
// generation files older than keep's, temporary files, the files of the
// bleve-only format, and the leftovers of builds the earlier format left
// beside dir. The writer's lock must be held.
func cleanup(dir string, keep ...*Manifest) {
	live := map[string]bool{currentFile: true, lockFile: true}
	for _, m := range keep {
		if m == nil {
			continue
		}
		live[genFile(m.Generation)] = true
		for _, s := range m.Segments {
			live[s.Name] = true
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		if live[name] {
			continue
		}
		if segName.MatchString(name) || genName.MatchString(name) || strings.HasSuffix(name, ".tmp") ||
			strings.HasPrefix(name, ".building-") || name == "manifest.json" || name == "reports.json" || name == "bleve" {
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	old, _ := os.ReadDir(parent)
	for _, e := range old {
		if strings.HasPrefix(e.Name(), "."+base+".building-") {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// nextSegmentName returns a segment name not in use in gen.
func nextSegmentName(gen, k int) string {
	return "seg-" + fmt.Sprintf("%06d", gen) + "-" + strconv.Itoa(k)
}
