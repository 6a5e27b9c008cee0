package corpus

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// Levels of government.
const (
	LevelNational = "national"
	LevelProvince = "province"
	LevelCity     = "city"
	LevelDistrict = "district" // county level: 区, 县, 旗, county-level 市
)

var (
	yearRe           = regexp.MustCompile(`(19[4-9]\d|20\d\d)`)
	dateRe           = regexp.MustCompile(`(19[4-9]\d|20\d\d)年(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日`)
	hanYearRe        = regexp.MustCompile(`[〇○零一二三四五六七八九]{4}年`)
	meetingRes       = []*regexp.Regexp{regexp.MustCompile(`第[一二三四五六七八九十百\d]+届[^第,。;:]{0,24}?人民代表大会第[一二三四五六七八九十\d]+次(?:全体)?会议`), regexp.MustCompile(`第?[一二三四五六七八九十\d]+届(?:全国)?人大[一二三四五六七八九十\d]+次(?:全体)?会议`)}
	inlineSpeaker    = regexp.MustCompile(`((?:代理?|副)?(?:国务院总理|总理|省长|市长|区长|县长|旗长|州长|盟长|主席))([\p{Han}·]{2,3}?)(?:在|作|同志|代表|$)`)
	meetingPlace     = regexp.MustCompile(`在(.{2,24}?)第(?:[^届]{1,5}届|.{0,6}?人民代表大会)`)
	officePlace      = regexp.MustCompile(`(.{2,24}?)人民政府(?:代理?|副)?(?:区长|县长|市长|省长|旗长|州长|盟长|主席)`)
	selfPlace        = regexp.MustCompile(`代表(.{0,20}?)(人民政府|政府|国务院|管理委员会|管委会|党工委)`)
	newAreaCommittee = regexp.MustCompile(`新区(?:党工委|管委会|管理委员会)`)
	anonymRe         = regexp.MustCompile(`(?:^|[^\p{Han}a-wyzA-WYZ])[xX×*某]{1,3}(区|县|旗|市|省)`)
	publishedRe      = regexp.MustCompile(`(发布时间|发布日期|日期|时间|发表于):?((?:19[4-9]|20\d)\d)[-年./]\d{1,2}`)
	pageTitleRe      = regexp.MustCompile(`^(.*?政府工作报告)\s*[_\-|–—｜].*$`)
	forumTagRe       = regexp.MustCompile(`^\s*[\[【][^\]】]{1,8}[\]】]\s*`) // [内蒙古] of a forum thread title
	fileYearSuffix   = regexp.MustCompile(`_\d{4}年?$`)
	yearMonthRe      = regexp.MustCompile(`(19|20)\d\d年(\d{1,2}月(\d{1,2}日)?)?|\((19|20)\d\d\)|^\[[^\]]*\]`)
)

// A cue is a piece of text that names the government delivering the report.
type cue struct {
	text   string // folded, space-free
	orig   string // the original line(s), for speaker and meeting as written
	isFile bool
	places []string // place strings given as such (a scraper header's 发文单位)
}

func (c cue) placeStrings() []string {
	return append(placeStrings(c.text), c.places...)
}

