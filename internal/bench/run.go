package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/zhengce/zhengce/index"
)

// Parts of the benchmark that can be skipped.
const (
	PartHTTP    = "http"
	PartCLI     = "cli"
	PartFTS5    = "fts5"
	PartRipgrep = "rg"
	PartProfile = "profile"
	PartLiveAdd = "live-add" // adding reports while the server is loaded
)

// Config is what to measure and how long to spend on it.
type Config struct {
	N         int    // paragraphs
	Seed      uint64 // everything generated derives from it
	Districts int    // districts paragraphs are spread over (default 600)
	WorkDir   string // index, SQLite database, profiles and binaries go here

	// Index, when set, is an existing index (the bundled one, a newsroom's)
	// measured instead of a generated one: it is copied into WorkDir, so
	// the reports added under load never touch it, and N, Seed and
	// Districts only shape the query mix. FTS5 and ripgrep are not run,
	// having no generated paragraphs to compare on.
	Index string
	Skip  map[string]bool

	// SearchBin is a built `search` binary; empty builds one into WorkDir
	// with the go command.
	SearchBin string

	// Source names the code measured in the report; empty asks git.
	Source string

	QueryRounds   int           // rounds of the mix after the warm-up (default 20)
	QueryBudget   time.Duration // stop starting rounds after this (default 60s)
	HTTPConnSteps []int         // concurrent connections of each load phase (default 32, 128)
	HTTPRequests  int           // stop after this many requests (default 20000)
	HTTPDuration  time.Duration // or after this long (default 60s)
	CLIRuns       int           // timed runs per command line (default 7)

	Log io.Writer // progress; nil discards
}

