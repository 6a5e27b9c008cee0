package index

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/zhengce/zhengce/corpus"
)

// bundledReports converts the bundled reports the way internal/ingest does.
func bundledReports(t testing.TB) []Report {
	t.Helper()
	var out []Report
	_, err := corpus.Load(corpus.Bundled, "reports", func(r *corpus.Report) error {
		ir := Report{ID: ReportID(r.Path, r.Part), Path: r.Path, Title: r.Title, Province: r.Province,
			City: r.City, District: r.District, Year: r.Year}
		for _, p := range r.Paragraphs {
			ir.Paragraphs = append(ir.Paragraphs, Paragraph{Ordinal: p.Ordinal, Offset: p.Offset, Section: p.Section,
				Heading: strings.Join(p.Heading, " › "), Text: p.Text})
		}
		out = append(out, ir)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRankingIsBleveBM25 checks that the relevance order of small hit sets
// is the order bleve's own BM25 query over the words field gives: the
// order of the bleve-only engine this one replaced.
func TestRankingIsBleveBM25(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bundled index")
	}
	dir := filepath.Join(t.TempDir(), "idx")
	if err := BuildReports(dir, bundledReports(t)); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := ix.acquire()
	defer ix.release(g)
	if len(g.segs) != 1 {
		t.Fatalf("%d segments, want 1", len(g.segs))
	}
	seg := g.segs[0].s
	ctx := context.Background()
	compared := 0
	for _, q := range []string{"放管服", "营商环境", "新质生产力", "高质量发展", "河长制", "一网通办", "数字经济 人工智能",
		"营商环境 放管服", "碳达峰", "乡村振兴", "托育", "双随机、一公开", "科技创新"} {
		res, err := ix.Search(ctx, Request{Query: q, NoFacets: true, Limit: RankLimit})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total > RankLimit {
			t.Fatalf("%s has %d hits, more than RankLimit: pick a rarer phrase", q, res.Total)
		}
		// bleve's own scores of the same hits.
		c, _ := compile(Request{Query: q})
		var should []bq.Query
		for _, p := range c.phrases {
			var terms []bq.Query
			for _, w := range wordTerms(p) {
				tq := bq.NewTermQuery(w)
				tq.SetField(wordsField)
				terms = append(terms, tq)
			}
			should = append(should, bq.NewDisjunctionQuery(terms))
		}
		var docIDs []string
		local := map[string]string{} // bleve id → hit id
		for _, h := range res.Hits {
			k := g.byID[h.Report]
			ri, _ := seg.r.Report(g.slots[k].local)
			ps, _ := seg.r.Paragraphs(ri.First, ri.First+ri.Count)
			for i, p := range ps {
				if p.Ordinal == h.Paragraph {
					id := strconv.FormatInt(int64(ri.First+i), 36)
					docIDs = append(docIDs, id)
					local[id] = h.ID
				}
			}
		}
		var top bq.Query = bq.NewDisjunctionQuery(should)
		if len(should) == 1 {
			top = should[0]
		}
		sr := bleve.NewSearchRequestOptions(bq.NewBooleanQuery([]bq.Query{bq.NewDocIDQuery(docIDs)}, []bq.Query{top}, nil), len(docIDs), 0, false)
		br, err := seg.w.idx.SearchInContext(ctx, sr)
		if err != nil {
			t.Fatal(err)
		}
		bleveScore := map[string]float64{}
		for _, h := range br.Hits {
			bleveScore[local[h.ID]] = h.Score
		}
		if len(bleveScore) != len(res.Hits) {
			t.Fatalf("%s: bleve scored %d of %d hits", q, len(bleveScore), len(res.Hits))
		}
		// Our order must never put a hit bleve scores lower before one it
		// scores higher.
		for i := 1; i < len(res.Hits); i++ {
			a, b := bleveScore[res.Hits[i-1].ID], bleveScore[res.Hits[i].ID]
			if b > a*(1+1e-9)+1e-12 {
				t.Errorf("%s: hit %d (%s, bleve %.6g, ours %.6g) ranks after hit %d (%s, bleve %.6g, ours %.6g)",
					q, i, res.Hits[i].ID, b, res.Hits[i].Score, i-1, res.Hits[i-1].ID, a, res.Hits[i-1].Score)
				break
			}
		}
		compared += len(res.Hits)
	}
	t.Logf("%d hits ranked in bleve's BM25 order", compared)
}