// describe fills in a report's metadata from its lines, falling back on the
// file name for what the text does not say.
//
// pageTitle, the <title> of an HTML page, is the last text cue: pages title
// themselves “2019年安远县人民政府工作报告_安远县人民政府”.
func describe(r *Report, p *part, filePath, pageTitle string, hdr *scraped) {
	g := theGazetteer()

	// The whole report, folded, is the context that settles shared names.
	var all strings.Builder
	all.WriteString(pageTitle)
	all.WriteByte('\n')
	for _, l := range p.lines {
		all.WriteString(l.text)
		all.WriteByte('\n')
	}
	context := norm.Fold(all.String())
	counts := make(map[string]int)
	mentions := func(name string) int {
		n, ok := counts[name]
		if !ok {
			n = strings.Count(context, name)
			counts[name] = n
		}
		return n
	}

	// The head of a report: its title and the date, meeting and speaker
	// lines before its first heading or close under a title.
	var title *srcLine
	var header []*srcLine
	var headings []*srcLine
	sinceTitle := -1
	for _, l := range p.lines {
		if sinceTitle >= 0 {
			sinceTitle++
		}
		switch l.kind {
		case kindTitle:
			if title == nil {
				title = l
			}
			sinceTitle = 0
		case kindHeader:
			if len(headings) == 0 || (sinceTitle >= 0 && sinceTitle <= 6) {
				header = append(header, l)
			}
		case kindHeading:
			headings = append(headings, l)
		}
	}

	stem := strings.TrimSuffix(path.Base(filePath), path.Ext(filePath))
	fileCue := cue{text: stripSpaces(norm.Fold(stem)), orig: stem, isFile: true}

	var pageCue *cue
	if pageTitle != "" && r.Part == 0 && title == nil {
		c := stripSpaces(norm.Fold(pageTitle))
		if isTitle(c) {
			pageCue = &cue{text: c, orig: pageTitle}
		}
	}

	// Title.
	switch {
	case hdr.title != "":
		r.Title = hdr.title
	case title != nil:
		r.Title = displayTitle(title.text)
	case pageCue != nil:
		r.Title = pageTitleRe.ReplaceAllString(pageTitle, "$1")
	case r.Part == 0 && strings.Contains(fileCue.text, "报告"):
		r.Title = strings.TrimRight(fileYearSuffix.ReplaceAllString(stem, ""), "_ ")
	default:
		r.Warnings = append(r.Warnings, "no title line: the text starts without one")
	}

	// Cues, strongest first.
	var cues []cue
	if title != nil {
		cues = append(cues, cue{text: title.compact, orig: title.text})
	}
	if len(header) > 0 {
		var t, o strings.Builder
		for _, l := range header {
			t.WriteString(l.compact)
			o.WriteString(stripSpaces(l.text))
		}
		cues = append(cues, cue{text: t.String(), orig: o.String()})
	}
	if s := selfReference(p); s != "" {
		cues = append(cues, cue{text: s, orig: s})
	}
	if s := signature(p); s != "" {
		cues = append(cues, cue{text: s, orig: s, places: []string{s}})
	}
	cues = append(cues, hdr.cues()...)
	if pageCue != nil {
		cues = append(cues, *pageCue)
	}
	r.Source = hdr.source

	// The year delivered, read before the place: a retired name is taken
	// first if it was in use that year. Its warnings come last, as before.
	var yearNotes Report
	year := deliveredYear(&yearNotes, title, header, headings, hdr.year, signatureYear(p), p.published, fileCue.text)

	// Place and level.
	var (
		st        place
		level     string
		anonymous string
		ambiguous place
	)
	merge := func(pl place) {
		switch {
		case pl.county != nil && st.county == nil && consistent(pl.county, st):
			st = pl
		case pl.city != nil && st.city == nil && st.county == nil && consistent(pl.city, st):
			st.city, st.province, st.cityWas = pl.city, pl.province, pl.cityWas
		case pl.province != nil && st.province == nil:
			st.province = pl.province
		}
		if pl.ambiguous != nil && ambiguous.ambiguous == nil {
			ambiguous = pl
		}
	}
	for _, c := range append(cues, fileCue) {
		for _, s := range c.placeStrings() {
			if level == "" {
				level = levelOf(s)
			}
			if m := anonymRe.FindString(s); m != "" && !c.isFile && anonymous == "" {
				anonymous = strings.ToUpper(strings.TrimLeft(m, "[(【 "))
			}
			if c.isFile && anonymous != "" {
				continue // the text hides the name on purpose; the file name must not undo that
			}
			merge(g.resolve(s, mentions, year))
		}
		if level == "" {
			level = officeLevel(c.text)
		}
	}
	// The folders a file sits in may name its place (…/海拉尔区/2015.txt):
	// the last fallback, innermost folder first.
	if anonymous == "" {
		dirs := strings.Split(path.Dir(filePath), "/")
		for i := len(dirs) - 1; i >= 0; i-- {
			d := stripSpaces(norm.Fold(dirs[i]))
			if d == "." || d == "" {
				continue
			}
			if level == "" {
				level = levelOf(d)
			}
			merge(g.resolve(d, mentions, year))
		}
	}
	if level == LevelNational {
		st = place{}
	}
	// The kind of government the report speaks as: 县 of 我代表县人民政府,
	// 新区 of a new area's committee (新区管委会, 新区党工委).
	kind := ""
	for _, c := range cues {
		for _, s := range c.placeStrings() {
			if k := speakerKind(s); k != "" && kind == "" {
				kind = k
			}
		}
	}
	if kind == "" && newAreaCommittee.MatchString(context) {
		kind = "新区"
	}
	if kind == "" && st.county == nil && st.city == nil && st.province == nil {
		kind = govKind(context)
	}
	if level == "" && st.county == nil && st.city == nil && st.province == nil && kind != "" {
		level = LevelDistrict
	}
	newArea := ""
	if level == LevelDistrict && st.county == nil && anonymous == "" && ambiguous.ambiguous == nil {
		newArea = functionalArea(g, cues, &st, mentions)
		if newArea == "" && kind == "新区" {
			if newArea = bodyNewArea(context); newArea != "" {
				r.Warnings = append(r.Warnings, fmt.Sprintf("new area read from the body: the report speaks as a new area's committee and names %s most", newArea))
				if st.city == nil {
					if city := dominantCity(g, mentions); city != nil && consistent(city, st) {
						st.city, st.province = city, city.parent
					}
				}
			}
		}
		if newArea != "" {
			if d := successorOfNewArea(g, newArea, st, year); d != nil {
				st = countyPlace(d)
				r.DistrictAsWritten = newArea
				r.Warnings = append(r.Warnings, fmt.Sprintf("%s is now %s: grouped under it, the name as written kept", newArea, d.name))
				newArea = ""
			} else {
				r.Warnings = append(r.Warnings, fmt.Sprintf("%s is a functional area, not in the GB/T 2260 list: district kept as the text names it", newArea))
			}
		} else if d, n := dominantCounty(g, st, context, strings.TrimPrefix(kind, "新")); d != nil {
			st = countyPlace(d)
			r.Warnings = append(r.Warnings, fmt.Sprintf("district read from the body: no title, meeting or speaker line names it, but the report names %s %d times", d.name, n))
		}
	}
	if level == LevelCity && st.city == nil && st.county == nil && st.province != nil && strings.HasSuffix(st.province.name, "市") {
		level = LevelProvince // 北京市, 上海市, 天津市, 重庆市: a municipality is a province
	}
	if level == "" {
		switch {
		case st.county != nil:
			level = LevelDistrict
		case st.city != nil:
			level = LevelCity
		case st.province != nil:
			level = LevelProvince
		}
	}
	if level == LevelCity && st.county != nil && (strings.HasSuffix(st.county.name, "市") || st.countyWas != nil && strings.HasSuffix(st.countyWas.name, "市")) {
		level = LevelDistrict // a county-level city
	}
	switch level {
	case LevelDistrict:
		if st.county != nil {
			r.Province, r.City, r.District = st.county.names()
		} else if st.city != nil {
			r.Province, r.City, _ = st.city.names()
		} else if st.province != nil {
			r.Province = st.province.name
		}
		if newArea != "" {
			r.District = newArea
		}
	case LevelCity:
		if st.city != nil {
			r.Province, r.City, _ = st.city.names()
		} else if st.province != nil {
			r.Province = st.province.name
		}
	case LevelProvince:
		if st.province != nil {
			r.Province = st.province.name
			if strings.HasSuffix(r.Province, "市") {
				r.City = r.Province // as for the districts of a municipality
			}
		}
	}
	r.Level = level
	if was := st.countyWas; was != nil && st.county != nil && r.District == st.county.name {
		r.DistrictAsWritten = was.name
		r.Warnings = append(r.Warnings, retiredNote(was, r.District))
	}
	if was := st.cityWas; was != nil && st.city != nil && r.City == st.city.name {
		r.CityAsWritten = was.name
		r.Warnings = append(r.Warnings, retiredNote(was, r.City))
	}

	switch {
	case level == "":
		r.Warnings = append(r.Warnings, "level unknown: no title, meeting, speaker or 我代表… line names the government")
	case anonymous != "" && levelOf(anonymous) == level && (level == LevelCity && r.City == "" || level == LevelProvince && r.Province == ""):
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s name is anonymised (%s): %s left empty", level, anonymous, level))
	case level == LevelDistrict && r.District == "":
		switch {
		case anonymous != "":
			r.Warnings = append(r.Warnings, fmt.Sprintf("district name is anonymised (%s): district left empty", anonymous))
		case ambiguous.ambiguous != nil && commonCity(ambiguous.ambiguous).city != nil:
			var to []string
			for _, d := range ambiguous.ambiguous {
				to = append(to, d.name)
			}
			r.DistrictAsWritten = ambiguous.ambiguousName // still searchable
			r.Warnings = append(r.Warnings, fmt.Sprintf("%s went to several districts of %s (%s) and the text does not say which: district left empty, the name as written kept", ambiguous.ambiguousName, commonCity(ambiguous.ambiguous).city.name, strings.Join(to, ", ")))
		case ambiguous.ambiguous != nil:
			var in []string
			for _, d := range ambiguous.ambiguous {
				_, c, _ := d.names()
				in = append(in, c)
			}
			r.Warnings = append(r.Warnings, fmt.Sprintf("district name %s exists in %s and the text does not say which: district left empty", ambiguous.ambiguousName, strings.Join(in, ", ")))
		default:
			r.Warnings = append(r.Warnings, "district unknown: the text and file name name no county-level division")
		}
	case level == LevelCity && r.City == "":
		r.Warnings = append(r.Warnings, "city unknown: the text and file name name no city")
	case level == LevelProvince && r.Province == "":
		r.Warnings = append(r.Warnings, "province unknown: the text and file name name no province")
	}
	if level != LevelNational && level != "" && r.Province == "" && !(level == LevelDistrict && r.District == "") {
		r.Warnings = append(r.Warnings, "province unknown")
	}

	// Year delivered.
	r.Year = year
	r.Warnings = append(r.Warnings, yearNotes.Warnings...)

	// Speaker, office and meeting.
	for _, l := range header {
		if m := speakerLineRe.FindStringSubmatch(l.compact); m != nil && l.runes <= 30 {
			r.Office = origOf(stripSpaces(l.text), l.compact, m[2])
			r.Speaker = origOf(stripSpaces(l.text), l.compact, m[3])
			break
		}
	}
	if r.Speaker == "" {
		for _, c := range append(cues, fileCue) {
			if m := inlineSpeaker.FindStringSubmatch(c.text); m != nil {
				r.Office = origOf(stripSpaces(c.orig), c.text, m[1])
				r.Speaker = origOf(stripSpaces(c.orig), c.text, m[2])
				break
			}
		}
	}
	for _, c := range append(cues, fileCue) {
		if r.Meeting != "" {
			break
		}
		for _, re := range meetingRes {
			if m := re.FindString(c.text); m != "" {
				r.Meeting = origOf(stripSpaces(c.orig), c.text, m)
				break
			}
		}
	}
}

