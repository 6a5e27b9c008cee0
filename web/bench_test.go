package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync/atomic"
	"testing"
)

// benchQueries is the query mix of the benchmarks: rare and common phrases,
// a traditional-script one, AND and exclusion.
var benchQueries = []string{"放管服", "营商环境", "数字政府", "乡村振兴", "科技创新", "改革", "統籌推進", "营商环境 改革", "改革 -放管服"}

// benchTargets are the URLs one benchmark cycles through.
func benchTargets(path, extra string) []string {
	var out []string
	for _, q := range benchQueries {
		out = append(out, path+"?q="+url.QueryEscape(q)+extra)
	}
	return out
}

// BenchmarkSearchParallel measures requests per second through the handler
// (no network), on the fixture or on the index named by $ZHENGCE_WEB_INDEX:
//
//	ZHENGCE_WEB_INDEX=/tmp/zc go test ./web -run '^$' -bench SearchParallel
func BenchmarkSearchParallel(b *testing.B) {
	ix, _ := browsedIndex(b)
	s, err := New(ix, Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, bc := range []struct {
		name    string
		targets []string
	}{
		// One page of hits with five facets, as JSON.
		{"api", benchTargets("/api/search", "")},
		// The HTML page: hits, facets, trend.
		{"page", benchTargets("/", "")},
		// The HTML page with a district chosen: one more search for the
		// district facet's own counts.
		{"page-district", benchTargets("/", "&district=%E5%8D%97%E5%B1%B1%E5%8C%BA")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var next atomic.Uint64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					target := bc.targets[next.Add(1)%uint64(len(bc.targets))]
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
					if rec.Code != http.StatusOK {
						b.Errorf("GET %s = %d: %s", target, rec.Code, rec.Body)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkHTTP32 measures /api/search over real HTTP connections with 32
// concurrent clients, the load of issue 5's target.
func BenchmarkHTTP32(b *testing.B) {
	ix, _ := browsedIndex(b)
	s, err := New(ix, Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	targets := benchTargets(srv.URL+"/api/search", "")
	var next atomic.Uint64
	var failures atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0))) // 32 goroutines in all
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(targets[next.Add(1)%uint64(len(targets))])
			if err != nil {
				failures.Add(1)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failures.Add(1)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	if n := failures.Load(); n > 0 {
		b.Errorf("%d of %d requests failed", n, b.N)
	}
}
