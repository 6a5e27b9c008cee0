package corpus

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// How a line reads. The cleaning rules decide from the kind and from where
// the line stands: before the report's first sentence, after its last, or
// between two sentences.
type lineKind uint8

const (
	kindLoose    lineKind = iota // short text that is not a sentence: a label, a table cell, a menu item
	kindSentence                 // prose: never dropped by a furniture rule
	kindChrome                   // unmistakable page furniture
	kindTitle                    // a report title line (…政府工作报告)
	kindHeader                   // date/meeting line, speaker line or salutation under a title
	kindHeading                  // a numbered or marked heading
)

// Lines longer than this are prose; only shorter lines are folded and tested
// against the furniture, title and heading rules.
const maxShortRunes = 120

// Page furniture whatever the site: each rule names a kind of control or
// label, never a site. They are tested on the folded, space-free form of
// lines of at most maxShortRunes characters.
//
// chromeWords are words that make a short line furniture wherever they
// stand in it; they are looked up in one pass (see findWord).
var chromeWords = newWordSet(
	// share, print, font-size and page controls
	"扫一扫", "扫描二维码", "扫码关注", "扫码阅读", "在手机打开", "手机扫码", "手机阅读", "分享到", "打印本页", "打印此页", "打印本文", "打印该页", "打印文章",
	"关闭窗口", "关闭本页", "我要纠错", "网站纠错", "页面纠错", "我要留言", "收藏本站", "设为首页", "加入收藏", "返回顶部", "返回列表", "返回首页", "返回手机版",
	"返回电脑版", "快速回复", "您正在浏览", "当前位置:", "您的位置:", "您现在的位置", "所在位置:", "字号:", "字体:",
	"[大]", "[中]", "[小]", "[返回]", "[打印]", "[关闭]", "【大】", "【中】", "【小】", "【打印】", "【关闭】", "【收藏】", "【分享】", "【纠错】", "【返回】",
	"下载、打印", "下载打印", "展开全文", "阅读已结束", "立即下载", "下载文档", "文档格式", "免费下载", "点击查看原文", "阅读原文",
	// site footers
	"版权所有", "copyright", "allrightsreserved", "©", "icp备", "icp证", "公网安备", "网安备", "网站标识码", "技术支持:", "主办单位:",
	"承办单位:", "协办单位:", "承办:", "有害信息举报", "不良信息举报", "最佳分辨率", "网站地图", "联系我们", "关于我们", "网站声明",
	"免责声明", "隐私政策", "无障碍浏览", "无障碍阅读", "无障碍模式", "繁體", "网站支持ipv6", "云适配",
	// paging and related-article lists
	"上一篇", "下一篇", "上一页", "下一页", "上一条", "下一条", "相关阅读", "相关文章", "相关链接", "相关新闻", "推荐阅读", "热门文章",
	"热点推荐", "延伸阅读", "更多>>", "更多»", "一图读懂",
	// forum thread and user panels
	"签到天数", "每日心情", "显示全部楼层", "阅读模式", "只看该作者", "只看作者", "只看楼主", "倒序浏览", "使用道具", "回复本楼",
	"电梯直达", "跳转到指定楼层", "发新帖", "马上注册", "没有帐号", "没有账号", "找回密码", "快速登录", "一键登录", "本帖最后由",
	"复制链接", "积分规则", "您需要登录", "需要登录后", "立即注册", "登录注册", "登录|注册", "楼主", "poweredby", "疑似违规",
	"所在的位置", "您所在位置", "发表于", "查看此楼", "隐藏此楼", "楼中楼",
	// social-media and document-sharing sites
	"收录于合集", "点击蓝字", "关注我们", "长按识别", "预览时标签不可点", "继续滑动看下一个", "向上滑动看下一个", "轻触阅读原文",
	"文档贡献者", "下载券", "相关文档", "猜你喜欢", "下载此文档", "专享文档", "付费文档", "举报该文档", "查看更多", "本文来源",
)

