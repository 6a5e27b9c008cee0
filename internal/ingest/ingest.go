// Package ingest reads report folders into an index. It is the one place
// where package corpus (reading raw reports) meets package index, so that
// neither knows the other.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/analyzer"
	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/reuse"
)

// Convert turns a report read by corpus into the form the index stores.
func Convert(r *corpus.Report) index.Report {
	out := index.Report{
		ID: index.ReportID(r.Path, r.Part), Path: r.Path, Title: r.Title, Level: r.Level,
		Province: r.Province, City: r.City, District: r.District, Year: r.Year,
		Speaker: r.Speaker, Office: r.Office, Meeting: r.Meeting, Source: r.Source,
		ProvinceAsWritten: r.ProvinceAsWritten, CityAsWritten: r.CityAsWritten, DistrictAsWritten: r.DistrictAsWritten,
		Paragraphs: make([]index.Paragraph, 0, len(r.Paragraphs)),
	}
	for _, p := range r.Paragraphs {
		out.Paragraphs = append(out.Paragraphs, index.Paragraph{
			Ordinal: p.Ordinal, Offset: p.Offset, Page: p.Page, OCR: p.OCR, Section: p.Section,
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

// Summary is what Build or Add did.
type Summary struct {
	index.Stats
	Problems  []corpus.Problem
	Warnings  int // metadata warnings over all reports read
	Unchanged int // files skipped by Add because the index has them as they are
	// Reuse is what finding text reuse did after the commit.
	Reuse reuse.Stats
}

// Build reads every report of srcs and writes a new generation of the
// index at out holding exactly them. Files that cannot be read are listed
// in the summary and skipped; every other report is indexed. A build that
// reads no report does not replace an index that holds reports (unless
// opts.AllowEmpty).
func Build(out string, srcs []Source, opts index.Options) (Summary, error) {
	return write(out, srcs, opts, true)
}

// Add adds the reports of srcs to the index at out: a file the index
// already holds with the same content is skipped, a changed file replaces
// its reports. The index is created if it does not exist.
func Add(out string, srcs []Source, opts index.Options) (Summary, error) {
	return write(out, srcs, opts, false)
}

func write(out string, srcs []Source, opts index.Options, rebuild bool) (Summary, error) {
	var sum Summary
	// Load the segmenter now, so a broken dictionary is an error here
	// rather than a panic inside bleve's analysis.
	if err := analyzer.LoadWords(); err != nil {
		return sum, fmt.Errorf("loading the word segmenter: %w", err)
	}
	if opts.Fingerprint == "" && rebuild {
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
	var w *index.Writer
	var err error
	if rebuild {
		w, err = index.Create(out, opts)
	} else {
		w, err = index.Update(out, opts)
	}
	if err != nil {
		return sum, err
	}
	known := w.Sources()
	for _, src := range srcs {
		hashes := map[string]string{}
		skipped := map[string]bool{}
		problems, err := corpus.Load(src.FS, src.Root, func(r *corpus.Report) error {
			h, ok := hashes[r.Path]
			if !ok {
				h = fileHash(src.FS, src.Root, r.Path)
				hashes[r.Path] = h
			}
			if !rebuild && h != "" && known[r.Path] == h {
				skipped[r.Path] = true
				return nil
			}
			sum.Warnings += len(r.Warnings)
			ir := Convert(r)
			ir.FileHash = h
			return w.Add(&ir)
		})
		sum.Problems = append(sum.Problems, problems...)
		if err != nil {
			w.Abort()
			return sum, fmt.Errorf("reading %s: %w", src.Root, err)
		}
		sum.Unchanged += len(skipped)
	}
	st, err := w.Commit()
	sum.Stats = st
	if err != nil {
		return sum, err
	}
	sum.Reuse, err = updateReuse(out)
	return sum, err
}

// Remove removes from the index at out the reports of each path (a source
// path as the index shows it; a path ending in / removes a folder). It
// returns how many reports it removed and the paths that matched none.
func Remove(out string, paths []string) (removed int, unknown []string, err error) {
	w, err := index.Update(out, index.Options{})
	if err != nil {
		return 0, nil, err
	}
	for _, p := range paths {
		n := w.RemovePath(filepath.ToSlash(p))
		if n == 0 {
			unknown = append(unknown, p)
		}
		removed += n
	}
	if removed == 0 {
		w.Abort()
		return 0, unknown, nil
	}
	if _, err = w.Commit(); err != nil {
		return removed, unknown, err
	}
	_, err = updateReuse(out)
	return removed, unknown, err
}

// maxHashBytes bounds what fileHash reads: corpus reads no more either.
const maxHashBytes = 1 << 30

// fileHash returns the SHA-256 of a source file, read as a stream, or ""
// if it cannot be read.
func fileHash(fsys fs.FS, root, rel string) string {
	name := rel
	if root != "." && root != "" {
		name = root + "/" + rel
	}
	f, err := fsys.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, maxHashBytes)); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprint hashes the names, sizes and contents of the report files
// under root (the files corpus reads), so an index built from other files
// is noticed. Only regular files are read, as streams; unreadable files and
// folders are hashed by name and error, never fail it.
func Fingerprint(fsys fs.FS, root string) (string, error) {
	h := sha256.New()
	var paths []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			paths = append(paths, p)
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && corpus.IsReportFile(p) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "%s\x00", p)
		f, err := fsys.Open(p)
		if err != nil {
			fmt.Fprintf(h, "unreadable: %v\x00", err)
			continue
		}
		n, err := io.Copy(h, io.LimitReader(f, maxHashBytes))
		f.Close()
		fmt.Fprintf(h, "\x00%d\x00", n)
		if err != nil {
			fmt.Fprintf(h, "unreadable: %v\x00", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// BundledDir returns the directory of the index of the bundled reports in
// the user's cache, building it first if it is missing, stale, damaged or
// was built by an incompatible version. progress may be nil.
func BundledDir(progress func(index.Stats)) (string, error) {
	// Hashing the archive, not its unpacked files, keeps this off the
	// start-up of every search (60 ms → a few).
	fp := corpus.BundledFingerprint()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "zhengce", "bundled-index")
	if m, err := index.ReadManifest(dir); err == nil && m.Fingerprint == fp {
		// Check every byte's checksum, and rebuild it if anything is
		// damaged: a few milliseconds, where decoding everything
		// (Verify) would add 150 ms to every search.
		ix, err := index.OpenWith(dir, index.OpenOptions{Checksums: true})
		if err == nil {
			ix.Close()
			return dir, nil
		}
		if !errors.Is(err, index.ErrDamaged) && !errors.Is(err, index.ErrIncompatible) {
			return "", err
		}
	}
	// Ours to rebuild, whatever is there.
	os.RemoveAll(dir)
	_, err = Build(dir, []Source{{FS: corpus.Bundled, Root: "reports"}}, index.Options{Fingerprint: fp, Progress: progress})
	if err != nil {
		return "", fmt.Errorf("building the bundled index in %s: %w", dir, err)
	}
	return dir, nil
}

// Merge merges the segments of the index at out (see index.Merge). Merging
// re-segments the words of the merged reports, so it loads the segmenter.
func Merge(out string, all bool) (int, error) {
	if err := analyzer.LoadWords(); err != nil {
		return 0, fmt.Errorf("loading the word segmenter: %w", err)
	}
	n, err := index.Merge(out, index.Options{}, all)
	if err != nil || n == 0 {
		return n, err
	}
	_, err = updateReuse(out)
	return n, err
}
