package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Heading levels. Markup levels (Markdown #, HTML <h1>–<h6>) come first, then
// the numbering styles of Chinese official documents from outer to inner.
const (
	levelSection = 10 // 第一部分, or an unnumbered section title: 2023年工作回顾, 名词解释
	levelHan     = 11 // 一、
	levelParenH  = 12 // （一）
	levelDigit   = 13 // 1.  1、
	levelParenD  = 14 // （1）
	levelBold    = 15 // a line that is bold and nothing else
)

// titleRe finds the report title shape in a folded, space-free line:
// what comes before 政府工作报告 (a place, a year) and what follows it.
var titleRe = regexp.MustCompile(`^(?:#+|\*\*)?(.{0,40}?)政府工作报告(.*)$`)

// isTitle reports whether a folded, space-free line is a report title:
// “2023年呼和浩特市新城区政府工作报告”, “政府工作报告”, “2014年政府工作报告（在…会议上）”,
// but not “《政府工作报告》名词解释” or “…作《政府工作报告》。”.
func isTitle(compact string) bool {
	if !strings.Contains(compact, "政府工作报告") {
		return false
	}
	m := titleRe.FindStringSubmatch(compact)
	if m == nil {
		return false
	}
	before, after := m[1], strings.TrimRight(m[2], "*#")
	if strings.ContainsAny(before, "|:《“\"。,;!?") || strings.Contains(before, "我代表") || strings.Contains(before, "向大会") {
		return false
	}
	if after == "" || strings.HasPrefix(after, "全文") || strings.HasPrefix(after, "摘要") || strings.HasPrefix(after, "摘登") {
		return true
	}
	if utf8.RuneCountInString(after) > 45 || strings.ContainsAny(after, "。") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	return strings.ContainsRune("(:—-_【[<", r)
}

var (
	headerDashRe   = regexp.MustCompile(`^[\-—─~_－]{1,8}[^。]{2,60}$`)
	headerDateRe   = regexp.MustCompile(`^\(\d{4}年\d{1,2}月\d{1,2}日[^。]{0,50}\)$`)
	speakerLineRe  = regexp.MustCompile(`^(.{0,24}?)((?:代理?|副)?(?:国务院总理|总理|省长|市长|区长|县长|旗长|州长|盟长|自治区主席|主席|镇长|乡长)):?([\p{Han}·]{2,5}?)(?:同志)?$`)
	salutationRe   = regexp.MustCompile(`^(各位代表|各位人大代表|各位委员|同志们|各位代表、同志们|代表们)[:!,]?$`)
	mdHeadingRe    = regexp.MustCompile(`^(#{1,6})\s*(\S.*)$`)
	boldLineRe     = regexp.MustCompile(`^\*\*([^*]+)\*\*[:]?$`)
	numberedRe     = regexp.MustCompile(`^(第[一二三四五六七八九十]+(?:部分|章|篇|节))|^([一二三四五六七八九十]+[、.])|^(\([一二三四五六七八九十]+\))|^(\d{1,2}[、.])|^(\(\d{1,2}\))`)
	numberedItemRe = regexp.MustCompile(`^(\d{1,3}[.、]|\(\d{1,3}\)|\[\d{1,3}\]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))`)
	attachmentRe   = regexp.MustCompile(`^附件\d*[:]?$`)
	// An unnumbered heading must end like a report part's name.
	sectionTailRe = regexp.MustCompile(`(回顾|安排|任务|工作|思路|要求|目标|建设|解释|注释|情况|成就|部署)$`)
)

// isHeaderLine reports whether a line belongs to a report's head: the date
// and meeting line under the title, the speaker line, the salutation.
func isHeaderLine(l *srcLine) bool {
	c := l.compact
	switch {
	case headerDashRe.MatchString(c) && l.han >= 2 && strings.ContainsAny(c, "会议年在"):
		return true
	case headerDateRe.MatchString(c):
		return true
	case strings.Contains(c, "人民代表大会") && strings.Contains(c, "会议") && l.runes <= 60 && !strings.ContainsAny(c, sentencePunct):
		return true
	case salutationRe.MatchString(c):
		return true
	case l.runes <= 30 && strings.ContainsAny(c, "长理席") && speakerLineRe.MatchString(c):
		return true
	}
	return false
}

// headingLevel returns the heading level of a line, 0 if it is not a heading.
func headingLevel(l *srcLine) int {
	if l.runes > 60 {
		return 0
	}
	c := l.compact
	markup := 0 // level from Markdown # or <h1>–<h6>
	if m := mdHeadingRe.FindStringSubmatch(c); m != nil && strings.HasPrefix(l.text, "#") {
		markup, c = len(m[1]), m[2]
	} else if l.hint > 0 && l.hint < levelBold {
		markup = l.hint
	}
	if markup > 0 {
		// Numbering says more than markup: pages mark some parts up and
		// leave others plain, so 一、 is level 一、 wherever it stands.
		if lvl := numberedLevel(c); lvl > 0 {
			return lvl
		}
		return markup
	}
	bold := l.hint == levelBold // a bold block: its numbering, if any, gives the level
	if m := boldLineRe.FindStringSubmatch(c); m != nil {
		c, bold = m[1], true
	}
	if bold && utf8.RuneCountInString(c) <= 40 && numberedRe.FindStringIndex(c) == nil && !strings.ContainsAny(c, sentencePunct) {
		return levelBold
	}
	c = strings.TrimSuffix(strings.TrimPrefix(c, "**"), "**")
	n := utf8.RuneCountInString(c)
	if n > 40 || !headingPunctOK(c, n) {
		return 0
	}
	if numberedRe.MatchString(c) {
		return numberedLevel(c)
	}
	if attachmentRe.MatchString(c) {
		return levelSection
	}
	if unnumberedSection(c, n) {
		return levelSection
	}
	if bold {
		return levelBold
	}
	return 0
}

// numberedLevel returns the level of a numbered heading (一、 （一） 1. （1）),
// 0 if c is not one.
func numberedLevel(c string) int {
	c = strings.TrimSuffix(strings.TrimPrefix(c, "**"), "**")
	n := utf8.RuneCountInString(c)
	if n > 40 || !headingPunctOK(c, n) {
		return 0
	}
	m := numberedRe.FindStringSubmatchIndex(c)
	if m == nil {
		return 0
	}
	rest := strings.TrimPrefix(c[m[1]:], "**")
	if rest == "" || definitionItem(rest) {
		return 0
	}
	switch {
	case m[2] >= 0:
		return levelSection
	case m[4] >= 0:
		return levelHan
	case m[6] >= 0:
		return levelParenH
	case m[8] >= 0:
		if r, _ := utf8.DecodeRuneInString(rest); r >= '0' && r <= '9' {
			return 0 // 2.5亿元
		}
		return levelDigit
	case m[10] >= 0:
		return levelParenD
	}
	return 0
}

// unnumberedSection reports whether a short line without a number names a
// part of the report: 2023年工作回顾, 未来五年工作思路和任务, 有关名词解释:.
// A lead-in such as “一年来，我们主要做了以下工作：” is not one.
func unnumberedSection(c string, n int) bool {
	if n > 24 {
		return false
	}
	sec := sectionOf(c)
	if sec == "" {
		return false
	}
	if sec == SectionGlossary {
		c = strings.ReplaceAll(c, ":", "") // 附：名词解释, 名词解释：
	}
	return !strings.ContainsAny(c, ",、:") && sectionTailRe.MatchString(c)
}

// headingPunctOK: a heading carries no sentence punctuation, but a short one
// may end with a full stop (（一）稳增长。).
func headingPunctOK(c string, n int) bool {
	i := strings.IndexAny(c, sentencePunct)
	if i < 0 {
		return true
	}
	return n <= 16 && i == len(c)-len("。") && strings.HasSuffix(c, "。")
}

// definitionItem reports whether the text after a number is a glossary-style
// entry (“四乱：乱占、乱采…”) rather than a heading.
func definitionItem(rest string) bool {
	i := strings.Index(rest, ":")
	if i < 0 {
		return false
	}
	return utf8.RuneCountInString(rest[i+1:]) >= 4
}

func numberedItem(l *srcLine) bool {
	c := l.compact
	if c == "" {
		c = stripSpaces(l.text)
	}
	return numberedItemRe.MatchString(c)
}
