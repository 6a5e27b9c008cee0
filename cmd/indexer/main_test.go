package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
)

const report = `2023年南山区政府工作报告
——2023年1月5日在深圳市南山区第八届人民代表大会第三次会议上
南山区人民政府区长  王强

各位代表：
一、2022年工作回顾
深化“放管服”改革，优化营商环境。
二、2023年工作安排
加快发展新质生产力。
`

func writeTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIndexAndInspect(t *testing.T) {
	src := writeTree(t, map[string][]byte{
		"a/2023南山.txt": []byte(report),
		"a/empty.txt":  nil,
		"a/binary.txt": {0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 2, 3, 0, 0},
	})
	out := filepath.Join(t.TempDir(), "idx")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-o", out, src}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("indexer with two bad files: exit %d, want 1 (something skipped)\n%s", code, stderr.String())
	}
	for _, name := range []string{"empty.txt", "binary.txt"} {
		if !strings.Contains(stderr.String(), name) {
			t.Errorf("stderr does not name %s:\n%s", name, stderr.String())
		}
	}
	m, err := index.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Reports != 1 || m.Paragraphs == 0 {
		t.Errorf("manifest = %+v, want the one good report", m)
	}
	if !strings.Contains(stdout.String(), "indexed 1 reports") {
		t.Errorf("stdout = %q", stdout.String())
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-inspect", "-json", src}, &stdout, &stderr); code != 1 {
		t.Errorf("inspect: exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var r map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatalf("inspect -json line 1 %q: %v", lines[0], err)
	}
	if r["district"] != "南山区" || r["year"] != float64(2023) || r["path"] != "a/2023南山.txt" {
		t.Errorf("inspect = %v", r)
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"-o", "x"}, {"-inspect", "-o", "x", "."}, {"-o", "x", "/does/not/exist"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("indexer %q: exit %d, want 2", args, code)
		}
	}
}

// TestHostileNames: file names with escape sequences, tabs and newlines are
// printed escaped, each message on one line, when indexing and inspecting.
func TestHostileNames(t *testing.T) {
	src := writeTree(t, map[string][]byte{
		"a/2023南山\x1b]0;pwned\x07.txt": []byte(report),
		"a/bad\x1b[31m\nname\t.txt":    nil, // empty: skipped and named
		"a/\u202eevil.txt":             nil,
	})
	raw := "\x1b\x07\t\u202e"
	out := filepath.Join(t.TempDir(), "idx\x1b[2J")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-o", out, src}, &stdout, &stderr); code != 1 {
		t.Errorf("indexer with two empty files: exit %d, want 1\n%s", code, stderr.String())
	}
	if strings.ContainsAny(stdout.String()+stderr.String(), raw) {
		t.Errorf("indexer printed raw control characters:\nstdout %q\nstderr %q", stdout.String(), stderr.String())
	}
	for _, want := range []string{`bad\x1b[31m\nname\t.txt: `, `\u202eevil.txt: `} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not name %q on one line:\n%s", want, stderr.String())
		}
	}
	if lines := strings.Count(stderr.String(), "\n"); lines != 3 {
		t.Errorf("stderr has %d lines, want 3 (two skipped files and the count):\n%s", lines, stderr.String())
	}
	if !strings.Contains(stdout.String(), `idx\x1b[2J`) {
		t.Errorf("stdout does not name the index escaped: %q", stdout.String())
	}
	for _, args := range [][]string{{"-inspect", src}, {"-inspect", "-json", src}} {
		stdout.Reset()
		stderr.Reset()
		run(args, &stdout, &stderr)
		if strings.ContainsAny(stdout.String()+stderr.String(), raw) {
			t.Errorf("indexer %q printed raw control characters:\nstdout %q\nstderr %q", args, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), "南山") {
			t.Errorf("indexer %q does not list the good report:\n%s", args, stdout.String())
		}
	}
}

// TestPanicIsAnError: a panic while building is a message and exit 1.
func TestPanicIsAnError(t *testing.T) {
	saved := buildIndex
	t.Cleanup(func() { buildIndex = saved })
	buildIndex = func(string, []ingest.Source, index.Options) (ingest.Summary, error) {
		var m map[string]int
		m["x"]++
		return ingest.Summary{}, nil
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"-o", filepath.Join(t.TempDir(), "idx"), t.TempDir()}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "indexer: internal error (a bug; please report it") || !strings.Contains(stderr.String(), "goroutine ") {
		t.Errorf("panic in build: exit %d, %q; want 1, a message and the stack", code, stderr.String())
	}
}
