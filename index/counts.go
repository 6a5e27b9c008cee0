package index

import (
	"context"
	"sync"
)

// Reports lists the metadata of every live report, in index order.
func (ix *Index) Reports(ctx context.Context) ([]ReportInfo, error) {
	g := ix.acquire()
	defer ix.release(g)
	return g.reportInfos(), nil
}

// reportInfos builds, once per generation, the list Reports returns.
func (g *generation) reportInfos() []ReportInfo {
	g.infoOnce.Do(func() {
		g.infos = make([]ReportInfo, 0, len(g.byID))
		for _, sl := range g.slots {
			if !sl.live {
				continue
			}
			gs := g.segs[sl.seg]
			ri, err := gs.s.r.Report(sl.local)
			if err != nil {
				continue
			}
			chars := 0
			for p := ri.First; p < ri.First+ri.Count; p++ {
				chars += gs.s.r.Length(uint32(p))
			}
			m := sl.meta
			g.infos = append(g.infos, ReportInfo{
				ID: m.ID, Path: m.Path, Title: m.Title, Level: m.Level, Province: m.Province, City: m.City,
				District: m.District, Year: m.Year, ProvinceAsWritten: m.ProvinceAsWritten,
				CityAsWritten: m.CityAsWritten, DistrictAsWritten: m.DistrictAsWritten,
				Paragraphs: ri.Count, Chars: chars, Added: m.Added,
			})
		}
	})
	return g.infos
}

// Count counts the hits of req per report.
func (ix *Index) Count(ctx context.Context, req Request) (*Counts, error) {
	req.Offset, req.Limit, req.Sort, req.TrendBy = 0, 0, "", ""
	c, err := compile(req)
	if err != nil {
		return nil, err
	}
	g := ix.acquire()
	defer ix.release(g)
	m, err := g.match(ctx, c)
	if err != nil {
		return nil, ix.searchErr(req, err)
	}
	out := &Counts{Query: req.Query, Total: m.total, Generation: g.m.Generation}
	for s, n := range m.perSlot {
		if n == 0 {
			continue
		}
		sl := g.slots[s]
		out.Reports = append(out.Reports, ReportCount{Report: sl.meta.ID, Hits: int(n), First: m.first(s)})
	}
	return out, nil
}

// first returns the ordinal of the first hit of report slot s.
func (m *matched) first(s int) int {
	sl := m.g.slots[s]
	gs := m.g.segs[sl.seg]
	ri, err := gs.s.r.Report(sl.local)
	if err != nil {
		return 0
	}
	hits := m.hits[sl.seg]
	// The report's paragraphs are ri.First …; the first hit among them is
	// the hit of rank Rank(ri.First-1) (0-based).
	before := uint64(0)
	if ri.First > 0 {
		before = hits.Rank(uint32(ri.First - 1))
	}
	p, err := hits.Select(uint32(before))
	if err != nil || int(p) >= ri.First+ri.Count {
		return 0
	}
	return gs.s.r.OrdinalOf(p)
}

// generation's lazily built report list.
type reportList struct {
	infoOnce sync.Once
	infos    []ReportInfo
}
