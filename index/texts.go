package index

import (
	"context"
	"fmt"
)

// Texts calls fn for every paragraph of every live report, in the order
// Reports lists them (report is the position in that list, info its
// entry), with the paragraph's ordinal and its normalised text (package
// norm). It reads the code units only, never the original text, which
// makes it the cheap way over a whole index for analyses that compare
// texts (package reuse). text is reused between calls: fn must copy what
// it keeps. Texts returns the generation it read; an error from fn stops
// it and is returned.
func (ix *Index) Texts(ctx context.Context, fn func(report int, info *ReportInfo, ordinal int, text []rune) error) (generation int, err error) {
	g := ix.acquire()
	defer ix.release(g)
	infos := g.reportInfos()
	var buf []rune
	k := 0
	for _, sl := range g.slots {
		if !sl.live {
			continue
		}
		if err := ctx.Err(); err != nil {
			return g.m.Generation, err
		}
		if k >= len(infos) || infos[k].ID != sl.meta.ID {
			return g.m.Generation, fmt.Errorf("index %s: report list out of step at report %s: %w", ix.dir, sl.meta.ID, ErrDamaged)
		}
		r := g.segs[sl.seg].s.r
		ri, err := r.Report(sl.local)
		if err != nil {
			return g.m.Generation, indexDamaged(ix.dir, err)
		}
		for p := ri.First; p < ri.First+ri.Count; p++ {
			buf, err = r.NormalisedRunes(p, buf[:0])
			if err != nil {
				return g.m.Generation, indexDamaged(ix.dir, err)
			}
			if err := fn(k, &infos[k], r.OrdinalOf(uint32(p)), buf); err != nil {
				return g.m.Generation, err
			}
		}
		k++
	}
	return g.m.Generation, nil
}
