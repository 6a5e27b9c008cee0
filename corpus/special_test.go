package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOnlyRegularFiles: a named pipe would block a reader for ever and a
// link to /dev/zero never ends; both are skipped by name and the report
// beside them is read.
func TestOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(filepath.Join("reports", "shenzhen", "国务院政府工作报告_2019年.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "good.txt"), good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt")); err != nil {
		t.Fatal(err)
	}
	var n int
	problems, err := Load(os.DirFS(dir), ".", func(*Report) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d reports, want 1", n)
	}
	want := map[string]string{"pipe.txt": "named pipe", "zero.txt": "character device"}
	for _, p := range problems {
		if w, ok := want[p.Path]; ok && strings.Contains(p.Reason, "not a regular file") && strings.Contains(p.Reason, w) {
			delete(want, p.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("problems %v lack %v", problems, want)
	}
}
