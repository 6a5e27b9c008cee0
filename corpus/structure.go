package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// Canonical sections of a government work report.
const (
	SectionReview   = "工作回顾"
	SectionPlan     = "工作安排"
	SectionSelf     = "政府自身建设"
	SectionGlossary = "名词解释"
	SectionOther    = "其他"
)

// Sections lists the canonical sections in report order.
var Sections = []string{SectionReview, SectionPlan, SectionSelf, SectionGlossary, SectionOther}

// A part is the kept lines of one report in a file.
type part struct {
	lines     []*srcLine
	published int // year of the page's publication date, from a dropped 发布时间 line; 0 if none
}

func (p *part) hasBody() bool {
	for _, l := range p.lines {
		if l.kind == kindSentence {
			return true
		}
	}
	return false
}

// minReportSentences and minReportRunes: the prose a part needs to be a
// report of its own when another part of the file is one.
const (
	minReportSentences = 3
	minReportRunes     = 200
)

func (p *part) isReport() bool {
	n, runes := 0, 0
	for _, l := range p.lines {
		if l.kind == kindSentence {
			n++
			runes += l.runes
		}
	}
	return n >= minReportSentences || runes >= minReportRunes
}

// splitParts cuts a file's kept lines at report title lines. A title with no
// sentence after it before the next title is a page or thread title and is
// dropped (returned in dropped); a part whose sentences mostly repeat an
// earlier part is the same report printed twice and is merged into it, so
// that the repetition is removed as duplicates.
func splitParts(lines []srcLine) (parts []*part, dropped int) {
	var cut []*part
	cur := &part{}
	for i := range lines {
		l := &lines[i]
		if l.dropped || l.merged {
			continue
		}
		if l.kind == kindTitle && len(cur.lines) > 0 {
			cut = append(cut, cur)
			cur = &part{}
		}
		cur.lines = append(cur.lines, l)
	}
	if len(cur.lines) > 0 {
		cut = append(cut, cur)
	}

	// When some part is a report, a part with only a line or two of prose
	// (a photo caption under a page title, a related-article list at the
	// foot) is not a report of its own.
	full := false
	for _, p := range cut {
		full = full || p.isReport()
	}
	var pending []*srcLine // lines of bodiless parts waiting for a body
	for _, p := range cut {
		if !p.hasBody() || full && !p.isReport() {
			for _, l := range p.lines {
				if l.kind == kindTitle {
					l.dropped = true
					dropped++
					continue
				}
				pending = append(pending, l)
			}
			continue
		}
		p.lines = append(pending, p.lines...)
		pending = nil
		if into := repeatedPart(parts, p); into != nil {
			into.lines = append(into.lines, p.lines...)
			continue
		}
		parts = append(parts, p)
	}
	if len(pending) > 0 {
		if len(parts) == 0 {
			parts = append(parts, &part{lines: pending})
		} else {
			last := parts[len(parts)-1]
			last.lines = append(last.lines, pending...)
		}
	}
	return parts, dropped
}

// repeatedPart returns the earlier part that p mostly repeats, or nil.
func repeatedPart(parts []*part, p *part) *part {
	total := 0
	for _, l := range p.lines {
		if l.kind == kindSentence {
			total++
		}
	}
	if total == 0 {
		return nil
	}
	for _, q := range parts {
		seen := make(map[string]bool)
		for _, l := range q.lines {
			if l.kind == kindSentence {
				seen[lineKey(l)] = true
			}
		}
		same := 0
		for _, l := range p.lines {
			if l.kind == kindSentence && seen[lineKey(l)] {
				same++
			}
		}
		if same*2 >= total {
			return q
		}
	}
	return nil
}

// lineKey is a line's normalised text, the identity of a paragraph when
// looking for repetitions; computed once.
func lineKey(l *srcLine) string {
	if l.key == "" {
		l.key = norm.String(l.text)
	}
	return l.key
}

// minDuplicateRunes: shorter paragraphs (各位代表！) legitimately repeat.
const minDuplicateRunes = 12

// paragraphs turns a part's lines into paragraphs with heading paths and
// sections, dropping repeated paragraphs. A heading repeats when the same
// heading path was seen before; other paragraphs when their normalised text
// was.
func paragraphs(p *part) (paras []Paragraph, duplicates int) {
	type entry struct {
		level int
		text  string
		sec   string // canonical section the heading names, "" if none
	}
	var (
		sectioner   sectioner
		stack       []entry
		path        []string // current heading path, replaced (never modified) when the stack changes
		section     = SectionOther
		seenText    = make(map[string]bool)
		seenHeading = make(map[string]bool)
	)
	rebuild := func() {
		path = make([]string, len(stack))
		secs := make([]string, len(stack))
		for i, e := range stack {
			path[i], secs[i] = e.text, e.sec
		}
		if s := sectionOfPath(secs); s != "" {
			section = s
		} else if len(path) == 0 {
			section = SectionOther
		}
	}
	for _, l := range p.lines {
		if l.kind == kindHeading && headingLevel(l) <= levelHan {
			sectioner.maxYear = max(sectioner.maxYear, maxYear(hanYears(l.compact)))
		}
	}
	for _, l := range p.lines {
		isHeading := false
		switch l.kind {
		case kindTitle:
			stack = stack[:0]
			rebuild()
			section = SectionOther
		case kindHeading:
			lvl := headingLevel(l)
			if lvl == 0 {
				break
			}
			isHeading = true
			for len(stack) > 0 && stack[len(stack)-1].level >= lvl {
				stack = stack[:len(stack)-1]
			}
			text := headingText(l)
			stack = append(stack, entry{lvl, text, sectioner.classify(text)})
			rebuild()
			if attachmentRe.MatchString(l.compact) {
				section = SectionOther
			}
			key := norm.String(strings.Join(path, "\n"))
			if seenHeading[key] {
				duplicates++
				continue
			}
			seenHeading[key] = true
		}
		if !isHeading {
			key := lineKey(l)
			if utf8.RuneCountInString(key) >= minDuplicateRunes {
				if seenText[key] {
					duplicates++
					continue
				}
				seenText[key] = true
			}
		}
		paras = append(paras, Paragraph{
			Ordinal:   len(paras) + 1,
			Offset:    l.off,
			Text:      l.text,
			Section:   section,
			Heading:   path,
			IsHeading: isHeading,
		})
	}
	return paras, duplicates
}

