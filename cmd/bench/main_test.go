package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/internal/bench"
)

// TestSmallRun runs the whole benchmark on 2,000 paragraphs and checks the
// report, not the timings: every section is there, every peer ran (ripgrep
// only if installed), and the HTTP load had no errors. With -short the
// command line, which builds cmd/search and the bundled index, is skipped.
func TestSmallRun(t *testing.T) {
	work := t.TempDir()
	out := filepath.Join(work, "report.md")
	args := []string{"-n", "2000", "-seed", "3", "-work", work, "-o", out,
		"-rounds", "2", "-http-requests", "300", "-http-time", "20s", "-conns", "4,8", "-cli-runs", "2"}
	if testing.Short() {
		args = append(args, "-skip", "cli,profile")
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("bench %s = exit %d, want 0; stderr:\n%s", strings.Join(args, " "), code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	report := string(data)
	for _, s := range bench.ReportSections {
		if !strings.Contains(report, "\n## "+s+"\n") {
			t.Errorf("report lacks section %q", s)
		}
	}
	for _, want := range []string{
		"# zhengce benchmark: 2000 paragraphs",
		"| HTTP at 4 connections: failed requests | 0 | 0  | met |",
		"| HTTP at 8 connections: failed requests | 0 | 0  | met |",
		"| reports added during the 8-connection load are served (without a restart) | yes | yes, ",
		"FTS5 with `tokenize = 'trigram'`",
		"| 11 | rare | `放管服` |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`\n\| 4 \| (\d+) in`).FindStringSubmatch(report); m == nil || m[1] != "300" {
		t.Errorf("HTTP requests at 4 connections = %v, want 300 requests", m)
	}
	if !regexp.MustCompile(`20 reports \(\d+ paragraphs\) were added .* as generation 2 in .*; the server answered with the new reports`).MatchString(report) {
		t.Errorf("report lacks the live add served during the load")
	}
	if !testing.Short() && strings.Contains(report, "Not measured") {
		t.Errorf("a part was not measured:\n%s", report)
	}
	if !testing.Short() && !strings.Contains(report, "bundled index, rare phrase: `search -color never 放管服` |") {
		t.Errorf("report lacks the command-line cold start")
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "0"},
		{"-skip", "fts6"},
		{"-nosuchflag"},
		{"extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("bench %q = exit %d, want 2", args, code)
		}
		if stderr.Len() == 0 {
			t.Errorf("bench %q: nothing on stderr", args)
		}
	}
}
