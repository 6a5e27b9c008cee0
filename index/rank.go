package index

// Ranking.
//
// Relevance is BM25 over the words field (gojieba words in each segment's
// bleve index), computed the way bleve computes it — the same idf, the
// same saturation of the square root of the term frequency, the same coord
// factors for a phrase's words — but with the statistics of the whole
// generation, so that how reports happen to fall into segments never
// changes the order. A phrase is scored with every substring of it that
// could be a word (2 to 12 characters; the character itself for a phrase
// of one), because gojieba may cut the same characters differently in
// every paragraph. Ties go to the newer report, then to index order.
//
// What ranking costs is bounded whatever the number of hits.
//
// At most RankLimit hits are scored: all of them when there are that few,
// and otherwise the RankLimit hits of the newest reports (by year, then
// index order). The rest follow, newest first. A journalist looking at
// 500,000 hits of 发展 sees the best-scored of this year's and last year's,
// which is what the first page of so common a phrase is for; sort=year and
// the facets reach everything else.
//
// bleve reads a word's term frequencies and norms by walking its posting
// list from the start, so a word costs its document frequency however few
// hits are scored (a word in 40% of a million paragraphs: 400,000 steps of
// ~100 ns). So the words are used only when the document frequencies of
// all the query's words add up to at most WordBudget — every query on a
// corpus the size of the bundled reports, rare phrases on big ones. Beyond
// it the same BM25 formula is applied to the phrases themselves: each
// phrase is one term, its frequency counted in the candidate's normalised
// text, the paragraph's length in normalised characters, the phrase's
// document frequency estimated from its rarest character pair. Counting a
// phrase in a thousand paragraphs costs a fraction of a millisecond on any
// corpus, and for an exact-phrase search it scores exactly what was asked
// for: how often the paragraph says it, and how much else it says.

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/zhengce/zhengce/norm"
	"github.com/zhengce/zhengce/segment"
)

// RankLimit is how many hits at most are scored for relevance.
const RankLimit = 1000

// WordBudget bounds the posting entries of the words index ranking reads
// per query; above it, hits are scored by their phrases.
const WordBudget = 10_000

// bleve's BM25 constants (search.BM25_k1, search.BM25_b).
const (
	bm25k1 = 1.2
	bm25b  = 0.75
)

// maxWordLen is the longest word the scoring looks for; gojieba words
// with the policy dictionary reach 12 (前海深港现代服务业合作区).
const maxWordLen = 12

type ranked struct {
	seg   int
	para  uint32
	score float64
	year  int
}

// page returns hits offset … offset+limit-1 in the requested order.
func (m *matched) page(ctx context.Context, order string, offset, limit int) ([]ranked, error) {
	if limit <= 0 || offset >= m.total {
		return nil, nil
	}
	switch order {
	case "year":
		return m.byYear(offset, limit, true, nil), nil
	case "year-asc":
		return m.byYear(offset, limit, false, nil), nil
	}
	// Relevance: score the first RankLimit hits (all of them, or the newest).
	cands := m.byYear(0, RankLimit, true, nil)
	if err := m.score(ctx, cands); err != nil {
		return nil, err
	}
	slices.SortFunc(cands, func(a, b ranked) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if a.year != b.year {
			return b.year - a.year
		}
		if a.seg != b.seg {
			return a.seg - b.seg
		}
		return cmp.Compare(a.para, b.para)
	})
	if offset+limit <= len(cands) {
		return cands[offset : offset+limit], nil
	}
	var out []ranked
	if offset < len(cands) {
		out = append(out, cands[offset:]...)
	}
	// The rest, newest first, without the scored ones.
	skip := make([]*roaring.Bitmap, len(m.g.segs))
	for _, c := range cands {
		if skip[c.seg] == nil {
			skip[c.seg] = roaring.New()
		}
		skip[c.seg].Add(c.para)
	}
	restOffset := max(0, offset-len(cands))
	out = append(out, m.byYear(restOffset, limit-len(out), true, skip)...)
	return out, nil
}