// retiredNote is the warning for a report grouped under the current
// division now of a retired one.
func retiredNote(was *division, now string) string {
	return fmt.Sprintf("%s is not in the current division list: in use %d–%d, now %s; grouped under it, the name as written kept", was.name, was.from, was.until, now)
}

// consistent reports whether d may refine what is known so far.
func consistent(d *division, st place) bool {
	if st.city != nil && !d.within(st.city) {
		return false
	}
	return st.province == nil || d.within(st.province)
}

// placeStrings extracts from a cue the strings that name a government: the
// part of a title before 政府工作报告, “在…第N届” of a meeting line, “…人民政府区长”
// of a speaker line, “代表…人民政府” of the opening sentence.
func placeStrings(s string) []string {
	var out []string
	if m := titleRe.FindStringSubmatch(s); m != nil {
		out = append(out, yearMonthRe.ReplaceAllString(hanYears(m[1]), ""))
	}
	for _, m := range meetingPlace.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	for _, m := range officePlace.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	if m := selfPlace.FindStringSubmatch(s); m != nil {
		switch m[2] {
		case "国务院":
			out = append(out, "国务院")
		case "管理委员会", "管委会", "党工委":
			out = append(out, strings.TrimRight(m[1], "、和及"))
		default:
			out = append(out, m[1]+"人民政府")
		}
	}
	return out
}

