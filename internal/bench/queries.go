package bench

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/zhengce/zhengce/index"
)

// Query classes of the mix.
const (
	ClassCommon      = "common"      // a phrase found in many paragraphs
	ClassRare        = "rare"        // a phrase found in few (or none)
	ClassTraditional = "traditional" // a phrase typed in traditional characters
	ClassSampled     = "sampled"     // a seeded random substring of the corpus, 1–8 characters
	ClassAnd         = "and"         // several phrases that must all match
	ClassNot         = "not"         // a phrase with an exclusion
	ClassFiltered    = "filtered"    // a phrase narrowed by province, district, year or section
)

// phraseClasses are the classes made of one phrase and nothing else: the
// "phrase query with five facets" of the targets.
var phraseClasses = map[string]bool{ClassCommon: true, ClassRare: true, ClassTraditional: true, ClassSampled: true}

// A Query is one query of the mix, in a form every engine can be given.
type Query struct {
	Class    string
	Terms    []string // phrases that must all match
	Not      []string // phrases that must not match
	Province string
	District string
	Section  string
	YearFrom int
	YearTo   int
}

// String is the query as a user types it in zhengce, filters included.
func (q Query) String() string {
	var parts []string
	parts = append(parts, q.Terms...)
	for _, n := range q.Not {
		parts = append(parts, "-"+n)
	}
	if q.Province != "" {
		parts = append(parts, "province:"+q.Province)
	}
	if q.District != "" {
		parts = append(parts, "district:"+q.District)
	}
	if q.Section != "" {
		parts = append(parts, "section:"+q.Section)
	}
	if y := q.years(); y != "" {
		parts = append(parts, "year:"+y)
	}
	return strings.Join(parts, " ")
}

func (q Query) years() string {
	switch {
	case q.YearFrom == 0 && q.YearTo == 0:
		return ""
	case q.YearFrom == q.YearTo:
		return strconv.Itoa(q.YearFrom)
	}
	return fmt.Sprintf("%d..%d", q.YearFrom, q.YearTo)
}

func (q Query) text() string {
	parts := append([]string(nil), q.Terms...)
	for _, n := range q.Not {
		parts = append(parts, "-"+n)
	}
	return strings.Join(parts, " ")
}

func (q Query) filtered() bool {
	return q.Province != "" || q.District != "" || q.Section != "" || q.YearFrom != 0 || q.YearTo != 0
}

// PhraseOnly reports whether q is a single phrase with no exclusion or filter.
func (q Query) PhraseOnly() bool {
	return len(q.Terms) == 1 && len(q.Not) == 0 && !q.filtered()
}

// Request is q as the in-process search API takes it: the first page of 20
// hits with highlights and all five facets, as the web page asks.
func (q Query) Request() index.Request {
	r := index.Request{Query: q.text(), Limit: 20, YearFrom: q.YearFrom, YearTo: q.YearTo}
	if q.Province != "" {
		r.Province = []string{q.Province}
	}
	if q.District != "" {
		r.District = []string{q.District}
	}
	if q.Section != "" {
		r.Section = []string{q.Section}
	}
	return r
}

// urlQuery is q as /api/search parameters.
func (q Query) urlQuery() string {
	v := url.Values{}
	v.Set("q", q.text())
	v.Set("size", "20")
	if q.Province != "" {
		v.Set("province", q.Province)
	}
	if q.District != "" {
		v.Set("district", q.District)
	}
	if q.Section != "" {
		v.Set("section", q.Section)
	}
	if y := q.years(); y != "" {
		v.Set("year", y)
	}
	return v.Encode()
}

// ftsMatch is q's phrases as an FTS5 MATCH expression; filters become SQL.
func (q Query) ftsMatch() string {
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(quote(t))
	}
	for _, n := range q.Not {
		b.WriteString(" NOT ")
		b.WriteString(quote(n))
	}
	return b.String()
}

// minTermRunes is the length of q's shortest positive phrase in characters.
func (q Query) minTermRunes() int {
	m := 1 << 30
	for _, t := range q.Terms {
		m = min(m, len([]rune(t)))
	}
	return m
}

