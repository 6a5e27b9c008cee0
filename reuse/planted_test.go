package reuse_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/ingest"
	"github.com/zhengce/zhengce/reuse"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// An edit is how a planted report copies a paragraph.
type edit struct {
	name string
	// beyond marks an edit that changes more than the threshold allows:
	// its copies are reported, not counted in recall.
	beyond bool
	apply  func(text string, rng *rand.Rand) string
}

var edits = []edit{
	{"verbatim", false, func(s string, _ *rand.Rand) string { return s }},
	{"figures changed", false, func(s string, _ *rand.Rand) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '0' + (r-'0'+3)%10
			}
			return r
		}, s)
	}},
	{"place names changed (区→县, 市→州)", false, func(s string, _ *rand.Rand) string {
		return strings.NewReplacer("区", "县", "市", "州").Replace(s)
	}},
	{"first 60% kept", false, func(s string, _ *rand.Rand) string {
		r := []rune(s)
		return string(r[:len(r)*6/10])
	}},
	{"one sentence dropped", false, func(s string, rng *rand.Rand) string {
		parts := strings.SplitAfter(s, "。")
		if len(parts) < 3 {
			parts = strings.SplitAfter(s, "，")
		}
		i := rng.IntN(len(parts))
		return strings.Join(append(parts[:i:i], parts[i+1:]...), "")
	}},
	{"one character in 30 replaced", false, func(s string, rng *rand.Rand) string { return replaceEvery(s, 30, rng) }},
	{"one character in 8 replaced", true, func(s string, rng *rand.Rand) string { return replaceEvery(s, 8, rng) }},
}

func replaceEvery(s string, n int, rng *rand.Rand) string {
	r := []rune(s)
	for i := rng.IntN(n); i < len(r); i += n {
		r[i] = rune(0x4E00 + rng.IntN(20000))
	}
	return string(r)
}

// hanCount counts the Han characters of s.
func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// TestPlanted measures precision and recall on a planted set over the
// bundled corpus. The reports of samples/ (places found nowhere else) are
// held out; the others are indexed with twelve planted reports of new
// places, dated 2030, each made of five paragraphs copied (with one of the
// edits) from distinct paragraphs of indexed reports and five paragraphs of
// the held-out reports, which nothing indexed copies. A planted paragraph
// is found when the table says it is reused from an earlier report of
// another place and lists the report it was copied from (or lists
// MaxListed reports, the most it keeps). Precision counts every planted
// paragraph found reused: a held-out paragraph found reused, or a copy
// attributed to the wrong report, is a false positive. Copies whose source
// is boilerplate are left out: they are not copying.
func TestPlanted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the bundled corpus")
	}
	var base, held []*corpus.Report
	_, err := corpus.Load(corpus.Bundled, "reports", func(r *corpus.Report) error {
		if strings.HasPrefix(r.Path, "samples/") {
			held = append(held, r)
		} else {
			base = append(base, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var reports []index.Report
	type src struct {
		report string
		text   string
	}
	var sources []src
	for _, r := range base {
		ir := ingest.Convert(r)
		reports = append(reports, ir)
		for _, p := range ir.Paragraphs {
			if hanCount(p.Text) >= 80 {
				sources = append(sources, src{ir.ID, p.Text})
			}
		}
	}
	var originals []string
	for _, r := range held {
		for _, p := range r.Paragraphs {
			if hanCount(p.Text) >= 60 {
				originals = append(originals, p.Text)
			}
		}
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	rng.Shuffle(len(sources), func(i, j int) { sources[i], sources[j] = sources[j], sources[i] })
	rng.Shuffle(len(originals), func(i, j int) { originals[i], originals[j] = originals[j], originals[i] })

	type planted struct {
		report  string
		ordinal int
		edit    int    // -1: held-out original
		source  string // report copied from
	}
	var truth []planted
	const plantedReports, copies, own = 12, 5, 5
	next := 0
	for i := range plantedReports {
		r := index.Report{Path: fmt.Sprintf("planted/%02d.txt", i), Title: fmt.Sprintf("种植县%d 2030年政府工作报告", i),
			Level: "district", Province: "种植省", City: "种植市", District: fmt.Sprintf("种植%d县", i), Year: 2030}
		r.ID = index.ReportID(r.Path, 0)
		for k := range copies + own {
			p := planted{report: r.ID, ordinal: k + 1, edit: -1}
			text := originals[(i*own+k/2)%len(originals)]
			if k%2 == 0 {
				s := sources[next]
				next++
				p.edit = next % len(edits)
				p.source = s.report
				text = edits[p.edit].apply(s.text, rng)
			}
			r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: k + 1, Text: text})
			truth = append(truth, p)
		}
		reports = append(reports, r)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tab, _, err := reuse.Compute(context.Background(), ix, reuse.Params{})
	if err != nil {
		t.Fatal(err)
	}

	type tally struct{ copies, found, boilerplate int }
	perEdit := make([]tally, len(edits))
	var tp, fp, originalsFound, counted, foundCounted int
	for _, p := range truth {
		r, _ := tab.Lookup(p.report)
		m, _ := r.Mark(p.ordinal)
		reused := m != nil && !m.Boilerplate && m.Earlier > 0
		if p.edit < 0 {
			if reused {
				fp++
				originalsFound++
			}
			continue
		}
		e := &perEdit[p.edit]
		if m != nil && m.Boilerplate {
			e.boilerplate++
			continue
		}
		e.copies++
		right := false
		if reused {
			for _, f := range m.Found {
				right = right || tab.Reports[f.Report].ID == p.source
			}
			right = right || len(m.Found) == reuse.MaxListed
		}
		if right {
			e.found++
			tp++
		} else if reused {
			fp++
		}
		if !edits[p.edit].beyond {
			counted++
			if right {
				foundCounted++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "planted set: %d reports indexed (%d places), %d planted reports of %d paragraphs (%d copied, %d held out)\n",
		len(tab.Reports), tab.Places, plantedReports, copies+own, plantedReports*copies, plantedReports*own)
	fmt.Fprintf(&b, "threshold %.2f, shingles of %d characters, boilerplate from %d places\n\n", tab.Params.Threshold, tab.Params.ShingleLen, tab.BoilerplatePlaces)
	fmt.Fprintf(&b, "%-34s %6s %6s %7s %12s\n", "edit", "copies", "found", "recall", "boilerplate")
	for i, e := range edits {
		name := e.name
		if e.beyond {
			name += " *"
		}
		fmt.Fprintf(&b, "%-34s %6d %6d %7.2f %12d\n", name, perEdit[i].copies, perEdit[i].found, ratio(perEdit[i].found, perEdit[i].copies), perEdit[i].boilerplate)
	}
	recall, precision := ratio(foundCounted, counted), ratio(tp, tp+fp)
	fmt.Fprintf(&b, "\nrecall (edits within the threshold): %d/%d = %.3f\n", foundCounted, counted, recall)
	fmt.Fprintf(&b, "precision: %d/%d = %.3f (held-out paragraphs found reused: %d)\n", tp, tp+fp, precision, originalsFound)
	fmt.Fprintf(&b, "* beyond the threshold: expected to be missed, not counted in recall\n")
	t.Log("\n" + b.String())
	golden := filepath.Join("testdata", "planted.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if string(want) != b.String() {
		t.Errorf("planted results differ from %s:\n%s\nwant\n%s", golden, b.String(), want)
	}
	if recall < 0.9 || precision < 0.95 {
		t.Errorf("recall %.3f, precision %.3f; want at least 0.9 and 0.95", recall, precision)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