// levelOf reads the level of government from the end of a place string:
// 新城区 → district, 深圳市 → city, 广东省 → province, 国务院 → national.
func levelOf(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "人民政府"), "政府")
	s = strings.TrimRight(s, "(")
	switch {
	case strings.Contains(s, "国务院") || strings.Contains(s, "全国人民代表大会") || strings.Contains(s, "中华人民共和国"):
		return LevelNational
	case strings.HasSuffix(s, "省"), strings.HasSuffix(s, "自治区"):
		return LevelProvince
	case strings.HasSuffix(s, "区"), strings.HasSuffix(s, "县"), strings.HasSuffix(s, "旗"):
		return LevelDistrict
	case strings.HasSuffix(s, "市"), strings.HasSuffix(s, "州"), strings.HasSuffix(s, "盟"), strings.HasSuffix(s, "地区"):
		return LevelCity
	}
	return ""
}

func officeLevel(s string) string {
	switch {
	case strings.Contains(s, "总理"):
		return LevelNational
	case strings.Contains(s, "区长"), strings.Contains(s, "县长"), strings.Contains(s, "旗长"):
		return LevelDistrict
	case strings.Contains(s, "市长"), strings.Contains(s, "州长"), strings.Contains(s, "盟长"):
		return LevelCity
	case strings.Contains(s, "省长"):
		return LevelProvince
	}
	return ""
}

