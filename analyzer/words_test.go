package analyzer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/zhengce/zhengce/norm"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// wordsWant is one expected token: folded term, original byte span,
// position.
type wordsWant struct {
	term       string
	start, end int
	pos        int
}

func wordsGot(ts analysis.TokenStream) []wordsWant {
	got := []wordsWant{}
	for _, tk := range ts {
		got = append(got, wordsWant{string(tk.Term), tk.Start, tk.End, tk.Position})
	}
	return got
}

func TestWordsTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []wordsWant
	}{
		{"quoted slogan", "“放管服”改革", []wordsWant{
			{"放管服", 3, 12, 1}, {"改革", 15, 21, 2}}},
		{"unquoted slogan", "深化放管服改革", []wordsWant{
			{"深化", 0, 6, 1}, {"放管服", 6, 15, 2}, {"改革", 15, 21, 3}}},
		{"traditional", "統籌推進", []wordsWant{
			{"统筹", 0, 6, 1}, {"推进", 6, 12, 2}}},
		{"traditional and simplified agree", "统筹推进", []wordsWant{
			{"统筹", 0, 6, 1}, {"推进", 6, 12, 2}}},
		{"full-width digits and letters", "２０２３年ＧＤＰ增长５．２％", []wordsWant{
			{"2023", 0, 12, 1}, {"年", 12, 15, 2}, {"gdp", 15, 24, 3}, {"增长", 24, 30, 4}, {"5.2", 30, 39, 5}}},
		{"curated word in context", "加快发展新质生产力", []wordsWant{
			{"加快", 0, 6, 1}, {"发展", 6, 12, 2}, {"新质生产力", 12, 27, 3}}},
		{"separators leave no position gap", "一网通办、双随机一公开。", []wordsWant{
			{"一网通办", 0, 12, 1}, {"双随机一公开", 15, 33, 2}}},
		{"line break", "第一段\n第二段", []wordsWant{
			{"第一段", 0, 9, 1}, {"第二段", 10, 19, 2}}},
		{"ascii words and spaces", "GDP 增长 open source", []wordsWant{
			{"gdp", 0, 3, 1}, {"增长", 4, 10, 2}, {"open", 11, 15, 3}, {"source", 16, 22, 4}}},
		{"stop words are kept", "的了和在发展", []wordsWant{
			{"的", 0, 3, 1}, {"了", 3, 6, 2}, {"和", 6, 9, 3}, {"在", 9, 12, 4}, {"发展", 12, 18, 5}}},
		{"NFKC expansion keeps the original span", "Ⅻ届ﬁ", []wordsWant{
			{"xii", 0, 3, 1}, {"届", 3, 6, 2}, {"fi", 6, 9, 3}}},
		{"astral characters", "𠀀好😀好", []wordsWant{
			{"𠀀", 0, 4, 1}, {"好", 4, 7, 2}, {"好", 11, 14, 3}}},
		// gojieba returns nothing at all for invalid UTF-8, and a NUL ends
		// its C string: both must not cost the rest of the text.
		{"invalid UTF-8", "好\xff坏", []wordsWant{
			{"好", 0, 3, 1}, {"坏", 4, 7, 2}}},
		{"NUL", "a\x00b放管服", []wordsWant{
			{"a", 0, 1, 1}, {"b", 2, 3, 2}, {"放管服", 3, 12, 3}}},
		{"punctuation only", "“”，。、！ ……", []wordsWant{}},
		{"empty", "", []wordsWant{}},
	}
	a := NewWordsAnalyzer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wordsGot(a.Analyze([]byte(tt.in)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) =\n%v, want\n%v", tt.in, got, tt.want)
			}
		})
	}
}

func TestWordsTokenTypes(t *testing.T) {
	ts := NewWordsAnalyzer().Analyze([]byte("２０２３年GDP"))
	want := []analysis.TokenType{analysis.AlphaNumeric, analysis.Ideographic, analysis.AlphaNumeric}
	var got []analysis.TokenType
	for _, tk := range ts {
		got = append(got, tk.Type)
	}
	if !slices.Equal(got, want) {
		t.Errorf("types = %v, want %v", got, want)
	}
}

// TestWordsUserDictionary checks that policy terms and mined slogans stay
// whole where plain jieba cuts them (新质/生产力, 一网通/办, 专精/特新,
// 工业/上楼, 放/管/服 inside quotation marks).
func TestWordsUserDictionary(t *testing.T) {
	tests := []struct{ text, word string }{
		{"放管服", "放管服"},
		{"持续深化“放管服”改革", "放管服"},
		{"因地制宜发展新质生产力", "新质生产力"},
		{"全面推行“一网通办”", "一网通办"},
		{"培育专精特新企业", "专精特新"},
		{"推进“工业上楼”", "工业上楼"},      // mined: quoted 36 times
		{"建设“百千万工程”示范镇", "百千万工程"}, // mined
		{"優化營商環境", "营商环境"},        // traditional input
		{"落实“双随机、一公开”监管", "双随机"},  // the parts are terms too
		{"做好“六稳”“六保”工作", "六保"},
	}
	a := NewWordsAnalyzer()
	for _, tt := range tests {
		var terms []string
		for _, tk := range a.Analyze([]byte(tt.text)) {
			terms = append(terms, string(tk.Term))
		}
		if !slices.Contains(terms, tt.word) {
			t.Errorf("Analyze(%q) = %q, want the word %q", tt.text, terms, tt.word)
		}
	}
}

