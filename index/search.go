package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"github.com/zhengce/zhengce/analyzer"
	"github.com/zhengce/zhengce/norm"
	"github.com/zhengce/zhengce/query"
)

// Index is an open index. It implements Searcher and is safe for concurrent
// use. The caller must call Close.
type Index struct {
	dir      string
	idx      bleve.Index
	manifest *Manifest
	reports  map[string]*Report // by id, metadata only
	docCount int
}

var _ Searcher = (*Index)(nil)

// Open opens the index in dir for searching.
func Open(dir string) (*Index, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	var reports []Report
	data, err := os.ReadFile(filepath.Join(dir, "reports.json"))
	if err != nil {
		return nil, fmt.Errorf("opening index: %w", err)
	}
	if err := json.Unmarshal(data, &reports); err != nil {
		return nil, fmt.Errorf("opening index %s: reports.json: %w", dir, err)
	}
	idx, err := bleve.OpenUsing(filepath.Join(dir, "bleve"), map[string]any{"read_only": true})
	if err != nil {
		if idx != nil {
			idx.Close()
		}
		return nil, fmt.Errorf("opening index %s: %w", dir, err)
	}
	n, err := idx.DocCount()
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("opening index %s: %w", dir, err)
	}
	ix := &Index{dir: dir, idx: idx, manifest: m, reports: make(map[string]*Report, len(reports)), docCount: int(n)}
	for i := range reports {
		ix.reports[reports[i].ID] = &reports[i]
	}
	return ix, nil
}

// Close releases the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Manifest returns the manifest the index was opened with.
func (ix *Index) Manifest() Manifest { return *ix.manifest }

// maxTopN bounds how many hits one request may fetch with text.
const maxTopN = 1 << 20

// facetSizes caps how many values each facet lists; counts are exact.
var facetSizes = map[string]int{
	"province": 40, "city": 400, "district": 1000, "year": 100, "section": 10,
}

// badQuery marks err as the request's fault; its message stays err's own.
func badQuery(err error) error { return userError{err} }

type userError struct{ err error }

func (e userError) Error() string   { return e.err.Error() }
func (e userError) Unwrap() []error { return []error{ErrBadQuery, e.err} }

// compiled is a request turned into a bleve query.
type compiled struct {
	q       bq.Query
	phrases []string // positive normalised phrases, for highlighting
	text    string
}

func (ix *Index) compile(req Request) (*compiled, error) {
	if req.Offset < 0 {
		return nil, badQuery(fmt.Errorf("offset %d is negative", req.Offset))
	}
	if req.Limit < 0 {
		return nil, badQuery(fmt.Errorf("limit %d is negative", req.Limit))
	}
	q, err := query.Parse(req.Query)
	if err != nil && !(errors.Is(err, query.ErrEmpty) && req.HasFilters()) {
		return nil, badQuery(err)
	}
	if q == nil {
		q = &query.Query{}
	}
	f := q.Filters
	f.Province = append(f.Province, req.Province...)
	f.City = append(f.City, req.City...)
	f.District = append(f.District, req.District...)
	f.Section = append(f.Section, req.Section...)
	if req.YearFrom != 0 {
		f.YearFrom = max(f.YearFrom, req.YearFrom)
	}
	if req.YearTo != 0 {
		if f.YearTo == 0 {
			f.YearTo = req.YearTo
		} else {
			f.YearTo = min(f.YearTo, req.YearTo)
		}
	}
	var must, should []bq.Query
	if q.Expr != nil {
		m, err := compileNode(q.Expr)
		if err != nil {
			return nil, badQuery(err)
		}
		must = append(must, m)
	}
	phrases := q.Phrases()
	for _, p := range phrases {
		if s := wordsQuery(p); s != nil {
			should = append(should, s)
		}
	}
	must = append(must, filterQueries(f)...)
	if len(must) == 0 {
		return nil, badQuery(query.ErrEmpty)
	}
	return &compiled{q: bq.NewBooleanQuery(must, should, nil), phrases: phrases, text: req.Query}, nil
}

// exactBoost keeps the exact field out of the ranking: it decides what
// matches, the words field decides the order.
const exactBoost = 1e-3

func compileNode(n query.Node) (bq.Query, error) {
	switch n := n.(type) {
	case *query.Phrase:
		return exactQuery(n.Norm)
	case *query.And:
		var must, not []bq.Query
		for _, c := range n.Children {
			if neg, ok := c.(*query.Not); ok {
				q, err := compileNode(neg.Child)
				if err != nil {
					return nil, err
				}
				not = append(not, q)
				continue
			}
			q, err := compileNode(c)
			if err != nil {
				return nil, err
			}
			must = append(must, q)
		}
		if len(must) == 0 {
			must = append(must, bq.NewMatchAllQuery())
		}
		return bq.NewBooleanQuery(must, nil, not), nil
	case *query.Or:
		var any []bq.Query
		for _, c := range n.Children {
			q, err := compileNode(c)
			if err != nil {
				return nil, err
			}
			any = append(any, q)
		}
		return bq.NewDisjunctionQuery(any), nil
	case *query.Not:
		q, err := compileNode(n.Child)
		if err != nil {
			return nil, err
		}
		return bq.NewBooleanQuery([]bq.Query{bq.NewMatchAllQuery()}, nil, []bq.Query{q}), nil
	}
	return nil, fmt.Errorf("unknown query node %T", n)
}

