package reportdiff

import (
	"slices"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// Thresholds of the alignment (see the package comment).
const (
	// DefaultThreshold is the least Dice similarity of two paragraphs
	// paired as one edited paragraph.
	DefaultThreshold = 0.5
	// DefaultContainment is the least share of a paragraph's bigrams found
	// in a paragraph of the other side for it to be a piece of it (split
	// or merge).
	DefaultContainment = 0.8
	// minPieceBigrams keeps short lines (headings, 一、) out of split and
	// merge detection: their few bigrams are contained almost anywhere.
	minPieceBigrams = 8
)

// Kinds of Pair.
const (
	Same    = "same"
	Changed = "changed"
	Added   = "added"
	Removed = "removed"
)

// Joins of Pair.
const (
	Split = "split" // the old paragraph is also paired with another new one
	Merge = "merge" // the new paragraph is also paired with another old one
)

// Options tune Compare. The zero value uses the defaults.
type Options struct {
	Threshold   float64 // default DefaultThreshold
	Containment float64 // default DefaultContainment
}

// Meta names one side of a Diff.
type Meta struct {
	ID       string `json:"id"`
	Path     string `json:"path"`
	Title    string `json:"title"`
	Level    string `json:"level"`
	Province string `json:"province"`
	City     string `json:"city"`
	District string `json:"district"`
	Year     int    `json:"year"`
}

// Side is one paragraph of a Pair.
type Side struct {
	Paragraph int    `json:"paragraph"` // ordinal in its report, from 1
	Text      string `json:"text"`
	// Sentences are the text cut into sentences with the characters
	// deleted (old side) or inserted (new side) marked; only in changed
	// pairs.
	Sentences []Sentence `json:"sentences,omitempty"`
}

// Sentence is one sentence of a changed paragraph.
type Sentence struct {
	Changed bool   `json:"changed"`
	Spans   []Span `json:"spans"`
}

// Span is a run of text; Changed is true for text deleted from the old
// paragraph or inserted into the new one.
type Span struct {
	Text    string `json:"text"`
	Changed bool   `json:"changed,omitempty"`
}

// Pair is one step of the alignment.
type Pair struct {
	Kind       string  `json:"kind"` // same, changed, added, removed
	Old        *Side   `json:"old,omitempty"`
	New        *Side   `json:"new,omitempty"`
	Similarity float64 `json:"similarity,omitempty"` // Dice of the bigram sets, for same and changed
	Moved      bool    `json:"moved,omitempty"`      // paired out of order
	Join       string  `json:"join,omitempty"`       // split or merge
}

// Term is a phrase found in one report and not in the other.
type Term struct {
	Text      string `json:"text"`
	Count     int    `json:"count"`     // occurrences in the report that has it
	Paragraph int    `json:"paragraph"` // its first paragraph there
}

// Stats counts the pairs of a Diff by kind.
type Stats struct {
	Same    int `json:"same"`
	Changed int `json:"changed"`
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Moved   int `json:"moved"`
	Split   int `json:"split"`
	Merge   int `json:"merge"`
}

// Diff is the comparison of an old report with a new one.
type Diff struct {
	Old         Meta    `json:"old"`
	New         Meta    `json:"new"`
	Threshold   float64 `json:"threshold"`
	Containment float64 `json:"containment"`
	Stats       Stats   `json:"stats"`
	Pairs       []Pair  `json:"pairs"`
	// NewTerms occur in the new report and not in the old; DroppedTerms the
	// reverse. Most frequent first.
	NewTerms     []Term `json:"new_terms"`
	DroppedTerms []Term `json:"dropped_terms"`
}

// MetaOf returns the metadata of r.
func MetaOf(r *index.Report) Meta {
	return Meta{ID: r.ID, Path: r.Path, Title: r.Title, Level: r.Level, Province: r.Province, City: r.City, District: r.District, Year: r.Year}
}

// Compare aligns the paragraphs of old and new and lists the phrases new
// and dropped. It is safe for concurrent use.
func Compare(old, new *index.Report, opts Options) (*Diff, error) {
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Containment <= 0 {
		opts.Containment = DefaultContainment
	}
	a, b := texts(old.Paragraphs), texts(new.Paragraphs)
	d := &Diff{Old: MetaOf(old), New: MetaOf(new), Threshold: opts.Threshold, Containment: opts.Containment}
	d.Pairs = Align(a, b, opts)
	for i := range d.Pairs {
		p := &d.Pairs[i]
		if p.Old != nil {
			p.Old.Paragraph = old.Paragraphs[p.Old.Paragraph].Ordinal
		}
		if p.New != nil {
			p.New.Paragraph = new.Paragraphs[p.New.Paragraph].Ordinal
		}
	}
	d.Stats = count(d.Pairs)
	var err error
	d.NewTerms, d.DroppedTerms, err = compareTerms(a, b, ordinals(old.Paragraphs), ordinals(new.Paragraphs))
	if err != nil {
		return nil, err
	}
	return d, nil
}

func texts(ps []index.Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

func ordinals(ps []index.Paragraph) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = p.Ordinal
	}
	return out
}

