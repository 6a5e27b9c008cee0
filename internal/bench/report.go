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
	"HTTP load", "Command-line cold start", "Peers side by side", "Profiles", "Rerun",
}

// Targets of issue 5, for 1,000,000 paragraphs on 2 cores.
const (
	targetPhraseP50   = 5 * time.Millisecond
	targetPhraseP99   = 30 * time.Millisecond
	targetFTSSpeedup  = 10.0
	targetIndexMBps   = 3.0
	targetSizeRatio   = 2.8 // FTS5-trigram's index/text on 1M paragraphs, from the issue
	targetServerRSS   = 1.5e9
	targetHTTPRPS     = 1000.0
	targetHTTPP99     = 50 * time.Millisecond
	targetCLI         = 300 * time.Millisecond
	targetCorpusSize  = 1_000_000
	issueFTSMedianMS  = 47.6
	issueFTSBuildMBps = 2.8
)

type targetRow struct {
	what, target, measured, verdict string
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
	ph := res.InProc.Phrase
	rows = append(rows,
		atMost("phrase query, top 20 + five facets, in process: p50", "≤ 5 ms", msf(ph.P50), msf(targetPhraseP50), "ms", ph.N > 0),
		atMost("… p99", "≤ 30 ms", msf(ph.P99), msf(targetPhraseP99), "ms", ph.N > 0))
	fts := res.FTS
	sp := 0.0
	if res.InProc.Overall.P50 > 0 {
		sp = float64(fts.Overall.P50) / float64(res.InProc.Overall.P50)
	}
	rows = append(rows, atLeast("median of the whole mix vs FTS5-trigram's median (same mix, same paragraphs; FTS5 answers 1–2 character phrases with nothing, fast)", "≥ 10× faster", sp, targetFTSSpeedup, "×", fts.Skipped == "" && fts.Overall.N > 0))
	spa := 0.0
	if res.InProc.Answerable.P50 > 0 {
		spa = float64(fts.Answerable.P50) / float64(res.InProc.Answerable.P50)
	}
	rows = append(rows, atLeast("… the same over the queries FTS5 can answer (every phrase ≥ 3 characters)", "≥ 10× faster", spa, targetFTSSpeedup, "×", fts.Skipped == "" && fts.Answerable.N > 0))
	rows = append(rows,
		atLeast("indexing throughput", "≥ 3 MB/s", res.Index.MBps, targetIndexMBps, "MB/s", res.Index.Elapsed > 0),
		atMost("index size / raw text", "< 2.8× (FTS5-trigram in the issue)", float64(res.Index.Size)/float64(max(res.Corpus.TextBytes, 1)), targetSizeRatio, "×", res.Index.Size > 0))
	hr := res.HTTP
	httpKnown := hr.Skipped == "" && hr.Requests > 0
	rows = append(rows,
		atMost("server peak RSS (`search serve`, VmHWM)", "≤ 1.5 GB", float64(hr.ServerPeakRSS)/1e9, targetServerRSS/1e9, "GB", httpKnown && hr.ServerPeakRSS > 0),
		atLeast("HTTP requests/s at 32 connections", "≥ 1,000", hr.RPS, targetHTTPRPS, "req/s", httpKnown),
		atMost("HTTP p99", "≤ 50 ms", msf(hr.Lat.P99), msf(targetHTTPP99), "ms", httpKnown),
		atMost("HTTP errors", "0", float64(hr.Errors), 0, "errors", httpKnown))
	var worst time.Duration
	known := false
	for _, r := range res.CLI.Runs {
		if strings.HasPrefix(r.Label, "bundled") && r.Err == "" && len(r.Times) > 0 {
			known = true
			worst = max(worst, r.Median)
		}
	}
	rows = append(rows, atMost("`search QUERY` on the bundled index, wall, start-up included (worst median of the runs below)", "≤ 300 ms", msf(worst), msf(targetCLI), "ms", known))
	return rows
}

