package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/zhengce/zhengce/index"
)

// A sourceReport is one real report the generator draws paragraphs from.
type sourceReport struct {
	Path       string
	Paragraphs []sourceParagraph
}

type sourceParagraph struct {
	Text, Section, Heading string
}

// A place is a county-level division with the city and province it lies in.
type place struct {
	Province, City, District string
}

// Sections are the five sections a paragraph can belong to, as the corpus
// reader assigns them.
var Sections = []string{"工作回顾", "工作安排", "政府自身建设", "名词解释", "其他"}

// Corpus is a synthetic corpus of N paragraphs, fully determined by Seed and
// the bundled reports: real report texts, republished under synthetic
// districts and years.
type Corpus struct {
	Seed     uint64
	N        int
	YearFrom int // first year, inclusive
	YearTo   int // last year, inclusive
	sources  []sourceReport
	places   []place
}

// Paragraph is one generated paragraph, flat, as the peers (SQLite, ripgrep)
// store it.
type Paragraph struct {
	Province, City, District, Section string
	Year                              int
	Text                              string
}

// NewCorpus loads the bundled reports and the gazetteer and prepares the
// corpus of n paragraphs that seed determines, spread over districts
// districts.
func NewCorpus(seed uint64, n, districts int) (*Corpus, error) {
	sources, err := loadSources()
	if err != nil {
		return nil, err
	}
	divs, err := loadDivisions()
	if err != nil {
		return nil, err
	}
	return newCorpus(seed, n, districts, sources, divs)
}

// newCorpus draws districts places from the gazetteer and prepares a corpus
// of n paragraphs.
func newCorpus(seed uint64, n, districts int, sources []sourceReport, divs []division) (*Corpus, error) {
	if n <= 0 {
		return nil, fmt.Errorf("bench: corpus size %d, want at least 1 paragraph", n)
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("bench: no source reports to draw paragraphs from")
	}
	places, err := pickPlaces(divs, districts, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		return nil, err
	}
	return &Corpus{Seed: seed, N: n, YearFrom: 2000, YearTo: 2024, sources: sources, places: places}, nil
}

// Districts is the number of districts paragraphs are spread over.
func (c *Corpus) Districts() int { return len(c.places) }

// Provinces is the number of distinct provinces of those districts.
func (c *Corpus) Provinces() int {
	seen := map[string]bool{}
	for _, p := range c.places {
		seen[p.Province] = true
	}
	return len(seen)
}

// Cities is the number of distinct cities of those districts.
func (c *Corpus) Cities() int {
	seen := map[string]bool{}
	for _, p := range c.places {
		seen[p.Province+"/"+p.City] = true
	}
	return len(seen)
}

// Reports calls fn with every report of the corpus, in the same order and
// with the same content for the same seed. Each report is a whole real
// report (its paragraphs in order, the last one cut short to make exactly N
// paragraphs) attributed to a random district and year. fn must not keep r.
func (c *Corpus) Reports(fn func(r *index.Report) error) error {
	rng := rand.New(rand.NewPCG(c.Seed, 2))
	var r index.Report
	left := c.N
	for i := 0; left > 0; i++ {
		src := &c.sources[rng.IntN(len(c.sources))]
		pl := c.places[rng.IntN(len(c.places))]
		year := c.YearFrom + rng.IntN(c.YearTo-c.YearFrom+1)
		r = index.Report{
			Path:     fmt.Sprintf("bench/%06d/%s", i, src.Path),
			Title:    fmt.Sprintf("%s%d年政府工作报告", pl.District, year),
			Level:    "district",
			Province: pl.Province, City: pl.City, District: pl.District, Year: year,
			Paragraphs: r.Paragraphs[:0],
		}
		r.ID = index.ReportID(r.Path, 0)
		offset := 0
		for j, p := range src.Paragraphs {
			if left == 0 {
				break
			}
			r.Paragraphs = append(r.Paragraphs, index.Paragraph{
				Ordinal: j + 1, Offset: offset, Section: sectionOf(p, j, len(src.Paragraphs)),
				Heading: p.Heading, Text: p.Text,
			})
			offset += len([]rune(p.Text)) + 1
			left--
		}
		if len(r.Paragraphs) == 0 {
			continue
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return nil
}

// Paragraphs calls fn with every paragraph of the corpus, flat, in the order
// of Reports.
func (c *Corpus) Paragraphs(fn func(p *Paragraph) error) error {
	var p Paragraph
	return c.Reports(func(r *index.Report) error {
		for _, rp := range r.Paragraphs {
			p = Paragraph{Province: r.Province, City: r.City, District: r.District, Year: r.Year, Section: rp.Section, Text: rp.Text}
			if err := fn(&p); err != nil {
				return err
			}
		}
		return nil
	})
}

// sectionOf is the section the corpus reader gave a paragraph or, when it
// gave none, one by position: reports review the past year first, then plan
// the next, then turn to the government itself.
func sectionOf(p sourceParagraph, i, n int) string {
	if p.Section != "" {
		return p.Section
	}
	switch f := float64(i) / float64(n); {
	case f < 0.05:
		return "其他"
	case f < 0.45:
		return "工作回顾"
	case f < 0.85:
		return "工作安排"
	case f < 0.97:
		return "政府自身建设"
	default:
		return "名词解释"
	}
}

// division is one line of the GB/T 2260 gazetteer: a 2-digit province,
// 4-digit prefecture or 6-digit county-level code and its name.
type division struct{ Code, Name string }

// parseDivisions reads the gazetteer format of corpus/gazetteer/divisions.txt:
// "code<TAB>name" lines, # comments.
func parseDivisions(data string) []division {
	var out []division
	for _, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		out = append(out, division{strings.TrimSpace(code), strings.TrimSpace(name)})
	}
	return out
}

// pickPlaces draws n county-level divisions of the 31 mainland provinces,
// at least one per province, the rest at random.
func pickPlaces(divs []division, n int, rng *rand.Rand) ([]place, error) {
	names := map[string]string{}
	for _, d := range divs {
		names[d.Code] = d.Name
	}
	byProvince := map[string][]place{}
	var provinces []string
	for _, d := range divs {
		if len(d.Code) != 6 || d.Code[:2] >= "71" || strings.HasSuffix(d.Name, "辖区") {
			continue
		}
		prov := names[d.Code[:2]]
		if prov == "" {
			continue
		}
		city := names[d.Code[:4]]
		if city == "" || strings.Contains(city, "辖") || city == "县" {
			city = prov // municipalities and province-administered counties
		}
		if _, ok := byProvince[prov]; !ok {
			provinces = append(provinces, prov)
		}
		byProvince[prov] = append(byProvince[prov], place{Province: prov, City: city, District: d.Name})
	}
	if len(provinces) == 0 {
		return nil, fmt.Errorf("bench: gazetteer has no county-level divisions")
	}
	var all, out []place
	for _, prov := range provinces {
		ps := byProvince[prov]
		k := rng.IntN(len(ps))
		out = append(out, ps[k])
		all = append(all, ps[:k]...)
		all = append(all, ps[k+1:]...)
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for _, p := range all {
		if len(out) >= n {
			break
		}
		out = append(out, p)
	}
	return out, nil
}