func exactQuery(p string) (bq.Query, error) {
	terms, pairs := analyzer.ExactPhrase(p)
	field := fieldExact
	if pairs {
		field = fieldPairs
	}
	switch len(terms) {
	case 0:
		return nil, fmt.Errorf("phrase %q has nothing to search for", p)
	case 1:
		t := bq.NewTermQuery(terms[0])
		t.SetField(field)
		t.SetBoost(exactBoost)
		return t, nil
	}
	pq := bq.NewPhraseQuery(terms, field)
	pq.SetBoost(exactBoost)
	return pq, nil
}

// maxWordLen is the longest word the scoring clause looks for; gojieba
// words with the policy dictionary reach 12 (前海深港现代服务业合作区).
const maxWordLen = 12

// wordsQuery scores a phrase on the words field without segmenting it:
// gojieba may cut the same characters differently in every paragraph
// (放管服 alone, 放/管/服 inside “放管服”改革), so the phrase is scored with
// every substring that could be a word. Non-words cost one dictionary
// look-up. It also means a query never waits for the segmenter to load.
func wordsQuery(p string) bq.Query {
	seen := map[string]bool{}
	var terms []bq.Query
	for _, seg := range strings.Split(p, string(norm.Sep)) {
		r := []rune(seg)
		minLen := 2
		if len(r) == 1 {
			minLen = 1
		}
		for i := 0; i < len(r); i++ {
			for j := i + minLen; j <= len(r) && j-i <= maxWordLen; j++ {
				w := string(r[i:j])
				if seen[w] {
					continue
				}
				seen[w] = true
				t := bq.NewTermQuery(w)
				t.SetField(fieldWords)
				terms = append(terms, t)
			}
		}
	}
	if len(terms) == 0 {
		return nil
	}
	return bq.NewDisjunctionQuery(terms)
}

func filterQueries(f query.Filters) []bq.Query {
	var out []bq.Query
	for _, kv := range []struct {
		field  string
		values []string
	}{
		{fieldProvince, f.Province}, {fieldCity, f.City}, {fieldDistrict, f.District}, {fieldSection, f.Section},
	} {
		if len(kv.values) == 0 {
			continue
		}
		var any []bq.Query
		for _, v := range kv.values {
			t := bq.NewTermQuery(norm.Fold(strings.TrimSpace(v)))
			t.SetField(kv.field)
			t.SetBoost(exactBoost)
			any = append(any, t)
		}
		out = append(out, bq.NewDisjunctionQuery(any))
	}
	if f.YearFrom != 0 || f.YearTo != 0 {
		var lo, hi *float64
		if f.YearFrom != 0 {
			v := float64(f.YearFrom)
			lo = &v
		}
		if f.YearTo != 0 {
			v := float64(f.YearTo)
			hi = &v
		}
		inc := true
		r := bq.NewNumericRangeInclusiveQuery(lo, hi, &inc, &inc)
		r.SetField(fieldYear)
		r.SetBoost(exactBoost)
		out = append(out, r)
	}
	return out
}

// Search runs a request.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	c, err := ix.compile(req)
	if err != nil {
		return nil, err
	}
	size := req.Limit
	if size == 0 {
		size = ix.docCount
	}
	size = min(size, maxTopN)
	sr := bleve.NewSearchRequestOptions(c.q, size, req.Offset, false)
	sr.Fields = storedFields
	switch req.Sort {
	case "", "relevance":
	case "year":
		sr.SortBy([]string{"-" + fieldYear, "-_score", "_id"})
	case "year-asc":
		sr.SortBy([]string{fieldYear, "-_score", "_id"})
	default:
		return nil, badQuery(fmt.Errorf("unknown sort %q (want relevance, year or year-asc)", req.Sort))
	}
	switch req.TrendBy {
	case "", "district", "province":
	default:
		return nil, badQuery(fmt.Errorf("unknown trend split %q (want district or province)", req.TrendBy))
	}
	if !req.NoFacets || req.TrendBy != "" {
		sr.AddFacet(fieldFacetKey, bleve.NewFacetRequest(fieldFacetKey, 8*len(ix.reports)+8))
	}
	res, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	out := &Result{Query: req.Query, Total: int(res.Total), Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, ix.hit(h, c.phrases))
	}
	perReport, perSection := map[string]int{}, map[string]int{}
	if fr := res.Facets[fieldFacetKey]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			id, section, _ := strings.Cut(t.Term, "|")
			perReport[id] += t.Count
			if section != "" {
				perSection[section] += t.Count
			}
		}
	}
	if !req.NoFacets {
		out.Facets = ix.facets(perReport, perSection)
	}
	if req.TrendBy != "" {
		out.Trend = ix.trend(perReport, req.TrendBy)
	}
	out.TookMS = math.Round(float64(time.Since(start).Microseconds())/10) / 100
	return out, nil
}

