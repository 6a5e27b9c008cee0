package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zhengce/zhengce/index"
)

// TestBundledDirRebuildsDamage builds the bundled index in a fresh cache,
// then damages one byte of its segment: the next BundledDir, which checks
// only checksums to stay fast, must see it and rebuild, and the rebuilt
// index must answer as the first did.
func TestBundledDirRebuildsDamage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bundled index twice")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	count := func(dir string) int {
		t.Helper()
		ix, err := index.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		r, err := ix.Search(context.Background(), index.Request{Query: "放管服", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	dir, err := BundledDir(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := count(dir)
	if want == 0 {
		t.Fatal("the bundled index has no 放管服")
	}
	segs, err := filepath.Glob(filepath.Join(dir, "seg-*", "data.seg"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no segment in %s: %v", dir, err)
	}
	b, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xFF // inside the text or postings, far from the header
	if err := os.WriteFile(segs[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.OpenWith(dir, index.OpenOptions{Checksums: true}); err == nil {
		t.Fatal("Checksums did not see the flipped byte")
	}
	dir2, err := BundledDir(nil)
	if err != nil {
		t.Fatalf("BundledDir after damage: %v", err)
	}
	if got := count(dir2); got != want {
		t.Errorf("rebuilt index: %d hits for 放管服, want %d", got, want)
	}
}
