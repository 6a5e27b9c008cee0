package novelty

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/spread"
)

// report is a fixture report of a district of 深圳市.
func report(district string, year int, texts ...string) index.Report {
	r := index.Report{
		Path:  fmt.Sprintf("%s/%d.txt", district, year),
		Title: fmt.Sprintf("%d年%s政府工作报告", year, district), Level: "district",
		Province: "广东省", City: "深圳市", District: district, Year: year,
	}
	for i, t := range texts {
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Section: "其他", Text: t})
	}
	return r
}

// fixture: 老口号 in 2022 (南山区, 福田区) and 2023 (福田区); 旧提法 in 2022
// (福田区) and 2023 (南山区); 新提法甲 first in 2024, in 南山区 and 福田区 and
// 宝安区 (whose first report is of 2023), unquoted in 福田区; 新乙 first in
// 2024 in 宝安区 and 龙岗区, whose first report is of 2024; 无下文 only in
// 2023 in 罗湖区, which has no report of 2024.
var fixture = []index.Report{
	report("南山区", 2022, "弘扬“老口号”精神。", "稳中求进。"),
	report("福田区", 2022, "践行“老口号”。", "落实“旧提法”。"),
	report("南山区", 2023, "坚持“旧提法”，旧提法不动摇。"),
	report("福田区", 2023, "继续“老口号”。"),
	report("宝安区", 2023, "稳中求进。"),
	report("罗湖区", 2023, "推行“无下文”。"),
	report("南山区", 2024, "提出“新提法甲”。"),
	report("福田区", 2024, "推进新提法甲。", "稳中求进。"),
	report("宝安区", 2024, "落实“新提法甲”和“新乙”。"),
	report("龙岗区", 2024, "开展“新乙”行动。"),
}

func openFixture(t *testing.T, reports []index.Report) *index.Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// row is what a test checks of a phrase.
type row struct {
	phrase                           string
	first, last, hits, places, known int // known: Adopters or Dropped
}

func rows(ps []Phrase) []row {
	out := []row{}
	for _, p := range ps {
		out = append(out, row{p.Phrase, p.FirstYear, p.LastYear, p.Hits, p.Places, p.Adopters + p.Dropped})
	}
	return out
}

func TestFind(t *testing.T) {
	ix := openFixture(t, fixture)
	tests := []struct {
		name      string
		opts      Options
		previous  int
		new, gone []row
		err       error
	}{
		{name: "every district", opts: Options{Year: 2024}, previous: 2023,
			new: []row{{"新提法甲", 2024, 2024, 3, 3, 3}, {"新乙", 2024, 2024, 2, 2, 1}},
			// 旧提法: one paragraph, quoted and not: one hit. 无下文 is
			// not listed: 罗湖区 has no report of 2024.
			gone: []row{{"旧提法", 2022, 2023, 1, 1, 1}, {"老口号", 2022, 2023, 1, 1, 1}}},
		{name: "one district", opts: Options{Year: 2024, District: []string{"南山区"}}, previous: 2023,
			new: []row{{"新提法甲", 2024, 2024, 1, 1, 1}},
			// 南山区 used 老口号 in 2022 only: it disappeared before 2023.
			gone: []row{{"旧提法", 2023, 2023, 1, 1, 1}}},
		{name: "traditional script in the scope", opts: Options{Year: 2024, District: []string{"寶安區"}}, previous: 2023,
			new: []row{{"新乙", 2024, 2024, 1, 1, 1}, {"新提法甲", 2024, 2024, 1, 1, 1}}, gone: []row{}},
		// At the province level 广东省's reports of 2024 dropped 无下文 too.
		{name: "by province", opts: Options{Year: 2024, Level: spread.Province}, previous: 2023,
			new:  []row{{"新提法甲", 2024, 2024, 3, 1, 1}, {"新乙", 2024, 2024, 2, 1, 1}},
			gone: []row{{"无下文", 2023, 2023, 1, 1, 1}, {"旧提法", 2022, 2023, 1, 1, 1}, {"老口号", 2022, 2023, 1, 1, 1}}},
		{name: "limit", opts: Options{Year: 2024, Limit: 1}, previous: 2023,
			new: []row{{"新提法甲", 2024, 2024, 3, 3, 3}}, gone: []row{{"旧提法", 2022, 2023, 1, 1, 1}}},
		{name: "first year of the corpus", opts: Options{Year: 2022}, previous: 0,
			new: []row{{"老口号", 2022, 2023, 2, 2, 0}, {"旧提法", 2022, 2023, 1, 1, 0}}, gone: []row{}},
		{name: "2023", opts: Options{Year: 2023}, previous: 2022, new: []row{{"无下文", 2023, 2023, 1, 1, 0}}, gone: []row{}},
		// errors.
		{name: "no year", opts: Options{}, err: ErrBadOptions},
		{name: "a year without reports", opts: Options{Year: 2030}, err: ErrBadOptions},
		{name: "a place without reports", opts: Options{Year: 2024, District: []string{"海拉尔区"}}, err: ErrBadOptions},
		{name: "bad level", opts: Options{Year: 2024, Level: "county"}, err: ErrBadOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Find(context.Background(), ix, tt.opts)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Find(%+v) error = %v, want %v", tt.opts, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Previous != tt.previous {
				t.Errorf("Previous = %d, want %d", res.Previous, tt.previous)
			}
			if got := rows(res.New); !slices.Equal(got, tt.new) {
				t.Errorf("New = %v, want %v", got, tt.new)
			}
			if got := rows(res.Gone); !slices.Equal(got, tt.gone) {
				t.Errorf("Gone = %v, want %v", got, tt.gone)
			}
		})
	}
}

