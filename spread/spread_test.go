package spread

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
)

// report is a fixture report: a place, a year and its paragraphs.
func report(province, city, district string, year int, texts ...string) index.Report {
	level := "district"
	switch {
	case province == "":
		level = "national"
	case city == "":
		level = "province"
	case district == "":
		level = "city"
	}
	r := index.Report{
		Path:  fmt.Sprintf("%s%s%s/%d.txt", province, city, district, year),
		Title: fmt.Sprintf("%d年%s政府工作报告", year, province+city+district), Level: level,
		Province: province, City: city, District: district, Year: year,
	}
	offset := 0
	for i, t := range texts {
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Offset: offset, Section: "其他", Text: t})
		offset += len([]rune(t)) + 1
	}
	return r
}

// fixture: 放管服 first in 南山区 2016, then 福田区 2017 (its 2016 report
// does not have it), 海拉尔区 2018; 宝安区 never; the State Council in 2015
// (no place); a city report of 深圳市 in 2017.
var fixture = []index.Report{
	report("", "", "", 2015, "推进放管服改革。", "稳中求进。"),
	report("广东省", "深圳市", "南山区", 2016, "科技创新。", "深化放管服改革。", "放管服再深化。"),
	report("广东省", "深圳市", "南山区", 2017, "放管服改革。"),
	report("广东省", "深圳市", "福田区", 2016, "数字政府。"),
	report("广东省", "深圳市", "福田区", 2017, "营商环境。", "全面推进放管服。"),
	report("广东省", "深圳市", "宝安区", 2017, "乡村振兴。"),
	report("广东省", "深圳市", "", 2017, "放管服改革走在前列。"),
	report("内蒙古自治区", "呼伦贝尔市", "海拉尔区", 2016, "推进乡村振兴。"),
	report("内蒙古自治区", "呼伦贝尔市", "海拉尔区", 2018, "深化“放管服”改革。"),
}

