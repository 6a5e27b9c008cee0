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
// Scoring a hit costs a look-up in the posting list of each of those words,
// which for a phrase found in half a million paragraphs would cost more
// than the search. So at most RankLimit hits are scored: all of them when
// there are that few, and otherwise the RankLimit hits of the newest
// reports (by year, then index order). The rest follow, newest first. A
// journalist looking at 500,000 hits of 发展 sees the best-scored of this
// year's and last year's, which is what the first page of so common a
// phrase is for; sort=year and the facets reach everything else.

import (
	"context"
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/zhengce/zhengce/norm"
)

// RankLimit is how many hits at most are scored for relevance.
const RankLimit = 1000

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
	year := func(r ranked) int {
		gs := m.g.segs[r.seg]
		return gs.s.reports[gs.s.r.ReportOf(r.para)].Year
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if ya, yb := year(a), year(b); ya != yb {
			return ya > yb
		}
		if a.seg != b.seg {
			return a.seg < b.seg
		}
		return a.para < b.para
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
				out = append(out, ranked{seg: k, para: p})
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

// score fills the BM25 score of each candidate.
func (m *matched) score(ctx context.Context, cands []ranked) error {
	if len(cands) == 0 || len(m.c.phrases) == 0 {
		return nil
	}
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
		return nil
	}
	avgdl := math.Ceil(float64(fieldLen) / float64(n))
	phraseScore := make([]float64, len(cands))
	matchedPhrases := make([]int, len(cands))
	termHit := make([]int, len(cands))
	for _, p := range m.c.phrases {
		terms := wordTerms(p)
		if len(terms) == 0 {
			continue
		}
		clear(phraseScore)
		clear(termHit)
		for _, t := range terms {
			if err := ctx.Err(); err != nil {
				return err
			}
			readers := make([]bindex.TermFieldReader, len(g.segs))
			var df uint64
			for k, gs := range g.segs {
				tfr, err := gs.s.w.r.TermFieldReader(ctx, []byte(t), wordsField, true, true, false)
				if err != nil {
					return err
				}
				readers[k] = tfr
				df += tfr.Count()
			}
			if df == 0 {
				closeReaders(readers)
				continue
			}
			idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
			weight := idf * idf // bleve multiplies by the query weight, boost·idf·norm
			for k, docs := range perSeg {
				tfr := readers[k]
				if tfr == nil || len(docs) == 0 || tfr.Count() == 0 {
					continue
				}
				var tfd bindex.TermFieldDoc
				id := make(bindex.IndexInternalID, 8)
				for _, d := range docs {
					id = bindex.NewIndexInternalID(id, uint64(d.internal))
					got, err := tfr.Advance(id, &tfd)
					if err != nil {
						closeReaders(readers)
						return err
					}
					if got == nil {
						break
					}
					if got.ID.Value() != uint64(d.internal) {
						continue
					}
					tf := math.Sqrt(float64(got.Freq))
					fl := avgdl
					if got.Norm > 0 {
						fl = 1 / (got.Norm * got.Norm)
					}
					phraseScore[d.i] += weight * tf * bm25k1 / (tf + bm25k1*(1-bm25b+bm25b*fl/avgdl))
					termHit[d.i]++
				}
			}
			closeReaders(readers)
		}
		for i := range cands {
			if termHit[i] > 0 {
				// bleve's disjunction coord: the share of the phrase's words found.
				cands[i].score += phraseScore[i] * float64(termHit[i]) / float64(len(terms))
				matchedPhrases[i]++
			}
		}
	}
	if np := len(m.c.phrases); np > 1 {
		for i := range cands {
			cands[i].score *= float64(matchedPhrases[i]) / float64(np)
		}
	}
	return nil
}

func closeReaders(rs []bindex.TermFieldReader) {
	for _, r := range rs {
		if r != nil {
			r.Close()
		}
	}
}