func TestFindCites(t *testing.T) {
	ix := openFixture(t, fixture)
	res, err := Find(context.Background(), ix, Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	p := res.New[0]
	if want := []string{"广东省 深圳市 南山区", "广东省 深圳市 宝安区", "广东省 深圳市 福田区"}; !slices.Equal(p.PlaceNames, want) {
		t.Errorf("%s: places %q, want %q", p.Phrase, p.PlaceNames, want)
	}
	rep, err := ix.Report(context.Background(), p.Report, p.Query)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Year != 2024 || p.Paragraph < 1 || !strings.Contains(rep.Paragraphs[p.Paragraph-1].Text, p.Phrase) {
		t.Errorf("%s cites %s paragraph %d of %d, which does not use it", p.Phrase, p.Report, p.Paragraph, rep.Year)
	}
	if res.Reports != 4 || res.Places != 4 || res.PreviousReports != 4 || res.PreviousPlaces != 4 {
		t.Errorf("reports %d, places %d, previous %d, %d; want 4, 4, 4, 4", res.Reports, res.Places, res.PreviousReports, res.PreviousPlaces)
	}
}

// bundled builds the index of the bundled reports once per test binary.
func bundled(tb testing.TB) *index.Index {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds the bundled index")
	}
	dir := filepath.Join(tb.TempDir(), "index")
	if _, err := ingest.Build(dir, []ingest.Source{{FS: corpus.Bundled, Root: "reports"}}, index.Options{}); err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// TestBundled checks the new and the disappeared phrases of 2024 on the
// bundled corpus against the raw hit list of a search for each: the first
// and last year of a hit, the paragraphs and the governments of 2024.
func TestBundled(t *testing.T) {
	ix := bundled(t)
	ctx := context.Background()
	res, err := Find(ctx, ix, Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.New) < 5 || len(res.Gone) < 5 {
		t.Fatalf("2024: %d new and %d disappeared phrases of %d candidates; want at least 5 of each", len(res.New), len(res.Gone), res.Candidates)
	}
	check := func(list string, p Phrase, year int) {
		sr, err := ix.Search(ctx, index.Request{Query: p.Query, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		first, last, hits := 0, 0, 0
		places := map[string]bool{}
		for _, h := range sr.Hits {
			if h.Year == 0 {
				continue
			}
			if first == 0 || h.Year < first {
				first = h.Year
			}
			last = max(last, h.Year)
			if h.Year == year {
				hits++
				name := strings.Join(slices.DeleteFunc([]string{h.Province, h.City, h.District}, func(s string) bool { return s == "" }), " ")
				places[cmpOr(name, National)] = true
			}
		}
		if first != p.FirstYear || last != p.LastYear || hits != p.Hits || len(places) != p.Places || sr.Total != p.TotalHits {
			t.Errorf("%s %s: first %d, last %d, hits %d, places %d, total %d; the hit list says %d, %d, %d, %d, %d",
				list, p.Phrase, p.FirstYear, p.LastYear, p.Hits, p.Places, p.TotalHits, first, last, hits, len(places), sr.Total)
		}
	}
	for _, p := range res.New[:10] {
		check("new", p, 2024)
		if p.FirstYear != 2024 {
			t.Errorf("new %s first used in %d", p.Phrase, p.FirstYear)
		}
	}
	for _, p := range res.Gone[:min(10, len(res.Gone))] {
		check("gone", p, res.Previous)
		if p.LastYear != res.Previous {
			t.Errorf("disappeared %s last used in %d, want %d", p.Phrase, p.LastYear, res.Previous)
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// BenchmarkFindBundled is `search -new 2024` over the bundled reports.
func BenchmarkFindBundled(b *testing.B) {
	ix := bundled(b)
	for b.Loop() {
		if _, err := Find(context.Background(), ix, Options{Year: 2024}); err != nil {
			b.Fatal(err)
		}
	}
}