// fixedMix is the hand-written part of the mix. Frequencies in the bundled
// reports (~30,000 paragraphs) range from every other paragraph (的, 发展)
// to a handful (最多跑一次, 放管服改革) and none (量子纠缠).
var fixedMix = []Query{
	{Class: ClassCommon, Terms: []string{"的"}},
	{Class: ClassCommon, Terms: []string{"发展"}},
	{Class: ClassCommon, Terms: []string{"改革"}},
	{Class: ClassCommon, Terms: []string{"民生"}},
	{Class: ClassCommon, Terms: []string{"人才"}},
	{Class: ClassCommon, Terms: []string{"科技创新"}},
	{Class: ClassCommon, Terms: []string{"高质量发展"}},
	{Class: ClassCommon, Terms: []string{"供给侧结构性改革"}},

	{Class: ClassRare, Terms: []string{"四风"}},
	{Class: ClassRare, Terms: []string{"托育"}},
	{Class: ClassRare, Terms: []string{"放管服"}},
	{Class: ClassRare, Terms: []string{"河长制"}},
	{Class: ClassRare, Terms: []string{"区块链"}},
	{Class: ClassRare, Terms: []string{"一网通办"}},
	{Class: ClassRare, Terms: []string{"新冠肺炎"}},
	{Class: ClassRare, Terms: []string{"最多跑一次"}},
	{Class: ClassRare, Terms: []string{"放管服改革"}},
	{Class: ClassRare, Terms: []string{"老旧小区改造"}},
	{Class: ClassRare, Terms: []string{"双随机、一公开"}},
	{Class: ClassRare, Terms: []string{"量子纠缠"}},

	{Class: ClassTraditional, Terms: []string{"報告"}},
	{Class: ClassTraditional, Terms: []string{"碳達峰"}},
	{Class: ClassTraditional, Terms: []string{"統籌推進"}},
	{Class: ClassTraditional, Terms: []string{"營商環境"}},
	{Class: ClassTraditional, Terms: []string{"鄉村振興"}},
	{Class: ClassTraditional, Terms: []string{"數字經濟"}},

	{Class: ClassAnd, Terms: []string{"乡村振兴", "人才"}},
	{Class: ClassAnd, Terms: []string{"营商环境", "放管服"}},
	{Class: ClassAnd, Terms: []string{"数字经济", "人工智能", "发展"}},
	{Class: ClassAnd, Terms: []string{"民生", "养老", "托育"}},

	{Class: ClassNot, Terms: []string{"改革"}, Not: []string{"放管服"}},
	{Class: ClassNot, Terms: []string{"疫情"}, Not: []string{"新冠肺炎"}},
	{Class: ClassNot, Terms: []string{"发展"}, Not: []string{"经济"}},
}

// sampledPerLength is how many random substrings of each length 1–8 join
// the mix.
const sampledPerLength = 2

// Mix returns the query mix for c: the fixed queries, seeded random
// substrings of the source paragraphs, and filtered queries whose values
// come from the first reports of c, so they exist at every N.
func (c *Corpus) Mix() ([]Query, error) {
	mix := append([]Query(nil), fixedMix...)
	rng := rand.New(rand.NewPCG(c.Seed, 3))
	for length := 1; length <= 8; length++ {
		// Bounded: sources with no Han run of this length give fewer.
		for k, tries := 0, 0; k < sampledPerLength && tries < 10000; tries++ {
			src := c.sources[rng.IntN(len(c.sources))]
			p := []rune(src.Paragraphs[rng.IntN(len(src.Paragraphs))].Text)
			if len(p) < length {
				continue
			}
			i := rng.IntN(len(p) - length + 1)
			s := p[i : i+length]
			if !allHan(s) {
				continue
			}
			mix = append(mix, Query{Class: ClassSampled, Terms: []string{string(s)}})
			k++
		}
	}
	var first []place
	err := c.Reports(func(r *index.Report) error {
		first = append(first, place{Province: r.Province, City: r.City, District: r.District})
		if len(first) == 2 {
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	prov, dist := first[0].Province, first[0].District
	if len(first) > 1 {
		prov = first[1].Province
	}
	mix = append(mix,
		Query{Class: ClassFiltered, Terms: []string{"营商环境"}, Province: prov},
		Query{Class: ClassFiltered, Terms: []string{"发展"}, YearFrom: 2019, YearTo: 2021},
		Query{Class: ClassFiltered, Terms: []string{"乡村振兴"}, Section: "工作安排"},
		Query{Class: ClassFiltered, Terms: []string{"改革"}, District: dist},
		Query{Class: ClassFiltered, Terms: []string{"科技创新"}, Province: prov, YearFrom: 2015, YearTo: 2024},
		Query{Class: ClassFiltered, Terms: []string{"疫情"}, Not: []string{"新冠肺炎"}, Section: "工作回顾", YearFrom: 2020, YearTo: 2022},
	)
	return mix, nil
}

var errStop = fmt.Errorf("stop")

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return len(rs) > 0
}