func openFixture(t *testing.T) *index.Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, fixture); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestAnalyzeFixture(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	infos, err := ix.Reports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab := NewTable(infos)
	type first struct {
		name string
		year int
		para int
	}
	type adoption struct{ year, new, adopted, held, using, reporting int }
	tests := []struct {
		query     string
		level     Level
		total     int
		unplaced  int
		first     []first
		adoption  []adoption
		provinces map[string][2]int // province → first year, places
	}{
		{
			query: "放管服", level: District, total: 7, unplaced: 2, // national 2015 and 深圳市 2017
			first: []first{{"南山区", 2016, 2}, {"福田区", 2017, 2}, {"海拉尔区", 2018, 1}},
			// held: 2016 南山 福田 海拉尔 = 3; 2017 + 宝安 = 4.
			adoption: []adoption{
				{2015, 0, 0, 0, 0, 0}, {2016, 1, 1, 3, 1, 3}, {2017, 1, 2, 4, 2, 3}, {2018, 1, 3, 4, 1, 1},
			},
			provinces: map[string][2]int{"广东省": {2016, 2}, "内蒙古自治区": {2018, 1}},
		},
		{
			query: "放管服", level: City, total: 7, unplaced: 1,
			first: []first{{"深圳市", 2016, 2}, {"呼伦贝尔市", 2018, 1}},
			adoption: []adoption{
				{2015, 0, 0, 0, 0, 0}, {2016, 1, 1, 2, 1, 2}, {2017, 0, 1, 2, 1, 1}, {2018, 1, 2, 2, 1, 1},
			},
			provinces: map[string][2]int{"广东省": {2016, 1}, "内蒙古自治区": {2018, 1}},
		},
		{
			query: "乡村振兴", level: Province, total: 2,
			first: []first{{"内蒙古自治区", 2016, 1}, {"广东省", 2017, 1}},
			adoption: []adoption{
				{2015, 0, 0, 0, 0, 0}, {2016, 1, 1, 2, 1, 2}, {2017, 1, 2, 2, 1, 1}, {2018, 0, 2, 2, 0, 1},
			},
			provinces: map[string][2]int{"广东省": {2017, 1}, "内蒙古自治区": {2016, 1}},
		},
		{
			query: "不存在的词", level: District,
			adoption: []adoption{
				{2015, 0, 0, 0, 0, 0}, {2016, 0, 0, 3, 0, 3}, {2017, 0, 0, 4, 0, 3}, {2018, 0, 0, 4, 0, 1},
			},
			provinces: map[string][2]int{"广东省": {0, 0}, "内蒙古自治区": {0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.query, tt.level), func(t *testing.T) {
			res, err := tab.Run(ctx, ix, index.Request{Query: tt.query}, tt.level)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != tt.total || res.Unplaced != tt.unplaced {
				t.Errorf("total %d, unplaced %d; want %d, %d", res.Total, res.Unplaced, tt.total, tt.unplaced)
			}
			var got []first
			for _, f := range res.FirstUses {
				got = append(got, first{f.Name, f.Year, f.Paragraph})
			}
			if !slices.Equal(got, tt.first) {
				t.Errorf("first uses %v, want %v", got, tt.first)
			}
			var adopt []adoption
			for _, p := range res.Adoption {
				adopt = append(adopt, adoption{p.Year, p.New, p.Adopted, p.Held, p.Using, p.Reporting})
				if p.Held > 0 && p.Share != float64(p.Adopted)/float64(p.Held) {
					t.Errorf("%d: share %v of %d/%d", p.Year, p.Share, p.Adopted, p.Held)
				}
			}
			if !slices.Equal(adopt, tt.adoption) {
				t.Errorf("adoption\n got %v\nwant %v", adopt, tt.adoption)
			}
			for _, p := range res.Provinces {
				want, ok := tt.provinces[p.Province]
				if !ok {
					t.Errorf("unexpected province %q", p.Province)
					continue
				}
				if p.FirstYear != want[0] || p.Places != want[1] {
					t.Errorf("%s: first year %d, places %d; want %d, %d", p.Province, p.FirstYear, p.Places, want[0], want[1])
				}
			}
			// Frequency: hits over the characters of every report of the year.
			for _, f := range res.Frequency {
				hits, chars := 0, 0
				for _, r := range fixture {
					if r.Year != f.Year {
						continue
					}
					for _, p := range r.Paragraphs {
						chars += len([]rune(p.Text))
						if contains(p.Text, tt.query) {
							hits++
						}
					}
				}
				if f.Hits != hits {
					t.Errorf("%d: %d hits, want %d", f.Year, f.Hits, hits)
				}
				// The index counts normalised text (quotation marks dropped).
				if f.Chars > chars || f.Chars < chars*3/4 {
					t.Errorf("%d: %d characters, the texts have %d", f.Year, f.Chars, chars)
				}
				if want := float64(f.Hits) * 10000 / float64(f.Chars); math.Abs(f.Per10k-want) > 1e-9 {
					t.Errorf("%d: %v per 10,000, want %v", f.Year, f.Per10k, want)
				}
			}
		})
	}
}

// contains matches as the engine does on the fixture, whose phrases are
// written plainly or in quotation marks that matching ignores.
func contains(text, phrase string) bool {
	return strings.Contains(strings.NewReplacer("“", "", "”", "").Replace(text), phrase)
}

func TestCite(t *testing.T) {
	ix := openFixture(t)
	ctx := context.Background()
	infos, _ := ix.Reports(ctx)
	res, err := NewTable(infos).Run(ctx, ix, index.Request{Query: "放管服"}, District)
	if err != nil {
		t.Fatal(err)
	}
	if err := Cite(ctx, ix, res, "放管服", 0); err != nil {
		t.Fatal(err)
	}
	want := []string{"深化放管服改革。", "全面推进放管服。", "深化“放管服”改革。"}
	for i, f := range res.FirstUses {
		if f.Text != want[i] {
			t.Errorf("%s cites %q, want %q", f.Name, f.Text, want[i])
		}
		if !strings.Contains(f.Highlight, "<mark>放管服</mark>") {
			t.Errorf("%s: highlight %q has no mark", f.Name, f.Highlight)
		}
	}
}

func TestShortProvince(t *testing.T) {
	for in, want := range map[string]string{
		"广东省": "广东", "广西壮族自治区": "广西", "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏",
		"内蒙古自治区": "内蒙古", "西藏自治区": "西藏", "北京市": "北京", "香港特别行政区": "香港", "台湾": "台湾", "": "",
	} {
		if got := ShortProvince(in); got != want {
			t.Errorf("ShortProvince(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Level
		ok   bool
	}{{"", District, true}, {"province", Province, true}, {"city", City, true}, {"district", District, true}, {"county", "", false}} {
		got, err := ParseLevel(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseLevel(%q) = %q, %v", tt.in, got, err)
		}
	}
}

// TestBundled checks first use and adoption on the bundled corpus against
// values computed here from the raw hit list of Search.
func TestBundled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the bundled index")
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := ingest.Build(dir, []ingest.Source{{FS: corpus.Bundled, Root: "reports"}}, index.Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	infos, _ := ix.Reports(ctx)
	tab := NewTable(infos)
	for _, q := range []string{"放管服", "营商环境", "乡村振兴", "新质生产力", "高质量发展"} {
		t.Run(q, func(t *testing.T) {
			res, err := tab.Run(ctx, ix, index.Request{Query: q}, District)
			if err != nil {
				t.Fatal(err)
			}
			all, err := ix.Search(ctx, index.Request{Query: q, NoFacets: true})
			if err != nil {
				t.Fatal(err)
			}
			// From the raw hits: first year per district, and per year the
			// districts whose report of that year has a hit.
			firstYear := map[Place]int{}
			usedIn := map[int]map[Place]bool{}
			for _, h := range all.Hits {
				if h.District == "" || h.Year == 0 {
					continue
				}
				p := Place{h.Province, h.City, h.District}
				if y, ok := firstYear[p]; !ok || h.Year < y {
					firstYear[p] = h.Year
				}
				if usedIn[h.Year] == nil {
					usedIn[h.Year] = map[Place]bool{}
				}
				usedIn[h.Year][p] = true
			}
			if len(firstYear) < 2 {
				t.Fatalf("%s is used in %d districts of the bundled corpus: too few to test adoption", q, len(firstYear))
			}
			got := map[Place]int{}
			for _, f := range res.FirstUses {
				got[f.Place] = f.Year
			}
			if len(got) != len(firstYear) {
				t.Errorf("%d places, want %d", len(got), len(firstYear))
			}
			for p, y := range firstYear {
				if got[p] != y {
					t.Errorf("%s: first use %d, want %d", p.FullName(), got[p], y)
				}
			}
			for _, a := range res.Adoption {
				adopted := 0
				for _, y := range firstYear {
					if y <= a.Year {
						adopted++
					}
				}
				if a.Adopted != adopted || a.Using != len(usedIn[a.Year]) {
					t.Errorf("%d: adopted %d, using %d; want %d, %d", a.Year, a.Adopted, a.Using, adopted, len(usedIn[a.Year]))
				}
			}
			if res.Total != all.Total {
				t.Errorf("total %d, Search says %d", res.Total, all.Total)
			}
		})
	}
}
