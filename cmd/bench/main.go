// Command bench measures zhengce at scale (issue 5): it generates a corpus
// of N paragraphs from the bundled reports, builds the index, measures
// indexing, query latency, HTTP load, command-line cold start, SQLite FTS5
// (trigram) and ripgrep on the same paragraphs, and writes a Markdown
// report.
//
//	go run ./cmd/bench [-n 1000000] [-seed 1] [-o report.md] [-work DIR] [-skip http,cli,fts5,rg,profile,live-add] [-conns 32,128]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/zhengce/zhengce/internal/bench"
)

const usage = `usage: bench [flags]

Generates a corpus of N paragraphs from the bundled reports (one seed
decides everything), indexes it, and measures indexing, query latency,
HTTP load at 32 connections, command-line cold start, and the same queries
in SQLite FTS5 (trigram) and ripgrep. Writes a Markdown report.
Run it from inside the module: it builds cmd/search with the go command.

Flags:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	cfg := bench.Config{Log: stderr}
	fs.IntVar(&cfg.N, "n", 1_000_000, "generate `N` paragraphs")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "`seed` of the generated corpus and query mix")
	fs.IntVar(&cfg.Districts, "districts", 600, "spread paragraphs over `N` districts")
	fs.StringVar(&cfg.Index, "index", "", "measure this existing index `directory` (copied first) instead of generating one; skips FTS5 and ripgrep")
	out := fs.String("o", "", "write the report to `file` (default: standard output)")
	work := fs.String("work", "", "work `directory` for the index, database and profiles (default: a new temporary directory, removed afterwards)")
	keep := fs.Bool("keep", false, "keep the temporary work directory")
	skip := fs.String("skip", "", "comma-separated `parts` to skip: http, cli, fts5, rg, profile, live-add")
	fs.StringVar(&cfg.SearchBin, "search", "", "use this built `search` binary instead of building cmd/search")
	fs.StringVar(&cfg.Source, "source", "", "`description` of the code measured, for the report (default: the git commit)")
	fs.IntVar(&cfg.QueryRounds, "rounds", 20, "timed rounds of the query mix, at most")
	fs.DurationVar(&cfg.QueryBudget, "query-time", 60*time.Second, "start no new round of the mix after this `duration`")
	fs.IntVar(&cfg.HTTPRequests, "http-requests", 20000, "HTTP load: stop after `N` requests")
	fs.DurationVar(&cfg.HTTPDuration, "http-time", 60*time.Second, "HTTP load: or after this `duration`")
	conns := fs.String("conns", "32,128", "HTTP load: comma-separated concurrent `connections` of each phase; reports are added to the index during the last")
	fs.IntVar(&cfg.CLIRuns, "cli-runs", 7, "timed runs of each command line")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if cfg.N <= 0 {
		fmt.Fprintf(stderr, "bench: -n %d: want at least 1 paragraph\n", cfg.N)
		return 2
	}
	for _, f := range strings.Split(*conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			fmt.Fprintf(stderr, "bench: -conns %q: want positive numbers separated by commas\n", *conns)
			return 2
		}
		cfg.HTTPConnSteps = append(cfg.HTTPConnSteps, n)
	}
	skipped, err := parseSkip(*skip)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 2
	}
	cfg.Skip = skipped

	cfg.WorkDir = *work
	if cfg.WorkDir == "" {
		dir, err := os.MkdirTemp("", "zhengce-bench-")
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		cfg.WorkDir = dir
		if *keep {
			fmt.Fprintf(stderr, "bench: work directory %s kept\n", dir)
		} else {
			defer os.RemoveAll(dir)
		}
	}
	if abs, err := filepath.Abs(cfg.WorkDir); err == nil {
		cfg.WorkDir = abs
	}

	res, err := bench.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	w := stdout
	if *out != "" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %v\n", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	if err := res.WriteMarkdown(w); err != nil {
		fmt.Fprintf(stderr, "bench: writing the report: %v\n", err)
		return 1
	}
	if *out != "" {
		fmt.Fprintf(stderr, "bench: wrote %s\n", *out)
	}
	return 0
}

func parseSkip(s string) (map[string]bool, error) {
	known := map[string]bool{bench.PartHTTP: true, bench.PartCLI: true, bench.PartFTS5: true, bench.PartRipgrep: true, bench.PartProfile: true, bench.PartLiveAdd: true}
	out := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !known[part] {
			return nil, fmt.Errorf("-skip: unknown part %q (want http, cli, fts5, rg or profile)", part)
		}
		out[part] = true
	}
	return out, nil
}