func count(pairs []Pair) Stats {
	var s Stats
	for _, p := range pairs {
		switch p.Kind {
		case Same:
			s.Same++
		case Changed:
			s.Changed++
		case Added:
			s.Added++
		case Removed:
			s.Removed++
		}
		if p.Moved {
			s.Moved++
		}
		switch p.Join {
		case Split:
			s.Split++
		case Merge:
			s.Merge++
		}
	}
	return s
}

// bigrams returns the sorted set of character bigrams of the normalised s.
func bigrams(s string) []uint64 {
	rs := norm.Runes(s, nil)
	rs = slices.DeleteFunc(rs, func(r rune) bool { return r == norm.Sep })
	if len(rs) == 1 {
		return []uint64{uint64(rs[0])}
	}
	out := make([]uint64, 0, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, uint64(rs[i])<<32|uint64(rs[i+1]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func intersect(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

func dice(a, b []uint64) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	return 2 * float64(intersect(a, b)) / float64(len(a)+len(b))
}

// Align pairs the paragraphs a (old) and b (new). The Paragraph fields of
// the pairs it returns are indexes into a and b. Pairs come in reading
// order of the new text, each removed paragraph just before the first pair
// that follows it in the old text.
func Align(a, b []string, opts Options) []Pair {
	if opts.Threshold <= 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Containment <= 0 {
		opts.Containment = DefaultContainment
	}
	ga, gb := make([][]uint64, len(a)), make([][]uint64, len(b))
	for i, s := range a {
		ga[i] = bigrams(s)
	}
	for j, s := range b {
		gb[j] = bigrams(s)
	}
	n, m := len(a), len(b)
	// sim[i*m+j] is the Dice similarity, kept only above the threshold.
	sim := make([]float32, n*m)
	for i := range n {
		for j := range m {
			s := dice(ga[i], gb[j])
			if strings.TrimSpace(a[i]) == strings.TrimSpace(b[j]) {
				s = 1
			}
			if s >= opts.Threshold {
				sim[i*m+j] = float32(s)
			}
		}
	}
	// Pass 1: weighted LCS. score[(i)*(m+1)+j] is the best sum for a[:i], b[:j].
	score := make([]float32, (n+1)*(m+1))
	at := func(i, j int) float32 { return score[i*(m+1)+j] }
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			best := max(at(i-1, j), at(i, j-1))
			if s := sim[(i-1)*m+j-1]; s > 0 {
				best = max(best, at(i-1, j-1)+s)
			}
			score[i*(m+1)+j] = best
		}
	}
	oldTo, newTo := fill(n, -1), fill(m, -1)
	anchor := make([]bool, m) // new paragraph j is in the monotone alignment
	for i, j := n, m; i > 0 && j > 0; {
		s := sim[(i-1)*m+j-1]
		switch {
		case s > 0 && at(i, j) == at(i-1, j-1)+s:
			oldTo[i-1], newTo[j-1], anchor[j-1] = j-1, i-1, true
			i, j = i-1, j-1
		case at(i, j) == at(i-1, j):
			i--
		default:
			j--
		}
	}
	// Pass 2: moved paragraphs, most similar first.
	type cand struct {
		i, j int
		s    float32
	}
	var cands []cand
	for i := range n {
		if oldTo[i] >= 0 {
			continue
		}
		for j := range m {
			if newTo[j] < 0 && sim[i*m+j] > 0 {
				cands = append(cands, cand{i, j, sim[i*m+j]})
			}
		}
	}
	sort.SliceStable(cands, func(x, y int) bool { return cands[x].s > cands[y].s })
	moved := make([]bool, m)
	for _, c := range cands {
		if oldTo[c.i] < 0 && newTo[c.j] < 0 {
			oldTo[c.i], newTo[c.j], moved[c.j] = c.j, c.i, true
		}
	}
	// Pass 3: pieces of split and merged paragraphs.
	contained := func(piece, whole []uint64) float64 {
		if len(piece) < minPieceBigrams {
			return 0
		}
		return float64(intersect(piece, whole)) / float64(len(piece))
	}
	splitOf := fill(m, -1) // new j is a piece of old splitOf[j]
	for j := range m {
		if newTo[j] >= 0 {
			continue
		}
		best, bestI := opts.Containment, -1
		for i := range n {
			if oldTo[i] >= 0 {
				if c := contained(gb[j], ga[i]); c >= best {
					best, bestI = c, i
				}
			}
		}
		splitOf[j] = bestI
	}
	mergeInto := fill(n, -1) // old i is a piece of new mergeInto[i]
	for i := range n {
		if oldTo[i] >= 0 {
			continue
		}
		best, bestJ := opts.Containment, -1
		for j := range m {
			if newTo[j] >= 0 {
				if c := contained(ga[i], gb[j]); c >= best {
					best, bestJ = c, j
				}
			}
		}
		mergeInto[i] = bestJ
	}
	merged := make([][]int, m) // new j → old pieces merged into it
	for i, j := range mergeInto {
		if j >= 0 {
			merged[j] = append(merged[j], i)
		}
	}

	var out []Pair
	emitted := make([]bool, n)
	flushRemoved := func(upTo int) { // removed old paragraphs before old index upTo
		for i := 0; i < upTo && i < n; i++ {
			if !emitted[i] && oldTo[i] < 0 && mergeInto[i] < 0 {
				emitted[i] = true
				out = append(out, Pair{Kind: Removed, Old: &Side{Paragraph: i, Text: a[i]}})
			}
		}
	}
	pair := func(i, j int) Pair {
		s := float64(dice(ga[i], gb[j]))
		if strings.TrimSpace(a[i]) == strings.TrimSpace(b[j]) {
			return Pair{Kind: Same, Old: &Side{Paragraph: i, Text: a[i]}, New: &Side{Paragraph: j, Text: b[j]}, Similarity: 1}
		}
		p := Pair{Kind: Changed, Old: &Side{Paragraph: i, Text: a[i]}, New: &Side{Paragraph: j, Text: b[j]}, Similarity: round(s)}
		p.Old.Sentences, p.New.Sentences = diffSentences(a[i], b[j])
		return p
	}
	// nextOld[j] is the old index of the first anchor at or after new j:
	// removed paragraphs before it are shown before an added one at j.
	nextOld := fill(m+1, n)
	for j := m - 1; j >= 0; j-- {
		nextOld[j] = nextOld[j+1]
		if anchor[j] {
			nextOld[j] = newTo[j]
		}
	}
	for j := range m {
		i := newTo[j]
		switch {
		case i >= 0:
			if anchor[j] {
				flushRemoved(i)
			}
			olds := append([]int{i}, merged[j]...)
			slices.Sort(olds)
			for _, i2 := range olds {
				p := pair(i2, j)
				if i2 == i {
					p.Moved = moved[j]
					if slices.Contains(splitOf, i) {
						p.Join = Split
					}
				}
				if len(olds) > 1 {
					p.Join = Merge
				}
				emitted[i2] = true
				out = append(out, p)
			}
		case splitOf[j] >= 0:
			p := pair(splitOf[j], j)
			p.Join = Split
			out = append(out, p)
		default:
			flushRemoved(nextOld[j])
			out = append(out, Pair{Kind: Added, New: &Side{Paragraph: j, Text: b[j]}})
		}
	}
	flushRemoved(n)
	return out
}

func fill(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func round(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
