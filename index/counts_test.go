package index

import (
	"context"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// TestCount checks Count against the full hit list of Search.
func TestCount(t *testing.T) {
	ix := openTestIndex(t)
	ctx := context.Background()
	for _, q := range []string{"放管服", "发展", "双随机、一公开", "改革 -放管服", "year:2019..2023 改革"} {
		c, err := ix.Count(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, Request{Query: q, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]ReportCount{}
		for _, h := range res.Hits {
			rc := want[h.Report]
			rc.Report = h.Report
			rc.Hits++
			if rc.First == 0 || h.Paragraph < rc.First {
				rc.First = h.Paragraph
			}
			want[h.Report] = rc
		}
		got := map[string]ReportCount{}
		for _, rc := range c.Reports {
			got[rc.Report] = rc
		}
		if c.Total != res.Total || !reflect.DeepEqual(got, want) {
			t.Errorf("Count(%q) = %d %v, Search gives %d %v", q, c.Total, got, res.Total, want)
		}
	}
}

func TestReports(t *testing.T) {
	ix := openTestIndex(t)
	infos, err := ix.Reports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != len(testReports) {
		t.Fatalf("Reports = %d, want %d", len(infos), len(testReports))
	}
	for i, r := range testReports {
		chars := 0
		for _, p := range r.Paragraphs {
			chars += utf8.RuneCountInString(norm.String(p.Text))
		}
		got := infos[i]
		if got.ID != r.ID || got.Path != r.Path || got.Year != r.Year || got.District != norm.Fold(r.District) ||
			got.Paragraphs != len(r.Paragraphs) || got.Chars != chars || got.Added != 1 {
			t.Errorf("Reports[%d] = %+v, want %s, %d paragraphs, %d chars, added 1", i, got, r.ID, len(r.Paragraphs), chars)
		}
	}
}
