package reuse

import (
	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// The settings of the comparison. doc.go says what each one means.
const (
	// ShingleLen is the length of a shingle, in characters.
	ShingleLen = 8
	// MinChars is the length below which a paragraph is not compared.
	MinChars = 20
	// Threshold is the containment from which a paragraph is found in
	// another.
	Threshold = 0.5
	// SampleEvery is the rate (a power of two) at which shingles are put in
	// the inverted list that finds candidates.
	SampleEvery = 8
	// BoilerplateShare and BoilerplateMinPlaces say in how many places a
	// passage must appear to be boilerplate.
	BoilerplateShare     = 1.0 / 3
	BoilerplateMinPlaces = 3
	// MaxPosting bounds the inverted lists read to find candidates: a
	// sampled shingle found in more paragraphs than this says nothing about
	// any one of them, and reading it would make the cost quadratic.
	MaxPosting = 20000
	// MaxListed and MaxListedSamePlace bound the matches kept per paragraph,
	// oldest first; the others are counted.
	MaxListed          = 8
	MaxListedSamePlace = 4
)

// Params are the settings a Table is computed with. The zero value of a
// field means the constant of the same name.
type Params struct {
	ShingleLen           int     `json:"shingle_len"`
	MinChars             int     `json:"min_chars"`
	Threshold            float64 `json:"threshold"`
	SampleEvery          int     `json:"sample_every"`
	BoilerplateShare     float64 `json:"boilerplate_share"`
	BoilerplateMinPlaces int     `json:"boilerplate_min_places"`
	MaxPosting           int     `json:"max_posting"`
	// Workers is the number of goroutines comparing (default GOMAXPROCS).
	Workers int `json:"-"`
}

func (p Params) withDefaults() Params {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&p.ShingleLen, ShingleLen)
	def(&p.MinChars, MinChars)
	def(&p.SampleEvery, SampleEvery)
	def(&p.BoilerplateMinPlaces, BoilerplateMinPlaces)
	def(&p.MaxPosting, MaxPosting)
	if p.Threshold <= 0 || p.Threshold > 1 {
		p.Threshold = Threshold
	}
	if p.BoilerplateShare <= 0 || p.BoilerplateShare > 1 {
		p.BoilerplateShare = BoilerplateShare
	}
	if p.SampleEvery&(p.SampleEvery-1) != 0 {
		p.SampleEvery = SampleEvery
	}
	p.MinChars = max(p.MinChars, p.ShingleLen)
	return p
}

// A Table is the reuse of every report of one generation of an index. It
// is immutable and safe for concurrent use.
type Table struct {
	Generation int
	Params     Params
	// Places is the number of places of the index; BoilerplatePlaces the
	// number of places from which a passage is boilerplate.
	Places, BoilerplatePlaces int
	Reports                   []Report // in index order
	Pairs                     []Pair   // most shared first
	Passages                  []Passage
	byID                      map[string]int
}

// Report is the reuse of one report.
type Report struct {
	ID, Path, Title, Level, Province, City, District string
	Year                                             int
	Added                                            int // generation that added it
	// Rank is the report's position in the order of "earlier": year, then
	// generation, then index order (unknown years last).
	Rank int
	// Chars is the length of the compared text: normalised, without
	// separators. Reused is how much of it is found in earlier reports of
	// other places (length × containment, summed over paragraphs);
	// SamePlace how much in the same place's other reports; Boilerplate the
	// length of its boilerplate paragraphs.
	Chars, Reused, SamePlace, Boilerplate int
	// Marks lists, by ordinal, the paragraphs found elsewhere or
	// boilerplate.
	Marks []Mark
}

// Share is the part of the report's text found in earlier reports of
// other places, from 0 to 1.
func (r *Report) Share() float64 {
	if r.Chars == 0 {
		return 0
	}
	return float64(r.Reused) / float64(r.Chars)
}