// facets sums the hits of each report into the report's place and year.
func (ix *Index) facets(perReport, perSection map[string]int) map[string][]FacetCount {
	sums := map[string]map[string]int{"province": {}, "city": {}, "district": {}, "year": {}, "section": perSection}
	for id, n := range perReport {
		r := ix.reports[id]
		if r == nil {
			continue
		}
		for field, v := range map[string]string{"province": r.Province, "city": r.City, "district": r.District} {
			if v != "" {
				sums[field][v] += n
			}
		}
		if r.Year > 0 {
			sums["year"][strconv.Itoa(r.Year)] += n
		}
	}
	out := make(map[string][]FacetCount, len(FacetFields))
	for _, name := range FacetFields {
		out[name] = sortedCounts(sums[name], name == "year", facetSizes[name])
	}
	return out
}

// sortedCounts lists counts from most to fewest hits (years newest first),
// ties by value, at most limit of them.
func sortedCounts(m map[string]int, byValue bool, limit int) []FacetCount {
	out := make([]FacetCount, 0, len(m))
	for v, n := range m {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if byValue {
			return out[i].Value > out[j].Value
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// storedReaders read a hit's stored fields; a missing field reads as zero.
func storedReaders(h *search.DocumentMatch) (str func(string) string, num func(string) int) {
	str = func(k string) string { s, _ := h.Fields[k].(string); return s }
	num = func(k string) int { f, _ := h.Fields[k].(float64); return int(f) }
	return str, num
}

func (ix *Index) hit(h *search.DocumentMatch, phrases []string) Hit {
	str, num := storedReaders(h)
	hit := Hit{
		ID: h.ID, Report: str(fieldReport), Section: str(fieldSection), Heading: str(fieldHeading),
		Paragraph: num(fieldParagraph), Offset: num(fieldOffset), Text: str(fieldText), Score: h.Score,
	}
	if r := ix.reports[hit.Report]; r != nil {
		hit.Path, hit.Title, hit.Year = r.Path, r.Title, r.Year
		hit.Province, hit.City, hit.District = r.Province, r.City, r.District
	}
	hit.Highlight, _ = Highlight(hit.Text, phrases)
	return hit
}

// Trend counts hits per year, split by "district" or "province".
func (ix *Index) Trend(ctx context.Context, req Request, by string) ([]TrendPoint, error) {
	if by == "" {
		by = "?"
	}
	req.TrendBy, req.NoFacets, req.Limit, req.Offset = by, true, 1, 0
	res, err := ix.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Trend, nil
}

// trend sums the hits of each report into its year and place.
func (ix *Index) trend(perReport map[string]int, by string) []TrendPoint {
	sums := map[TrendPoint]int{}
	for id, n := range perReport {
		r := ix.reports[id]
		if r == nil || r.Year == 0 {
			continue
		}
		v := r.District
		if by == "province" {
			v = r.Province
		}
		if v != "" {
			sums[TrendPoint{Year: r.Year, Value: v}] += n
		}
	}
	out := make([]TrendPoint, 0, len(sums))
	for p, n := range sums {
		p.Count = n
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// Report returns a report with every match of query highlighted.
func (ix *Index) Report(ctx context.Context, id, q string) (*Report, error) {
	meta, ok := ix.reports[id]
	if !ok {
		return nil, ErrNotFound
	}
	var phrases []string
	if strings.TrimSpace(q) != "" {
		pq, err := query.Parse(q)
		if err != nil && !errors.Is(err, query.ErrEmpty) {
			return nil, badQuery(err)
		}
		if pq != nil {
			phrases = pq.Phrases()
		}
	}
	tq := bq.NewTermQuery(id)
	tq.SetField(fieldReport)
	sr := bleve.NewSearchRequestOptions(tq, maxTopN, 0, false)
	sr.Fields = []string{fieldText, fieldSection, fieldHeading, fieldParagraph, fieldOffset}
	res, err := ix.idx.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("reading report %s: %w", id, err)
	}
	r := *meta
	r.Paragraphs = make([]Paragraph, 0, len(res.Hits))
	for _, h := range res.Hits {
		str, num := storedReaders(h)
		p := Paragraph{Ordinal: num(fieldParagraph), Offset: num(fieldOffset), Section: str(fieldSection), Heading: str(fieldHeading), Text: str(fieldText)}
		p.Highlight, p.Matches = Highlight(p.Text, phrases)
		r.Paragraphs = append(r.Paragraphs, p)
	}
	sort.Slice(r.Paragraphs, func(i, j int) bool { return r.Paragraphs[i].Ordinal < r.Paragraphs[j].Ordinal })
	return &r, nil
}