// selfReference finds the opening “我代表…人民政府” of a report, folded and
// space-free.
func selfReference(p *part) string {
	n := 0
	for _, l := range p.lines {
		if l.kind != kindSentence {
			continue
		}
		t := l.text
		if i := strings.Index(t, "代表"); i >= 0 {
			seg := t[i:]
			if len(seg) > 120 {
				seg = seg[:120]
			}
			c := stripSpaces(norm.Fold(seg))
			if selfPlace.MatchString(c) {
				return c
			}
		}
		if n++; n > 6 {
			break
		}
	}
	return ""
}

// deliveredYear reads the year a report was delivered: from the date under
// its title, its title, its review heading (一、2022年工作回顾 ⇒ 2023), its
// plan heading (二、2023年工作安排), the page's publication date (with a
// warning), and only then the file name.
func deliveredYear(r *Report, title *srcLine, header, headings []*srcLine, issued, signed, published int, fileText string) int {
	for _, l := range header {
		if m := dateRe.FindStringSubmatch(hanYears(l.compact)); m != nil {
			return atoi(m[1])
		}
	}
	if issued != 0 {
		return issued // 发文时间 of a scraper header
	}
	titleYear := 0
	if title != nil {
		t := hanYears(title.compact)
		if m := dateRe.FindStringSubmatch(t); m != nil {
			return atoi(m[1])
		}
		if m := yearRe.FindString(t); m != "" {
			titleYear = atoi(m)
		}
	}
	fromHeadings := 0
	var sc sectioner
	for _, l := range headings {
		if headingLevel(l) <= levelHan {
			sc.maxYear = max(sc.maxYear, maxYear(hanYears(l.compact)))
		}
	}
	for _, l := range headings {
		if headingLevel(l) > levelHan {
			continue // only a report's main parts are dated that way
		}
		sec := sc.classify(l.text)
		if sec != SectionReview && sec != SectionPlan {
			continue
		}
		ys := yearRe.FindAllString(hanYears(l.compact), -1)
		if len(ys) == 0 {
			continue
		}
		max := 0
		for _, y := range ys {
			if v := atoi(y); v > max {
				max = v
			}
		}
		if sec == SectionReview {
			fromHeadings = max + 1
		} else {
			fromHeadings = atoi(ys[0])
		}
		break
	}
	switch {
	case titleYear != 0:
		if fromHeadings != 0 && fromHeadings != titleYear {
			r.Warnings = append(r.Warnings, fmt.Sprintf("year: the title says %d, the section headings suggest %d; kept %d", titleYear, fromHeadings, titleYear))
		}
		return titleYear
	case fromHeadings != 0:
		return fromHeadings
	}
	if signed != 0 {
		return signed
	}
	if published != 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("year %d taken from the page's publication date: the text gives none", published))
		return published
	}
	if m := yearRe.FindString(hanYears(fileText)); m != "" {
		return atoi(m)
	}
	r.Warnings = append(r.Warnings, "year unknown: no date, title year, dated section heading or year in the file name")
	return 0
}

