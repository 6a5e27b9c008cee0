package bench

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// ReportSections are the level-2 headings every report has, in order.
var ReportSections = []string{
	"Targets", "Machine", "Corpus", "Indexing", "Query latency in process",
	"HTTP load and soak", "Command-line cold start", "Peers side by side", "Profiles", "Rerun",
}

// Targets of issue 8 (the engine) and issue 13 (load and soak), for
// 1,000,000 paragraphs on 2 cores.
const (
	targetMixP50     = 2 * time.Millisecond
	targetMixP99     = 20 * time.Millisecond
	targetCommonP50  = 15 * time.Millisecond
	targetIndexMBps  = 6.0
	targetSizeRatio  = 2.0
	targetServerRSS  = 1.5e9
	targetHTTPRPS    = 1500.0
	targetHTTPP99    = 50 * time.Millisecond
	targetCLI        = 60 * time.Millisecond
	targetCorpusSize = 1_000_000
)

// The previous engine (bleve only) at N = 1,000,000, seed 1, from the
// report committed at 52508bf (doc/bench/report-1000000.md of that commit):
// the column "previous engine" of the targets table. It cannot be rerun:
// that engine is deleted.
var previous = map[string]string{
	"mix-p50": "38.5 ms", "mix-p99": "282 ms", "common": "139 ms", "common-rg": "1 of 8 as fast as rg",
	"index": "0.87 MB/s", "size": "6.09×", "rps32": "27.9 req/s", "p99-32": "1494 ms", "cli": "252 ms", "rss": "0.35 GB",
}

type targetRow struct {
	what, target, measured, verdict, previous string
}

// atMost judges a measurement that must not exceed limit.
func atMost(what, target string, got, limit float64, unit string, known bool) targetRow {
	r := targetRow{what: what, target: target, measured: fmt.Sprintf("%s %s", num(got), unit)}
	switch {
	case !known:
		r.measured, r.verdict = "not measured", "—"
	case got <= limit:
		r.verdict = "met"
	case limit == 0:
		r.verdict = fmt.Sprintf("**missed**: %s %s", num(got), unit)
	default:
		r.verdict = fmt.Sprintf("**missed** by %s %s (%.1f× the limit)", num(got-limit), unit, got/limit)
	}
	return r
}

// atLeast judges a measurement that must reach limit.
func atLeast(what, target string, got, limit float64, unit string, known bool) targetRow {
	r := targetRow{what: what, target: target, measured: fmt.Sprintf("%s %s", num(got), unit)}
	switch {
	case !known:
		r.measured, r.verdict = "not measured", "—"
	case got >= limit:
		r.verdict = "met"
	default:
		short := "∞"
		if got > 0 {
			short = fmt.Sprintf("%.1f×", limit/got)
		}
		r.verdict = fmt.Sprintf("**missed** by %s %s (needs %s)", num(limit-got), unit, short)
	}
	return r
}