// Mark is one paragraph found elsewhere, or boilerplate.
type Mark struct {
	Ordinal     int
	Chars       int
	Boilerplate bool
	// Places is the number of places the passage appears in, this one
	// included.
	Places int
	// Others and Same count the reports, of other places and of this
	// place, that contain the paragraph.
	Others, Same int
	// Earlier is the paragraph's containment in the best earlier report of
	// another place; 0 when no earlier report of another place has it.
	Earlier float64
	// Found lists the first MaxListed reports of other places that contain
	// it, oldest first; SameFound the first MaxListedSamePlace of this
	// place.
	Found, SameFound []Match
}

// Match is the paragraph of another report that contains most of a
// paragraph.
type Match struct {
	Report      int // index into Table.Reports
	Ordinal     int
	Containment float64
}

// Pair is two reports of different places that share text. A comes after B
// in the order of "earlier" (it is the one that may have copied).
type Pair struct {
	A, B int // indexes into Table.Reports
	// AinB is the length of A's text found in B (length × containment,
	// summed over A's paragraphs found in B); BinA the converse.
	AinB, BinA int
	Paragraphs int // A's paragraphs found in B
}

// Passage is a reused paragraph where it was first written (its original)
// with every report that contains it.
type Passage struct {
	Report, Ordinal int // the original
	Chars           int
	Places          int   // places it appears in, the original's included
	Reports         []int // every report that holds it, oldest first, the original first
}

// Lookup returns the reuse of the report with id.
func (t *Table) Lookup(id string) (*Report, bool) {
	i, ok := t.byID[id]
	if !ok {
		return nil, false
	}
	return &t.Reports[i], true
}

// Mark returns the mark of paragraph ordinal of r, if it has one.
func (r *Report) Mark(ordinal int) (*Mark, bool) {
	lo, hi := 0, len(r.Marks)
	for lo < hi {
		m := (lo + hi) / 2
		if r.Marks[m].Ordinal < ordinal {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(r.Marks) && r.Marks[lo].Ordinal == ordinal {
		return &r.Marks[lo], true
	}
	return nil, false
}

func (t *Table) index() {
	t.byID = make(map[string]int, len(t.Reports))
	for i := range t.Reports {
		t.byID[t.Reports[i].ID] = i
	}
}

// Filter narrows the lists of passages and pairs. Place matches a report
// whose province, city or district is Place (in either script); the zero
// Filter keeps everything.
type Filter struct {
	Place            string
	YearFrom, YearTo int // 0 = open
}

func (f Filter) matches(r *Report) bool {
	if f.YearFrom != 0 && r.Year < f.YearFrom || f.YearTo != 0 && r.Year > f.YearTo {
		return false
	}
	if f.Place == "" {
		return true
	}
	p := norm.Fold(f.Place)
	return r.Province == p || r.City == p || r.District == p
}

// TopPassages returns the first limit passages (all when limit ≤ 0) with
// a report that f matches, most places first.
func (t *Table) TopPassages(f Filter, limit int) []Passage {
	var out []Passage
	for _, p := range t.Passages {
		ok := false
		for _, r := range p.Reports {
			if f.matches(&t.Reports[r]) {
				ok = true
				break
			}
		}
		if !ok {
			continue
		}
		out = append(out, p)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// TopPairs returns the first limit pairs (all when limit ≤ 0) with a
// report that f matches, most text shared first.
func (t *Table) TopPairs(f Filter, limit int) []Pair {
	var out []Pair
	for _, p := range t.Pairs {
		if !f.matches(&t.Reports[p.A]) && !f.matches(&t.Reports[p.B]) {
			continue
		}
		out = append(out, p)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out
}

// placeKey is the identity of a report's place.
func placeKey(r *index.ReportInfo) string {
	if r.Province == "" && r.City == "" && r.District == "" && r.Level != "national" {
		return "\x00" + r.ID // unknown: a place of its own
	}
	return r.Level + "\x00" + r.Province + "\x00" + r.City + "\x00" + r.District
}
