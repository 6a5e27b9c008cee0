// Package ingest reads report folders into an index. It is the one place
// where package corpus (reading raw reports) meets package index (bleve),
// so that neither knows the other.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/analyzer"
	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
)

// Convert turns a report read by corpus into the form the index stores.
func Convert(r *corpus.Report) index.Report {
	out := index.Report{
		ID: index.ReportID(r.Path, r.Part), Path: r.Path, Title: r.Title, Level: r.Level,
		Province: r.Province, City: r.City, District: r.District, Year: r.Year,
		Speaker: r.Speaker, Office: r.Office, Meeting: r.Meeting,
		Paragraphs: make([]index.Paragraph, 0, len(r.Paragraphs)),
	}
	for _, p := range r.Paragraphs {
		out.Paragraphs = append(out.Paragraphs, index.Paragraph{
			Ordinal: p.Ordinal, Offset: p.Offset, Section: p.Section,
			Heading: strings.Join(p.Heading, " › "), Text: p.Text,
		})
	}
	return out
}

// Source is a folder of reports: a file system and the root within it.
type Source struct {
	FS   fs.FS
	Root string
}

// Dir is the Source for a folder on disk.
func Dir(path string) Source { return Source{FS: os.DirFS(path), Root: "."} }

// Summary is what Build did.
type Summary struct {
	index.Stats
	Problems []corpus.Problem
	Warnings int // metadata warnings over all reports
}

// Build reads every report of srcs and writes a new index to out. Files
// that cannot be read are listed in the summary and skipped; every other
// report is indexed.
func Build(out string, srcs []Source, opts index.Options) (Summary, error) {
	var sum Summary
	// Load the segmenter now, so a broken dictionary is an error here
	// rather than a panic inside bleve's analysis.
	if err := analyzer.LoadWords(); err != nil {
		return sum, fmt.Errorf("loading the word segmenter: %w", err)
	}
	if opts.Fingerprint == "" {
		var fps []string
		for _, src := range srcs {
			fp, err := Fingerprint(src.FS, src.Root)
			if err != nil {
				return sum, fmt.Errorf("reading %s: %w", src.Root, err)
			}
			fps = append(fps, fp)
		}
		opts.Fingerprint = strings.Join(fps, "+")
	}
	b, err := index.NewBuilder(out, opts)
	if err != nil {
		return sum, err
	}
	for _, src := range srcs {
		problems, err := corpus.Load(src.FS, src.Root, func(r *corpus.Report) error {
			sum.Warnings += len(r.Warnings)
			ir := Convert(r)
			return b.Add(&ir)
		})
		sum.Problems = append(sum.Problems, problems...)
		if err != nil {
			b.Abort()
			return sum, fmt.Errorf("reading %s: %w", src.Root, err)
		}
	}
	st, err := b.Finish()
	sum.Stats = st
	return sum, err
}

// Fingerprint hashes the names and contents of every file under root, so
// an index built from other files is noticed. Unreadable files and folders
// are hashed by name and error, never fail it.
func Fingerprint(fsys fs.FS, root string) (string, error) {
	h := sha256.New()
	var paths []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			// An unreadable folder is the reader's to report; the
			// fingerprint only notes it.
			paths = append(paths, p)
			return nil
		}
		if !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			data = []byte("unreadable: " + err.Error())
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// BundledDir returns the directory of the index of the bundled reports in
// the user's cache, building it first if it is missing, stale, or was built
// by an incompatible version. progress may be nil.
func BundledDir(progress func(index.Stats)) (string, error) {
	// Hashing the archive, not its unpacked files, keeps this off the
	// start-up of every search (60 ms → a few).
	fp := corpus.BundledFingerprint()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "zhengce", "bundled-index")
	m, err := index.ReadManifest(dir)
	if err == nil && m.Fingerprint == fp {
		return dir, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Damaged or incompatible: this directory is ours to rebuild.
		os.RemoveAll(dir)
	}
	_, err = Build(dir, []Source{{FS: corpus.Bundled, Root: "reports"}}, index.Options{Fingerprint: fp, Progress: progress})
	if err != nil {
		return "", fmt.Errorf("building the bundled index in %s: %w", dir, err)
	}
	return dir, nil
}
