package reuse_test

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/bench"
	"github.com/zhengce/zhengce/reuse"
)

var (
	benchN     = flag.Int("reuse.n", 20000, "BenchmarkCompute: paragraphs of the synthetic corpus (internal/bench)")
	benchIndex = flag.String("reuse.index", "", "BenchmarkCompute: index directory, built there (and kept) if it does not exist")
)

// BenchmarkCompute measures the reuse pass over the synthetic corpus of
// cmd/bench (real reports republished under random districts and years:
// every paragraph is in some 86 reports at 1M paragraphs, so every one has
// matches to verify — the costly case). When it builds the index it also
// reports how long indexing took, and the reuse pass as a share of it.
// peak-MB is the resident memory of the process at its highest during the
// pass (counted from the pass's start where Linux allows it).
//
//	go test -run XXX -bench Compute -benchtime 1x ./reuse/ -args -reuse.n 1000000 -reuse.index /tmp/idx1m
func BenchmarkCompute(b *testing.B) {
	ctx := context.Background()
	dir := *benchIndex
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "idx")
	}
	var indexTime time.Duration
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		corp, err := bench.NewCorpus(1, *benchN, 600)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		w, err := index.Create(dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := corp.Reports(func(r *index.Report) error { return w.Add(r) }); err != nil {
			b.Fatal(err)
		}
		if _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
		indexTime = time.Since(t0)
	}
	ix, err := index.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	resetPeak := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	b.ResetTimer()
	var st reuse.Stats
	var tab *reuse.Table
	for range b.N {
		if tab, st, err = reuse.Compute(ctx, ix, reuse.Params{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(st.Paragraphs), "paragraphs")
	b.ReportMetric(st.Read.Seconds(), "read-s")
	b.ReportMetric(st.Compare.Seconds(), "compare-s")
	b.ReportMetric(float64(st.Candidates)/float64(max(1, st.Paragraphs)), "candidates/paragraph")
	b.ReportMetric(float64(st.Matches)/float64(max(1, st.Paragraphs)), "matches/paragraph")
	b.ReportMetric(float64(len(reuse.Encode(tab)))/1e6, "file-MB")
	if resetPeak {
		b.ReportMetric(float64(procKB("VmHWM"))/1024, "peak-MB")
	}
	if indexTime > 0 {
		b.ReportMetric(indexTime.Seconds(), "index-s")
		b.ReportMetric(perOp.Seconds()/indexTime.Seconds(), "reuse/index")
	}
}

// procKB reads a "Name: N kB" line of /proc/self/status.
func procKB(name string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
