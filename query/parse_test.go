package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseCases maps a query to q.String() or, for a bad query, the error.
// FuzzParse seeds its corpus from them.
var parseCases = []struct{ in, want string }{
	// Phrases: every term is an exact phrase, in normalised form.
	{"放管服", `"放管服"`},
	{"統籌推進", `"统筹推进"`},
	{"“放管服”改革", `"放管服改革"`},
	{"《政府工作报告》", `"政府工作报告"`},
	{"双随机、一公开", `"双随机|一公开"`},
	{"ＧＤＰ增长", `"gdp增长"`},
	{"目标：增长", `"目标|增长"`},
	{"10:30", `"10|30"`},
	{"sub-pixel", `"sub|pixel"`},
	{"营商环境(2019)", `"营商环境2019"`},
	{"营商环境(2019)年", `"营商环境2019年"`},
	{"or", `"or"`},
	{`"OR"`, `"or"`},
	{`"AND"`, `"and"`},
	{"ＯＲ", `"or"`},

	// White space separates terms that must all match.
	{"放管服 营商环境", `"放管服" "营商环境"`},
	{"  放管服\t营商环境  ", `"放管服" "营商环境"`},
	{"放管服\u3000营商环境", `"放管服" "营商环境"`},
	{"放管服 放管服", `"放管服" "放管服"`},

	// Quotes: "…" and a pair “…” hold spaces; quoted parts join the word.
	{`"放管服 改革"`, `"放管服改革"`},
	{"“放管服 改革”", `"放管服改革"`},
	{`推进"放管服 改革"工作`, `"推进放管服改革工作"`},
	{`"province:广东"`, `"province|广东"`},
	{`"a OR b"`, `"aorb"`},
	{`"(a b)"`, `"ab"`},
	{`"-a"`, `"|a"`},
	{"“a\"b”", `"ab"`},
	{"\"a“b\"", `"ab"`},
	{"推进“放管服", `"推进放管服"`}, // a lone “ is text
	{"放管服”改革", `"放管服改革"`}, // so is a lone ”
	{"”a“ “b", `"a" "b"`}, // ” before “ pairs nothing
	{"“a” “b", `"a" "b"`}, // the second “ has no ”
	{"“a “b”", `"ab"`},    // the first “ takes the first ”
	{"“放管服” OR “营商环境”", `"放管服" OR "营商环境"`},

	// Exclusion.
	{"放管服 -营商环境", `"放管服" -"营商环境"`},
	{`放管服 -"营商 环境"`, `"放管服" -"营商环境"`},
	{"-疫情 放管服", `-"疫情" "放管服"`},
	{"放管服 -(疫情 防控)", `"放管服" -("疫情" "防控")`},
	{"放管服 -(疫情 OR 防控)", `"放管服" -("疫情" OR "防控")`},
	{"a-b", `"a|b"`},
	{"放管服 - 营商环境", "query: nothing after -: write -phrase to exclude a phrase at character 5"},
	{"放管服 -", "query: nothing after -: write -phrase to exclude a phrase at character 5"},
	{"--放管服", "query: - must be followed by a phrase or a (group) at character 1"},
	{"放管服 -OR", "query: - must be followed by a phrase or a (group) at character 5"},
	{"(放管服 -)", "query: - must be followed by a phrase or a (group) at character 6"},
	{"-放管服", "query: nothing to match: the query only excludes; add a phrase or a filter at character 1"},
	{"-放管服 -营商环境", "query: nothing to match: the query only excludes; add a phrase or a filter at character 1"},
	{"-(放管服 营商环境)", "query: nothing to match: the query only excludes; add a phrase or a filter at character 1"},
	{"-放管服 district:南山区", `-"放管服" district:南山区`},

	// OR binds tighter than the implicit AND, as in Google and zoekt.
	{"放管服 OR 营商环境", `"放管服" OR "营商环境"`},
	{"深圳 放管服 OR 营商环境", `"深圳" ("放管服" OR "营商环境")`},
	{"放管服 OR 营商环境 深圳", `("放管服" OR "营商环境") "深圳"`},
	{"a OR b c OR d", `("a" OR "b") ("c" OR "d")`},
	{"a OR b OR c", `"a" OR "b" OR "c"`},
	{"(a OR b) OR c", `"a" OR "b" OR "c"`},
	{"a OR (b c)", `"a" OR ("b" "c")`},
	{"(a b) OR (c d)", `("a" "b") OR ("c" "d")`},
	{"OR", "query: OR needs something to match on its left at character 1"},
	{"OR 放管服", "query: OR needs something to match on its left at character 1"},
	{"放管服 OR", "query: OR needs something to match on its right at character 5"},
	{"放管服 OR OR 营商环境", "query: OR needs something to match on its right at character 5"},
	{"(放管服 OR) 营商环境", "query: OR needs something to match on its right at character 6"},
	{"(OR 放管服)", "query: OR needs something to match on its left at character 2"},
	{"放管服 OR -营商环境", "query: an exclusion cannot be part of OR at character 8"},
	{"-放管服 OR 营商环境", "query: an exclusion cannot be part of OR at character 1"},
	{"放管服 OR (-营商环境)", "query: nothing to match inside parentheses: they hold only exclusions at character 8"},
	{"放管服 AND 营商环境", `query: AND is not needed: terms separated by spaces must all match (quote "AND" to search for it) at character 5`},
	{"NOT 营商环境", `query: NOT is written -: -phrase excludes a phrase (quote "NOT" to search for it) at character 1`},

	// Parentheses group.
	{"(放管服)", `"放管服"`},
	{"((放管服))", `"放管服"`},
	{"(a b) c", `"a" "b" "c"`},
	{"(a)(b)", `"a" "b"`},
	{"(a (b OR c))", `"a" ("b" OR "c")`},
	{"(a -b) OR c", `("a" -"b") OR "c"`},
	{"(营商环境(2019))", `"营商环境2019"`},
	{"(", "query: unbalanced parenthesis: ( without ) at character 1"},
	{"(放管服", "query: unbalanced parenthesis: ( without ) at character 1"},
	{"((放管服)", "query: unbalanced parenthesis: ( without ) at character 1"},
	{"(a (b) (c", "query: unbalanced parenthesis: ( without ) at character 8"},
	{")", "query: unbalanced parenthesis: ) without ( at character 1"},
	{"放管服)", "query: unbalanced parenthesis: ) without ( at character 4"},
	{"(放管服))", "query: unbalanced parenthesis: ) without ( at character 6"},
	{"a(b c)", "query: unbalanced parenthesis: ) without ( at character 6"},
	{"()", "query: empty parentheses at character 1"},
	{"放管服 ( )", "query: empty parentheses at character 5"},
	{"（放管服）", `"放管服"`}, // full-width brackets are text, deleted by normalisation

	// Filters, with values folded to the simplified form the index stores.
	{"province:广东省", "province:广东省"},
	{"放管服 province:廣東省", `"放管服" province:广东省`},
	{"city:深圳市 放管服", `"放管服" city:深圳市`},
	{"放管服 district:南山区 district:福田区", `"放管服" district:南山区 district:福田区`},
	{"district:南山区 district:南山區", "district:南山区"},
	{"section:工作回顾 放管服", `"放管服" section:工作回顾`},
	{"Province:广东省", "province:广东省"},
	{"province：广东省", "province:广东省"},
	{"year：２０１９", "year:2019"},
	{`section:"工作 回顾"`, `section:"工作 回顾"`},
	{`section:" 工作回顾 "`, "section:工作回顾"},
	{"section:“工作回顾”", "section:工作回顾"},
	{"section:“工作回顾", `section:"“工作回顾"`},
	{"section:a“b", `section:"a“b"`},
	{"section:ＡＢＣ", "section:abc"},
	{"year:2019", "year:2019"},
	{"year:2019年", "year:2019"},
	{"year:2018..2021", "year:2018..2021"},
	{"year:2018..", "year:2018.."},
	{"year:..2021", "year:..2021"},
	{"year:2019..2019", "year:2019"},
	{"year:1949..2100", "year:1949..2100"},
	{"放管服 OR 营商环境 year:2019 province:广东省", `"放管服" OR "营商环境" province:广东省 year:2019`},
	{"province:", `query: no value after province: at character 10`},
	{"province: 广东省", `query: no value after province: at character 10`},
	{`province:""`, `query: no value after province: at character 10`},
	{"province:，", `query: no value after province: at character 10`},
	{"year:", `query: bad year "" (want 2019, 2018..2021, 2018.. or ..2021) at character 6`},
	{"year:abc", `query: bad year "abc" (want 2019, 2018..2021, 2018.. or ..2021) at character 6`},
	{"放管服 year:..", `query: bad year ".." (want 2019, 2018..2021, 2018.. or ..2021) at character 10`},
	{"year:2018-2021", `query: bad year "2018-2021" (want 2019, 2018..2021, 2018.. or ..2021) at character 6`},
	{"year:1800", "query: year 1800 out of range 1949..2100 at character 6"},
	{"year:2018..3000", "query: year 3000 out of range 1949..2100 at character 6"},
	{"year:99999999999999999999", "query: year 99999999999999999999 out of range 1949..2100 at character 6"},
	{"year:2021..2018", "query: year range 2021..2018 is reversed (want 2018..2021) at character 6"},
	{"year:2019 year:2020", "query: year given twice: give one range, as in year:2018..2021 at character 11"},
	{"foo:bar", `query: unknown field "foo" (want province, city, district, year, section); quote text that contains a colon at character 1`},
	{"放管服 http://example.com", `query: unknown field "http" (want province, city, district, year, section); quote text that contains a colon at character 5`},
	{"foo：bar", `"foo|bar"`},
	{`"foo:bar"`, `"foo|bar"`},
	{"-province:广东省 放管服", "query: a filter cannot be excluded at character 1"},
	{"(放管服 province:广东省)", `query: filter "province:广东省" inside parentheses: write filters outside them at character 6`},
	{"province:(广东省 OR 广西)", "query: a filter value cannot be a group: repeat the filter, as in province:a province:b at character 10"},
	{"district:南山区 OR district:福田区", `query: filter "district:南山区" cannot be part of OR; several filters on one field already match any of them, as in district:a district:b at character 1`},
	{"放管服 OR year:2019", `query: filter "year:2019" cannot be part of OR; several filters on one field already match any of them, as in year:a year:b at character 8`},

	// Quotes and phrases with nothing to search for.
	{`"放管服`, `query: unbalanced quote: " without a closing " at character 1`},
	{`放管服 "营商 环境`, `query: unbalanced quote: " without a closing " at character 5`},
	{`"a" "b`, `query: unbalanced quote: " without a closing " at character 5`},
	{`""`, `query: empty phrase "\"\"" at character 1`},
	{"“”", `query: empty phrase "“”" at character 1`},
	{"放管服 ，", `query: nothing to search for in "，": it has only punctuation at character 5`},
	{"。。。", `query: nothing to search for in "。。。": it has only punctuation at character 1`},
	{"《》", `query: nothing to search for in "《》": it has only punctuation at character 1`},
	{strings.Repeat("。", 30), `query: nothing to search for in "。。。。。。。。。。。。。。。。。。。。…": it has only punctuation at character 1`},

	// Bytes that are not UTF-8 would become U+FFFD, which normalises to a
	// separator and matches any punctuation: an error at the first of them.
	{"放\xff", "query: invalid UTF-8 (byte 0xff): the query must be UTF-8 text at character 2"},
	{"\xff", "query: invalid UTF-8 (byte 0xff): the query must be UTF-8 text at character 1"},
	{"放管服 \xc3(", "query: invalid UTF-8 (byte 0xc3): the query must be UTF-8 text at character 5"},
	{"district:南山\xe5\x8c", "query: invalid UTF-8 (byte 0xe5): the query must be UTF-8 text at character 12"},
	{"year:20\xff19", "query: invalid UTF-8 (byte 0xff): the query must be UTF-8 text at character 8"},
	{"\xed\xa0\x80", "query: invalid UTF-8 (byte 0xed): the query must be UTF-8 text at character 1"}, // a surrogate
	{"\xc0\xaf", "query: invalid UTF-8 (byte 0xc0): the query must be UTF-8 text at character 1"},     // overlong /
	{strings.Repeat("政", MaxLen+1) + "\xff", "query: invalid UTF-8 (byte 0xff): the query must be UTF-8 text at character 1002"},

	// Empty and too long.
	{"", "query: empty query"},
	{" \t\u3000", "query: empty query"},
	{strings.Repeat("政", MaxLen), `"` + strings.Repeat("政", MaxLen) + `"`},
	{strings.Repeat("政", MaxLen+1), "query: query is 1001 characters long, more than the 1000 allowed at character 1001"},
	{strings.Repeat("放管服 ", 2500), "query: query is 10000 characters long, more than the 1000 allowed at character 1001"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases {
		q, err := Parse(tt.in)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = q.String()
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseTree(t *testing.T) {
	tests := []struct {
		in   string
		want *Query
	}{
		{"統籌推進 -“疫情 防控” district:南山區 year:2018..", &Query{
			Expr: &And{Children: []Node{
				&Phrase{Text: "統籌推進", Norm: "统筹推进"},
				&Not{Child: &Phrase{Text: "疫情 防控", Norm: "疫情防控"}},
			}},
			Filters: Filters{District: []string{"南山区"}, YearFrom: 2018},
		}},
		{"(放管服 OR 營商環境)", &Query{
			Expr: &Or{Children: []Node{
				&Phrase{Text: "放管服", Norm: "放管服"},
				&Phrase{Text: "營商環境", Norm: "营商环境"},
			}},
		}},
		{"city:深圳市 year:..2021", &Query{Filters: Filters{City: []string{"深圳市"}, YearTo: 2021}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %#v, %v, want %#v", tt.in, got, err, tt.want)
		}
	}
}

func TestPhrases(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"放管服", []string{"放管服"}},
		{"放管服 -疫情 (營商環境 OR 放管服) -(a b)", []string{"放管服", "营商环境"}},
		{"“放管服”改革 双随机、一公开", []string{"放管服改革", "双随机|一公开"}},
		{"province:广东省", nil},
		{"-疫情 city:深圳市", nil},
	}
	for _, tt := range tests {
		q, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := q.Phrases(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q).Phrases() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseYear(t *testing.T) {
	tests := []struct {
		in       string
		from, to int
		err      string
	}{
		{"2019", 2019, 2019, ""},
		{" 2019 ", 2019, 2019, ""},
		{"２０１９年", 2019, 2019, ""},
		{"2018..2021", 2018, 2021, ""},
		{"2018年..2021年", 2018, 2021, ""},
		{"2018..", 2018, 0, ""},
		{"..2021", 0, 2021, ""},
		{"1949", 1949, 1949, ""},
		{"2100", 2100, 2100, ""},
		{"", 0, 0, `query: bad year "" (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"..", 0, 0, `query: bad year ".." (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"abc", 0, 0, `query: bad year "abc" (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"2018...2021", 0, 0, `query: bad year "2018...2021" (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"-2019", 0, 0, `query: bad year "-2019" (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"年", 0, 0, `query: bad year "年" (want 2019, 2018..2021, 2018.. or ..2021)`},
		{"1948", 0, 0, "query: year 1948 out of range 1949..2100"},
		{"2101", 0, 0, "query: year 2101 out of range 1949..2100"},
		{"19", 0, 0, "query: year 19 out of range 1949..2100"},
		{"2021..2018", 0, 0, "query: year range 2021..2018 is reversed (want 2018..2021)"},
	}
	for _, tt := range tests {
		from, to, err := ParseYear(tt.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if from != tt.from || to != tt.to || gotErr != tt.err {
			t.Errorf("ParseYear(%q) = %d, %d, %q, want %d, %d, %q", tt.in, from, to, gotErr, tt.from, tt.to, tt.err)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := Parse("   "); !errors.Is(err, ErrEmpty) {
		t.Errorf(`Parse("   ") = %v, want ErrEmpty`, err)
	}
	if _, err := Parse(`""`); errors.Is(err, ErrEmpty) {
		t.Errorf(`Parse("\"\"") = ErrEmpty, want an empty-phrase error`)
	}
	_, err := Parse("放管服 foo:bar")
	var e *Error
	if !errors.As(err, &e) || e.Pos != 4 || e.Msg == "" {
		t.Errorf(`Parse("放管服 foo:bar") = %#v, want *Error at 4`, err)
	}
}

// FuzzParse checks that Parse never panics, that errors say where they are,
// and that an accepted query reads back the same from its String form.
func FuzzParse(f *testing.F) {
	for _, tt := range parseCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if !utf8.ValidString(s) {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, "invalid UTF-8") {
				t.Fatalf("Parse(%q) = %v, %v; want an invalid UTF-8 error", s, q, err)
			}
			if want := firstInvalid(s); e.Pos != want {
				t.Fatalf("Parse(%q) error at %d, want %d (the first byte that is not UTF-8)", s, e.Pos, want)
			}
			return
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %v is %T, want *Error", s, err, err)
			}
			if n := utf8.RuneCountInString(s); e.Pos < 0 || e.Pos > n {
				t.Fatalf("Parse(%q) error %v: Pos %d outside 0..%d", s, err, e.Pos, n)
			}
			return
		}
		if q.Expr == nil && q.Filters.Empty() {
			t.Fatalf("Parse(%q) = empty query and no error", s)
		}
		if q.Expr != nil && !positive(q.Expr) && q.Filters.Empty() {
			t.Fatalf("Parse(%q) = %v, only exclusions", s, q)
		}
		for _, p := range q.Phrases() {
			if !strings.ContainsFunc(p, func(r rune) bool { return r != '|' }) {
				t.Fatalf("Parse(%q) has phrase %q with no word characters", s, p)
			}
		}
		str := q.String()
		if utf8.RuneCountInString(str) > MaxLen {
			return
		}
		q2, err := Parse(str)
		if err != nil {
			t.Fatalf("Parse(%q) = %v, which does not parse: %v", s, str, err)
		}
		if str2 := q2.String(); str2 != str {
			t.Fatalf("Parse(%q) = %v, which parses as %v", s, str, str2)
		}
	})
}

// firstInvalid is the character offset of the first byte of s that is not
// UTF-8, counted in characters as []rune(s) counts them, or -1.
func firstInvalid(s string) int {
	b := []byte(s)
	for n := 0; len(b) > 0; n++ {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			return n
		}
		b = b[size:]
	}
	return -1
}

func BenchmarkParse(b *testing.B) {
	const q = `統籌推進 放管服 OR 營商環境 -"疫情 防控" district:南山區 year:2018..2021`
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
