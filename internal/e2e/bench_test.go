package e2e

import (
	"context"
	"testing"

	"github.com/zhengce/zhengce/index"
)

// BenchmarkSearch runs a fixed mix of phrases, one page with facets, on
// the bundled index.
func BenchmarkSearch(b *testing.B) {
	mix := []string{"放管服", "营商环境", "发展", "新质生产力", "統籌推進", "改革 -疫情", "的", "district:南山区 创新", "四风", "高质量发展 OR 乡村振兴"}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bundled.ix.Search(ctx, index.Request{Query: mix[i%len(mix)], Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportAll fetches every hit of a common phrase, as an export does.
func BenchmarkExportAll(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		res, err := bundled.ix.Search(ctx, index.Request{Query: "发展", NoFacets: true})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Hits)), "hits")
	}
}
