package segment

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// parallelVerify is the number of candidates above which verification is
// spread over the cores.
const parallelVerify = 16384

// Phrase returns the paragraphs among within (all paragraphs if within is
// nil) whose normalised text contains the normalised phrase p. It is
// exact: the result is what a substring scan of every paragraph would
// find. The result may share containers with the segment's postings: do
// not modify it in place.
func (r *Reader) Phrase(ctx context.Context, p []rune, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	switch len(p) {
	case 0:
		return roaring.New(), nil
	case 1:
		bm, err := r.Unigram(p[0])
		if err != nil {
			return nil, err
		}
		return restrict(bm, within), nil
	case 2:
		bm, err := r.Pair(p[0], p[1])
		if err != nil {
			return nil, err
		}
		return restrict(bm, within), nil
	}
	cand, err := r.Candidates(p, within)
	if err != nil || cand.IsEmpty() {
		return cand, err
	}
	units, ok := r.encode(p)
	if !ok {
		return roaring.New(), nil
	}
	return r.verify(ctx, cand, units)
}

func restrict(bm, within *roaring.Bitmap) *roaring.Bitmap {
	if within == nil {
		return bm
	}
	return roaring.And(bm, within)
}

// Candidates returns the paragraphs among within that hold every pair of
// p: a superset of the paragraphs that contain p, equal to it when p has
// at most two characters. Pairs are intersected rarest first.
func (r *Reader) Candidates(p []rune, within *roaring.Bitmap) (*roaring.Bitmap, error) {
	if len(p) == 1 {
		bm, err := r.Unigram(p[0])
		if err != nil {
			return nil, err
		}
		return restrict(bm, within), nil
	}
	type pair struct {
		a, b rune
		card int
	}
	pairs := make([]pair, 0, len(p)-1)
	for i := 0; i+1 < len(p); i++ {
		c := r.PairCardinality(p[i], p[i+1])
		if c == 0 {
			return roaring.New(), nil
		}
		pairs = append(pairs, pair{p[i], p[i+1], c})
	}
	slices.SortFunc(pairs, func(x, y pair) int { return x.card - y.card })
	var cand *roaring.Bitmap
	for i, pr := range pairs {
		if i > 0 && pr.a == pairs[i-1].a && pr.b == pairs[i-1].b {
			continue
		}
		bm, err := r.Pair(pr.a, pr.b)
		if err != nil {
			return nil, err
		}
		if cand == nil {
			cand = bm
			if within != nil {
				cand = roaring.And(cand, within)
			}
		} else {
			cand = roaring.And(cand, bm)
		}
		if cand.IsEmpty() {
			break
		}
	}
	return cand, nil
}

// verify keeps the candidates whose units contain the phrase's units.
func (r *Reader) verify(ctx context.Context, cand *roaring.Bitmap, phrase []byte) (*roaring.Bitmap, error) {
	n := int(cand.GetCardinality())
	workers := 1
	if n > parallelVerify {
		workers = min(runtime.GOMAXPROCS(0), 1+n/parallelVerify)
	}
	if workers == 1 {
		return r.verifyRange(ctx, cand.ManyIterator(), n, phrase)
	}
	all := cand.ToArray()
	parts := make([]*roaring.Bitmap, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := k*len(all)/workers, (k+1)*len(all)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[k], errs[k] = r.verifyArray(ctx, all[lo:hi], phrase)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return roaring.FastOr(parts...), nil
}

func (r *Reader) verifyRange(ctx context.Context, it roaring.ManyIntIterable, n int, phrase []byte) (*roaring.Bitmap, error) {
	buf := make([]uint32, 256)
	out := roaring.New()
	for {
		k := it.NextMany(buf)
		if k == 0 {
			return out, nil
		}
		kept, err := r.verifyArray(ctx, buf[:k], phrase)
		if err != nil {
			return nil, err
		}
		out.Or(kept)
	}
}

// verifyArray keeps the paragraphs of ps (sorted) that contain phrase. It
// checks ctx every 1,024 paragraphs.
func (r *Reader) verifyArray(ctx context.Context, ps []uint32, phrase []byte) (*roaring.Bitmap, error) {
	kept := make([]uint32, 0, len(ps)/2+1)
	for i, p := range ps {
		if i%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if uint64(p) >= r.m.Paragraphs {
			return nil, r.damaged("paragraph %d out of range", p)
		}
		text, err := r.paragraphUnits(p)
		if err != nil {
			return nil, err
		}
		if containsUnits(text, phrase) {
			kept = append(kept, p)
		}
	}
	bm := roaring.New()
	bm.AddMany(kept)
	return bm, nil
}

// A Pattern is a normalised phrase encoded in one segment's code units.
type Pattern struct{ units []byte }

// Pattern encodes the normalised phrase p for this segment; ok is false
// when one of its characters never occurs in the segment (so neither does
// p).
func (r *Reader) Pattern(p []rune) (pat Pattern, ok bool) {
	u, ok := r.encode(p)
	return Pattern{u}, ok
}

// Count returns how many times pat occurs in the normalised text of
// paragraph p, overlapping occurrences included.
func (r *Reader) Count(p uint32, pat Pattern) (int, error) {
	if uint64(p) >= r.m.Paragraphs {
		return 0, r.damaged("paragraph %d out of range", p)
	}
	text, err := r.paragraphUnits(p)
	if err != nil {
		return 0, err
	}
	return countUnits(text, pat.units), nil
}

// Length returns the length of paragraph p's normalised text in code
// units (characters, but for the rare escaped ones). p must be in range.
func (r *Reader) Length(p uint32) int { return int(r.unitStart[p+1] - r.unitStart[p]) }

// countUnits counts the aligned occurrences of phrase in text.
func countUnits(text, phrase []byte) int {
	if len(phrase) == 0 {
		return 0
	}
	n := 0
	for len(text) >= len(phrase) {
		i := bytes.Index(text, phrase)
		if i < 0 {
			break
		}
		if i%2 == 0 {
			n++
			text = text[i+2:] // the next occurrence may overlap this one
			continue
		}
		text = text[i+1:]
	}
	return n
}