// byYear returns hits offset … offset+limit-1 ordered by report year
// (newest first when desc, unknown years last either way), then by index
// order, leaving out those in skip.
func (m *matched) byYear(offset, limit int, desc bool, skip []*roaring.Bitmap) []ranked {
	years := m.g.years
	if !desc {
		years = slices.Clone(years)
		sort.Slice(years, func(i, j int) bool {
			a, b := years[i], years[j]
			if (a == 0) != (b == 0) {
				return b == 0
			}
			return a < b
		})
	}
	var out []ranked
	for _, y := range years {
		for k, gs := range m.g.segs {
			hits := m.hits[k]
			if hits.IsEmpty() {
				continue
			}
			gs.s.bitmaps()
			ybm := gs.s.yearBM[y]
			if ybm == nil {
				continue
			}
			group := roaring.And(hits, ybm)
			if skip != nil && skip[k] != nil {
				group.AndNot(skip[k])
			}
			n := int(group.GetCardinality())
			if offset >= n {
				offset -= n
				continue
			}
			it := group.Iterator()
			for i := 0; it.HasNext(); i++ {
				p := it.Next()
				if i < offset {
					continue
				}
				out = append(out, ranked{seg: k, para: p, year: y})
				if len(out) == limit {
					return out
				}
			}
			offset = 0
		}
	}
	return out
}

// wordTerms returns the words a phrase is scored with.
func wordTerms(p string) []string {
	seen := map[string]bool{}
	var terms []string
	for _, seg := range splitSep(p) {
		r := []rune(seg)
		minLen := 2
		if len(r) == 1 {
			minLen = 1
		}
		for i := 0; i < len(r); i++ {
			for j := i + minLen; j <= len(r) && j-i <= maxWordLen; j++ {
				w := string(r[i:j])
				if !seen[w] {
					seen[w] = true
					terms = append(terms, w)
				}
			}
		}
	}
	return terms
}

func splitSep(p string) []string {
	var out []string
	start := 0
	for i, r := range p {
		if r == norm.Sep {
			if i > start {
				out = append(out, p[start:i])
			}
			start = i + len(string(norm.Sep))
		}
	}
	if start < len(p) {
		out = append(out, p[start:])
	}
	return out
}

// score fills the BM25 score of each candidate: over the words when they
// fit the budget, over the phrases otherwise.
func (m *matched) score(ctx context.Context, cands []ranked) (err error) {
	if len(cands) == 0 || len(m.c.phrases) == 0 {
		return nil
	}
	// bleve panics on some damage its own checks miss: that is damage too.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("a words index is damaged (%v): %w", p, ErrDamaged)
		}
	}()
	ok, err := m.scoreWords(ctx, cands)
	if err != nil || ok {
		return err
	}
	return m.scorePhrases(ctx, cands)
}

// scorePhrases scores each candidate with BM25 taking each phrase as a
// term: bleve's formula (square root of the frequency, k1, b), the length
// in normalised characters.
func (m *matched) scorePhrases(ctx context.Context, cands []ranked) error {
	g := m.g
	var units int64
	for _, gs := range g.segs {
		units += gs.s.r.Units()
	}
	n := float64(g.paragraphs)
	if n == 0 || units == 0 {
		return nil
	}
	var total int
	for _, gs := range g.segs {
		total += gs.s.r.NumParagraphs()
	}
	avg := float64(units) / float64(max(total, 1))
	for _, p := range m.c.phrases {
		runes := []rune(p)
		pats := make([]segment.Pattern, len(g.segs))
		has := make([]bool, len(g.segs))
		df := 0
		for k, gs := range g.segs {
			pats[k], has[k] = gs.s.r.Pattern(runes)
			df += estimateDF(gs.s.r, runes)
		}
		df = max(df, 1)
		idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		weight := idf * idf
		for i := range cands {
			if i%256 == 255 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			c := &cands[i]
			if !has[c.seg] {
				continue
			}
			r := g.segs[c.seg].s.r
			f, err := r.Count(c.para, pats[c.seg])
			if err != nil {
				return err
			}
			if f == 0 {
				continue
			}
			tf := math.Sqrt(float64(f))
			fl := float64(r.Length(c.para))
			c.score += weight * tf * bm25k1 / (tf + bm25k1*(1-bm25b+bm25b*fl/avg))
		}
	}
	return nil
}

// estimateDF bounds how many paragraphs of a segment contain p: the
// paragraphs holding its rarest pair (or its one character).
func estimateDF(r *segment.Reader, p []rune) int {
	if len(p) == 1 {
		bm, err := r.Unigram(p[0])
		if err != nil {
			return 0
		}
		return int(bm.GetCardinality())
	}
	best := math.MaxInt
	for i := 0; i+1 < len(p); i++ {
		best = min(best, r.PairCardinality(p[i], p[i+1]))
	}
	return best
}

