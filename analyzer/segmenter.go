package analyzer

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yanyiwu/gojieba"
)

// The word segmenter is gojieba (cppjieba). It reads its dictionaries from
// files, and by default finds them through the source path of the gojieba
// module, which does not exist on a machine without a Go module cache (and
// never in a -trimpath build). So the dictionaries are embedded here and
// written once to a cache directory, whose paths are passed to NewJieba.
//
// dict/idf.utf8 is one line: the IDF table (5.8 MB upstream) is used only by
// keyword extraction, which zhengce never calls, but cppjieba asserts that
// the file has at least one line and aborts the process on an empty one.
// Loading the full table also costs ~130 ms more. stop_words.utf8 (9 KB) is
// kept whole for the same reason and because it is small; it is not used to
// drop words (see words.go).
//
//go:generate go run ./internal/mineslogans -dict dict/jieba.dict.utf8 -curated dict/policy.utf8 -o dict/slogans.utf8 ../corpus/reports
//go:embed dict/jieba.dict.utf8 dict/hmm_model.utf8 dict/user.dict.utf8 dict/policy.utf8 dict/slogans.utf8 dict/idf.utf8 dict/stop_words.utf8
var segmenterDictFS embed.FS

// segmenterFile is one dictionary file as cppjieba reads it, built from one
// or more embedded files.
type segmenterFile struct {
	name    string   // file name in the cache directory
	sources []string // embedded files, concatenated in this order
}

// segmenterFiles lists the five files in the order NewJieba takes them.
// The user dictionary joins gojieba's sample user words, the curated policy
// terms and the slogans mined from the corpus: cppjieba accepts several user
// dictionaries separated by '|' or ';', but one file keeps the cache
// directory self-describing and the paths free of separators.
var segmenterFiles = [5]segmenterFile{
	{"jieba.dict.utf8", []string{"dict/jieba.dict.utf8"}},
	{"hmm_model.utf8", []string{"dict/hmm_model.utf8"}},
	{"user.dict.utf8", []string{"dict/user.dict.utf8", "dict/policy.utf8", "dict/slogans.utf8"}},
	{"idf.utf8", []string{"dict/idf.utf8"}},
	{"stop_words.utf8", []string{"dict/stop_words.utf8"}},
}

// segmenterDicts returns the contents of the five dictionary files and a
// hash of them all.
func segmenterDicts() (contents [5][]byte, hash string, err error) {
	h := sha256.New()
	for i, f := range segmenterFiles {
		var buf bytes.Buffer
		for _, src := range f.sources {
			data, err := fs.ReadFile(segmenterDictFS, src)
			if err != nil {
				return contents, "", fmt.Errorf("reading embedded dictionary %s: %w", src, err)
			}
			buf.Write(data)
			if len(data) > 0 && data[len(data)-1] != '\n' {
				buf.WriteByte('\n')
			}
		}
		contents[i] = buf.Bytes()
		fmt.Fprintf(h, "%s %d\n", f.name, buf.Len())
		h.Write(contents[i])
	}
	return contents, hex.EncodeToString(h.Sum(nil)), nil
}