// hanYears rewrites years in Chinese numerals (一九九七年, 二〇〇一年) as digits.
func hanYears(s string) string {
	if !hanYearRe.MatchString(s) {
		return s
	}
	return hanYearRe.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, r := range strings.TrimSuffix(m, "年") {
			b.WriteByte("0123456789"[strings.IndexRune("〇一二三四五六七八九", hanDigit(r))/3])
		}
		return b.String() + "年"
	})
}

func hanDigit(r rune) rune {
	if r == '○' || r == '零' {
		return '〇'
	}
	return r
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// origOf maps a substring of a folded, space-free text back to the original
// characters when folding kept the character count, so that metadata read
// from a traditional-character report is shown as written.
func origOf(orig, folded, sub string) string {
	i := strings.Index(folded, sub)
	if i < 0 {
		return sub
	}
	or, fr := []rune(orig), []rune(folded)
	if len(or) != len(fr) {
		return sub
	}
	start := utf8.RuneCountInString(folded[:i])
	return string(or[start : start+utf8.RuneCountInString(sub)])
}

// displayTitle is a title line without Markdown markers, without a forum's
// leading tag ([内蒙古]) and without the spaces of a spaced-out heading
// (政 府 工 作 报 告).
func displayTitle(s string) string {
	s = mdMarks.ReplaceAllString(s, "")
	s = forumTagRe.ReplaceAllString(s, "")
	var b strings.Builder
	rs := []rune(strings.TrimSpace(s))
	for i := 0; i < len(rs); i++ {
		if isBlank(rs[i]) {
			j := i
			for j < len(rs) && isBlank(rs[j]) {
				j++
			}
			if i > 0 && j < len(rs) && unicode.Is(unicode.Han, rs[i-1]) && unicode.Is(unicode.Han, rs[j]) {
				i = j - 1
				continue
			}
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// publishedYear reads the year of a page's publication date from a dropped
// furniture line: 发布时间：2023-02-24, 发表于 2023-4-25.
func publishedYear(l *srcLine) int {
	if m := publishedRe.FindStringSubmatch(l.compact); m != nil {
		return atoi(m[2])
	}
	return 0
}

var newAreaRe = regexp.MustCompile(`([\p{Han}]{2,6}?新区)`)

// functionalArea finds a new area the division list does not hold (大鹏新区
// of 深圳市 is run by a committee, not a government) in the cues of a
// district-level report. Its city is the one the cue names with it or, if
// none, the one city of the gazetteer the report mentions far more than any
// other; otherwise the city stays unknown.
func functionalArea(g *gazetteer, cues []cue, st *place, mentions func(string) int) string {
	for _, c := range cues {
		for _, s := range c.placeStrings() {
			m := newAreaRe.FindStringSubmatch(stripKnownPlaces(g, s))
			if m == nil || anonymRe.MatchString(m[1]) {
				continue
			}
			if st.city == nil {
				if city := dominantCity(g, mentions); city != nil && consistent(city, *st) {
					st.city, st.province = city, city.parent
				}
			}
			return m[1]
		}
	}
	return ""
}

// stripKnownPlaces removes the gazetteer names at the start of s: 深圳市大鹏新区 → 大鹏新区.
func stripKnownPlaces(g *gazetteer, s string) string {
	for _, m := range g.find(s) {
		if m.start != 0 {
			break
		}
		s = s[len(m.name):]
	}
	return s
}

// dominantCity returns the prefecture-level city the report mentions (by
// full or short name) at least three times and more than twice as often as
// any other, nil if there is none.
func dominantCity(g *gazetteer, mentions func(string) int) *division {
	var best *division
	bestN, second := 0, 0
	seen := make(map[*division]bool)
	for _, divs := range g.byName {
		for _, d := range divs {
			if !d.isCity() || d.retired() || seen[d] {
				continue
			}
			seen[d] = true
			n := mentions(d.name)
			if s := shortName(d); s != "" {
				n = max(n, mentions(s))
			}
			switch {
			case n > bestN:
				best, bestN, second = d, n, bestN
			case n > second:
				second = n
			}
		}
	}
	if bestN >= 3 && bestN > 2*second {
		return best
	}
	return nil
}

// dominantCounty returns the county-level division the body names most: by
// full name (two-character names such as 易县 included, found with name
// boundaries, longest name first, so 高唐县 is not 唐县) or by its stem
// (容城 for 容城县), within what is known of city and province and of the
// kind the report speaks as (kind 县: a 县, never a district named in
// passing such as a partner 海淀区). It needs at least two mentions and more
// than twice as many as the next division; nil if none.
func dominantCounty(g *gazetteer, st place, context, kind string) (*division, int) {
	counts := make(map[*division]int)
	fits := func(d *division, name string) bool {
		if !d.isCounty() || d.retired() || !consistent(d, st) {
			return false
		}
		if kind != "" && !strings.HasSuffix(d.name, kind) {
			return false
		}
		// 城区, 郊区, 矿区 are words as often as names.
		return utf8.RuneCountInString(name) > 2 || strings.HasSuffix(name, "县")
	}
	for _, m := range g.find(context) {
		if m.short {
			continue
		}
		for _, d := range m.divs {
			// 新城区, 市中区: a name several divisions share, with nothing
			// known to tell them apart, is a common word (新城区 "the new
			// town") more often than a name, and names none of them.
			if fits(d, m.name) && !homonyms(g, d, st) {
				counts[d]++
			}
		}
	}
	for i := 0; i < len(context); {
		_, size := utf8.DecodeRuneInString(context[i:])
		for _, n := range g.stemLens {
			stem, ok := runePrefix(context[i:], n)
			if !ok {
				continue
			}
			divs := g.stems[stem]
			if len(divs) == 0 {
				continue
			}
			for _, d := range divs {
				if strings.HasPrefix(context[i+len(stem):], strings.TrimPrefix(d.name, stem)) {
					continue // the full name, counted above
				}
				if homonyms(g, d, st) {
					continue
				}
				if fits(d, d.name) {
					counts[d]++
				}
			}
			break
		}
		i += size
	}
	var best *division
	bestN, second := 0, 0
	for d, n := range counts {
		switch {
		case n > bestN || n == bestN && best != nil && d.code < best.code:
			if best == nil || best.name != d.name || n > bestN {
				second = max(second, bestN)
			}
			best, bestN = d, n
		case n > second:
			second = n
		}
	}
	if best == nil || bestN < 2 || bestN <= 2*second {
		return nil, 0
	}
	return best, bestN
}

// homonyms reports whether another current county-level division within
// what is known of the place has d's name.
func homonyms(g *gazetteer, d *division, st place) bool {
	for _, o := range g.byName[d.name] {
		if o != d && o.isCounty() && !o.retired() && consistent(o, st) {
			return true
		}
	}
	return false
}

// runePrefix returns the first n runes of s.
func runePrefix(s string, n int) (string, bool) {
	i := 0
	for k := 0; k < n; k++ {
		if i >= len(s) {
			return "", false
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], true
}

var newAreaStemRe = regexp.MustCompile(`(\p{Han}{2})新区`)

// notStem: characters of the words that stand before 新区 without naming
// one (今年新区, 全新区, 我们新区).
const notStem = "年今本全各我们的和在对为是新这该其与及把将要了"

// bodyNewArea returns the functional new area (XX新区) a report that speaks
// as a new area's committee names most: its two-character stem counted
// wherever it stands (大鹏, 大鹏新区), at least three times and more than
// twice as often as any other new area's.
func bodyNewArea(context string) string {
	stems := make(map[string]bool)
	for _, m := range newAreaStemRe.FindAllStringSubmatch(context, -1) {
		if !strings.ContainsAny(m[1], notStem) {
			stems[m[1]] = true
		}
	}
	best, bestN, second := "", 0, 0
	for st := range stems {
		n := strings.Count(context, st)
		switch {
		case n > bestN || n == bestN && st < best:
			second = max(second, bestN)
			best, bestN = st, n
		case n > second:
			second = n
		}
	}
	if bestN >= 3 && bestN > 2*second {
		return best + "新区"
	}
	return ""
}

// speakerKind is the kind of division a place string ends in: 县, 区, 旗,
// 新区; "" if none.
func speakerKind(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "人民政府"), "政府")
	switch {
	case strings.HasSuffix(s, "新区"):
		return "新区"
	case strings.HasSuffix(s, "县"):
		return "县"
	case strings.HasSuffix(s, "旗"):
		return "旗"
	case strings.HasSuffix(s, "区"):
		return "区"
	}
	return ""
}

// successorOfNewArea returns the district a functional new area became
// (坪山新区 → 坪山区, 2016): the district of the same stem in the new area's
// city, created no earlier than the report's year, if known (北戴河新区 is
// not 北戴河区, a district since before it); nil if the city has none or is
// unknown.
func successorOfNewArea(g *gazetteer, area string, st place, year int) *division {
	if st.city == nil {
		return nil
	}
	for _, d := range g.byName[strings.TrimSuffix(area, "新区")+"区"] {
		if d.isCounty() && !d.retired() && d.within(st.city) && (year == 0 || d.from >= year) {
			return d
		}
	}
	return nil
}

// govKind is the kind of government a body-only report speaks for, read
// from how it names its own bodies: 县委、县政府 → 县, 区委、区政府 → 区.
// The kind must be named at least three times and more than twice as
// often as any other; "" otherwise.
func govKind(context string) string {
	best, bestN, second := "", 0, 0
	for _, k := range []string{"县", "区", "旗"} {
		n := strings.Count(context, k+"委") + strings.Count(context, k+"政府") + strings.Count(context, k+"人大")
		switch {
		case n > bestN:
			second = bestN
			best, bestN = k, n
		case n > second:
			second = n
		}
	}
	if bestN >= 3 && bestN > 2*second {
		return best
	}
	return ""
}

var (
	signatureRe     = regexp.MustCompile(`^(.{2,30}?(?:人民政府|管理委员会|管委会))$`)
	signatureDateRe = regexp.MustCompile(`^((?:19|20)\d\d)年\d{1,2}月\d{1,2}日$`)
)

// signatureLines are the last lines of a report that may sign it.
const signatureLines = 4

// signature returns the government that signs a report at its end (深圳市
// 龙华区人民政府 above the date), folded and space-free; "" if none.
func signature(p *part) string {
	for i := len(p.lines) - 1; i >= 0 && i >= len(p.lines)-signatureLines; i-- {
		c := p.lines[i].compact
		if m := signatureRe.FindStringSubmatch(c); m != nil {
			return m[1]
		}
	}
	return ""
}

// signatureYear is the year of the date line that ends a signed report.
func signatureYear(p *part) int {
	for i := len(p.lines) - 1; i >= 0 && i >= len(p.lines)-signatureLines; i-- {
		if m := signatureDateRe.FindStringSubmatch(hanYears(p.lines[i].compact)); m != nil {
			return atoi(m[1])
		}
	}
	return 0
}