// scoreWords scores each candidate with bleve's BM25 over the words
// field, if the query's words fit WordBudget; it reports whether they did.
func (m *matched) scoreWords(ctx context.Context, cands []ranked) (bool, error) {
	g := m.g
	// Group the candidates by segment, in bleve's document order.
	type doc struct {
		internal uint32
		i        int // index in cands
	}
	perSeg := make([][]doc, len(g.segs))
	for i, c := range cands {
		w := g.segs[c.seg].s.w
		if int(c.para) >= len(w.toInternal) || w.toInternal[c.para] == noInternal {
			continue
		}
		perSeg[c.seg] = append(perSeg[c.seg], doc{w.toInternal[c.para], i})
	}
	for _, docs := range perSeg {
		slices.SortFunc(docs, func(a, b doc) int { return int(a.internal) - int(b.internal) })
	}
	var n, fieldLen uint64
	for _, gs := range g.segs {
		n += gs.s.w.docs
		fieldLen += gs.s.w.fieldLen
	}
	if n == 0 {
		return false, nil
	}
	avgdl := math.Ceil(float64(fieldLen) / float64(n))
	// Every word of every phrase, with its document frequency.
	type word struct {
		phrase  int
		readers []bindex.TermFieldReader
		df      uint64
	}
	var words []*word
	termsOf := make([]int, len(m.c.phrases))
	defer func() {
		for _, w := range words {
			closeReaders(w.readers)
		}
	}()
	for pi, p := range m.c.phrases {
		terms := wordTerms(p)
		termsOf[pi] = len(terms)
		for _, t := range terms {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			w := &word{phrase: pi, readers: make([]bindex.TermFieldReader, len(g.segs))}
			for k, gs := range g.segs {
				tfr, err := gs.s.w.r.TermFieldReader(ctx, []byte(t), wordsField, true, true, false)
				if err != nil {
					closeReaders(w.readers)
					return false, err
				}
				w.readers[k] = tfr
				w.df += tfr.Count()
			}
			if w.df == 0 {
				closeReaders(w.readers)
				continue
			}
			words = append(words, w)
		}
	}
	slices.SortStableFunc(words, func(a, b *word) int {
		if a.df != b.df {
			return cmp.Compare(a.df, b.df)
		}
		return 0
	})
	phraseScore := make([][]float64, len(m.c.phrases))
	termHit := make([][]int, len(m.c.phrases))
	for pi := range m.c.phrases {
		phraseScore[pi] = make([]float64, len(cands))
		termHit[pi] = make([]int, len(cands))
	}
	var walked uint64
	for _, w := range words {
		walked += w.df
	}
	if walked > WordBudget {
		return false, nil
	}
	for _, w := range words {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		idf := math.Log(1 + (float64(n)-float64(w.df)+0.5)/(float64(w.df)+0.5))
		weight := idf * idf // bleve multiplies by the query weight, boost·idf·norm
		ps, th := phraseScore[w.phrase], termHit[w.phrase]
		for k, docs := range perSeg {
			tfr := w.readers[k]
			if tfr == nil || len(docs) == 0 || tfr.Count() == 0 {
				continue
			}
			var tfd bindex.TermFieldDoc
			id := make(bindex.IndexInternalID, 8)
			// at is the document the reader stands on: bleve restarts a
			// reader from the beginning when asked for an earlier one, so
			// a candidate before it is known absent and never asked for.
			at, started := uint64(0), false
			for _, d := range docs {
				if started && at > uint64(d.internal) {
					continue
				}
				id = bindex.NewIndexInternalID(id, uint64(d.internal))
				got, err := tfr.Advance(id, &tfd)
				if err != nil {
					return false, err
				}
				if got == nil {
					break
				}
				at, started = got.ID.Value(), true
				if at != uint64(d.internal) {
					continue
				}
				tf := math.Sqrt(float64(got.Freq))
				fl := avgdl
				if got.Norm > 0 {
					fl = 1 / (got.Norm * got.Norm)
				}
				ps[d.i] += weight * tf * bm25k1 / (tf + bm25k1*(1-bm25b+bm25b*fl/avgdl))
				th[d.i]++
			}
		}
	}
	matchedPhrases := make([]int, len(cands))
	for pi := range m.c.phrases {
		for i := range cands {
			if termHit[pi][i] > 0 {
				// bleve's disjunction coord: the share of the phrase's words found.
				cands[i].score += phraseScore[pi][i] * float64(termHit[pi][i]) / float64(termsOf[pi])
				matchedPhrases[i]++
			}
		}
	}
	if np := len(m.c.phrases); np > 1 {
		for i := range cands {
			cands[i].score *= float64(matchedPhrases[i]) / float64(np)
		}
	}
	return true, nil
}

func closeReaders(rs []bindex.TermFieldReader) {
	for _, r := range rs {
		if r != nil {
			r.Close()
		}
	}
}
