package reuse

import (
	"math"
	"slices"
)

// The JSON forms below are what `search -reuse` prints and /api/reuse
// serves: every report is named by id with its place and year, every
// paragraph by its ordinal (the anchor #pN of /doc/{id}).

// Ref names a report, or a paragraph of it.
type Ref struct {
	Report      string  `json:"report"`
	Title       string  `json:"title"`
	Level       string  `json:"level"`
	Province    string  `json:"province"`
	City        string  `json:"city"`
	District    string  `json:"district"`
	Year        int     `json:"year"`
	Paragraph   int     `json:"paragraph,omitempty"`
	Containment float64 `json:"containment,omitempty"` // of the paragraph asked about, in this one
}

// Place is the report's most precise place name ("全国" for a national
// report).
func (r Ref) Place() string {
	switch {
	case r.District != "":
		return r.District
	case r.City != "":
		return r.City
	case r.Province != "":
		return r.Province
	case r.Level == "national":
		return "全国"
	}
	return ""
}

func (t *Table) ref(i, ordinal int, c float64) Ref {
	r := &t.Reports[i]
	return Ref{Report: r.ID, Title: r.Title, Level: r.Level, Province: r.Province, City: r.City, District: r.District,
		Year: r.Year, Paragraph: ordinal, Containment: round4(c)}
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

// ReportView is the reuse of one report.
type ReportView struct {
	Ref
	Generation int `json:"generation"`
	// Chars is the length of the compared text; Reused the part found in
	// earlier reports of other places, Share = Reused / Chars; SamePlace the
	// part found in the same place's other reports; Boilerplate the length
	// of its boilerplate paragraphs.
	Chars       int             `json:"chars"`
	Reused      int             `json:"reused"`
	Share       float64         `json:"share"`
	SamePlace   int             `json:"same_place"`
	Boilerplate int             `json:"boilerplate"`
	Paragraphs  []ParagraphView `json:"paragraphs"` // the marked ones, in order
}

// ParagraphView is the reuse of one paragraph.
type ParagraphView struct {
	Paragraph   int  `json:"paragraph"`
	Chars       int  `json:"chars"`
	Boilerplate bool `json:"boilerplate"`
	Places      int  `json:"places"`
	Others      int  `json:"others"` // reports of other places that contain it
	Same        int  `json:"same"`   // reports of the same place (other years) that contain it
	// Source is the earliest report of another place, of an earlier year,
	// that contains it: where it was copied from. Nil when there is none.
	Source    *Ref  `json:"source,omitempty"`
	Found     []Ref `json:"found,omitempty"`      // other places, oldest first (at most MaxListed)
	SameFound []Ref `json:"same_found,omitempty"` // the same place, oldest first
}

// View returns the reuse of report r.
func (t *Table) View(r *Report) *ReportView {
	i := t.byID[r.ID]
	v := &ReportView{Ref: t.ref(i, 0, 0), Generation: t.Generation, Chars: r.Chars, Reused: r.Reused,
		Share: round4(r.Share()), SamePlace: r.SamePlace, Boilerplate: r.Boilerplate, Paragraphs: []ParagraphView{}}
	for k := range r.Marks {
		v.Paragraphs = append(v.Paragraphs, t.ParagraphView(r, &r.Marks[k]))
	}
	return v
}

// ParagraphView returns the reuse of the paragraph of r that m marks.
func (t *Table) ParagraphView(r *Report, m *Mark) ParagraphView {
	pv := ParagraphView{Paragraph: m.Ordinal, Chars: m.Chars, Boilerplate: m.Boilerplate, Places: m.Places,
		Others: m.Others, Same: m.Same}
	for _, f := range m.Found {
		ref := t.ref(f.Report, f.Ordinal, f.Containment)
		pv.Found = append(pv.Found, ref)
		if pv.Source == nil && m.Earlier > 0 && ref.Year > 0 && ref.Year < r.Year {
			pv.Source = &ref
		}
	}
	for _, f := range m.SameFound {
		pv.SameFound = append(pv.SameFound, t.ref(f.Report, f.Ordinal, f.Containment))
	}
	return pv
}

// Top is the corpus view: the most reused passages, the report pairs that
// share most, the reports most made of earlier text of other places.
type Top struct {
	Generation        int            `json:"generation"`
	Place             string         `json:"place,omitempty"`
	YearFrom          int            `json:"year_from,omitempty"`
	YearTo            int            `json:"year_to,omitempty"`
	Threshold         float64        `json:"threshold"`
	ShingleLen        int            `json:"shingle_len"`
	Places            int            `json:"places"`
	BoilerplatePlaces int            `json:"boilerplate_places"`
	Passages          []PassageView  `json:"passages"`
	Pairs             []PairView     `json:"pairs"`
	Reports           []ReportShare  `json:"reports"`
	Totals            map[string]int `json:"totals"` // passages, pairs and reports that match the filter
}

// PassageView is a reused passage: its original and the reports that hold it.
type PassageView struct {
	Original Ref   `json:"original"`
	Chars    int   `json:"chars"`
	Places   int   `json:"places"`
	Reports  int   `json:"reports"` // reports that hold it, the original's included
	Found    []Ref `json:"found"`   // the others, oldest first (at most MaxListed)
}

// PairView is two reports of different places that share text; A is the
// later.
type PairView struct {
	A          Ref     `json:"a"`
	B          Ref     `json:"b"`
	AinB       int     `json:"a_in_b"` // characters of A found in B
	AShare     float64 `json:"a_share"`
	BinA       int     `json:"b_in_a"`
	BShare     float64 `json:"b_share"`
	Paragraphs int     `json:"paragraphs"` // A's paragraphs found in B
}

// ReportShare is a report with the share of its text found in earlier
// reports of other places.
type ReportShare struct {
	Ref
	Chars  int     `json:"chars"`
	Reused int     `json:"reused"`
	Share  float64 `json:"share"`
}

// TopView returns the first limit passages, pairs and reports that f
// matches.
func (t *Table) TopView(f Filter, limit int) *Top {
	v := &Top{Generation: t.Generation, Place: f.Place, YearFrom: f.YearFrom, YearTo: f.YearTo,
		Threshold: t.Params.Threshold, ShingleLen: t.Params.ShingleLen, Places: t.Places,
		BoilerplatePlaces: t.BoilerplatePlaces, Passages: []PassageView{}, Pairs: []PairView{}, Reports: []ReportShare{}}
	passages := t.TopPassages(f, 0)
	pairs := t.TopPairs(f, 0)
	reports := t.TopReports(f, 0)
	v.Totals = map[string]int{"passages": len(passages), "pairs": len(pairs), "reports": len(reports)}
	for i, p := range passages {
		if i == limit {
			break
		}
		pv := PassageView{Original: t.ref(p.Report, p.Ordinal, 0), Chars: p.Chars, Places: p.Places, Reports: len(p.Reports)}
		for _, r := range p.Reports[1:min(len(p.Reports), MaxListed+1)] {
			pv.Found = append(pv.Found, t.ref(r, 0, 0))
		}
		v.Passages = append(v.Passages, pv)
	}
	for i, p := range pairs {
		if i == limit {
			break
		}
		a, b := &t.Reports[p.A], &t.Reports[p.B]
		v.Pairs = append(v.Pairs, PairView{A: t.ref(p.A, 0, 0), B: t.ref(p.B, 0, 0), AinB: p.AinB, BinA: p.BinA,
			AShare: round4(share(p.AinB, a.Chars)), BShare: round4(share(p.BinA, b.Chars)), Paragraphs: p.Paragraphs})
	}
	for i, r := range reports {
		if i == limit {
			break
		}
		v.Reports = append(v.Reports, ReportShare{Ref: t.ref(t.byID[r.ID], 0, 0), Chars: r.Chars, Reused: r.Reused, Share: round4(r.Share())})
	}
	return v
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TopReports returns the first limit reports (all when limit ≤ 0) that f
// matches and that have text found in earlier reports of other places,
// largest share first.
func (t *Table) TopReports(f Filter, limit int) []*Report {
	var out []*Report
	for i := range t.Reports {
		if r := &t.Reports[i]; r.Reused > 0 && f.matches(r) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y *Report) int {
		switch sx, sy := x.Share(), y.Share(); {
		case sx > sy:
			return -1
		case sx < sy:
			return 1
		}
		return 0
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
