package analyzer

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// dictDirEntries returns the names in base.
func dictDirEntries(t *testing.T, base string) []string {
	t.Helper()
	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestSegmenterDictDir(t *testing.T) {
	contents, hash, err := segmenterDicts()
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(t.TempDir(), "zhengce")
	dir, err := segmenterDictDir(base)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(base, "jieba-"+hash[:16]); dir != want {
		t.Errorf("segmenterDictDir = %s, want %s", dir, want)
	}
	stats := map[string]os.FileInfo{}
	for i, f := range segmenterFiles {
		path := filepath.Join(dir, f.name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(data, contents[i]) {
			t.Errorf("%s: %d bytes, want the %d embedded ones", f.name, len(data), len(contents[i]))
		}
		stats[f.name], _ = os.Stat(path)
	}
	user, _ := os.ReadFile(filepath.Join(dir, "user.dict.utf8"))
	user = append([]byte("\n"), user...)
	for _, w := range []string{"\n云计算\n", "\n放管服\n", "\n工业上楼\n"} {
		if !bytes.Contains(user, []byte(w)) {
			t.Errorf("user.dict.utf8 lacks %q", strings.TrimSpace(w))
		}
	}

	// A second call uses the files as they are.
	if again, err := segmenterDictDir(base); err != nil || again != dir {
		t.Fatalf("second segmenterDictDir = %s, %v; want %s", again, err, dir)
	}
	for name, before := range stats {
		after, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !os.SameFile(before, after) {
			t.Errorf("%s was rewritten by the second call", name)
		}
	}

	// A damaged copy is replaced.
	if err := os.Truncate(filepath.Join(dir, "user.dict.utf8"), 10); err != nil {
		t.Fatal(err)
	}
	if _, err := segmenterDictDir(base); err != nil {
		t.Fatal(err)
	}
	if !segmenterDictDirComplete(dir, contents) {
		t.Error("a truncated dictionary was not replaced")
	}
	if got := dictDirEntries(t, base); !slices.Equal(got, []string{filepath.Base(dir)}) {
		t.Errorf("cache holds %q, want only %s", got, filepath.Base(dir))
	}
}

// TestSegmenterDictDirConcurrent writes the dictionaries from many
// goroutines at once, as several processes starting together would.
func TestSegmenterDictDirConcurrent(t *testing.T) {
	base := t.TempDir()
	const n = 8
	dirs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dirs[i], errs[i] = segmenterDictDir(base) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Errorf("call %d: %s, %v; want %s", i, dirs[i], errs[i], dirs[0])
		}
	}
	contents, _, _ := segmenterDicts()
	if !segmenterDictDirComplete(dirs[0], contents) {
		t.Error("dictionary directory incomplete")
	}
	if got := dictDirEntries(t, base); len(got) != 1 {
		t.Errorf("cache holds %q, want one directory and no temporary ones", got)
	}
}

func TestSegmenterDictDirRejectsSeparators(t *testing.T) {
	base := filepath.Join(t.TempDir(), "a|b")
	if dir, err := segmenterDictDir(base); err == nil {
		t.Errorf("segmenterDictDir(%q) = %s, want an error: cppjieba splits paths at '|'", base, dir)
	}
}

// TestNewSegmenterFallsBack loads the segmenter when the first cache
// directory cannot be written (here: its parent is a file).
func TestNewSegmenterFallsBack(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	seg, err := newSegmenter([]string{filepath.Join(file, "cache"), filepath.Join(tmp, "fallback")})
	if err != nil {
		t.Fatal(err)
	}
	defer seg.Free()
	if got := seg.Cut("新质生产力", true); !slices.Equal(got, []string{"新质生产力"}) {
		t.Errorf("Cut(新质生产力) = %q from the fallback directory", got)
	}
	if _, err := newSegmenter([]string{filepath.Join(file, "cache")}); err == nil {
		t.Error("newSegmenter with no writable directory succeeded")
	}
}

func TestNewSegmenterFromMissingFiles(t *testing.T) {
	seg, err := newSegmenterFrom(t.TempDir())
	if err == nil || seg != nil {
		t.Errorf("newSegmenterFrom(empty dir) = %v, %v; want an error", seg, err)
	}
}

