package saved

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/index"
)

// report is a fixture report of a district of 深圳市.
func report(district string, year int, texts ...string) index.Report {
	r := index.Report{
		Path:  fmt.Sprintf("%s/%d.txt", district, year),
		Title: fmt.Sprintf("%d年%s政府工作报告", year, district), Level: "district",
		Province: "广东省", City: "深圳市", District: district, Year: year,
	}
	for i, t := range texts {
		sec := "工作回顾"
		if strings.HasPrefix(t, "今年") {
			sec = "工作安排"
		}
		r.Paragraphs = append(r.Paragraphs, index.Paragraph{Ordinal: i + 1, Section: sec, Text: t})
	}
	return r
}

var gen1 = []index.Report{
	report("南山区", 2022, "深化放管服改革。", "稳中求进。"),
	report("福田区", 2022, "数字政府。", "今年推进放管服。"),
	report("宝安区", 2022, "乡村振兴。"),
}

// fixture is an index of gen1 with its store.
type fixture struct {
	dir   string
	ix    *index.Index
	store *Store
	clock time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, gen1); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f := &fixture{dir: dir, ix: ix, clock: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	f.store = Open(dir)
	f.store.now = func() time.Time { return f.clock }
	return f
}

// write changes the index: adds reports, removes paths; rebuild starts from
// nothing (indexer -o).
func (f *fixture) write(t *testing.T, rebuild bool, add []index.Report, remove ...string) {
	t.Helper()
	open := index.Update
	if rebuild {
		open = index.Create
	}
	w, err := open(f.dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range remove {
		w.RemovePath(p)
	}
	for i := range add {
		if err := w.Add(&add[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ix.Reload(); err != nil {
		t.Fatal(err)
	}
	f.clock = f.clock.Add(time.Hour)
}

// newOf lists the new reports of a saved search as "district year hits/before".
func newOf(t *testing.T, f *fixture, name string) []string {
	t.Helper()
	m, err := f.store.New(context.Background(), f.ix, name, 10)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, r := range m.New {
		if len(r.Paragraphs) != r.Hits {
			t.Errorf("%s: %s has %d paragraphs, want %d", name, r.Path, len(r.Paragraphs), r.Hits)
		}
		out = append(out, fmt.Sprintf("%s %d %d/%d", r.District, r.Year, r.Hits, r.Before))
	}
	slices.Sort(out)
	return out
}

func TestNewSinceLastLook(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, s := range []struct {
		name string
		req  index.Request
	}{
		{"放管服", index.Request{Query: "放管服"}},
		{"安排中的放管服", index.Request{Query: "放管服", Section: []string{"工作安排"}}},
		{"乡村振兴-宝安", index.Request{Query: "乡村振兴", District: []string{"寶安區"}}},
	} {
		if _, err := f.store.Save(ctx, f.ix, s.name, s.req); err != nil {
			t.Fatal(err)
		}
	}
	type want map[string][]string
	steps := []struct {
		name   string
		change func()
		look   []string // saved searches looked at after the change
		want   want     // new of each saved search after the change (before the looks)
	}{
		{"saving sees every current match", func() {}, nil,
			want{"放管服": {}, "安排中的放管服": {}, "乡村振兴-宝安": {}}},
		{"-add brings a new report and replaces one", func() {
			f.write(t, false, []index.Report{
				report("罗湖区", 2023, "放管服改革。", "今年放管服再深化。", "乡村振兴。"),
				report("南山区", 2022, "深化放管服改革。", "稳中求进。", "放管服走在前列。"), // replaced, one match more
				report("宝安区", 2023, "乡村振兴。"),
			})
		}, []string{"放管服"},
			want{"放管服": {"南山区 2022 2/1", "罗湖区 2023 2/0"}, "安排中的放管服": {"罗湖区 2023 1/0"}, "乡村振兴-宝安": {"宝安区 2023 1/0"}}},
		{"a look consumes only its own saved search", func() {}, nil,
			want{"放管服": {}, "安排中的放管服": {"罗湖区 2023 1/0"}, "乡村振兴-宝安": {"宝安区 2023 1/0"}}},
		{"a rebuild of the same reports brings nothing new", func() {
			f.write(t, true, []index.Report{
				gen1[1], gen1[2],
				report("罗湖区", 2023, "放管服改革。", "今年放管服再深化。", "乡村振兴。"),
				report("南山区", 2022, "深化放管服改革。", "稳中求进。", "放管服走在前列。"),
				report("宝安区", 2023, "乡村振兴。"),
			})
		}, []string{"安排中的放管服", "乡村振兴-宝安"},
			want{"放管服": {}, "安排中的放管服": {"罗湖区 2023 1/0"}, "乡村振兴-宝安": {"宝安区 2023 1/0"}}},
		{"-remove takes nothing new", func() { f.write(t, false, nil, "罗湖区/2023.txt") }, []string{"放管服"},
			want{"放管服": {}, "安排中的放管服": {}, "乡村振兴-宝安": {}}},
		{"a report added again is new where a look saw it gone", func() {
			f.write(t, false, []index.Report{report("罗湖区", 2023, "放管服改革。", "今年放管服再深化。", "乡村振兴。")})
		}, nil,
			want{"放管服": {"罗湖区 2023 2/0"}, "安排中的放管服": {}, "乡村振兴-宝安": {}}},
	}
	for _, st := range steps {
		st.change()
		for name, w := range st.want {
			if got := newOf(t, f, name); !slices.Equal(got, w) {
				t.Errorf("%s: new in %s = %q, want %q", st.name, name, got, w)
			}
		}
		for _, name := range st.look {
			if _, err := f.store.Look(ctx, f.ix, name, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestObserveRecordsWhenFirstSeen(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	saveAt := f.clock
	if _, err := f.store.Save(ctx, f.ix, "fgf", index.Request{Query: "放管服"}); err != nil {
		t.Fatal(err)
	}
	f.write(t, false, []index.Report{report("罗湖区", 2023, "放管服改革。")})
	addAt := f.clock
	ms, err := f.store.Observe(ctx, f.ix, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || len(ms[0].New) != 1 || !ms[0].New[0].Since.Equal(addAt) || ms[0].NewHits != 1 {
		t.Fatalf("Observe = %+v, want one new report seen at %v", ms, addAt)
	}
	// Observing is not looking: it is still new, and keeps its time.
	f.clock = f.clock.Add(time.Hour)
	m, err := f.store.Look(ctx, f.ix, "fgf", 0)
	if err != nil || len(m.New) != 1 || !m.New[0].Since.Equal(addAt) {
		t.Fatalf("Look = %+v, %v; want the report seen at %v", m, err, addAt)
	}
	// A replaced report that matches more is news again.
	f.write(t, false, []index.Report{report("南山区", 2022, "深化放管服改革。", "放管服。")})
	replacedAt := f.clock
	_, recent, err := f.store.Recent(ctx, f.ix, "fgf", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range recent {
		order = append(order, fmt.Sprintf("%s %s %d", r.District, r.Since.Format(time.TimeOnly), len(r.Paragraphs)))
	}
	// 福田区 matched when the search was saved: not news.
	want := []string{"南山区 " + replacedAt.Format(time.TimeOnly) + " 2", "罗湖区 " + addAt.Format(time.TimeOnly) + " 1"}
	if !slices.Equal(order, want) {
		t.Errorf("Recent = %q, want %q (saved at %v)", order, want, saveAt)
	}
}

func TestSaveErrors(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.store.Save(ctx, f.ix, "a", index.Request{Query: "放管服"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  index.Request
		err  error
	}{
		{"a", index.Request{Query: "数字政府"}, ErrExists},
		{"", index.Request{Query: "x"}, ErrBadName},
		{"a b", index.Request{Query: "x"}, ErrBadName},
		{"../etc", index.Request{Query: "x"}, ErrBadName},
		{"a.atom", index.Request{Query: "x"}, ErrBadName},
		{"名\x00", index.Request{Query: "x"}, ErrBadName},
		{strings.Repeat("长", MaxNameRunes+1), index.Request{Query: "x"}, ErrBadName},
		{"b", index.Request{Query: `"未闭合`}, index.ErrBadQuery},
		{"c", index.Request{Query: "  "}, index.ErrBadQuery},
		{"d", index.Request{Query: "x", Province: []string{"province:"}}, nil},
		{"区县-乡村_振兴2", index.Request{District: []string{"宝安区"}}, nil},
	}
	for _, tt := range tests {
		_, err := f.store.Save(ctx, f.ix, tt.name, tt.req)
		if (tt.err == nil) != (err == nil) || (tt.err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("Save(%q, %+v) = %v, want %v", tt.name, tt.req, err, tt.err)
		}
	}
	if _, err := f.store.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(nope) = %v, want ErrNotFound", err)
	}
	if err := f.store.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Delete("a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete(a) = %v, want ErrNotFound", err)
	}
}

func TestStoreFile(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.store.Save(ctx, f.ix, "fgf", index.Request{Query: "放管服"}); err != nil {
		t.Fatal(err)
	}
	// The index's own writers, -add and a rebuild, keep the file.
	f.write(t, false, []index.Report{report("罗湖区", 2023, "放管服。")})
	f.write(t, true, gen1)
	list, err := Open(f.dir).List()
	if err != nil || len(list) != 1 || list[0].Name != "fgf" {
		t.Fatalf("after -add and a rebuild: %v, %v; want the saved search", list, err)
	}
	// A temporary file a killed writer left is removed by the next change.
	left := filepath.Join(f.dir, tempPrefix+"123")
	os.WriteFile(left, []byte("{"), 0o644)
	if _, err := f.store.Save(ctx, f.ix, "two", index.Request{Query: "数字政府"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); err == nil {
		t.Errorf("%s is still there", left)
	}
	for _, bad := range []string{"{", `{"format":9,"searches":[]}`, `{"format":1,"searches":[{"name":"a"},{"name":"a"}]}`, `{"format":1,"searches":[{"name":"../x"}]}`} {
		os.WriteFile(filepath.Join(f.dir, FileName), []byte(bad), 0o644)
		if _, err := f.store.List(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), FileName) {
			t.Errorf("List of %q = %v, want ErrDamaged naming the file", bad, err)
		}
	}
	if _, err := Open(filepath.Join(f.dir, "missing")).List(); err == nil {
		t.Error("List in a missing directory: no error")
	}
}

// TestConcurrentSaves saves from goroutines through two stores of one
// directory, as the web server and the command line do: none is lost.
func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	stores := []*Store{Open(f.dir), Open(f.dir)}
	var wg sync.WaitGroup
	const n = 20
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := stores[i%2].Save(ctx, f.ix, fmt.Sprintf("s%d", i), index.Request{Query: "放管服"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	list, err := f.store.List()
	if err != nil || len(list) != n {
		t.Fatalf("%d saved searches (%v), want %d", len(list), err, n)
	}
}

func TestAtom(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for _, name := range []string{"fgf", "other"} {
		if _, err := f.store.Save(ctx, f.ix, name, index.Request{Query: "放管服"}); err != nil {
			t.Fatal(err)
		}
	}
	f.write(t, false, []index.Report{report("罗湖区", 2023, "放管服改革\x01<b>&。", "今年放管服。")})
	feeds := map[string]map[string]bool{}
	for _, name := range []string{"fgf", "other"} {
		m, recent, err := f.store.Recent(ctx, f.ix, name, 10, 10)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Atom(&m.Search, recent, FeedLinks{
			Self: "http://h/saved/" + name + ".atom", Alternate: "http://h/saved/" + name,
			Paragraph: func(h index.Hit) string { return fmt.Sprintf("http://h/doc/%s#p%d", h.Report, h.Paragraph) },
		}, f.clock)
		if err != nil {
			t.Fatal(err)
		}
		var feed struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			ID      string   `xml:"id"`
			Updated string   `xml:"updated"`
			Entries []struct {
				ID      string `xml:"id"`
				Updated string `xml:"updated"`
				Title   string `xml:"title"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(b, &feed); err != nil {
			t.Fatalf("%s: the feed is not XML: %v\n%s", name, err, b)
		}
		// The two paragraphs of 罗湖区, which came after the save.
		if len(feed.Entries) != 2 {
			t.Fatalf("%s: %d entries, want 2\n%s", name, len(feed.Entries), b)
		}
		e := feed.Entries[0]
		if !strings.Contains(e.Link.Href, "#p1") || !strings.Contains(e.Summary, "<b>&") || e.Updated != feed.Updated {
			t.Errorf("%s: first entry %+v: want the 罗湖区 paragraph 1, dated as the feed (%s)", name, e, feed.Updated)
		}
		ids := map[string]bool{}
		for _, e := range feed.Entries {
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || ids[e.ID] || !strings.HasPrefix(e.ID, "tag:zhengce,2025-01-02:saved/"+name+"/") {
				t.Errorf("%s: entry id %q updated %q: want unique tag URIs and RFC 3339 dates", name, e.ID, e.Updated)
			}
			ids[e.ID] = true
		}
		feeds[name] = ids
	}
	for id := range feeds["fgf"] {
		if feeds["other"][id] {
			t.Errorf("entry id %s is in two feeds", id)
		}
	}
}

// TestReadingWritesNothingNew: reading a feed or observing again, with
// nothing new, leaves saved.json as it is.
func TestReadingWritesNothingNew(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.store.Save(ctx, f.ix, "fgf", index.Request{Query: "放管服"}); err != nil {
		t.Fatal(err)
	}
	f.write(t, false, []index.Report{report("罗湖区", 2023, "放管服。")})
	if _, _, err := f.store.Recent(ctx, f.ix, "fgf", 10, 1); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, FileName)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Unix(1, 0)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.store.Recent(ctx, f.ix, "fgf", 10, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Observe(ctx, f.ix, 0); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(old) || after.Size() != before.Size() {
		t.Errorf("%s was written again with nothing new", path)
	}
}