// The furniture rules that need more than a word.
var (
	// editor, source, time and counter labels at the start: 责任编辑：… 来源：… 发布时间：…
	chromeLabel = regexp.MustCompile(`^(【[^】]*】|\[[^\]]*\]|\()*(责任编辑|责编|编辑|来源|信息来源|稿件来源|文章来源|稿源|原标题|发布时间|发布日期|发布者|发布机构|作者|撰稿|审核|校对|点击数|点击量|点击率|浏览次数|浏览量|浏览|阅读量|阅读次数|访问量|访问次数|字号|字体|在线时间|联系电话|电话|传真|邮编|邮箱|地址|时间|日期|回复日期|索引号|主题分类|发文机关|发文字号|成文日期|生效日期|有效性|主题词|信息索引|所属机构):`)
	// news-agency datelines: （新华社北京3月5日电）
	chromeDateline = regexp.MustCompile(`^\(?(新华社|中新社|中新网|人民网|新华网|央视网|央视新闻|中国政府网)[^,。]{0,24}电\)?$`)
	// attachment links, bare URLs, separator rules, close buttons, page numbers
	chromeLink = regexp.MustCompile(`\.(docx?|xlsx?|pdf|wps|rar|zip|7z)$|^(https?://|www\.)[^\s]*$|^[\-—─_=*·•|~#>]+$|^[x×✕]$|^[\-—–]+\d{1,4}[\-—–]+$|^第\d{1,4}页$`)
	// whole-line labels
	chromeLine = regexp.MustCompile(`^(主办:|电脑版|手机版|图解$|无障碍$|(视频|音频|图片)$|\d+篇$|收藏\d*$|分享\d*$)|(客户端|二维码|点赞\d*)$`)
	// counters and paging, tested only on lines with a digit
	chromeCounter = regexp.MustCompile(`\d{3,4}[x×*]\d{3,4}|第\d+/\d+页|共\d+页|-\d+篇|发表于\d|\[lv\.\d+\]|rank:\d|查看:\d+|回复:\d+|评论\(\d+\)`)
	chromeBrowser = regexp.MustCompile(`建议使用.{0,20}浏览器`)
)

// sentenceChromeRules are the furniture rules that hold even for a line
// that reads as a sentence: a label at the start of the line, a dateline, a
// message only a web page prints.
var sentenceChromeRules = []*regexp.Regexp{
	chromeLabel,
	chromeDateline,
	regexp.MustCompile(`您正在浏览|您需要登录|需要登录后才可以|版权所有|icp备|公网安备|powered\s?by|仅代表作者|转载请注明|如有侵权|联系删除|版权归原作者|信息存储空间服务`),
}

// A forum or portal panel is made of one-word labels and numbers: 主题, 帖子,
// 积分 1万. Such a line, alone, is furniture.
var panelWord = regexp.MustCompile(`^[\-•·*]*(主题|帖子|积分|版主|精华|好友|威望|金钱|贡献|在线时间|最后登录|注册时间|uid|楼主|沙发|板凳|地板|收藏|分享|打印|关闭|回复|收起回复|引用|举报|客服中心|在线咨询|联系电话|登录|注册|评论|点赞|下载|打印|首页|网站首页|返回|搜索|站内搜索|高级搜索|english|rss|微信|微博|qq空间|关怀版|长者模式|适老化|无障碍浏览|在看|写留言|留言|赞)[:\d]*$`)

// sentencePunct ends or separates sentences (after folding: ！→!).
const sentencePunct = "。!?;"

// classify sets the kind of every line and the fields the rules read.
func classify(lines []srcLine) {
	for i := range lines {
		l := &lines[i]
		l.idx = i
		l.runes, l.han = countHan(l.text)
		if l.runes <= maxShortRunes {
			l.folded = norm.Fold(l.text)
			l.compact = stripSpaces(l.folded)
		}
		l.kind = kindOf(l)
	}
}