// corpusParagraphs returns the non-empty lines of the bundled reports,
// decoding the GBK ones, up to max lines.
func corpusParagraphs(tb testing.TB, max int) []string {
	tb.Helper()
	files, err := filepath.Glob("../corpus/reports/*/*.txt")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no bundled reports in ../corpus/reports: %v", err)
	}
	var paras []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if !utf8.Valid(data) {
			if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
				tb.Fatalf("decoding %s: %v", f, err)
			}
		}
		for line := range strings.Lines(string(data)) {
			if line = strings.TrimSpace(line); line != "" {
				paras = append(paras, line)
				if len(paras) == max {
					return paras
				}
			}
		}
	}
	return paras
}

// TestWordsOffsetsOnCorpus checks every token of the bundled reports: its
// original span folds to its term, spans never go backwards, positions are
// consecutive, and no word of letters or digits is lost.
func TestWordsOffsetsOnCorpus(t *testing.T) {
	max := 0
	if testing.Short() {
		max = 3000
	}
	paras := corpusParagraphs(t, max)
	a := NewWordsAnalyzer()
	tokens := 0
	for _, p := range paras {
		ts := a.Analyze([]byte(p))
		lastEnd := 0
		var joined strings.Builder
		for i, tk := range ts {
			if tk.Position != i+1 {
				t.Fatalf("%q: token %d has position %d", p, i, tk.Position)
			}
			if tk.Start < lastEnd || tk.End <= tk.Start || tk.End > len(p) {
				t.Fatalf("%q: token %q has span %d..%d after %d", p, tk.Term, tk.Start, tk.End, lastEnd)
			}
			// Equal, or inside where NFKC expanded a character: ⒄ → (17).
			if got := norm.Fold(p[tk.Start:tk.End]); !strings.Contains(got, string(tk.Term)) {
				t.Fatalf("%q: token %q spans %q, which folds to %q", p, tk.Term, p[tk.Start:tk.End], got)
			}
			lastEnd = tk.End
			joined.Write(tk.Term)
		}
		tokens += len(ts)
		// Every letter and digit of the text is in some token.
		var want strings.Builder
		for _, r := range norm.Fold(p) {
			if wordsHasWordChars([]byte(string(r))) {
				want.WriteRune(r)
			}
		}
		var got strings.Builder
		for _, r := range joined.String() {
			if wordsHasWordChars([]byte(string(r))) {
				got.WriteRune(r)
			}
		}
		if got.String() != want.String() {
			t.Fatalf("%q: tokens spell %q, want %q", p, got.String(), want.String())
		}
	}
	t.Logf("%d paragraphs, %d tokens", len(paras), tokens)
}