func (c *Config) defaults() {
	if c.Districts <= 0 {
		c.Districts = 600
	}
	if c.QueryRounds <= 0 {
		c.QueryRounds = 20
	}
	if c.QueryBudget <= 0 {
		c.QueryBudget = 60 * time.Second
	}
	if len(c.HTTPConnSteps) == 0 {
		c.HTTPConnSteps = []int{32, 128}
	}
	if c.HTTPRequests <= 0 {
		c.HTTPRequests = 20000
	}
	if c.HTTPDuration <= 0 {
		c.HTTPDuration = 60 * time.Second
	}
	if c.CLIRuns <= 0 {
		c.CLIRuns = 7
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Skip == nil {
		c.Skip = map[string]bool{}
	}
}

// Results are every figure of one run.
type Results struct {
	Config  Config
	Machine Machine
	Corpus  CorpusStats
	Index   IndexResult
	Queries []QueryResult // one per query of the mix, in mix order
	InProc  QueryPhase
	HTTP    HTTPResult
	CLI     CLIResult
	FTS     FTSResult
	RG      RGResult
	Prof    []Profile
	Elapsed time.Duration
}

// CorpusStats describe the generated corpus.
type CorpusStats struct {
	SourceReports, SourceParagraphs int
	Reports, Paragraphs             int
	TextBytes                       int64
	Provinces, Cities, Districts    int
	YearFrom, YearTo                int
	Sections                        int
}

// IndexResult is what building the index cost.
type IndexResult struct {
	Elapsed     time.Duration
	CPU         time.Duration // user+system CPU time of the whole process while building
	MBps        float64
	ParasPerSec float64
	Size        int64
	PeakRSS     int64
}

// QueryResult is one query of the mix in every engine.
type QueryResult struct {
	Query Query
	Hits  int
	Lat   Latency

	FTSCount int
	FTSLat   Latency
	RGCount  int // -1: not run
	RGLat    Latency
}

// QueryPhase summarises the in-process query latencies.
type QueryPhase struct {
	Rounds  int
	Elapsed time.Duration
	PeakRSS int64 // of this process during the queries, if it could be reset
	Overall Latency
	Phrase  Latency // single-phrase classes: the "phrase query with five facets" target
	// Answerable covers the queries FTS5-trigram can answer: every phrase
	// has at least 3 characters.
	Answerable Latency
	ByClass    map[string]Latency
	// NoFacets is the whole mix again without facet counting, to show
	// what the facets cost.
	NoFacets Latency
}

// Profile is a CPU profile and what `go tool pprof -top` says about it.
type Profile struct {
	Name, Path string
	Flat, Cum  string
	Err        string
}

func (c *Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, "%s bench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// Run generates the corpus, builds the index and measures everything
// cfg does not skip.
func Run(ctx context.Context, cfg Config) (*Results, error) {
	cfg.defaults()
	start := time.Now()
	if cfg.WorkDir == "" {
		return nil, errors.New("bench: no work directory")
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: creating work directory: %w", err)
	}
	res := &Results{Config: cfg, Machine: describeMachine()}
	res.Config.Log = nil
	res.Machine.Source = cfg.Source
	if res.Machine.Source == "" {
		res.Machine.Source = describeSource()
	}

	// Build the search binary first, so that it is the same code as this
	// process even if the working tree changes during a long run.
	bin := cfg.SearchBin
	var binErr error
	if bin == "" && (!cfg.Skip[PartCLI] || !cfg.Skip[PartHTTP]) {
		cfg.logf("building the search binary")
		bin, binErr = buildTool(ctx, cfg.WorkDir, "search")
		if binErr != nil {
			cfg.logf("%v", binErr)
			res.CLI.Skipped = binErr.Error()
		}
	}

	sources, err := loadSources()
	if err != nil {
		return nil, err
	}
	divs, err := loadDivisions()
	if err != nil {
		return nil, err
	}
	corp, err := newCorpus(cfg.Seed, cfg.N, cfg.Districts, sources, divs)
	if err != nil {
		return nil, err
	}
	res.Corpus = CorpusStats{
		SourceReports: len(sources), Provinces: corp.Provinces(), Cities: corp.Cities(), Districts: corp.Districts(),
		YearFrom: corp.YearFrom, YearTo: corp.YearTo,
	}
	for _, s := range sources {
		res.Corpus.SourceParagraphs += len(s.Paragraphs)
	}
	mix, err := corp.Mix()
	if err != nil {
		return nil, err
	}
	res.Queries = make([]QueryResult, len(mix))
	for i, q := range mix {
		res.Queries[i] = QueryResult{Query: q, RGCount: -1}
	}

	indexDir := filepath.Join(cfg.WorkDir, "index")
	if cfg.Index != "" {
		if err := copyIndex(&cfg, indexDir, res); err != nil {
			return nil, err
		}
		cfg.Skip[PartFTS5], cfg.Skip[PartRipgrep] = true, true
	} else if err := buildIndex(&cfg, corp, indexDir, res); err != nil {
		return nil, err
	}
	if err := queryInProcess(ctx, &cfg, indexDir, res); err != nil {
		return nil, err
	}

	if cfg.Skip[PartHTTP] {
		res.HTTP.Skipped = "skipped by flag"
	} else {
		loadHTTP(ctx, &cfg, bin, indexDir, res)
	}
	if cfg.Skip[PartCLI] {
		res.CLI.Skipped = "skipped by flag"
	} else if bin != "" {
		coldStart(ctx, &cfg, bin, indexDir, res)
	}
	if cfg.Skip[PartFTS5] {
		res.FTS.Skipped = "skipped by flag"
	} else if err := runFTS5(ctx, &cfg, corp, res); err != nil {
		res.FTS.Skipped = err.Error()
		cfg.logf("FTS5: %v", err)
	}
	if cfg.Skip[PartRipgrep] {
		res.RG.Skipped = "skipped by flag"
	} else if err := runRipgrep(ctx, &cfg, corp, res); err != nil {
		res.RG.Skipped = err.Error()
		cfg.logf("ripgrep: %v", err)
	}
	if !cfg.Skip[PartProfile] {
		for i := range res.Prof {
			summarizeProfile(ctx, &res.Prof[i])
		}
	}
	res.Machine.LoadEnd = loadavg()
	res.Elapsed = time.Since(start)
	return res, nil
}

// startProfile starts a CPU profile into WorkDir/name.pprof unless
// profiling is skipped; the returned func stops it.
func startProfile(cfg *Config, name string, res *Results) func() {
	if cfg.Skip[PartProfile] {
		return func() {}
	}
	path := filepath.Join(cfg.WorkDir, name+".pprof")
	f, err := os.Create(path)
	if err != nil {
		res.Prof = append(res.Prof, Profile{Name: name, Err: err.Error()})
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		res.Prof = append(res.Prof, Profile{Name: name, Err: err.Error()})
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		res.Prof = append(res.Prof, Profile{Name: name, Path: path})
	}
}

func buildIndex(cfg *Config, corp *Corpus, dir string, res *Results) error {
	cfg.logf("indexing %d paragraphs into %s", cfg.N, dir)
	os.RemoveAll(dir)
	stop := startProfile(cfg, "cpu-index", res)
	cpu0 := cpuTime()
	t0 := time.Now()
	next := 0.1
	b, err := index.Create(dir, index.Options{Fingerprint: fmt.Sprintf("bench-seed%d-n%d", cfg.Seed, cfg.N), Progress: func(s index.Stats) {
		if float64(s.Paragraphs) >= next*float64(cfg.N) {
			cfg.logf("  %d paragraphs, %.1f MB, %.2f MB/s", s.Paragraphs, float64(s.TextBytes)/1e6, s.MBPerSecond())
			next += 0.1
		}
	}})
	if err != nil {
		stop()
		return err
	}
	err = corp.Reports(func(r *index.Report) error {
		res.Corpus.Reports++
		return b.Add(r)
	})
	if err != nil {
		b.Abort()
		stop()
		return fmt.Errorf("bench: indexing: %w", err)
	}
	st, err := b.Commit()
	elapsed := time.Since(t0)
	cpu := cpuTime() - cpu0
	stop()
	if err != nil {
		return fmt.Errorf("bench: finishing index: %w", err)
	}
	res.Corpus.Paragraphs = st.Paragraphs
	res.Corpus.TextBytes = st.TextBytes
	sections := map[string]bool{}
	corp.Paragraphs(func(p *Paragraph) error { sections[p.Section] = true; return nil })
	res.Corpus.Sections = len(sections)
	ir := &res.Index
	ir.Elapsed, ir.CPU = elapsed, cpu
	ir.MBps = float64(st.TextBytes) / 1e6 / elapsed.Seconds()
	ir.ParasPerSec = float64(st.Paragraphs) / elapsed.Seconds()
	ir.PeakRSS = peakRSS("self")
	if ir.Size, err = dirSize(dir); err != nil {
		return fmt.Errorf("bench: measuring index size: %w", err)
	}
	cfg.logf("indexed %d paragraphs, %s in %v: %.2f MB/s, index %s, peak RSS %s",
		st.Paragraphs, mb(st.TextBytes), elapsed.Round(time.Millisecond), ir.MBps, mb(ir.Size), mb(ir.PeakRSS))
	return nil
}

// copyIndex copies the existing index cfg.Index into dir and describes it
// in res.Corpus.
func copyIndex(cfg *Config, dir string, res *Results) error {
	cfg.logf("copying the index %s into %s", cfg.Index, dir)
	os.RemoveAll(dir)
	if out, err := exec.Command("cp", "-a", cfg.Index, dir).CombinedOutput(); err != nil {
		return fmt.Errorf("bench: copying the index %s: %v: %s", cfg.Index, err, out)
	}
	ix, err := index.Open(dir)
	if err != nil {
		return fmt.Errorf("bench: -index %s: %w", cfg.Index, err)
	}
	defer ix.Close()
	reports, err := ix.Reports(context.Background())
	if err != nil {
		return fmt.Errorf("bench: -index %s: %w", cfg.Index, err)
	}
	cs := &res.Corpus
	cs.Reports, cs.Paragraphs, cs.TextBytes = len(reports), 0, 0
	for _, r := range reports {
		cs.Paragraphs += r.Paragraphs
		cs.TextBytes += int64(r.Chars) * 3
	}
	if res.Index.Size, err = dirSize(dir); err != nil {
		return fmt.Errorf("bench: measuring index size: %w", err)
	}
	return nil
}

// timeMix runs the mix once to warm up, then in rounds until cfg.QueryRounds
// rounds are done or cfg.QueryBudget is spent (at least one round), and
// returns every timing of every query.
func timeMix(ctx context.Context, cfg *Config, n int, run func(i int) error) ([][]time.Duration, int, time.Duration, error) {
	for i := 0; i < n; i++ {
		if err := run(i); err != nil {
			return nil, 0, 0, err
		}
	}
	times := make([][]time.Duration, n)
	t0 := time.Now()
	rounds := 0
	for rounds < cfg.QueryRounds && (rounds == 0 || time.Since(t0) < cfg.QueryBudget) {
		if err := ctx.Err(); err != nil {
			return nil, 0, 0, err
		}
		for i := 0; i < n; i++ {
			s := time.Now()
			if err := run(i); err != nil {
				return nil, 0, 0, err
			}
			times[i] = append(times[i], time.Since(s))
		}
		rounds++
	}
	return times, rounds, time.Since(t0), nil
}

// phaseSummary summarises per-query timings overall, for single-phrase
// queries, and by class.
func phaseSummary(queries []QueryResult, times [][]time.Duration, include func(i int) bool) (all, phrase Latency, byClass map[string]Latency) {
	var a, p []time.Duration
	cls := map[string][]time.Duration{}
	for i, ts := range times {
		if include != nil && !include(i) {
			continue
		}
		a = append(a, ts...)
		q := queries[i].Query
		if phraseClasses[q.Class] {
			p = append(p, ts...)
		}
		cls[q.Class] = append(cls[q.Class], ts...)
	}
	byClass = map[string]Latency{}
	for k, v := range cls {
		byClass[k] = summarize(v)
	}
	return summarize(a), summarize(p), byClass
}

func queryInProcess(ctx context.Context, cfg *Config, dir string, res *Results) error {
	debug.FreeOSMemory()
	reset := resetPeakRSS()
	ix, err := index.Open(dir)
	if err != nil {
		return fmt.Errorf("bench: opening the index: %w", err)
	}
	defer ix.Close()
	cfg.logf("querying in process: %d queries", len(res.Queries))
	stop := startProfile(cfg, "cpu-query", res)
	times, rounds, elapsed, err := timeMix(ctx, cfg, len(res.Queries), func(i int) error {
		r, err := ix.Search(ctx, res.Queries[i].Query.Request())
		if err != nil {
			return fmt.Errorf("bench: query %q: %w", res.Queries[i].Query, err)
		}
		res.Queries[i].Hits = r.Total
		return nil
	})
	stop()
	if err != nil {
		return err
	}
	for i := range times {
		res.Queries[i].Lat = summarize(times[i])
	}
	ph := &res.InProc
	ph.Rounds, ph.Elapsed = rounds, elapsed
	ph.Overall, ph.Phrase, ph.ByClass = phaseSummary(res.Queries, times, nil)
	ph.Answerable, _, _ = phaseSummary(res.Queries, times, func(i int) bool { return res.Queries[i].Query.minTermRunes() >= 3 })
	if reset {
		ph.PeakRSS = peakRSS("self")
	}
	half := *cfg
	half.QueryRounds = max(1, cfg.QueryRounds/2)
	half.QueryBudget = cfg.QueryBudget / 2
	noFacets, _, _, err := timeMix(ctx, &half, len(res.Queries), func(i int) error {
		r := res.Queries[i].Query.Request()
		r.NoFacets = true
		_, err := ix.Search(ctx, r)
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: the mix without facets: %w", err)
	}
	ph.NoFacets, _, _ = phaseSummary(res.Queries, noFacets, nil)
	cfg.logf("in process: %d rounds, p50 %s ms, p99 %s ms", rounds, ms(ph.Overall.P50), ms(ph.Overall.P99))
	return nil
}
