package spread

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zhengce/zhengce/index"
)

// Level is the kind of place first use and adoption are counted over.
type Level string

// The levels, from the coarsest.
const (
	Province Level = "province"
	City     Level = "city"
	District Level = "district"
)

// Levels lists the levels in order, with their labels.
var Levels = []struct {
	Level Level
	Label string
}{{Province, "省份"}, {City, "城市"}, {District, "区县"}}

// ParseLevel reads a level name; "" is District.
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case "":
		return District, nil
	case Province, City, District:
		return l, nil
	}
	return "", fmt.Errorf("spread: level %q: want province, city or district", s)
}

// Label is the Chinese name of the level's places.
func (l Level) Label() string {
	for _, x := range Levels {
		if x.Level == l {
			return x.Label
		}
	}
	return string(l)
}

// Place is a division at some level, with the divisions it lies in.
type Place struct {
	Province string `json:"province"`
	City     string `json:"city,omitempty"`
	District string `json:"district,omitempty"`
}

// Name is the most specific name of p.
func (p Place) Name() string {
	switch {
	case p.District != "":
		return p.District
	case p.City != "":
		return p.City
	}
	return p.Province
}

// FullName names p with the divisions it lies in: 广东省 深圳市 南山区.
func (p Place) FullName() string {
	var parts []string
	for _, s := range []string{p.Province, p.City, p.District} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// PlaceOf is the place of r at level l; ok is false if r names no division
// at that level.
func PlaceOf(r *index.ReportInfo, l Level) (p Place, ok bool) {
	switch l {
	case Province:
		return Place{Province: r.Province}, r.Province != ""
	case City:
		return Place{Province: r.Province, City: r.City}, r.City != ""
	default:
		return Place{Province: r.Province, City: r.City, District: r.District}, r.District != ""
	}
}

// A Table is the report metadata of an index arranged for analyses: built
// once, shared by every query. It is safe for concurrent use.
type Table struct {
	reports []index.ReportInfo
	byID    map[string]int
	years   []int // every known year of a report, ascending
	yearIx  map[int]int
	// per year (as years): reports and their characters
	yearReports, yearChars []int
	provinces              []string // every province, sorted
	provIx                 map[string]int
	levels                 map[Level]*levelTable
}

// levelTable is the places of one level.
type levelTable struct {
	places    []Place
	placeOf   []int // report → place, -1 if none
	provOf    []int // place → province index
	firstYear []int // place → the first year the corpus holds a report of it (0: none dated)
	held      []int // per year: places with a dated report of that year or before
	reporting []int // per year: places with a report of that year
	provHeld  []int // per province: places
}

// NewTable arranges reports (as Searcher.Reports returns them). It keeps
// the slice and does not modify it.
func NewTable(reports []index.ReportInfo) *Table {
	t := &Table{reports: reports, byID: make(map[string]int, len(reports)), yearIx: map[int]int{}, provIx: map[string]int{}, levels: map[Level]*levelTable{}}
	for i := range reports {
		r := &reports[i]
		t.byID[r.ID] = i
		if r.Year > 0 && !slices.Contains(t.years, r.Year) {
			t.years = append(t.years, r.Year)
		}
		if r.Province != "" && !slices.Contains(t.provinces, r.Province) {
			t.provinces = append(t.provinces, r.Province)
		}
	}
	slices.Sort(t.years)
	slices.Sort(t.provinces)
	for i, y := range t.years {
		t.yearIx[y] = i
	}
	for i, p := range t.provinces {
		t.provIx[p] = i
	}
	t.yearReports = make([]int, len(t.years))
	t.yearChars = make([]int, len(t.years))
	for i := range reports {
		if y, ok := t.yearIx[reports[i].Year]; ok {
			t.yearReports[y]++
			t.yearChars[y] += reports[i].Chars
		}
	}
	for _, l := range Levels {
		t.levels[l.Level] = t.newLevel(l.Level)
	}
	return t
}

func (t *Table) newLevel(l Level) *levelTable {
	lt := &levelTable{placeOf: make([]int, len(t.reports)), held: make([]int, len(t.years)),
		reporting: make([]int, len(t.years)), provHeld: make([]int, len(t.provinces))}
	ids := map[Place]int{}
	seen := map[[2]int]bool{} // place, year
	for i := range t.reports {
		r := &t.reports[i]
		p, ok := PlaceOf(r, l)
		if !ok {
			lt.placeOf[i] = -1
			continue
		}
		id, ok := ids[p]
		if !ok {
			id = len(lt.places)
			ids[p] = id
			lt.places = append(lt.places, p)
			lt.provOf = append(lt.provOf, t.provIx[p.Province])
			lt.firstYear = append(lt.firstYear, 0)
			if p.Province != "" {
				lt.provHeld[t.provIx[p.Province]]++
			}
		}
		lt.placeOf[i] = id
		if r.Year > 0 {
			if fy := lt.firstYear[id]; fy == 0 || r.Year < fy {
				lt.firstYear[id] = r.Year
			}
			if k := [2]int{id, r.Year}; !seen[k] {
				seen[k] = true
				lt.reporting[t.yearIx[r.Year]]++
			}
		}
	}
	for _, fy := range lt.firstYear {
		if fy > 0 {
			lt.held[t.yearIx[fy]]++
		}
	}
	for y := 1; y < len(lt.held); y++ {
		lt.held[y] += lt.held[y-1]
	}
	return lt
}

// Reports is the metadata the table was built from.
func (t *Table) Reports() []index.ReportInfo { return t.reports }

// Report returns the index in Reports of the report with this id.
func (t *Table) Report(id string) (int, bool) {
	i, ok := t.byID[id]
	return i, ok
}

// Years lists every year the corpus holds a report of, ascending.
func (t *Table) Years() []int { return t.years }

// YearIndex is the position of year y in Years.
func (t *Table) YearIndex(y int) (int, bool) {
	i, ok := t.yearIx[y]
	return i, ok
}

// Provinces lists every province the corpus holds, sorted.
func (t *Table) Provinces() []string { return t.provinces }

// ProvinceIndex is the position of province p in Provinces.
func (t *Table) ProvinceIndex(p string) (int, bool) {
	i, ok := t.provIx[p]
	return i, ok
}

// PlaceIndex is the place number of report i at level l, or -1; places are
// numbered from 0 to Places(l)-1.
func (t *Table) PlaceIndex(l Level, i int) int { return t.levels[l].placeOf[i] }

// Places lists the places of level l, numbered as PlaceIndex.
func (t *Table) Places(l Level) []Place { return t.levels[l].places }

// ShortProvince is the name a province has on the map: 广东省 → 广东,
// 广西壮族自治区 → 广西, 北京市 → 北京, 香港特别行政区 → 香港.
func ShortProvince(name string) string {
	for _, suffix := range []string{"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"} {
		if s, ok := strings.CutSuffix(name, suffix); ok && s != "" {
			return s
		}
	}
	return name
}
