package e2e

import (
	"context"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/longbridgeapp/opencc"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/norm"
)

var (
	seed    = flag.Uint64("seed", 20261123, "seed of the sampled phrases")
	samples = flag.Int("samples", 2000, "phrases sampled from the bundled paragraphs")
)

// bundled is the index of the bundled reports, built once for all tests,
// with the brute-force view of the same paragraphs.
var bundled struct {
	ix    *index.Index
	paras []para
}

type para struct {
	id       string // paragraph document id
	text     string
	norm     string
	district string
	year     int
}

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "zhengce-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		out := dir + "/index"
		// ZHENGCE_E2E_CORPUS=DIR runs the same checks on other reports.
		src := ingest.Source{FS: corpus.Bundled, Root: "reports"}
		if d := os.Getenv("ZHENGCE_E2E_CORPUS"); d != "" {
			src = ingest.Dir(d)
			fmt.Fprintln(os.Stderr, "e2e: reports from", d)
		}
		if _, err := ingest.Build(out, []ingest.Source{src}, index.Options{}); err != nil {
			fmt.Fprintln(os.Stderr, "building bundled index:", err)
			return 1
		}
		ix, err := index.Open(out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer ix.Close()
		bundled.ix = ix
		_, err = corpus.Load(src.FS, src.Root, func(r *corpus.Report) error {
			ir := ingest.Convert(r)
			for _, p := range ir.Paragraphs {
				bundled.paras = append(bundled.paras, para{
					id: fmt.Sprintf("%s-%d", ir.ID, p.Ordinal), text: p.Text, norm: norm.String(p.Text),
					district: norm.Fold(r.District), year: r.Year,
				})
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.RemoveAll(dir)
	os.Exit(code)
}

// bruteForce is the definition of a match: the normalised phrase is a
// substring of the normalised paragraph.
func bruteForce(phrase string) map[string]bool {
	p := norm.String(phrase)
	out := map[string]bool{}
	for _, pa := range bundled.paras {
		if strings.Contains(pa.norm, p) {
			out[pa.id] = true
		}
	}
	return out
}

// sample draws n substrings of 1–10 characters from the bundled paragraphs.
func sample(n int, rng *rand.Rand) []string {
	var out []string
	for len(out) < n {
		pa := bundled.paras[rng.IntN(len(bundled.paras))]
		r := []rune(pa.text)
		if len(r) == 0 {
			continue
		}
		length := 1 + rng.IntN(10)
		start := rng.IntN(len(r))
		end := min(start+length, len(r))
		s := string(r[start:end])
		if !norm.HasWordChars(s) {
			continue // only punctuation: the query language refuses it
		}
		out = append(out, s)
	}
	return out
}

// asQuery writes a phrase in the query language: quoted, with the characters
// normalisation deletes anyway (quotes, white space) removed.
func asQuery(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r == '“' || r == '”' || strings.ContainsRune(" \t\n\r\u3000", r) {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
}

func TestExactEqualsSubstringScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(*seed, 1))
	phrases := sample(*samples, rng)
	s2t, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}
	var traditional []string
	for _, p := range phrases {
		tp, err := s2t.Convert(p)
		if err != nil {
			t.Fatal(err)
		}
		traditional = append(traditional, tp)
	}
	ctx := context.Background()
	checked, hits, differentScript := 0, 0, 0
	for i, p := range append(phrases, traditional...) {
		if i >= len(phrases) && p != phrases[i-len(phrases)] {
			differentScript++
		}
		want := bruteForce(p)
		res, err := bundled.ix.Search(ctx, index.Request{Query: asQuery(p), NoFacets: true})
		if err != nil {
			t.Fatalf("Search(%q): %v", asQuery(p), err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
			checkHighlight(t, p, h)
		}
		if res.Total != len(want) || !sameSet(got, want) {
			t.Errorf("Search(%q) = %d hits, substring scan finds %d; missing %v, extra %v",
				asQuery(p), res.Total, len(want), diff(want, got, 3), diff(got, want, 3))
		}
		checked++
		hits += len(want)
	}
	t.Logf("seed %d: %d phrases (%d in another script), %d paragraph hits, all equal to the substring scan",
		*seed, checked, differentScript, hits)
}

// checkHighlight verifies that a hit's highlight is the escaped original
// text, that every mark holds the phrase, and that no occurrence is left
// unmarked.
func checkHighlight(t *testing.T, phrase string, h index.Hit) {
	t.Helper()
	plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h.Highlight))
	if plain != h.Text {
		t.Fatalf("%s: highlight without marks = %q, want the text %q", h.ID, plain, h.Text)
	}
	p := norm.String(phrase)
	var outside strings.Builder
	rest := h.Highlight
	marks := 0
	for {
		i := strings.Index(rest, "<mark>")
		if i < 0 {
			outside.WriteString(html.UnescapeString(rest))
			break
		}
		outside.WriteString(html.UnescapeString(rest[:i]))
		outside.WriteString("\x00")
		rest = rest[i+len("<mark>"):]
		j := strings.Index(rest, "</mark>")
		marked := html.UnescapeString(rest[:j])
		rest = rest[j+len("</mark>"):]
		marks++
		if !strings.Contains(norm.String(marked), p) {
			t.Errorf("%s: mark %q does not hold %q", h.ID, marked, phrase)
		}
	}
	if marks == 0 {
		t.Errorf("%s: no mark for %q in %q", h.ID, phrase, h.Text)
	}
	for _, part := range strings.Split(outside.String(), "\x00") {
		if strings.Contains(norm.String(part), p) {
			t.Errorf("%s: %q left unmarked in %q", h.ID, phrase, part)
		}
	}
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func diff(a, b map[string]bool, n int) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func TestFacetsCountTheWholeHitSet(t *testing.T) {
	ctx := context.Background()
	for _, q := range []string{"放管服", "营商环境", "发展", "報告", "新质生产力 OR 高质量发展"} {
		res, err := bundled.ix.Search(ctx, index.Request{Query: q, Limit: 5})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		all, err := bundled.ix.Search(ctx, index.Request{Query: q, NoFacets: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Hits) != res.Total {
			t.Fatalf("Search(%q) with limit 0 = %d hits, total %d", q, len(all.Hits), res.Total)
		}
		byDistrict, byYear := map[string]int{}, map[string]int{}
		for _, h := range all.Hits {
			if h.District != "" {
				byDistrict[h.District]++
			}
			if h.Year > 0 {
				byYear[fmt.Sprint(h.Year)]++
			}
		}
		for name, want := range map[string]map[string]int{"district": byDistrict, "year": byYear} {
			got := map[string]int{}
			for _, c := range res.Facets[name] {
				got[c.Value] = c.Count
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Search(%q) facet %s = %v, counting the hits gives %v", q, name, got, want)
			}
		}
	}
}

func TestHTMLInCorpusIsEscaped(t *testing.T) {
	got, n := index.Highlight(`<script>alert("放管服")</script>`, []string{norm.String("放管服")})
	want := `&lt;script&gt;alert(&#34;<mark>放管服</mark>&#34;)&lt;/script&gt;`
	if got != want || n != 1 {
		t.Errorf("Highlight = %q, %d; want %q, 1", got, n, want)
	}
}
