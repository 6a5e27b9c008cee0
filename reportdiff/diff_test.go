package reportdiff

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Paragraphs of the constructed cases: long enough to have many bigrams,
// and unlike each other (Dice well below the threshold).
const (
	pA = "全面深化放管服改革，持续优化营商环境，企业开办时间压缩至一个工作日以内。"
	pB = "大力实施乡村振兴战略，建设高标准农田十万亩，农村居民人均可支配收入增长百分之八。"
	pC = "推进生态文明建设，打好蓝天碧水净土保卫战，空气质量优良天数比例保持全省前列。"
	pD = "加快建设现代产业体系，培育战略性新兴产业集群，规模以上工业增加值增长百分之七。"
	pE = "织密社会保障网，城乡居民基本养老保险参保率稳定在百分之九十五以上，兜牢民生底线。"
)

// shape renders pairs compactly: kind old→new, with flags.
func shape(pairs []Pair) []string {
	var out []string
	for _, p := range pairs {
		s := p.Kind + " "
		if p.Old != nil {
			s += fmt.Sprint(p.Old.Paragraph)
		} else {
			s += "-"
		}
		s += "→"
		if p.New != nil {
			s += fmt.Sprint(p.New.Paragraph)
		} else {
			s += "-"
		}
		if p.Moved {
			s += " moved"
		}
		if p.Join != "" {
			s += " " + p.Join
		}
		out = append(out, s)
	}
	return out
}

