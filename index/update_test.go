package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestIncrementalEqualsFullBuild adds, replaces and removes reports at
// random, merging as the policy says, and after every step compares the
// index with a fresh full build of the same reports: the same hits, totals
// and facets for every query, the same report view.
func TestIncrementalEqualsFullBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds many indexes")
	}
	all := bundledReports(t)
	rng := rand.New(rand.NewPCG(7, 8))
	pool := make([]Report, 0, 24)
	for _, k := range rng.Perm(len(all))[:24] {
		pool = append(pool, all[k])
	}
	dir := filepath.Join(t.TempDir(), "idx")
	opts := Options{SegmentBytes: 40 << 10}
	live := map[string]Report{} // by id
	queries := []string{"放管服", "营商环境", "发展", "的", "改革 -开放", "科技创新 OR 乡村振兴", "year:2015..2020 民生", "section:工作安排 人才"}
	steps := 14
	if testing.Short() {
		steps = 5
	}
	for step := 0; step < steps; step++ {
		w, err := Update(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		var did []string
		for n := 1 + rng.IntN(3); n > 0; n-- {
			r := pool[rng.IntN(len(pool))]
			switch op := rng.IntN(4); {
			case op < 2 || len(live) == 0: // add (or replace)
				r.FileHash = fmt.Sprint(step)
				if _, ok := live[r.ID]; ok {
					// A changed file: same report, other text.
					r.Paragraphs = r.Paragraphs[:len(r.Paragraphs)*2/3]
				}
				if err := w.Add(&r); err != nil {
					if strings.Contains(err.Error(), "duplicate report id") {
						continue // added already in this step
					}
					t.Fatal(err)
				}
				live[r.ID] = r
				did = append(did, "add "+r.Path)
			case op == 2: // remove
				if _, ok := live[r.ID]; !ok {
					continue
				}
				if w.RemovePath(r.Path) == 0 {
					t.Fatalf("step %d: RemovePath(%s) removed nothing", step, r.Path)
				}
				for id, l := range live {
					if l.Path == r.Path {
						delete(live, id)
					}
				}
				did = append(did, "remove "+r.Path)
			default: // nothing this time
			}
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		if step%3 == 2 {
			if _, err := Merge(dir, opts, false); err != nil {
				t.Fatal(err)
			}
		}
		var reports []Report
		for _, r := range live {
			reports = append(reports, r)
		}
		sort.Slice(reports, func(i, j int) bool { return reports[i].Path < reports[j].Path })
		fresh := filepath.Join(t.TempDir(), fmt.Sprint("fresh", step))
		if err := BuildReports(fresh, reports); err != nil {
			t.Fatal(err)
		}
		compareIndexes(t, fmt.Sprintf("step %d (%v)", step, did), dir, fresh, queries, reports)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after %d steps: %d segments, %d reports", steps, len(m.Segments), m.Reports)
}

func compareIndexes(t *testing.T, what, a, b string, queries []string, reports []Report) {
	t.Helper()
	ia, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer ia.Close()
	ib, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer ib.Close()
	ctx := context.Background()
	for _, q := range queries {
		ra, err := ia.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatalf("%s: %s: %v", what, q, err)
		}
		rb, err := ib.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatalf("%s: %s: %v", what, q, err)
		}
		if ra.Total != rb.Total || !reflect.DeepEqual(ids(ra), ids(rb)) {
			t.Fatalf("%s: %q: incremental %d hits %v, fresh %d hits %v", what, q, ra.Total, ids(ra), rb.Total, ids(rb))
		}
		if !reflect.DeepEqual(ra.Facets, rb.Facets) {
			t.Fatalf("%s: %q: facets differ:\n%v\n%v", what, q, ra.Facets, rb.Facets)
		}
	}
	for _, r := range reports {
		id := r.ID
		if id == "" {
			id = ReportID(r.Path, 0)
		}
		va, err := ia.Report(ctx, id, "发展")
		if err != nil {
			t.Fatalf("%s: Report(%s): %v", what, r.Path, err)
		}
		vb, err := ib.Report(ctx, id, "发展")
		if err != nil {
			t.Fatal(err)
		}
		va.Added, vb.Added = 0, 0 // the generations that added them differ
		if !reflect.DeepEqual(va, vb) {
			t.Fatalf("%s: report %s differs", what, r.Path)
		}
	}
	ma, mb := ia.Manifest(), ib.Manifest()
	if ma.Reports != mb.Reports || ma.Paragraphs != mb.Paragraphs || ma.TextBytes != mb.TextBytes {
		t.Fatalf("%s: manifests count %d/%d/%d, fresh %d/%d/%d", what, ma.Reports, ma.Paragraphs, ma.TextBytes, mb.Reports, mb.Paragraphs, mb.TextBytes)
	}
}
