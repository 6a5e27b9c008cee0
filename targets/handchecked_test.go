package targets

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/index"
)

// TestHandChecked compares ReadTargets on 16 bundled reports with targets
// read from their text by hand (testdata/handchecked.csv), and prints
// per-field accuracy: an indicator found with the right kind, then its
// value, range and modifier as rendered. Targets read that the table does
// not list are counted too, and shown, since the table lists only the main
// indicators of each report.
func TestHandChecked(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "handchecked.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var body strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			body.WriteString(sc.Text() + "\n")
		}
	}
	recs, err := csv.NewReader(strings.NewReader(body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ path, indicator, kind string }
	want := map[key][]string{}
	var paths []string // in the table's order
	for _, r := range recs[1:] {
		if len(paths) == 0 || paths[len(paths)-1] != r[0] {
			paths = append(paths, r[0])
		}
		k := key{r[0], r[1], r[2]}
		want[k] = append(want[k], r[3])
	}
	rows := len(recs) - 1
	found, valued, extra := 0, 0, 0
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join("..", "corpus", "reports", filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		rs, err := corpus.Parse(filepath.Base(p), data)
		if err != nil || len(rs) != 1 {
			t.Fatalf("%s: %v (%d reports)", p, err, len(rs))
		}
		r := &index.Report{ID: p, Path: p, Year: rs[0].Year}
		for _, para := range rs[0].Paragraphs {
			r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: para.Ordinal, Section: para.Section, Heading: strings.Join(para.Heading, " › "), Text: para.Text})
		}
		got := map[key][]string{}
		for _, tg := range ReadTargets(r) {
			k := key{p, tg.Indicator, tg.Kind}
			got[k] = append(got[k], tg.String())
			if len(want[k]) == 0 {
				extra++
				t.Logf("%s: read %s %s %s, not in the hand-checked table (clause %q)", p, tg.Indicator, tg.Kind, tg.String(), tg.Clause)
			}
		}
		for k, ws := range want {
			if k.path != p {
				continue
			}
			gs := got[k]
			for i, w := range ws {
				switch {
				case i >= len(gs):
					t.Errorf("%s: %s (%s) %s not read", p, k.indicator, k.kind, w)
				case gs[i] != w:
					found++
					t.Errorf("%s: %s (%s) read as %s, by hand %s", p, k.indicator, k.kind, gs[i], w)
				default:
					found++
					valued++
				}
			}
		}
	}
	t.Logf("hand-checked targets of %d reports: %d rows; indicator and kind found %d (%.1f%%), value, range and modifier right %d (%.1f%%); %d more read that the table does not list",
		len(paths), rows, found, 100*float64(found)/float64(rows), valued, 100*float64(valued)/float64(rows), extra)
}