var mdMarks = regexp.MustCompile(`^#{1,6}\s*|\*\*`)

// headingText is a heading as shown in a heading path: the line without
// Markdown markers.
func headingText(l *srcLine) string {
	t := mdMarks.ReplaceAllString(l.text, "")
	t, _ = trimLine(t)
	return t
}

var (
	glossaryRe       = regexp.MustCompile(`名词解释|名词注释|术语注释|名词、术语|^注释:?$|^附注:?$`)
	selfRe           = regexp.MustCompile(`自身建设|加强政府建设|政府建设$`)
	reviewRe         = regexp.MustCompile(`回顾|回眸|成就|过去|以来的?工作|工作情况|执行情况|基本情况|关于\d{4}年(的)?工作`)
	explicitReviewRe = regexp.MustCompile(`回顾|回眸|过去|成就`)
	explicitPlanRe   = regexp.MustCompile(`安排|任务|目标|思路|部署|建议|今后|未来|展望|要求`)
	planRe           = regexp.MustCompile(`安排|任务|思路|部署|目标|建议|今后|未来|展望|总体要求|主要工作|重点工作|政策取向|工作重点|做好|今年|下一步`)
)

// sectionOf classifies one heading, "" if it names no canonical section.
func sectionOf(heading string) string {
	c := stripSpaces(norm.Fold(heading))
	switch {
	case glossaryRe.MatchString(c):
		return SectionGlossary
	case selfRe.MatchString(c):
		return SectionSelf
	case reviewRe.MatchString(c):
		return SectionReview
	case planRe.MatchString(c):
		return SectionPlan
	}
	return ""
}

// A sectioner classifies the headings of one report in order. A heading
// dated later than the report's first dated review heading is the plan, not
// the review, unless it says it looks back: 一、关于2019年工作 is the review,
// 二、关于2020年工作 the plan.
//
// Likewise “一、2022年主要工作” is the review when a later part of the report
// is dated 2023: only explicit plan words (安排, 任务, 目标 …) make a heading
// the plan whatever its year.
type sectioner struct {
	reviewYear int
	maxYear    int // latest year in the report's main headings
}

func (s *sectioner) classify(heading string) string {
	sec := sectionOf(heading)
	c := stripSpaces(norm.Fold(heading))
	if sec == "" {
		// No word names the section: its year does. A heading dated before
		// the latest year of the report's main headings looks back
		// (一、接续奋斗，2023年经济社会高质量发展迈出坚实步伐 in a 2024
		// report); one dated that latest year, when an earlier year was
		// reviewed, is the plan.
		switch y := maxYear(c); {
		case y == 0 || s.maxYear == 0:
		case y < s.maxYear:
			if s.reviewYear == 0 {
				s.reviewYear = y
			}
			return SectionReview
		case y == s.maxYear && s.reviewYear > 0 && s.reviewYear < y:
			return SectionPlan
		}
		return ""
	}
	if sec == SectionPlan && !explicitPlanRe.MatchString(c) {
		if y := maxYear(c); y > 0 && y < s.maxYear {
			return SectionReview
		}
	}
	if sec != SectionReview {
		return sec
	}
	y := maxYear(c)
	switch {
	case y == 0:
	case s.reviewYear == 0:
		s.reviewYear = y
	case y > s.reviewYear && !explicitReviewRe.MatchString(c):
		return SectionPlan
	}
	return sec
}

func maxYear(s string) int {
	max := 0
	for _, y := range yearRe.FindAllString(hanYears(s), -1) {
		if v := atoi(y); v > max {
			max = v
		}
	}
	return max
}

// sectionOfPath classifies a heading path from the sections its headings
// name: a glossary anywhere in the path wins; otherwise the outermost
// classified heading decides, except that the government's own conduct
// inside the plan is its own section.
func sectionOfPath(secs []string) string {
	sec := ""
	for _, s := range secs {
		switch {
		case s == SectionGlossary:
			return s
		case s == "":
		case sec == "":
			sec = s
		case sec == SectionPlan && s == SectionSelf:
			sec = s
		}
	}
	return sec
}