// WriteMarkdown writes the report.
func (res *Results) WriteMarkdown(w io.Writer) error {
	b := &strings.Builder{}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	cs := res.Corpus
	p("# zhengce benchmark: %d paragraphs\n\n", cs.Paragraphs)
	p("Generated by `go run ./cmd/bench -n %d -seed %d` on %s, in %v. Every figure below comes from this one run.\n",
		res.Config.N, res.Config.Seed, res.Machine.Start.Format("2006-01-02 15:04 UTC"), res.Elapsed.Round(time.Second))
	if cs.Paragraphs < targetCorpusSize {
		p("\n**N = %d is below the 1,000,000 paragraphs the targets are set for**; figures that grow with N (latency of common phrases, facet counting, index size, RSS) will be worse at 1M.\n", cs.Paragraphs)
	}

	p("\n## Targets\n\nIssue 5's targets (for 1M paragraphs on 2 cores) against this run.\n\n")
	p("| what | target | measured | verdict |\n|---|---|---|---|\n")
	for _, r := range res.targets() {
		p("| %s | %s | %s | %s |\n", r.what, r.target, r.measured, r.verdict)
	}

	m := res.Machine
	p("\n## Machine\n\n")
	p("- CPU: %s, %d cores (runtime.NumCPU)\n", m.CPU, m.Cores)
	p("- RAM: %.1f GB\n", float64(m.MemTotal)/1e9)
	p("- Go: %s; kernel %s\n", m.GoVersion, m.Kernel)
	p("- Code measured: %s\n", m.Source)
	p("- Load average (1, 5, 15 min) at start: %s; at end: %s. The machine is shared with other agents, so timings include their load.\n", m.LoadStart, m.LoadEnd)

	p("\n## Corpus\n\n")
	p("- %d paragraphs in %d reports, %s of text (%.0f bytes a paragraph), seed %d.\n", cs.Paragraphs, cs.Reports, mb(cs.TextBytes), float64(cs.TextBytes)/float64(max(cs.Paragraphs, 1)), res.Config.Seed)
	p("- Drawn from %d bundled reports (%d paragraphs): each generated report is one whole real report, its paragraphs in order, attributed to a random district and year, so each source paragraph appears about %.0f times.\n",
		cs.SourceReports, cs.SourceParagraphs, float64(cs.Paragraphs)/float64(max(cs.SourceParagraphs, 1)))
	p("- Facet cardinality: %d provinces, %d cities, %d districts (real GB/T 2260 county-level names), %d years (%d–%d), %d sections.\n",
		cs.Provinces, cs.Cities, cs.Districts, cs.YearTo-cs.YearFrom+1, cs.YearFrom, cs.YearTo, cs.Sections)

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
	p("\n## HTTP load\n\n")
	if hr.Skipped != "" {
		p("Not measured: %s.\n", hr.Skipped)
	} else {
		p("GET /api/search (first page of 20 with highlights and five facets, JSON) from %d concurrent keep-alive connections cycling through the mix, loopback, against %s. The server answered its first request %v after start (opening the index).\n\n",
			hr.Conns, hr.Mode, hr.ServerOpen.Round(time.Millisecond))
		p("| figure | value |\n|---|---|\n")
		p("| requests | %d in %v |\n", hr.Requests, hr.Elapsed.Round(time.Millisecond))
		p("| throughput | %.0f requests/s |\n", hr.RPS)
		p("| latency | p50 %s ms, p95 %s ms, p99 %s ms, max %s ms |\n", ms(hr.Lat.P50), ms(hr.Lat.P95), ms(hr.Lat.P99), ms(hr.Lat.Max))
		p("| errors | %d |\n", hr.Errors)
		if hr.ServerPeakRSS > 0 {
			p("| server RSS | peak %s, after the load %s |\n", mb(hr.ServerPeakRSS), mb(hr.ServerRSS))
		} else {
			p("| RSS of the bench process (server in process) | %s |\n", mb(hr.ServerRSS))
		}
		for _, s := range hr.ErrorSamples {
			p("\nError: `%s`\n", s)
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
		p("- FTS5 whole-mix median %s ms (issue's measurement with C SQLite on 1M paragraphs: %.1f ms). Over the queries FTS5 can answer (every phrase ≥ 3 characters): p50 %s ms, p99 %s ms. %d of %d queries have a 1–2 character phrase, for which trigram MATCH silently returns nothing.\n",
			ms(fts.Overall.P50), issueFTSMedianMS, ms(fts.Answerable.P50), ms(fts.Answerable.P99), fts.ShortSilent, len(res.Queries))
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