// segmenterDictDir returns a directory under base holding the dictionary
// files, writing them if they are not there yet. Several processes may call
// it at once: each writes into its own temporary directory and renames it
// into place; a loser of the race removes its copy and uses the winner's.
func segmenterDictDir(base string) (string, error) {
	contents, hash, err := segmenterDicts()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(base, "jieba-"+hash[:16])
	// cppjieba splits the user dictionary path at '|' and ';'.
	if strings.ContainsAny(dir, "|;") {
		return "", fmt.Errorf("dictionary directory %q contains '|' or ';', which the segmenter cannot read", dir)
	}
	if segmenterDictDirComplete(dir, contents) {
		return dir, nil
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", fmt.Errorf("creating dictionary cache %s: %w", base, err)
	}
	tmp, err := os.MkdirTemp(base, ".jieba-tmp-")
	if err != nil {
		return "", fmt.Errorf("creating dictionary cache %s: %w", base, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for i, f := range segmenterFiles {
		if err := os.WriteFile(filepath.Join(tmp, f.name), contents[i], 0o644); err != nil {
			return "", fmt.Errorf("writing dictionary %s: %w", f.name, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("writing dictionaries to %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process won the race, or a damaged copy is in the way.
		if segmenterDictDirComplete(dir, contents) {
			return dir, nil
		}
		if rmErr := os.RemoveAll(dir); rmErr != nil {
			return "", fmt.Errorf("replacing damaged dictionary cache %s: %w", dir, rmErr)
		}
		if err := os.Rename(tmp, dir); err != nil && !segmenterDictDirComplete(dir, contents) {
			return "", fmt.Errorf("moving dictionaries into %s: %w", dir, err)
		}
	}
	return dir, nil
}

// segmenterDictDirComplete reports whether dir holds every dictionary file
// with the expected size. The directory name carries the content hash and
// only complete directories are renamed into place, so sizes catch the
// remaining damage (a truncated or replaced file) cheaply.
func segmenterDictDirComplete(dir string, contents [5][]byte) bool {
	for i, f := range segmenterFiles {
		fi, err := os.Stat(filepath.Join(dir, f.name))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(contents[i])) {
			return false
		}
	}
	return true
}

// segmenterCacheBases lists where the dictionaries may be written, best
// first: the user's cache directory, then the temporary directory.
func segmenterCacheBases() []string {
	var bases []string
	if dir, err := os.UserCacheDir(); err == nil {
		bases = append(bases, filepath.Join(dir, "zhengce"))
	}
	return append(bases, filepath.Join(os.TempDir(), "zhengce"))
}

// newSegmenter writes the dictionaries (if needed) to the first of bases
// that takes them and loads gojieba from there.
func newSegmenter(bases []string) (*gojieba.Jieba, error) {
	var errs []error
	for _, base := range bases {
		dir, err := segmenterDictDir(base)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		return newSegmenterFrom(dir)
	}
	return nil, fmt.Errorf("loading word segmenter: %w", errors.Join(errs...))
}

func newSegmenterFrom(dir string) (seg *gojieba.Jieba, err error) {
	var paths [5]string
	for i, f := range segmenterFiles {
		paths[i] = filepath.Join(dir, f.name)
	}
	// NewJieba panics if a file is missing (say, removed since it was
	// checked); report that as an error.
	defer func() {
		if r := recover(); r != nil {
			seg, err = nil, fmt.Errorf("loading word segmenter from %s: %v", dir, r)
		}
	}()
	return gojieba.NewJieba(paths[:]...), nil
}

// The process-wide segmenter. It is created on first use, not when the
// package is loaded or a bleve index is opened: NewJieba takes 0.3–1.3 s and
// ~130 MB of C++ heap, which a search that never analyses words must not
// pay. It is never freed. Cut and Tokenize are safe for concurrent use;
// AddWord is never called (it crashes concurrent Cuts), so every user word
// is in the user dictionary file before NewJieba.
var (
	segmenterOnce   sync.Once
	segmenterShared *gojieba.Jieba
	segmenterErr    error
	segmenterLoaded atomic.Bool
)

// sharedSegmenter returns the process-wide segmenter, loading it on first
// call.
func sharedSegmenter() (*gojieba.Jieba, error) {
	segmenterOnce.Do(func() {
		segmenterShared, segmenterErr = newSegmenter(segmenterCacheBases())
		segmenterLoaded.Store(segmenterErr == nil)
	})
	return segmenterShared, segmenterErr
}

// LoadWords loads the word segmenter now rather than at the first word
// analysis, and reports why it cannot be loaded. Programs that index or serve
// should call it at start-up: the word analyzer has no way to return an
// error and panics if the segmenter cannot be loaded. Loading writes the
// embedded dictionaries once to the user's cache directory (or the temporary
// directory) and takes 0.3–1.3 s; later calls return at once.
func LoadWords() error {
	if wordsRegistrationErr != nil {
		return wordsRegistrationErr
	}
	_, err := sharedSegmenter()
	return err
}

// WordsLoaded reports whether the word segmenter has been loaded in this
// process. Commands that must answer quickly can check that they did not
// load it by accident.
func WordsLoaded() bool {
	return segmenterLoaded.Load()
}