func kindOf(l *srcLine) lineKind {
	if l.runes > maxShortRunes {
		return kindSentence
	}
	c := l.compact
	if isSentence(l) {
		// Words such as 无障碍 or 客户端 are furniture alone but ordinary in
		// a sentence; only labels and phrases no report writes apply here.
		for _, re := range sentenceChromeRules {
			if re.MatchString(c) {
				return kindChrome
			}
		}
	} else if numberedRe.MatchString(c) && headingLevel(l) > 0 {
		// A numbered heading may name what furniture names (（三）推广政务
		// 二维码); only a link to a file makes it furniture.
		if chromeLink.MatchString(c) {
			return kindChrome
		}
		return kindHeading
	} else if isChrome(c) || isSpacedMenu(l.folded) {
		return kindChrome
	}
	if isTitle(c) {
		return kindTitle
	}
	if isHeaderLine(l) {
		return kindHeader
	}
	if headingLevel(l) > 0 {
		return kindHeading
	}
	if isSentence(l) {
		return kindSentence
	}
	return kindLoose
}

func isChrome(compact string) bool {
	if chromeWords.findIn(compact) {
		return true
	}
	switch {
	case panelWord.MatchString(compact), chromeLabel.MatchString(compact), chromeDateline.MatchString(compact),
		chromeLink.MatchString(compact), chromeLine.MatchString(compact):
		return true
	case strings.ContainsAny(compact, "0123456789") && chromeCounter.MatchString(compact):
		return true
	case strings.Contains(compact, "浏览器") && chromeBrowser.MatchString(compact):
		return true
	}
	return isMenu(compact)
}

// menuWordRe: words a site's menu bar is made of.
var menuWordRe = regexp.MustCompile(`^(网站首页|首页|政务公开|信息公开|新闻中心|新闻动态|办事服务|网上办事|互动交流|政民互动|专题专栏|走进.{1,4}|.{1,4}概况|机构设置|领导之窗|政策法规|公众参与|数据开放|便民服务)$`)

// isMenu reports whether a line is a row of short links separated by bars or
// arrows: 首页 > 专题 > 报告解读, 关于我们 | 网站声明 | 联系我们.
func isMenu(compact string) bool {
	return isBarMenu(compact)
}

// isSpacedMenu reports whether a line is menu words separated by spaces:
// 首页 政务公开 办事服务 互动交流. It needs a menu word, so that a row of a
// table in the report is not taken for one.
func isSpacedMenu(folded string) bool {
	parts := strings.Fields(folded)
	if len(parts) < 4 || strings.ContainsAny(folded, "。,;!?、") {
		return false
	}
	menu := false
	for _, p := range parts {
		n := utf8.RuneCountInString(p)
		if n < 2 || n > 8 {
			return false
		}
		if menuWordRe.MatchString(p) || panelWord.MatchString(p) {
			menu = true
		}
	}
	return menu
}

func isBarMenu(compact string) bool {
	for _, sep := range []string{"|", ">", "»", "›", "/"} {
		if strings.Count(compact, sep) < 2 && !(sep == ">" && strings.Contains(compact, "首页>")) {
			continue
		}
		if strings.ContainsAny(compact, "。,;!?") {
			return false
		}
		short := true
		for _, part := range strings.Split(compact, sep) {
			if utf8.RuneCountInString(part) > 12 {
				short = false
				break
			}
		}
		if short {
			return true
		}
	}
	return false
}

// isSentence reports whether a short line reads as prose.
func isSentence(l *srcLine) bool {
	if l.han == 0 {
		return false // a URL, a number, a menu in Latin letters
	}
	if l.runes >= 50 {
		return true
	}
	f := l.folded
	if strings.ContainsAny(f, sentencePunct) && l.runes >= 8 {
		return true
	}
	return l.runes >= 20 && strings.Count(f, ",")+strings.Count(f, "、") >= 2
}

// weak reports whether a loose line is the kind of fragment furniture is made
// of: a word or two, a number, a time.
func (l *srcLine) weak() bool {
	return l.kind == kindLoose && l.runes <= 20 && l.han <= 6
}

