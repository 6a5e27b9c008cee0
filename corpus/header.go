package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// A scraped header is what a scraper wrote above a report as key：value
// lines (标题：…, 发文单位：…, 发文时间：…, 来源URL：…, 正文：): metadata, never
// paragraphs.
type scraped struct {
	title   string // 标题
	issuer  string // 发文单位: the government issuing the report
	date    string // 发文时间, as written
	speaker string // 报告人, with the office: 高阳县人民政府县长 闫向阳
	meeting string // 会议
	source  string // 来源URL
	year    int    // year of date, 0 if none
}

// headerKeys are the keys of scraper header lines, by the field they fill.
var headerKeys = map[string]string{
	"标题": "title", "题目": "title", "文件名": "title", "文件名称": "title", "名称": "title", "报告名称": "title",
	"发文单位": "issuer", "发文机关": "issuer", "发布单位": "issuer", "发布机关": "issuer", "来源单位": "issuer", "单位": "issuer", "政府": "issuer", "地区": "issuer",
	"发文时间": "date", "发文日期": "date", "发布时间": "date", "发布日期": "date", "成文日期": "date", "日期": "date", "时间": "date", "报告时间": "date",
	"报告人": "speaker", "作者": "speaker", "报告者": "speaker", "讲话人": "speaker",
	"会议": "meeting", "会议名称": "meeting",
	"来源url": "source", "来源网址": "source", "来源链接": "source", "原文链接": "source", "原文地址": "source", "链接": "source", "网址": "source", "url": "source", "来源": "source", "出处": "source",
	"备注": "note", "说明": "note", "注": "note", "摘要": "note", "内容摘要": "note", "内容提要": "note", "提要": "note", "关键词": "note", "分类": "note", "年份": "date", "年度": "date",
	"正文": "body", "内容": "body", "全文": "body",
}

var headerLineRe = regexp.MustCompile(`^([\p{Han}A-Za-z]{1,6})\s*[:：]\s*(.*)$`)

var headerDateYear = regexp.MustCompile(`^((?:19|20)\d\d)(?:[-年./]|$)`)

// readScraperHeader takes the key：value lines at the head of a file off
// lines: at least two of them with keys scrapers write, ending at the
// first other line (正文： ends it too; text after 正文： on its line stays).
// It returns the header and the lines that remain, and how many lines it took.
func readScraperHeader(lines []srcLine) (scraped, []srcLine, int) {
	var h scraped
	n, known := 0, 0
	bodyRest := -1
	for n < len(lines) && n < 24 {
		m := headerLineRe.FindStringSubmatch(lines[n].text)
		if m == nil {
			break
		}
		field, ok := headerKeys[strings.ToLower(m[1])]
		if !ok {
			break
		}
		known++
		v := strings.TrimSpace(m[2])
		switch field {
		case "title":
			h.title = v
		case "issuer":
			h.issuer = v
		case "date":
			if h.date == "" {
				h.date = v
				if y := headerDateYear.FindStringSubmatch(v); y != nil {
					h.year = atoi(y[1])
				}
			}
		case "speaker":
			h.speaker = v
		case "meeting":
			h.meeting = v
		case "source":
			h.source = v
		}
		n++
		if field == "body" {
			if v != "" {
				bodyRest = n - 1
			}
			break
		}
	}
	if known < 2 {
		return scraped{}, lines, 0
	}
	if bodyRest >= 0 {
		// 正文：各位代表… — the rest of the line is the report's first line.
		l := lines[bodyRest]
		m := headerLineRe.FindStringSubmatchIndex(l.text)
		rest := l.text[m[4]:]
		t, lead := trimLine(rest)
		l.off += utf8.RuneCountInString(l.text[:m[4]]) + lead
		l.text = t
		lines[bodyRest] = l
		n--
	}
	return h, lines[n:], n
}

// cues returns the header's fields as place and title cues.
func (h *scraped) cues() []cue {
	var out []cue
	add := func(s string, places ...string) {
		if s == "" {
			return
		}
		c := stripSpaces(norm.Fold(s))
		out = append(out, cue{text: c, orig: s, places: places})
	}
	add(h.title)
	if h.issuer != "" {
		add(h.issuer, stripSpaces(norm.Fold(h.issuer)))
	}
	add(h.speaker)
	add(h.meeting)
	add(h.date)
	return out
}

var abstractLabel = regexp.MustCompile(`^(?:内容)?(?:摘要|提要|导读|简介|导语)\s*[:：]\s*(.*)$`)

// dropAbstract removes an aggregator's abstract near the head of a file: a
// 内容摘要： label whose text (on its line or the next) repeats the start
// of what follows, typically cut off with ……. It returns the lines left and
// how many it removed.
func dropAbstract(lines []srcLine) ([]srcLine, int) {
	for i := 0; i < len(lines) && i < 40; i++ {
		m := abstractLabel.FindStringSubmatch(lines[i].text)
		if m == nil {
			continue
		}
		end := i + 1 // lines [i, end) are the abstract
		text := m[1]
		if strings.TrimSpace(text) == "" {
			if i+1 >= len(lines) {
				return lines, 0
			}
			text = lines[i+1].text
			end = i + 2
		}
		if !repeatsFollowing(text, lines[end:]) {
			return lines, 0
		}
		out := append(lines[:i:i], lines[end:]...)
		return out, end - i
	}
	return lines, 0
}

// repeatsFollowing reports whether the start of an abstract is found in the
// lines after it.
func repeatsFollowing(abstract string, rest []srcLine) bool {
	a := []rune(stripSpaces(strings.TrimRight(abstract, "….。 ")))
	if len(a) < 12 {
		return false
	}
	if len(a) > 30 {
		a = a[:30]
	}
	var b strings.Builder
	for i := 0; i < len(rest) && i < 60 && b.Len() < 16<<10; i++ {
		b.WriteString(stripSpaces(rest[i].text))
	}
	return strings.Contains(b.String(), string(a))
}