// TestWordsConcurrent analyses from many goroutines at once (run with
// -race) and checks each result against a serial one.
func TestWordsConcurrent(t *testing.T) {
	paras := corpusParagraphs(t, 400)
	a := NewWordsAnalyzer()
	want := make([][]wordsWant, len(paras))
	for i, p := range paras {
		want[i] = wordsGot(a.Analyze([]byte(p)))
	}
	const workers = 16
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for w := range workers {
		wg.Go(func() {
			for k := range paras {
				i := (k + w*len(paras)/workers) % len(paras)
				if got := wordsGot(a.Analyze([]byte(paras[i]))); !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("worker %d, %q: got %v, want %v", w, paras[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestWordsRegistered(t *testing.T) {
	if wordsRegistrationErr != nil {
		t.Fatal(wordsRegistrationErr)
	}
	cache := registry.NewCache()
	a, err := cache.AnalyzerNamed(WordsAnalyzerName)
	if err != nil {
		t.Fatalf("AnalyzerNamed(%q): %v", WordsAnalyzerName, err)
	}
	got := wordsGot(a.Analyze([]byte("“放管服”改革")))
	want := []wordsWant{{"放管服", 3, 12, 1}, {"改革", 15, 21, 2}}
	if !slices.Equal(got, want) {
		t.Errorf("registered analyzer: got %v, want %v", got, want)
	}
	if _, err := cache.TokenizerNamed(WordsTokenizerName); err != nil {
		t.Errorf("TokenizerNamed(%q): %v", WordsTokenizerName, err)
	}
}

// TestWordsInBleveIndex indexes traditional text with the registered
// analyzer and checks what a reader sees: a simplified query finds it, the
// highlight marks the original characters, and a phrase written without
// quotation marks matches the quoted text because positions have no gaps.
func TestWordsInBleveIndex(t *testing.T) {
	field := bleve.NewTextFieldMapping()
	field.Analyzer = WordsAnalyzerName
	field.Store = true
	field.IncludeTermVectors = true
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("text", field)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	text := "堅持統籌推進“放管服”改革。"
	if err := idx.Index("p1", map[string]any{"text": text}); err != nil {
		t.Fatal(err)
	}
	match := bleve.NewMatchQuery("统筹")
	match.SetField("text")
	phrase := bleve.NewMatchPhraseQuery("放管服改革")
	phrase.SetField("text")
	tests := []struct {
		name string
		q    query.Query
		mark string
	}{
		{"simplified query, traditional text", match, "<mark>統籌</mark>"},
		{"phrase across quotation marks", phrase, "<mark>放管服</mark>”<mark>改革</mark>"},
	}
	for _, tt := range tests {
		req := bleve.NewSearchRequest(tt.q)
		req.Highlight = bleve.NewHighlightWithStyle("html")
		res, err := idx.Search(req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if res.Total != 1 {
			t.Errorf("%s: %d hits, want 1", tt.name, res.Total)
			continue
		}
		frags := strings.Join(res.Hits[0].Fragments["text"], "")
		if !strings.Contains(frags, tt.mark) {
			t.Errorf("%s: highlight %q, want it to contain %q", tt.name, frags, tt.mark)
		}
	}
}

func TestWordsVersionMatchesDictionaries(t *testing.T) {
	_, hash, err := segmenterDicts()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, wordsDictHashPrefix) {
		t.Errorf("the embedded dictionaries changed: set wordsDictHashPrefix = %q in words.go", hash[:len(wordsDictHashPrefix)])
	}
}

// TestPolicyDictionaries checks the rules of dict/README.md on the curated
// and mined user dictionaries.
func TestPolicyDictionaries(t *testing.T) {
	main := map[string]bool{}
	data, err := os.ReadFile("dict/jieba.dict.utf8")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		w, _, _ := strings.Cut(line, " ")
		main[w] = true
	}
	terms := map[string]bool{}
	lists := map[string][]string{}
	for _, name := range []string{"policy.utf8", "slogans.utf8"} {
		data, err := os.ReadFile(filepath.Join("dict", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("%s does not end with a newline", name)
		}
		for line := range strings.Lines(string(data)) {
			w := strings.TrimSuffix(line, "\n")
			switch {
			case w != strings.TrimSpace(w) || strings.Contains(w, " ") || w == "":
				t.Errorf("%s: line %q is not a single word", name, w)
			case norm.Fold(w) != w || norm.String(w) != w:
				t.Errorf("%s: %q is not folded (%q)", name, w, norm.Fold(w))
			case main[w]:
				t.Errorf("%s: %q is already in jieba.dict.utf8", name, w)
			case terms[w]:
				t.Errorf("%s: %q is listed twice", name, w)
			}
			terms[w] = true
			lists[name] = append(lists[name], w)
		}
	}
	if n := len(lists["policy.utf8"]); n < 300 {
		t.Errorf("policy.utf8 has %d terms, want a few hundred", n)
	}
	// Formulas cited whole (dict/README.md).
	allowed := map[string]bool{"双随机一公开": true, "两新一重": true, "三个区分开来": true}
	for name, words := range lists {
		for _, w := range words {
			rs := []rune(w)
			for i := 2; i <= len(rs)-2; i++ {
				a, b := string(rs[:i]), string(rs[i:])
				if !allowed[w] && (terms[a] && main[b] || main[a] && terms[b]) {
					t.Errorf("%s: %q is the term %q + %q: list the term alone", name, w, a, b)
				}
			}
		}
	}
}

func BenchmarkWordsAnalyze(b *testing.B) {
	paras := corpusParagraphs(b, 2000)
	if err := LoadWords(); err != nil {
		b.Fatal(err)
	}
	a := NewWordsAnalyzer()
	size := 0
	for _, p := range paras {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, p := range paras {
			a.Analyze([]byte(p))
		}
	}
}

// BenchmarkWordsAnalyzeParallel shows how analysis scales over cores (the
// C++ segmenter is shared).
func BenchmarkWordsAnalyzeParallel(b *testing.B) {
	paras := corpusParagraphs(b, 2000)
	if err := LoadWords(); err != nil {
		b.Fatal(err)
	}
	a := NewWordsAnalyzer()
	size := 0
	for _, p := range paras {
		size += len(p)
	}
	b.SetBytes(int64(size / len(paras)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			a.Analyze([]byte(paras[i%len(paras)]))
			i++
		}
	})
}
