package targets

import (
	"cmp"
	"slices"

	"github.com/zhengce/zhengce/index"
)

// Row is one indicator of one place and year: the target its report set
// for the year, beside the result the next year's report states for it
// ("target 7%, achieved 5.2%"). Either side may be missing.
type Row struct {
	Province  string  `json:"province"`
	City      string  `json:"city"`
	District  string  `json:"district"`
	Level     string  `json:"level"`
	Year      int     `json:"year"` // the year the target is for
	Indicator string  `json:"indicator"`
	Kind      string  `json:"kind"`
	Target    *Target `json:"target,omitempty"`   // from the report of Year
	Achieved  *Target `json:"achieved,omitempty"` // from the review of the report of Year+1
}

// place is what identifies a row's place.
type place struct{ level, province, city, district string }

type rowKey struct {
	place
	year            int
	indicator, kind string
}

// Table reads the targets of every report, and the achievements in the
// review of every report, and joins them per place, year and indicator:
// a report of year Y sets targets for Y and reviews Y-1. Reports without a
// year are skipped. Rows are ordered by place, year and indicator.
func Table(reports []*index.Report) []Row {
	rows := map[rowKey]*Row{}
	get := func(r *index.Report, year int, t *Target) *Row {
		k := rowKey{place{r.Level, r.Province, r.City, r.District}, year, t.Indicator, t.Kind}
		row := rows[k]
		if row == nil {
			row = &Row{Province: r.Province, City: r.City, District: r.District, Level: r.Level, Year: year, Indicator: t.Indicator, Kind: t.Kind}
			rows[k] = row
		}
		return row
	}
	for _, r := range reports {
		if r.Year == 0 {
			continue
		}
		for _, t := range ReadTargets(r) {
			row := get(r, r.Year, &t)
			if row.Target == nil {
				row.Target = &t
			}
		}
		for _, t := range ReadAchieved(r) {
			row := get(r, r.Year-1, &t)
			if row.Achieved == nil {
				row.Achieved = &t
			}
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Province, b.Province), cmp.Compare(a.City, b.City), cmp.Compare(a.District, b.District),
			cmp.Compare(a.Level, b.Level), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