func num(v float64) string {
	switch a := math.Abs(v); {
	case a == 0:
		return "0"
	case a < 10:
		return fmt.Sprintf("%.2f", v)
	case a < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// ratio is how many times faster zhengce is than a peer (peer / zhengce).
func ratio(peer, ours time.Duration) string {
	if ours <= 0 || peer <= 0 {
		return "—"
	}
	switch r := float64(peer) / float64(ours); {
	case r >= 1:
		return fmt.Sprintf("%.1f×", r)
	case r >= 0.1:
		return fmt.Sprintf("%.2f×", r)
	default:
		return fmt.Sprintf("%.3f×", r)
	}
}

func (res *Results) targets() []targetRow {
	var rows []targetRow
	add := func(prev string, r targetRow) {
		r.previous = previous[prev]
		rows = append(rows, r)
	}
	mix := res.InProc.Overall
	add("mix-p50", atMost("whole mix (phrases, AND, NOT, filters), top 20 + five facets, in process: p50", "≤ 2 ms", msf(mix.P50), msf(targetMixP50), "ms", mix.N > 0))
	add("mix-p99", atMost("… p99", "≤ 20 ms", msf(mix.P99), msf(targetMixP99), "ms", mix.N > 0))
	common := res.InProc.ByClass[ClassCommon]
	add("common", atMost("common phrases (的, 发展, 高质量发展 …): p50", "≤ 15 ms", msf(common.P50), msf(targetCommonP50), "ms", common.N > 0))
	slower, ncommon := 0, 0
	for _, q := range res.Queries {
		if q.Query.Class == ClassCommon && q.RGCount >= 0 {
			ncommon++
			if q.Lat.P50 > q.RGLat.P50 {
				slower++
			}
		}
	}
	add("common-rg", atMost(fmt.Sprintf("common phrases slower than the ripgrep scan (p50 against p50, of %d)", ncommon), "0", float64(slower), 0, "", ncommon > 0))
	fts := res.FTS
	spa := 0.0
	if res.InProc.Answerable.P50 > 0 {
		spa = float64(fts.Answerable.P50) / float64(res.InProc.Answerable.P50)
	}
	add("", atLeast("queries FTS5 can answer (every phrase ≥ 3 characters): FTS5 p50 / zhengce p50", "> 1× (faster than FTS5)", spa, 1, "×", fts.Skipped == "" && fts.Answerable.N > 0))
	add("index", atLeast("indexing throughput", "≥ 6 MB/s", res.Index.MBps, targetIndexMBps, "MB/s", res.Index.Elapsed > 0))
	add("size", atMost("index size / raw text (stored text included)", "≤ 2.0×", float64(res.Index.Size)/float64(max(res.Corpus.TextBytes, 1)), targetSizeRatio, "×", res.Index.Size > 0 && res.Config.Index == ""))
	hr := &res.HTTP
	for _, ph := range hr.Phases {
		known := hr.Skipped == "" && ph.Requests > 0
		if ph.Conns == 32 {
			add("rps32", atLeast("HTTP /api/search at 32 connections: throughput", "≥ 1,500", ph.RPS, targetHTTPRPS, "req/s", known))
		}
		prev := ""
		if ph.Conns == 32 {
			prev = "p99-32"
		}
		add(prev, atMost(fmt.Sprintf("HTTP at %d connections: p99", ph.Conns), "≤ 50 ms", msf(ph.Lat.P99), msf(targetHTTPP99), "ms", known))
		add("", atMost(fmt.Sprintf("HTTP at %d connections: failed requests", ph.Conns), "0", float64(ph.Errors), 0, "", known))
		if ph.LiveAdd != nil {
			r := targetRow{what: fmt.Sprintf("reports added during the %d-connection load are served (without a restart)", ph.Conns), target: "yes", measured: "no", verdict: "**missed**"}
			if ph.LiveAdd.Err == "" && ph.LiveAdd.Served > 0 {
				r.measured, r.verdict = fmt.Sprintf("yes, %v after the commit", ph.LiveAdd.Served.Round(time.Millisecond)), "met"
			}
			add("", r)
		}
	}
	add("rss", atMost("server peak RSS (`search serve`, VmHWM)", "≤ 1.5 GB", float64(hr.ServerPeakRSS)/1e9, targetServerRSS/1e9, "GB", hr.Skipped == "" && hr.ServerPeakRSS > 0))
	var worst time.Duration
	known := false
	for _, r := range res.CLI.Runs {
		if strings.HasPrefix(r.Label, "bench index") && r.Err == "" && len(r.Times) > 0 {
			known = true
			worst = max(worst, r.Median)
		}
	}
	add("cli", atMost("`search QUERY` cold on the bench index, wall, start-up included (worst median of the runs below)", "≤ 60 ms", msf(worst), msf(targetCLI), "ms", known))
	return rows
}

// WriteMarkdown writes the report.
func (res *Results) WriteMarkdown(w io.Writer) error {
	b := &strings.Builder{}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	cs := res.Corpus
	p("# zhengce benchmark: %d paragraphs\n\n", cs.Paragraphs)
	if res.Config.Index != "" {
		p("Generated by `go run ./cmd/bench -index %s` on %s, in %v: an existing index (%d reports, about %s of text, counted as 3 bytes a normalised character), copied and measured as it is, not built here; the query mix is drawn from the bundled reports. FTS5 and ripgrep are not run. Every figure below comes from this one run.\n",
			res.Config.Index, res.Machine.Start.Format("2006-01-02 15:04 UTC"), res.Elapsed.Round(time.Second), cs.Reports, mb(cs.TextBytes))
	} else {
		p("Generated by `go run ./cmd/bench -n %d -seed %d` on %s, in %v. Every figure below comes from this one run.\n",
			res.Config.N, res.Config.Seed, res.Machine.Start.Format("2006-01-02 15:04 UTC"), res.Elapsed.Round(time.Second))
	}
	if cs.Paragraphs < targetCorpusSize {
		p("\n**N = %d is below the 1,000,000 paragraphs the targets are set for**; figures that grow with N (latency of common phrases, facet counting, index size, RSS) will be worse at 1M.\n", cs.Paragraphs)
	}

	p("\n## Targets\n\nIssue 8's targets (for 1M paragraphs on 2 cores) and issue 13's load test against this run. \"Previous engine\" is the bleve-only engine at N = 1,000,000 with the same generator and seed, from the report committed at 52508bf (that engine is deleted, so it is not rerun).\n\n")
	p("| what | target | measured | verdict | previous engine (1M) |\n|---|---|---|---|---|\n")
	for _, r := range res.targets() {
		p("| %s | %s | %s | %s | %s |\n", r.what, r.target, r.measured, r.verdict, r.previous)
	}

	m := res.Machine
	p("\n## Machine\n\n")
	p("- CPU: %s, %d cores (runtime.NumCPU)\n", m.CPU, m.Cores)
	p("- RAM: %.1f GB\n", float64(m.MemTotal)/1e9)
	p("- Go: %s; kernel %s\n", m.GoVersion, m.Kernel)
	p("- Code measured: %s\n", m.Source)
	p("- Load average (1, 5, 15 min) at start: %s; at end: %s. The machine is shared with other agents, so timings include their load.\n", m.LoadStart, m.LoadEnd)

	p("\n## Corpus\n\n")
	if res.Config.Index != "" {
		p("- The index %s: %d paragraphs in %d reports, about %s of text.\n- The query mix (seed %d) is drawn from the %d bundled reports, its filters from %d generated districts.\n",
			res.Config.Index, cs.Paragraphs, cs.Reports, mb(cs.TextBytes), res.Config.Seed, cs.SourceReports, cs.Districts)
	} else {
		writeGenerated(p, res)
	}

	ir := res.Index
	p("\n## Indexing\n\n")
	p("| figure | value |\n|---|---|\n")
	p("| wall time | %v |\n", ir.Elapsed.Round(time.Millisecond))
	p("| throughput | %.2f MB/s of text, %.0f paragraphs/s |\n", ir.MBps, ir.ParasPerSec)
	p("| CPU used | %.2f cores on average (%v CPU over %v wall; %d cores) |\n", ir.CPU.Seconds()/max(ir.Elapsed.Seconds(), 1e-9), ir.CPU.Round(time.Second), ir.Elapsed.Round(time.Second), m.Cores)
	p("| index size | %s = %.2f× the raw text |\n", mb(ir.Size), float64(ir.Size)/float64(max(cs.TextBytes, 1)))
	p("| peak RSS while building (VmHWM of the bench process) | %s |\n", mb(ir.PeakRSS))
	if res.FTS.Skipped == "" && res.FTS.Elapsed > 0 {
		p("| FTS5-trigram on the same paragraphs | %.2f MB/s (%v), database %s = %.2f× the raw text; zhengce builds %.2f× as fast |\n",
			res.FTS.MBps, res.FTS.Elapsed.Round(time.Millisecond), mb(res.FTS.Size), float64(res.FTS.Size)/float64(max(cs.TextBytes, 1)), ir.MBps/max(res.FTS.MBps, 1e-9))
	}

	ph := res.InProc
	p("\n## Query latency in process\n\n")
	p("Each query asks for the first 20 hits with highlights and all five facets (province, city, district, year, section), as the web page does, through `index.Index.Search`. One warm-up pass, then %d rounds of the whole mix (%v).", ph.Rounds, ph.Elapsed.Round(time.Millisecond))
	if ph.PeakRSS > 0 {
		p(" Peak RSS of the bench process while querying: %s.", mb(ph.PeakRSS))
	}
	p("\n\n| queries | samples | p50 ms | p95 ms | p99 ms | max ms | FTS5 p50 ms | FTS5 / zhengce (p50) |\n|---|---|---|---|---|---|---|---|\n")
	row := func(name string, l, f Latency) {
		p("| %s | %d | %s | %s | %s | %s | %s | %s |\n", name, l.N, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), ms(f.P50), ratio(f.P50, l.P50))
	}
	row("**whole mix**", ph.Overall, res.FTS.Overall)
	if ph.NoFacets.N > 0 {
		p("| whole mix without facets (`NoFacets`: what the five facets cost) | %d | %s | %s | %s | %s | | |\n",
			ph.NoFacets.N, ms(ph.NoFacets.P50), ms(ph.NoFacets.P95), ms(ph.NoFacets.P99), ms(ph.NoFacets.Max))
	}
	row("single phrases (common, rare, traditional, sampled)", ph.Phrase, res.FTS.Phrase)
	row("queries FTS5 can answer (every phrase ≥ 3 characters)", ph.Answerable, res.FTS.Answerable)
	classes := make([]string, 0, len(ph.ByClass))
	for c := range ph.ByClass {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		row(c, ph.ByClass[c], res.FTS.ByClass[c])
	}

	hr := res.HTTP
	p("\n## HTTP load and soak\n\n")
	if hr.Skipped != "" {
		p("Not measured: %s.\n", hr.Skipped)
	} else {
		p("GET /api/search (first page of 20 with highlights and five facets, JSON) from concurrent keep-alive connections cycling through the mix, loopback, against %s; one phase per number of connections, each up to %v or %d requests. The server answered its first request %v after start (opening the index). Its resident memory, open file descriptors and goroutines (from its `-pprof` listener) were sampled once a second: the soak columns compare the first and the last 10 s of each phase.\n\n",
			hr.Mode, res.Config.HTTPDuration, res.Config.HTTPRequests, hr.ServerOpen.Round(time.Millisecond))
		p("| connections | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | RSS first → last 10 s | fds | goroutines |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, ph := range hr.Phases {
			r0, f0, g0, _ := ph.Window(0, 10*time.Second)
			r1, f1, g1, _ := ph.Window(ph.Elapsed-10*time.Second, ph.Elapsed+time.Second)
			p("| %d | %d in %v | %.0f | %s | %s | %s | %s | %d | %s → %s | %.0f → %.0f | %.0f → %.0f |\n",
				ph.Conns, ph.Requests, ph.Elapsed.Round(time.Millisecond), ph.RPS, ms(ph.Lat.P50), ms(ph.Lat.P95), ms(ph.Lat.P99), ms(ph.Lat.Max), ph.Errors,
				mb(r0), mb(r1), f0, f1, g0, g1)
		}
		for _, ph := range hr.Phases {
			if la := ph.LiveAdd; la != nil {
				if la.Err != "" {
					p("\nLive add during the %d-connection phase failed: %s\n", ph.Conns, oneLine(la.Err))
				} else {
					seen := "it was **not** served within 30 s"
					if la.Served > 0 {
						seen = fmt.Sprintf("the server answered with the new reports %v after the commit", la.Served.Round(time.Millisecond))
					}
					p("\nHalfway through the %d-connection phase, %d reports (%d paragraphs) were added with `index.Update` (what `indexer -add` does) as generation %d in %v; %s, with the failed requests counted above.\n",
						ph.Conns, la.Reports, la.Paragraphs, la.Generation, la.Took.Round(time.Millisecond), seen)
				}
			}
			for _, s := range ph.ErrorSamples {
				p("\nError at %d connections: `%s`\n", ph.Conns, oneLine(s))
			}
		}
		if hr.ServerPeakRSS > 0 {
			p("\nServer RSS: peak %s, after the load %s.\n", mb(hr.ServerPeakRSS), mb(hr.ServerRSS))
		} else {
			p("\nRSS of the bench process (server in process): %s.\n", mb(hr.ServerRSS))
		}
	}

	p("\n## Command-line cold start\n\n")
	if res.CLI.Skipped != "" {
		p("Not measured: %s.\n", res.CLI.Skipped)
	} else {
		p("Wall time of a new `search` process (start-up, opening the index, the query, printing 20 hits with facets to /dev/null), %d runs each, page cache warm. The bundled index was built once beforehand into a cache directory in the work directory.\n\n", res.Config.CLIRuns)
		p("| command | median ms | all runs ms |\n|---|---|---|\n")
		for _, r := range res.CLI.Runs {
			args := strings.Join(r.Args, " ")
			if r.Err != "" {
				p("| %s: `search %s` | error: %s | |\n", r.Label, args, oneLine(r.Err))
				continue
			}
			var all []string
			for _, t := range r.Times {
				all = append(all, ms(t))
			}
			p("| %s: `search %s` | %s | %s |\n", r.Label, res.short(args), ms(r.Median), strings.Join(all, ", "))
		}
	}

	p("\n## Peers side by side\n\n")
	fts, rg := res.FTS, res.RG
	if fts.Skipped != "" {
		p("- SQLite FTS5: not measured: %s.\n", fts.Skipped)
	} else {
		p("- SQLite %s (modernc.org/sqlite, pure Go) FTS5 with `tokenize = 'trigram'`, one table, facet fields UNINDEXED. Per query: `count(*)`, top 20 `ORDER BY rank` with `snippet()`, and the district facet with `GROUP BY district` — three statements, timed together. %d rounds after a warm-up.\n", fts.Version, fts.Rounds)
		p("- FTS5 whole-mix median %s ms. Over the queries FTS5 can answer (every phrase ≥ 3 characters): p50 %s ms, p99 %s ms (issue 8 measured p50 8.8 ms at 1M). %d of %d queries have a 1–2 character phrase, for which trigram MATCH silently returns nothing.\n",
			ms(fts.Overall.P50), ms(fts.Answerable.P50), ms(fts.Answerable.P99), fts.ShortSilent, len(res.Queries))
	}
	if rg.Skipped != "" {
		p("- ripgrep: not measured: %s.\n", rg.Skipped)
	} else {
		p("- %s, `rg -F -c PHRASE` over the paragraphs one a line (%s), a new process per query, %d timed runs after one warm-up; single-phrase queries only (no AND, NOT, filters or facets), so the comparison flatters ripgrep. Median %s ms.\n",
			rg.Version, mb(rg.FileBytes), rg.Runs, ms(rg.Overall.P50))
	}
	p("- Hit counts differ where they should: zhengce matches through script (報告 = 报告), width and quotation marks; FTS5 and ripgrep match bytes. Ratios are peer time / zhengce time (> 1: zhengce faster).\n\n")
	p("| # | class | query | zhengce hits | zhengce p50 ms | p99 ms | FTS5 count | FTS5 p50 ms | FTS5/zhengce | rg count | rg p50 ms | rg/zhengce |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for i, q := range res.Queries {
		ftsCount, ftsP50, ftsRatio := "—", "—", "—"
		if fts.Skipped == "" {
			ftsCount, ftsP50, ftsRatio = fmt.Sprint(q.FTSCount), ms(q.FTSLat.P50), ratio(q.FTSLat.P50, q.Lat.P50)
			if q.Query.minTermRunes() < 3 {
				ftsCount += " (<3 chars)"
			}
		}
		rgCount, rgP50, rgRatio := "—", "—", "—"
		if q.RGCount >= 0 {
			rgCount, rgP50, rgRatio = fmt.Sprint(q.RGCount), ms(q.RGLat.P50), ratio(q.RGLat.P50, q.Lat.P50)
		}
		p("| %d | %s | `%s` | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", i+1, q.Query.Class, q.Query.String(), q.Hits, ms(q.Lat.P50), ms(q.Lat.P99),
			ftsCount, ftsP50, ftsRatio, rgCount, rgP50, rgRatio)
	}

	p("\n## Profiles\n\n")
	if len(res.Prof) == 0 {
		p("Not taken (skipped by flag).\n")
	}
	for _, pr := range res.Prof {
		p("### %s\n\n", pr.Name)
		if pr.Err != "" {
			p("Error: %s\n\n", pr.Err)
		}
		if pr.Path != "" {
			p("CPU profile `%s` (open with `go tool pprof -http=: %s`).\n\n", res.short(pr.Path), res.short(pr.Path))
		}
		if pr.Flat != "" {
			p("Top by own time:\n\n```\n%s\n```\n\n", pr.Flat)
		}
		if pr.Cum != "" {
			p("Top by cumulative time:\n\n```\n%s\n```\n\n", pr.Cum)
		}
	}

	p("\n## Rerun\n\n```\ngo run ./cmd/bench -n %d -seed %d -o report.md\n```\n", res.Config.N, res.Config.Seed)
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return strings.ReplaceAll(s, "|", "\\|")
}

// short hides the work directory, which differs on every machine.
func (res *Results) short(s string) string {
	if res.Config.WorkDir == "" {
		return s
	}
	return strings.ReplaceAll(s, res.Config.WorkDir, "$WORK")
}

// writeGenerated describes the generated corpus.
func writeGenerated(p func(format string, args ...any), res *Results) {
	cs := res.Corpus
	p("- %d paragraphs in %d reports, %s of text (%.0f bytes a paragraph), seed %d.\n", cs.Paragraphs, cs.Reports, mb(cs.TextBytes), float64(cs.TextBytes)/float64(max(cs.Paragraphs, 1)), res.Config.Seed)
	p("- Drawn from %d bundled reports (%d paragraphs): each generated report is one whole real report, its paragraphs in order, attributed to a random district and year, so each source paragraph appears about %.0f times.\n",
		cs.SourceReports, cs.SourceParagraphs, float64(cs.Paragraphs)/float64(max(cs.SourceParagraphs, 1)))
	p("- Facet cardinality: %d provinces, %d cities, %d districts (real GB/T 2260 county-level names), %d years (%d–%d), %d sections.\n",
		cs.Provinces, cs.Cities, cs.Districts, cs.YearTo-cs.YearFrom+1, cs.YearFrom, cs.YearTo, cs.Sections)
}