func stripSpaces(s string) string {
	if !strings.ContainsAny(s, " \t\u3000\u00a0") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dropChrome marks page furniture as dropped and returns how many lines it
// dropped. Sentences are never dropped. Short lines are dropped only when
// they stand with unmistakable furniture:
//   - before the first sentence (page head): if the head holds furniture, all
//     loose lines above the last title go, and below it only furniture;
//   - after the last sentence (page foot): if the foot holds furniture, all
//     of it goes but numbered items (a glossary entry, a list item);
//   - between sentences: a run of short lines holding furniture loses the
//     furniture and the word-or-number fragments around it.
func dropChrome(lines []srcLine) int {
	dropReplies(lines)
	first, last := -1, -1
	for i := range lines {
		if lines[i].kind == kindSentence {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		first, last = len(lines), len(lines)
	}
	hasChrome := func(from, to int) bool {
		for i := from; i < to; i++ {
			if lines[i].kind == kindChrome {
				return true
			}
		}
		return false
	}
	drop := func(i int) { lines[i].dropped = true }

	// Page head.
	if hasChrome(0, first) {
		lastTitle := -1
		for i := 0; i < first; i++ {
			if lines[i].kind == kindTitle {
				lastTitle = i
			}
		}
		for i := 0; i < first; i++ {
			switch k := lines[i].kind; {
			case k == kindChrome:
				drop(i)
			case i < lastTitle && (k == kindLoose || k == kindHeading):
				drop(i)
			case lines[i].weak() && nextToChrome(lines, i, 0, first):
				drop(i)
			}
		}
	}
	// Page foot.
	if last < len(lines) && hasChrome(last+1, len(lines)) {
		for i := last + 1; i < len(lines); i++ {
			if l := &lines[i]; l.kind != kindChrome && numberedItem(l) {
				continue
			}
			drop(i)
		}
	}
	// Runs between sentences.
	for i := first + 1; i < last; {
		if lines[i].kind == kindSentence {
			i++
			continue
		}
		j := i
		for j < last && lines[j].kind != kindSentence {
			j++
		}
		if hasChrome(i, j) {
			for k := i; k < j; k++ {
				if lines[k].kind == kindChrome || lines[k].weak() {
					drop(k)
				}
			}
		}
		i = j
	}
	n := 0
	for i := range lines {
		if lines[i].dropped {
			n++
		}
	}
	return n
}

// nextToChrome reports whether line i is joined to a furniture line by a
// chain of weak lines within [from, to).
func nextToChrome(lines []srcLine, i, from, to int) bool {
	for j := i - 1; j >= from && (lines[j].weak() || lines[j].kind == kindChrome); j-- {
		if lines[j].kind == kindChrome {
			return true
		}
	}
	for j := i + 1; j < to && (lines[j].weak() || lines[j].kind == kindChrome); j++ {
		if lines[j].kind == kindChrome {
			return true
		}
	}
	return false
}

// postHeaderRe marks the start of a post (a floor) in a forum thread.
var postHeaderRe = regexp.MustCompile(`发表于\d{4}-\d{1,2}-\d{1,2}|^\d{1,4}#$|^(沙发|板凳|地板|\d{1,4}楼)$`)

// dropReplies keeps, of a forum thread, the post that holds the report: the
// floor with the most text. The other floors are replies (“感谢楼主分享。”),
// however much they read like sentences.
func dropReplies(lines []srcLine) {
	var starts []int
	for i := range lines {
		if lines[i].runes <= maxShortRunes && postHeaderRe.MatchString(lines[i].compact) {
			starts = append(starts, i)
		}
	}
	if len(starts) < 2 {
		return
	}
	starts = append(starts, len(lines))
	main, most := 0, -1
	for k := 0; k+1 < len(starts); k++ {
		han := 0
		for i := starts[k]; i < starts[k+1]; i++ {
			han += lines[i].han
		}
		if han > most {
			main, most = k, han
		}
	}
	for k := 0; k+1 < len(starts); k++ {
		if k == main {
			continue
		}
		for i := starts[k]; i < starts[k+1]; i++ {
			lines[i].dropped = true
			lines[i].kind = kindChrome
		}
	}
}

// A wordSet finds any of a set of words in a text in one pass.
type wordSet map[rune][]string // by first rune

func newWordSet(words ...string) wordSet {
	set := make(wordSet)
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		set[r] = append(set[r], w)
	}
	return set
}

func (set wordSet) findIn(s string) bool {
	for i, r := range s {
		for _, w := range set[r] {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
		}
	}
	return false
}
