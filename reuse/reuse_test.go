package reuse

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

// seq returns n distinct Han characters starting at the from-th: text in
// which every shingle is distinct.
func seq(from, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteRune(rune(0x4E00 + from + i))
	}
	return b.String()
}

// noise returns n Han characters drawn at random (seeded): text that shares
// no shingle with any other.
func noise(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for range n {
		b.WriteRune(rune(0x4E00 + rng.IntN(20000)))
	}
	return b.String()
}

// rep makes a report of a district with one paragraph per text.
func rep(id, district string, year int, texts ...string) index.Report {
	r := index.Report{ID: id, Path: id + ".txt", Title: id, Level: "district", Province: "测试省", City: "测试市",
		District: district, Year: year}
	for i, t := range texts {
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Text: t})
	}
	return r
}

// compute builds an index of reports and computes its table.
func compute(t *testing.T, reports []index.Report) *Table {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	if err := index.BuildReports(dir, reports); err != nil {
		t.Fatalf("BuildReports: %v", err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tab, _, err := Compute(context.Background(), ix, Params{})
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return tab
}

func mark(t *testing.T, tab *Table, id string, ordinal int) *Mark {
	t.Helper()
	r, ok := tab.Lookup(id)
	if !ok {
		t.Fatalf("no report %s in the table", id)
	}
	m, _ := r.Mark(ordinal)
	return m
}

// TestThreshold checks containment on constructed pairs: the paragraph of
// "later" (2020, place B) against the one of "earlier" (2019, place A).
// The 400 distinct characters of P have 393 shingles; the threshold 0.5
// needs 197 of them in Q: a shared prefix of 204 characters has 197, one
// of 203 has 196.
func TestThreshold(t *testing.T) {
	p := seq(0, 400)
	tests := []struct {
		name    string
		later   string // P
		earlier string // Q
		want    float64
	}{
		{"identical", p, p, 1},
		{"just above: prefix of 204 shared (197/393)", p, seq(0, 204) + seq(1000, 196), 197.0 / 393},
		{"just below: prefix of 203 shared (196/393)", p, seq(0, 203) + seq(1000, 197), 0},
		{"unrelated", p, seq(2000, 400), 0},
		{"copied into a longer paragraph", seq(0, 100), seq(3000, 150) + seq(0, 100) + seq(4000, 150), 1},
		{"the longer one is not found in the part copied from it", seq(3000, 150) + seq(0, 100) + seq(4000, 150), seq(0, 100), 0},
		{"figures changed", "二〇二三年地区生产总值增长6.5%，一般公共预算收入增长8%，城镇调查失业率控制在5.5%以内，居民人均可支配收入增长7%。",
			"二〇二三年地区生产总值增长12.1%，一般公共预算收入增长3%，城镇调查失业率控制在4%以内，居民人均可支配收入增长9.25%。", 1},
		{"script, width and punctuation changed", "深化“放管服”改革，持续优化营商环境，推动政务服务事项全部网上可办、一网通办。",
			"深化放管服改革 持續優化營商環境；推動政務服務事項全部網上可辦，一網通辦", 1},
		{"shorter than MinChars is not compared", "深化放管服改革优化营商环境推动", "深化放管服改革优化营商环境推动", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := compute(t, []index.Report{
				rep("earlier", "甲区", 2019, tt.earlier),
				rep("later", "乙区", 2020, tt.later),
			})
			m := mark(t, tab, "later", 1)
			got := 0.0
			if m != nil && len(m.Found) > 0 {
				got = m.Found[0].Containment
			}
			if diff := got - tt.want; diff > 1e-9 || diff < -1e-9 {
				t.Fatalf("containment of later in earlier = %.4f, want %.4f (mark %+v)", got, tt.want, m)
			}
			if tt.want == 0 {
				return
			}
			if m.Earlier != tt.want || m.Boilerplate || m.Others != 1 || m.Found[0].Report != 0 {
				t.Errorf("mark = %+v, want found earlier in report 0 with %.4f", m, tt.want)
			}
			later, _ := tab.Lookup("later")
			if want := int(float64(m.Chars)*tt.want + 0.5); later.Reused != want {
				t.Errorf("Reused = %d, want %d", later.Reused, want)
			}
			if len(tab.Pairs) != 1 || tab.Pairs[0].A != 1 || tab.Pairs[0].B != 0 {
				t.Errorf("pairs = %+v, want one pair later ← earlier", tab.Pairs)
			}
		})
	}
}

// TestBoilerplate checks that what every place says is not copying. With
// six places a passage is boilerplate from three places on.
func TestBoilerplate(t *testing.T) {
	salute := func(d string) string {
		return "各位代表：现在，我代表" + d + "人民政府向大会报告工作，请予审议，并请各位政协委员和其他列席人员提出意见。"
	}
	in3, in2 := noise(1, 120), noise(2, 120)
	var reports []index.Report
	for i, d := range []string{"甲区", "乙区", "丙区", "丁区", "戊区", "己区"} {
		texts := []string{salute(d), noise(uint64(100+i), 150)}
		if i < 3 {
			texts = append(texts, in3)
		}
		if i >= 4 {
			texts = append(texts, in2)
		}
		reports = append(reports, rep(fmt.Sprintf("r%d", i), d, 2015+i, texts...))
	}
	tab := compute(t, reports)
	if tab.Places != 6 || tab.BoilerplatePlaces != 3 {
		t.Fatalf("places %d, boilerplate from %d; want 6 and 3", tab.Places, tab.BoilerplatePlaces)
	}
	tests := []struct {
		id          string
		ordinal     int
		boilerplate bool
		others      int
	}{
		{"r0", 1, true, 0},  // the salutation, in every place
		{"r5", 1, true, 0},  //
		{"r0", 2, false, 0}, // its own text
		{"r2", 3, true, 2},  // in three places: boilerplate
		{"r5", 3, false, 1}, // in two: copying
	}
	for _, tt := range tests {
		m := mark(t, tab, tt.id, tt.ordinal)
		switch {
		case m == nil && (tt.boilerplate || tt.others > 0):
			t.Errorf("%s ¶%d: no mark, want boilerplate %v, others %d", tt.id, tt.ordinal, tt.boilerplate, tt.others)
		case m != nil && (m.Boilerplate != tt.boilerplate || !m.Boilerplate && m.Others != tt.others):
			t.Errorf("%s ¶%d: mark %+v, want boilerplate %v, others %d", tt.id, tt.ordinal, m, tt.boilerplate, tt.others)
		}
	}
	// Only the copy in two places makes a pair, a passage and a share.
	if len(tab.Pairs) != 1 || tab.Reports[tab.Pairs[0].A].ID != "r5" || tab.Reports[tab.Pairs[0].B].ID != "r4" {
		t.Errorf("pairs = %+v, want r5 ← r4 only", tab.Pairs)
	}
	if len(tab.Passages) != 1 || tab.Reports[tab.Passages[0].Report].ID != "r4" {
		t.Errorf("passages = %+v, want the one of r4", tab.Passages)
	}
	for _, r := range tab.Reports {
		if want := r.ID == "r5"; (r.Reused > 0) != want {
			t.Errorf("%s: Reused %d, want > 0: %v", r.ID, r.Reused, want)
		}
	}
}

// TestOrder checks that matches are listed oldest first, that the oldest is
// the original, and that a place's own reports of other years are kept
// apart from copying.
func TestOrder(t *testing.T) {
	shared := noise(9, 200)
	var reports []index.Report
	// Ten places with text of their own, so that four is not boilerplate.
	for i := range 10 {
		reports = append(reports, rep(fmt.Sprintf("own%d", i), fmt.Sprintf("区%d", i), 2010, noise(uint64(50+i), 100)))
	}
	reports = append(reports,
		rep("b2021", "乙区", 2021, noise(20, 60), shared),
		rep("a2018", "甲区", 2018, shared),
		rep("c2020", "丙区", 2020, shared),
		rep("a2019", "甲区", 2019, shared), // the same place a year later
	)
	tab := compute(t, reports)
	idOf := func(ms []Match) []string {
		var out []string
		for _, m := range ms {
			out = append(out, tab.Reports[m.Report].ID)
		}
		return out
	}
	tests := []struct {
		id        string
		ordinal   int
		found     string // other places, oldest first
		same      string // the same place
		earlier   bool
		samePlace bool
	}{
		{"a2018", 1, "c2020 b2021", "a2019", false, true},
		{"a2019", 1, "c2020 b2021", "a2018", false, true}, // found in 2018 only in its own place
		{"c2020", 1, "a2018 a2019 b2021", "", true, false},
		{"b2021", 2, "a2018 a2019 c2020", "", true, false},
	}
	for _, tt := range tests {
		m := mark(t, tab, tt.id, tt.ordinal)
		if m == nil {
			t.Errorf("%s ¶%d: no mark", tt.id, tt.ordinal)
			continue
		}
		if got := strings.Join(idOf(m.Found), " "); got != tt.found {
			t.Errorf("%s ¶%d: found in %q, want %q", tt.id, tt.ordinal, got, tt.found)
		}
		if got := strings.Join(idOf(m.SameFound), " "); got != tt.same {
			t.Errorf("%s ¶%d: found in its own place in %q, want %q", tt.id, tt.ordinal, got, tt.same)
		}
		if (m.Earlier > 0) != tt.earlier {
			t.Errorf("%s ¶%d: Earlier %v, want > 0: %v", tt.id, tt.ordinal, m.Earlier, tt.earlier)
		}
		r, _ := tab.Lookup(tt.id)
		if (r.SamePlace > 0) != tt.samePlace {
			t.Errorf("%s: SamePlace %d, want > 0: %v", tt.id, r.SamePlace, tt.samePlace)
		}
	}
	if len(tab.Passages) != 1 || tab.Reports[tab.Passages[0].Report].ID != "a2018" || tab.Passages[0].Places != 3 {
		t.Errorf("passages = %+v, want one, first written by a2018, in 3 places", tab.Passages)
	}
	for _, p := range tab.Pairs {
		a, b := tab.Reports[p.A], tab.Reports[p.B]
		if a.District == b.District {
			t.Errorf("pair %s ← %s: a place paired with itself", a.ID, b.ID)
		}
		if a.Rank < b.Rank {
			t.Errorf("pair %s ← %s: A is the earlier one", a.ID, b.ID)
		}
	}
	if got := len(tab.TopPairs(Filter{Place: "丙区"}, 0)); got != 3 {
		t.Errorf("pairs of 丙区 = %d, want 3 (with 甲区 2018, 2019 and 乙区)", got)
	}
	if got := len(tab.TopPairs(Filter{Place: "甲区", YearFrom: 2019}, 0)); got != 2 {
		t.Errorf("pairs of 甲区 from 2019 on = %d, want 2 (its 2019 report with 乙区 and 丙区)", got)
	}
	if got := len(tab.TopPassages(Filter{Place: "区5"}, 0)); got != 0 {
		t.Errorf("passages in 区5 = %d, want 0", got)
	}
}

// TestStoredPerGeneration checks that a stored table is tied to its
// generation: after reports are added it is stale until recomputed, and
// the index's own clean-up leaves it alone.
func TestStoredPerGeneration(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "idx")
	text := noise(3, 100)
	if err := index.BuildReports(dir, []index.Report{rep("a", "甲区", 2019, text)}); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, 1); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Read before Update: %v, want not exist", err)
	}
	if _, err := Update(ctx, dir); err != nil {
		t.Fatalf("Update: %v", err)
	}
	tab, err := Read(dir, 1)
	if err != nil || len(tab.Reports) != 1 || len(tab.Pairs) != 0 {
		t.Fatalf("Read = %+v, %v; want generation 1 with one report", tab, err)
	}
	w, err := index.Update(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := rep("b", "乙区", 2020, text)
	if err := w.Add(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, 2); !errors.Is(err, ErrStale) {
		t.Fatalf("Read after a commit: %v, want ErrStale", err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c := NewCache(ix)
	got, err := c.Table(ctx)
	if err != nil || got.Generation != 2 || len(got.Pairs) != 1 {
		t.Fatalf("Cache.Table with a stale file = %+v, %v; want generation 2 computed, one pair", got, err)
	}
	if _, err := Update(ctx, dir); err != nil {
		t.Fatal(err)
	}
	tab, err = Read(dir, 2)
	if err != nil || len(tab.Pairs) != 1 {
		t.Fatalf("Read after Update = %+v, %v; want generation 2 with one pair", tab, err)
	}
	// A merge commits a generation with the same reports: the table is
	// renumbered, not computed again, and equals a fresh one. Until it is
	// stored, the cache keeps serving the previous one.
	if n, err := index.Merge(dir, index.Options{}, true); err != nil || n != 1 {
		t.Fatalf("Merge = %d, %v", n, err)
	}
	if _, err := ix.Reload(); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Table(ctx); err != nil || got.Generation != 2 {
		t.Fatalf("Cache.Table before the new table is stored = %+v, %v; want generation 2 still", got, err)
	}
	st, err := Update(ctx, dir)
	if err != nil || st.Elapsed != 0 {
		t.Fatalf("Update after a merge: %+v, %v; want the table renumbered without comparing", st, err)
	}
	merged, err := Read(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Table(ctx); err != nil || got.Generation != 3 {
		t.Fatalf("Cache.Table once it is stored = %+v, %v; want generation 3", got, err)
	}
	ix3, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix3.Close()
	fresh, _, err := Compute(ctx, ix3, Params{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := string(Encode(merged)), string(Encode(fresh)); a != b {
		t.Errorf("renumbered table differs from a fresh one:\n%+v\nwant\n%+v", merged, fresh)
	}
	// A table computed with other settings is stale too.
	other, _, err := Compute(ctx, ix3, Params{Threshold: 0.6})
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, other); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, 3); !errors.Is(err, ErrStale) {
		t.Errorf("Read of a table computed with threshold 0.6: %v, want ErrStale", err)
	}
}

// TestDecode checks that a stored table reads back as it was, and that a
// damaged file is an error, never a panic or a wrong table.
func TestDecode(t *testing.T) {
	shared := noise(4, 150)
	tab := compute(t, []index.Report{
		rep("a", "甲区", 2019, shared, noise(5, 80)),
		rep("b", "乙区", 2020, noise(6, 90), shared),
		rep("c", "甲区", 2021, shared),
	})
	data := Encode(tab)
	back, err := Decode("test", data)
	if err != nil {
		t.Fatalf("Decode(Encode(t)): %v", err)
	}
	if a, b := fmt.Sprintf("%+v", tab.Reports), fmt.Sprintf("%+v", back.Reports); a != b {
		t.Errorf("reports after a round trip:\n%s\nwant\n%s", b, a)
	}
	if a, b := fmt.Sprintf("%+v %+v %+v", tab.Pairs, tab.Passages, tab.Params), fmt.Sprintf("%+v %+v %+v", back.Pairs, back.Passages, back.Params); a != b {
		t.Errorf("pairs, passages, params after a round trip: %s, want %s", b, a)
	}
	for _, n := range []int{0, 4, 8, 12, len(data) / 2, len(data) - 1} {
		if _, err := Decode("test", data[:n]); !errors.Is(err, ErrDamaged) {
			t.Errorf("Decode of the first %d bytes: %v, want ErrDamaged", n, err)
		}
	}
	for i := len(fileMagic); i < len(data); i += 7 {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x40
		if _, err := Decode("test", bad); !errors.Is(err, ErrDamaged) {
			t.Errorf("Decode with byte %d flipped: %v, want ErrDamaged", i, err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), data[:len(data)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir, tab.Generation); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), FileName) {
		t.Errorf("Read of a truncated file: %v, want ErrDamaged naming %s", err, FileName)
	}
}

func appendCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// FuzzDecode checks that no input makes Decode panic, even one with a
// right checksum.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(fileMagic + "\x01\x01"))
	f.Fuzz(func(t *testing.T, body []byte) {
		b := append([]byte(fileMagic), body...)
		b = appendCRC(b)
		Decode("fuzz", b)
	})
}
