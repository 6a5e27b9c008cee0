package extract

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A word is one word of a line with where it starts and ends.
type word struct {
	text   string
	x0, x1 float64
}

// joinWords joins the words of a line of height h: with a space between
// two words of Latin letters or digits, without one where either side is
// CJK (a gap between Chinese characters is justification, not a word
// break), unless the gap is wider than wideGap times the height: then a
// full-width space (区长　杜联合) or a space.
func joinWords(words []word, h, wideGap float64) string {
	var b strings.Builder
	prevEnd := 0.0
	for _, w := range words {
		t := strings.TrimSpace(w.text)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(t)
			wide := isWide(prev) || isWide(next)
			switch {
			case w.x0-prevEnd > h*wideGap && wide:
				b.WriteString("\u3000")
			case !wide || w.x0-prevEnd > h*wideGap:
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
		prevEnd = w.x1
	}
	return b.String()
}

// isWide reports whether r is a CJK character or full-width punctuation,
// which is written without spaces around it.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x2010 && r <= 0x206F)
}

// pageNumberRe matches a line that is only a page number: 3, - 3 -, — 3 —,
// 第3页, 第 3 页 共 12 页, 3/12, Page 3 of 12.
var pageNumberRe = regexp.MustCompile(`^(?i)[\s\-—–－·•]*(page\s*)?(第\s*)?[0-9０-９]+(\s*页)?(\s*(/|of|共)\s*[0-9０-９]+\s*页?)?[\s\-—–－·•]*$`)

// bandShare is the share of a page's height at its top and its bottom where
// running headers and footers stand.
const bandShare = 0.1

var digitsRe = regexp.MustCompile(`[0-9０-９]+`)

// furnitureKey is the text of a header or footer line with its numbers
// and spaces taken out, so the same header on every page has one key.
func furnitureKey(s string) string {
	return strings.Join(strings.Fields(digitsRe.ReplaceAllString(s, "#")), "")
}

// dropFurniture removes from each page the lines in its top or bottom band
// that are page numbers, or whose text (numbers aside) stands in the band
// of at least a third of the pages, and at least two. It returns how many
// it removed.
func dropFurniture(pages []page) int {
	inBand := func(p *page, l *line) bool {
		return l.y1 <= p.height*bandShare || l.y0 >= p.height*(1-bandShare)
	}
	seen := map[string]int{} // key → pages it stands in a band of
	for i := range pages {
		p := &pages[i]
		keys := map[string]bool{}
		for j := range p.lines {
			if l := &p.lines[j]; inBand(p, l) {
				keys[furnitureKey(l.text)] = true
			}
		}
		for k := range keys {
			seen[k]++
		}
	}
	need := max(2, (len(pages)+2)/3)
	dropped := 0
	for i := range pages {
		p := &pages[i]
		kept := p.lines[:0]
		for _, l := range p.lines {
			if inBand(p, &l) && (pageNumberRe.MatchString(l.text) || seen[furnitureKey(l.text)] >= need) {
				dropped++
				continue
			}
			kept = append(kept, l)
		}
		p.lines = kept
	}
	return dropped
}

// A margins is where the body text of a page starts and ends, and the
// height of its lines.
type margins struct{ left, right, lineH float64 }

// findMargins finds the margins of each page: the right margin (where most
// lines end: the full lines of justified text) and the line height over
// all pages of the same size and source (a text layer or a scan), the left
// margin (where most lines start) on the page itself when it has enough
// lines for that. A right margin short of 60% of the page's width is none
// (no line is full): a page of short lines is not justified text.
func findMargins(pages []page) []margins {
	type group struct {
		ocr  bool
		w, h int
	}
	lines := map[group][]line{}
	for _, p := range pages {
		g := group{p.ocr, int(p.width), int(p.height)}
		lines[g] = append(lines[g], p.lines...)
	}
	whole := map[group]margins{}
	for g, ls := range lines {
		whole[g] = linesMargins(ls, float64(g.w))
	}
	out := make([]margins, len(pages))
	for i, p := range pages {
		m := whole[group{p.ocr, int(p.width), int(p.height)}]
		if len(p.lines) >= 8 {
			m.left = linesMargins(p.lines, p.width).left
		}
		out[i] = m
	}
	return out
}

func linesMargins(ls []line, width float64) margins {
	if len(ls) == 0 {
		return margins{}
	}
	hs := make([]float64, 0, len(ls))
	for _, l := range ls {
		hs = append(hs, l.y1-l.y0)
	}
	sort.Float64s(hs)
	h := hs[len(hs)/2]
	if h <= 0 {
		h = 1
	}
	// Bucket starts and ends by a third of a line's height.
	mode := func(v func(line) float64, pick func(a, b int) bool) float64 {
		count := map[int]int{}
		for _, l := range ls {
			count[int(math.Round(v(l)*3/h))]++
		}
		best, bestN := 0, 0
		for k, n := range count {
			if n > bestN || (n == bestN && pick(k, best)) {
				best, bestN = k, n
			}
		}
		return float64(best) * h / 3
	}
	left := mode(func(l line) float64 { return l.x0 }, func(a, b int) bool { return a < b })
	right := mode(func(l line) float64 { return l.x1 }, func(a, b int) bool { return a > b })
	if width > 0 && right < width*0.6 {
		right = math.Inf(1)
	}
	return margins{left - h/6, right, h}
}

// layout drops page furniture and joins the lines of each paragraph. A
// line continues the paragraph of the line before it when that line
// reaches the right margin and this one starts at the left margin, close
// below it or at the top of the next page. A paragraph cites the page it
// starts on.
func layout(pages []page) (paras []Paragraph, dropped int) {
	dropped = dropFurniture(pages)
	var (
		cur    *Paragraph
		b      strings.Builder
		prev   line
		prevM  margins
		inPage int // page of prev, -1 before the first line
	)
	inPage = -1
	flush := func() {
		if cur != nil {
			cur.Text = b.String()
			paras = append(paras, *cur)
			cur = nil
		}
		b.Reset()
	}
	all := findMargins(pages)
	for i := range pages {
		p := &pages[i]
		m := all[i]
		for _, l := range p.lines {
			text := strings.TrimSpace(l.text)
			if text == "" {
				continue
			}
			indented := l.x0 > m.left+m.lineH*0.6
			cont := false
			if cur != nil && prev.x1 >= prevM.right-2*prevM.lineH && !indented {
				if inPage == i {
					gap := l.y0 - prev.y1
					cont = gap < m.lineH*0.8 && gap > -m.lineH/2
				} else {
					cont = inPage == i-1 // the top of the next page
				}
			}
			if cont {
				last, _ := utf8.DecodeLastRuneInString(b.String())
				first, _ := utf8.DecodeRuneInString(text)
				if isLatin(last) && isLatin(first) {
					b.WriteByte(' ')
				}
				b.WriteString(text)
				cur.OCR = cur.OCR || p.ocr
			} else {
				flush()
				cur = &Paragraph{Page: i + 1, OCR: p.ocr}
				b.WriteString(text)
			}
			prev, prevM, inPage = l, m, i
		}
	}
	flush()
	return paras, dropped
}

func isLatin(r rune) bool { return r < 0x2000 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