func TestAlign(t *testing.T) {
	split1, split2, _ := strings.Cut(pD, "，培育") // pD in two paragraphs
	split2 = "培育" + split2
	tests := []struct {
		name     string
		old, new []string
		want     []string
	}{
		{"identical", []string{pA, pB}, []string{pA, pB}, []string{"same 0→0", "same 1→1"}},
		{"light edit", []string{pA, pB},
			[]string{pA, strings.Replace(pB, "十万亩", "十二万亩", 1)},
			[]string{"same 0→0", "changed 1→1"}},
		{"added and removed", []string{pA, pB, pC}, []string{pA, pD, pC},
			[]string{"same 0→0", "removed 1→-", "added -→1", "same 2→2"}},
		{"move", []string{pA, pB, pC, pD}, []string{pA, pC, pD, pB},
			[]string{"same 0→0", "same 2→1", "same 3→2", "same 1→3 moved"}},
		{"move with edit", []string{pA, pB, pC, pD}, []string{pD, pA, pB, strings.Replace(pC, "全省", "全国", 1)},
			[]string{"same 3→0 moved", "same 0→1", "same 1→2", "changed 2→3"}},
		{"split", []string{pA, pD, pE}, []string{pA, split1, split2, pE},
			[]string{"same 0→0", "changed 1→1 split", "changed 1→2 split", "same 2→3"}},
		{"merge", []string{pA, split1, split2, pE}, []string{pA, pD, pE},
			[]string{"same 0→0", "changed 1→1 merge", "changed 2→1 merge", "same 3→2"}},
		{"rewritten beyond the threshold", []string{pA}, []string{pB}, []string{"removed 0→-", "added -→0"}},
		{"punctuation only", []string{pA}, []string{strings.ReplaceAll(pA, "，", ",")}, []string{"changed 0→0"}},
		{"empty old", nil, []string{pA}, []string{"added -→0"}},
		{"empty new", []string{pA}, nil, []string{"removed 0→-"}},
		{"short headings are not pieces", []string{"一、工作回顾", pA}, []string{pA, "二、", "工作"}, []string{"removed 0→-", "same 1→0", "added -→1", "added -→2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shape(Align(tt.old, tt.new, Options{}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Align(%q, %q) (-want +got):\n%s", tt.old, tt.new, diff)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	old := "第一句不变。第二句里有十万亩。第三句也不变。"
	new := "第一句不变。第二句里有十二万亩。第三句也不变。"
	o, n := diffSentences(old, new)
	changed := func(ss []Sentence) []bool {
		var out []bool
		for _, s := range ss {
			out = append(out, s.Changed)
		}
		return out
	}
	if got, want := changed(o), []bool{false, false, false}; !cmp.Equal(got, want) {
		t.Errorf("old sentences changed = %v, want %v (nothing deleted)", got, want)
	}
	if got, want := changed(n), []bool{false, true, false}; !cmp.Equal(got, want) {
		t.Errorf("new sentences changed = %v, want %v", got, want)
	}
	var ins []string
	for _, s := range n {
		for _, sp := range s.Spans {
			if sp.Changed {
				ins = append(ins, sp.Text)
			}
		}
	}
	if !cmp.Equal(ins, []string{"二"}) {
		t.Errorf("inserted spans = %q, want [二]", ins)
	}
	var text strings.Builder
	for _, s := range n {
		for _, sp := range s.Spans {
			text.WriteString(sp.Text)
		}
	}
	if text.String() != new {
		t.Errorf("new spans join to %q, want %q", text.String(), new)
	}
}

func TestTerms(t *testing.T) {
	old := []string{"深化“放管服”改革，推进“最多跑一次”。", "建设“智慧城市”。"}
	new := []string{"深化放管服改革，推进“一网通办”。", "建设“数字政府”和“智慧城市”。"}
	added, dropped, err := compareTerms(old, new, []int{1, 2}, []int{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	texts := func(ts []Term) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Text)
		}
		return out
	}
	// 放管服 is unquoted this year but still there: neither new nor dropped.
	if got, want := texts(added), []string{"一网通办", "数字政府"}; !cmp.Equal(got, want) {
		t.Errorf("new terms = %q, want %q", got, want)
	}
	if got, want := texts(dropped), []string{"最多跑一次"}; !cmp.Equal(got, want) {
		t.Errorf("dropped terms = %q, want %q", got, want)
	}
}

func TestPrevious(t *testing.T) {
	infos := []index.ReportInfo{
		{ID: "a12", Path: "a/2012.txt", Level: "district", Province: "P", City: "C", District: "D", Year: 2012},
		{ID: "a14", Path: "a/2014.txt", Level: "district", Province: "P", City: "C", District: "D", Year: 2014},
		{ID: "a15", Path: "a/2015.txt", Level: "district", Province: "P", City: "C", District: "D", Year: 2015},
		{ID: "c15", Path: "c/2015.txt", Level: "city", Province: "P", City: "C", Year: 2015},
		{ID: "c14", Path: "c/2014.txt", Level: "city", Province: "P", City: "C", Year: 2014},
		{ID: "x1", Path: "two.txt", Year: 2014},
		{ID: "x2", Path: "two.txt", Year: 2014},
	}
	tests := []struct{ id, want, err string }{
		{"a15", "a14", ""},
		{"a14", "a12", ""}, // nearest earlier year when year-1 is missing
		{"a/2015.txt", "a14", ""},
		{"c15", "c14", ""}, // same level: not the district's report
		{"a12", "", "no earlier report"},
		{"nope", "", "neither a report id nor a source path"},
		{"two.txt", "", "holds 2 reports"},
	}
	for _, tt := range tests {
		got, err := Previous(infos, tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Previous(%q) error = %v, want one containing %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || got.ID != tt.want {
			t.Errorf("Previous(%q) = %q, %v, want %q", tt.id, got.ID, err, tt.want)
		}
	}
}

// bundled loads the bundled reports by path.
func bundled(t testing.TB) map[string]*index.Report {
	t.Helper()
	out := map[string]*index.Report{}
	_, err := corpus.Load(corpus.Bundled, "reports", func(r *corpus.Report) error {
		ir := ingest.Convert(r)
		out[r.Path] = &ir
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoldenHailar diffs two consecutive real reports of one district. The
// golden text was read by eye against both reports.
func TestGoldenHailar(t *testing.T) {
	rs := bundled(t)
	old, new := rs["hailar/2014.txt"], rs["hailar/2015.txt"]
	if old == nil || new == nil {
		t.Fatal("hailar/2014.txt or hailar/2015.txt is missing from the bundled reports")
	}
	d, err := Compare(old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteText(&b, d); err != nil {
		t.Fatal(err)
	}
	assertGolden(t, "hailar-2014-2015.txt", b.String())
	js, _ := json.MarshalIndent(d.Stats, "", "  ")
	assertGolden(t, "hailar-2014-2015.stats.json", string(js)+"\n")
}

func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func BenchmarkCompare(b *testing.B) {
	rs := bundled(b)
	old, new := rs["hailar/2014.txt"], rs["hailar/2015.txt"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(old, new, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
