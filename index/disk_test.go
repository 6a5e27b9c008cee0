package index

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var digits = regexp.MustCompile(`[0-9]+`)

// searchAll runs queries that touch every part of an index.
func searchAll(ix *Index) error {
	ctx := context.Background()
	for _, q := range []string{"放管服", "发展", "政府工作报告", "双随机、一公开", "哈哈哈哈"} {
		res, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if _, err := ix.Report(ctx, h.Report, q); err != nil {
				return err
			}
		}
	}
	_, err := ix.Reports(ctx)
	return err
}

// indexFiles lists the files of an index directory.
func indexFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != lockFile {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestDamagedIndex damages every file of an index in turn — truncated,
// bytes flipped, deleted — and requires every damage to be an error (from
// Open with Verify, as a server opens), never a panic, and plain Open and
// searches to fail or succeed without panicking.
func TestDamagedIndex(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good")
	if err := BuildReports(good, testReports); err != nil {
		t.Fatal(err)
	}
	files := indexFiles(t, good)
	if len(files) < 5 {
		t.Fatalf("index has %d files: %v", len(files), files)
	}
	damages := []struct {
		name string
		do   func(path string) error
	}{
		{"truncated", func(p string) error {
			st, err := os.Stat(p)
			if err != nil {
				return err
			}
			return os.Truncate(p, st.Size()/2)
		}},
		{"flipped", func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil || len(b) == 0 {
				return err
			}
			for _, at := range []int{len(b) / 3, len(b) / 2, 2 * len(b) / 3} {
				b[at] ^= 0x5A
			}
			return os.WriteFile(p, b, 0o644)
		}},
		{"deleted", os.Remove},
	}
	for _, f := range files {
		rel, _ := filepath.Rel(good, f)
		for _, d := range damages {
			t.Run(d.name+" "+rel, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "idx")
				if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
					t.Fatal(err)
				}
				if err := d.do(filepath.Join(dir, rel)); err != nil {
					t.Fatal(err)
				}
				ix, err := OpenWith(dir, OpenOptions{Verify: true})
				if err == nil {
					err = searchAll(ix)
					ix.Close()
				}
				if err == nil {
					t.Fatalf("%s %s: Open with Verify and every search succeeded", d.name, rel)
				}
				if strings.Contains(err.Error(), "panic") && !errors.Is(err, ErrDamaged) {
					t.Errorf("%s %s: %v", d.name, rel, err)
				}
				// Without Verify: an error or a result, never a panic.
				if ix, err := Open(dir); err == nil {
					searchAll(ix)
					ix.Close()
				}
			})
		}
	}
}

// TestCrashAtEveryStep kills a rebuild and an update at every step of a
// commit and requires the index to serve either the old generation or the
// new one, whole, and the next writer to remove what the dead one left.
func TestCrashAtEveryStep(t *testing.T) {
	var points []string
	crashPoint = func(p string) bool { points = append(points, p); return false }
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports[:1]); err != nil {
		t.Fatal(err)
	}
	crashPoint = nil
	if len(points) < 4 {
		t.Fatalf("commit passes %d crash points: %v", len(points), points)
	}
	for _, p := range points {
		for _, update := range []bool{false, true} {
			dir := filepath.Join(t.TempDir(), "idx")
			if err := BuildReports(dir, testReports[:1]); err != nil {
				t.Fatal(err)
			}
			before := indexFiles(t, dir)
			crashPoint = func(q string) bool { return digits.ReplaceAllString(q, "N") == digits.ReplaceAllString(p, "N") }
			var w *Writer
			var err error
			if update {
				w, err = Update(dir, Options{})
			} else {
				w, err = Create(dir, Options{})
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range testReports[1:] {
				if err := w.Add(&testReports[1+i]); err != nil {
					t.Fatal(err)
				}
			}
			_, err = w.Commit()
			crashPoint = nil
			if !errors.Is(err, errCrashed) {
				t.Fatalf("crash at %q: Commit = %v", p, err)
			}
			ix, err := Open(dir)
			if err != nil {
				t.Fatalf("crash at %q (update %v): the index does not open: %v", p, update, err)
			}
			n := ix.Manifest().Reports
			if err := searchAll(ix); err != nil {
				t.Fatalf("crash at %q: %v", p, err)
			}
			ix.Close()
			want := len(testReports) - 1 // a rebuild holds what it added
			if update {
				want = len(testReports)
			}
			if n != 1 && n != want {
				t.Fatalf("crash at %q (update %v): %d reports, want the old 1 or the new %d", p, update, n, want)
			}
			// The next writer removes what the dead one left.
			w, err = Update(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			w.Abort()
			after := indexFiles(t, dir)
			if n == 1 && len(after) != len(before) {
				t.Errorf("crash at %q: %d files before, %d after the next writer: %v", p, len(before), len(after), after)
			}
			for _, f := range after {
				if strings.HasSuffix(f, ".tmp") {
					t.Errorf("crash at %q: leftover %s", p, f)
				}
			}
		}
	}
	t.Logf("killed at %d points: %v", len(points), points)
}

// TestRefusals: a build that read nothing never replaces an index that
// holds reports, and -o never replaces what is not an index.
func TestRefusals(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports); err != nil {
		t.Fatal(err)
	}
	w, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty rebuild over %d reports: %v, want ErrEmpty", len(testReports), err)
	}
	if m, err := ReadManifest(dir); err != nil || m.Reports != len(testReports) {
		t.Errorf("after the refused rebuild: %v, %v", m, err)
	}
	w, err = Create(dir, Options{AllowEmpty: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Errorf("empty rebuild with AllowEmpty: %v", err)
	}
	file := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(file, []byte("my notes"), 0o644)
	if _, err := Create(file, Options{}); !errors.Is(err, ErrNotIndex) {
		t.Errorf("Create over a file: %v, want ErrNotIndex", err)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, []byte("my notes")) {
		t.Errorf("the file was changed: %q", b)
	}
}

// TestFilesReadableByOthers: a server run as another user can open the
// index.
func TestFilesReadableByOthers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, _ := d.Info()
		if st.Mode().Perm()&0o044 != 0o044 {
			t.Errorf("%s has mode %v", p, st.Mode().Perm())
		}
		return nil
	})
}

// TestReloadServesNewGeneration: a reader switches to a generation a
// writer commits, while a search holding the old one finishes on it.
func TestReloadServesNewGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, testReports[:1]); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	old := ix.acquire() // a search in flight
	w, err := Update(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range testReports[1:] {
		w.Add(&testReports[1+i])
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if switched, err := ix.Reload(); !switched || err != nil {
		t.Fatalf("Reload = %v, %v", switched, err)
	}
	if n := ix.Manifest().Reports; n != len(testReports) {
		t.Errorf("after Reload: %d reports, want %d", n, len(testReports))
	}
	// The old generation still works until released.
	c, _ := compile(Request{Query: "放管服"})
	if _, err := old.match(context.Background(), c); err != nil {
		t.Errorf("search on the old generation: %v", err)
	}
	ix.release(old)
	if switched, err := ix.Reload(); switched || err != nil {
		t.Errorf("second Reload = %v, %v", switched, err)
	}
}