// TestWordsBinaryWithoutModuleCache builds a program that uses the word
// analyzer with -trimpath (so gojieba cannot find its own dictionaries) and
// runs three copies at once with HOME, the cache and the Go module cache
// pointing at empty directories. Each must analyse correctly, and together
// they must leave exactly one dictionary directory, which a later run reuses.
func TestWordsBinaryWithoutModuleCache(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary (about a minute on a cold build cache)")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "wordsprobe")
	build := exec.Command(goTool, "build", "-trimpath", "-o", bin, "./testdata/wordsprobe")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	modCache, _ := exec.Command(goTool, "env", "GOMODCACHE").Output()
	if mc := bytes.TrimSpace(modCache); len(mc) > 0 {
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, mc) {
			t.Errorf("the binary mentions the module cache %s", mc)
		}
	}

	env := []string{}
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "HOME", "XDG_CACHE_HOME", "GOPATH", "GOMODCACHE", "GOROOT", "TMPDIR":
		default:
			env = append(env, kv)
		}
	}
	for _, k := range []string{"HOME", "XDG_CACHE_HOME", "GOPATH", "GOMODCACHE", "TMPDIR", "work"} {
		if err := os.Mkdir(filepath.Join(tmp, k), 0o755); err != nil {
			t.Fatal(err)
		}
		if k != "work" {
			env = append(env, k+"="+filepath.Join(tmp, k))
		}
	}
	input := "統籌推進“放管服”改革"
	want := `["统筹",0,6,1]
["推进",6,12,2]
["放管服",15,24,3]
["改革",27,33,4]
`
	run := func() (string, string, error) {
		cmd := exec.Command(bin, input)
		cmd.Env = env
		cmd.Dir = filepath.Join(tmp, "work")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		return stdout.String(), stderr.String(), err
	}

	const copies = 3
	var wg sync.WaitGroup
	outs, logs, errs := make([]string, copies), make([]string, copies), make([]error, copies)
	for i := range copies {
		wg.Go(func() { outs[i], logs[i], errs[i] = run() })
	}
	wg.Wait()
	for i := range copies {
		if errs[i] != nil || outs[i] != want {
			t.Fatalf("run %d: %v\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", i, errs[i], outs[i], logs[i], want)
		}
		t.Logf("cold run %d: %s", i, strings.TrimSpace(logs[i]))
	}
	cache := filepath.Join(tmp, "XDG_CACHE_HOME", "zhengce")
	names := dictDirEntries(t, cache)
	if len(names) != 1 || !strings.HasPrefix(names[0], "jieba-") {
		t.Fatalf("cache %s holds %q, want one jieba-* directory", cache, names)
	}
	dir := filepath.Join(cache, names[0])
	before := map[string]os.FileInfo{}
	for _, f := range segmenterFiles {
		before[f.name], _ = os.Stat(filepath.Join(dir, f.name))
	}
	out, log, err := run()
	if err != nil || out != want {
		t.Fatalf("warm run: %v\n%s\n%s", err, out, log)
	}
	t.Logf("warm run: %s", strings.TrimSpace(log))
	for name, fi := range before {
		after, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !os.SameFile(fi, after) {
			t.Errorf("%s was rewritten by a later run", name)
		}
	}
	if tmpNames := dictDirEntries(t, filepath.Join(tmp, "TMPDIR")); len(tmpNames) != 0 {
		t.Errorf("the temporary directory was used: %q", tmpNames)
	}
}

// BenchmarkSegmenterDictDirWrite measures writing the dictionaries to an
// empty cache (what the first run on a machine pays).
func BenchmarkSegmenterDictDirWrite(b *testing.B) {
	for b.Loop() {
		if _, err := segmenterDictDir(filepath.Join(b.TempDir(), "cache")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewJieba measures loading the segmenter from written files (what
// every process pays at its first word analysis).
func BenchmarkNewJieba(b *testing.B) {
	dir, err := segmenterDictDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		seg, err := newSegmenterFrom(dir)
		if err != nil {
			b.Fatal(err)
		}
		seg.Free()
	}
}
