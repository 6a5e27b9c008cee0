package reportdiff

import (
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/index"
)

// ErrNoPrevious is returned by Previous when the index holds no earlier
// report of the same place and level.
var ErrNoPrevious = errors.New("no earlier report of this place")

// samePlace reports whether a and b are reports of one place at one level.
func samePlace(a, b index.ReportInfo) bool {
	return a.Level == b.Level && a.Province == b.Province && a.City == b.City && a.District == b.District
}

// Previous returns the report the one with id is compared with by default:
// the report of the same place and level from the nearest earlier year
// (year-1 if the index has it). Of several reports of that year (two
// sessions in one year), the last in index order is taken.
func Previous(infos []index.ReportInfo, id string) (index.ReportInfo, error) {
	cur, err := Find(infos, id)
	if err != nil {
		return index.ReportInfo{}, err
	}
	var best index.ReportInfo
	found := false
	for _, r := range infos {
		if r.ID == cur.ID || !samePlace(r, cur) || r.Year == 0 || r.Year >= cur.Year {
			continue
		}
		if !found || r.Year >= best.Year {
			best, found = r, true
		}
	}
	if !found || cur.Year == 0 {
		return index.ReportInfo{}, fmt.Errorf("reportdiff: %s (%s %d): %w", cur.ID, placeName(cur), cur.Year, ErrNoPrevious)
	}
	return best, nil
}

// Find returns the report whose id or source path is ref.
func Find(infos []index.ReportInfo, ref string) (index.ReportInfo, error) {
	for _, r := range infos {
		if r.ID == ref {
			return r, nil
		}
	}
	var match []index.ReportInfo
	for _, r := range infos {
		if r.Path == ref {
			match = append(match, r)
		}
	}
	switch len(match) {
	case 1:
		return match[0], nil
	case 0:
		return index.ReportInfo{}, fmt.Errorf("reportdiff: %q is neither a report id nor a source path: %w", ref, index.ErrNotFound)
	}
	return index.ReportInfo{}, fmt.Errorf("reportdiff: the file %q holds %d reports; name one by its id (%s, %s…): %w", ref, len(match), match[0].ID, match[1].ID, index.ErrNotFound)
}

func placeName(r index.ReportInfo) string {
	for _, s := range []string{r.District, r.City, r.Province} {
		if s != "" {
			return s
		}
	}
	return "全国"
}
