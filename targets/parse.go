package targets

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// Kinds of a Target.
const (
	Growth = "growth" // a rate of change: 增长8%, 涨幅3%, 下降3% (negative)
	Level  = "level"  // an amount or a ratio: 296亿元, 失业率3%以内, 1.6万人
)

// Target is one indicator read from a report: a target set for the year,
// or (in a review) a result achieved.
type Target struct {
	Report    string `json:"report"` // report id
	Path      string `json:"path"`
	Paragraph int    `json:"paragraph"`
	Indicator string `json:"indicator"` // canonical name
	Name      string `json:"name"`      // as the report writes it
	Kind      string `json:"kind"`      // growth or level
	// Value is the number (negative for a decline); High is the upper end
	// of a range (6%-6.5%), or 0.
	Value float64 `json:"value"`
	High  float64 `json:"high,omitempty"`
	Unit  string  `json:"unit,omitempty"`
	// Modifier is how the value binds, space-separated: 区间 for a range,
	// a prefix (力争 确保 超过 突破 不低于 …) and a suffix (左右 以上 以内
	// 以下).
	Modifier string `json:"modifier,omitempty"`
	// Qualitative is a direction stated without a number (与经济增长同步,
	// 正增长, 持平); Value is then 0 and NoValue true.
	Qualitative string `json:"qualitative,omitempty"`
	NoValue     bool   `json:"no_value,omitempty"`
	Clause      string `json:"clause"` // the clause it was read from
}

// String renders the value as a report would: 8%左右, 6%-6.5%, 296亿元.
func (t *Target) String() string {
	if t.NoValue {
		return t.Qualitative
	}
	var b strings.Builder
	mods := strings.Fields(t.Modifier)
	for _, m := range mods {
		if prefixWords[m] {
			b.WriteString(m)
		}
	}
	if t.Value < 0 {
		b.WriteString("下降")
	}
	b.WriteString(num(abs(t.Value)))
	if t.High != 0 {
		b.WriteString(t.Unit + "-" + num(abs(t.High)))
	}
	b.WriteString(t.Unit)
	for _, m := range mods {
		if suffixWords[m] {
			b.WriteString(m)
		}
	}
	return b.String()
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

var (
	prefixWords = map[string]bool{"力争": true, "确保": true, "超过": true, "超": true, "突破": true, "不低于": true, "不少于": true, "不超过": true, "高于": true, "低于": true}
	suffixWords = map[string]bool{"左右": true, "以上": true, "以内": true, "以下": true, "上下": true}
	prefixOrder = []string{"不低于", "不少于", "不超过", "力争", "确保", "超过", "突破", "高于", "低于", "超"}
	suffixOrder = []string{"左右", "以上", "以内", "以下", "上下"}
)

// units a single value must carry; longest first.
const unitPattern = `%|个百分点|万亿元|亿元|万元|元|万人次|万人|人次|人|万亿斤|亿斤|万吨|吨|万套|套|万平方米|平方米|微克/立方米|个|张|件|亩|家`

var (
	rangeRe = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(%)?\s*(?:-|—|–|~|至|到)\s*(\d+(?:\.\d+)?)\s*(` + unitPattern + `)`)
	valueRe = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(` + unitPattern + `)`)
	// markerRe finds the start of a target block.
	markerRe = regexp.MustCompile(`预期目标(?:和约束性?指标)?(?:是|为|：|:)[：:]?`)
	// planRe marks a block for a later year or a span of years.
	planRe = regexp.MustCompile(`到(20\d\d)年|今后五年|未来五年|“十[一二三四五六]五”(?:时期|期间)`)
)

// Words that end a target block: the sentence explains or turns to the work.
var stopStarts = []string{"上述", "为实现", "为完成", "围绕", "重点", "这里", "需要说明", "实现这", "确立上述", "提出上述", "我们", "今年要", "要实现", "做好", "这些目标", "这个目标", "这一目标"}

// growth words between an indicator and its value.
var (
	growthWords  = []string{"增长", "增速", "涨幅", "上涨", "增幅", "提高", "下降", "降低", "减少", "递增"}
	declineWords = []string{"下降", "降低", "减少"}
	levelVerbs   = []string{"降至", "降到", "下降至", "下降到", "提高到", "提高至", "提升到", "提升至", "达到", "控制在", "保持在"}
	qualWords    = []string{"同步", "正增长", "持平", "稳步增长", "高于经济增长", "稳中向好", "稳中提质", "回稳向好", "稳中有升"}
	// verbs that end an unknown indicator's name.
	verbs = []string{"增长", "增速", "涨幅", "达到", "达", "完成", "控制在", "下降", "降低", "降至", "提高", "突破", "超过", "保持在", "实现"}
	// endings of an unknown indicator's name.
	nameEnds = []string{"增加值", "总额", "收入", "投资", "产量", "率", "零售额", "规模", "浓度", "比重", "比例", "营业额", "总量"}
	// words before a name that are not part of it.
	namePrefixes = []string{"全区", "全市", "全省", "全县", "全旗", "今年", "本区", "本市", "年度", "其中", "力争", "确保", "实现", "全年"}
)

// clauseCut splits a block into clauses.
func clauseCut(r rune) bool { return r == '，' || r == '；' || r == '。' || r == ';' || r == ',' }

// ReadTargets returns the targets a report sets for its year: its target
// blocks read clause by clause, plan blocks (到2025年…) left out. The
// first target of an indicator and kind wins.
func ReadTargets(r *index.Report) []Target {
	var out []Target
	seen := map[string]bool{}
	for i, p := range r.Paragraphs {
		text := norm.Fold(p.Text)
		locs := markerRe.FindAllStringIndex(text, -1)
		for _, loc := range locs {
			before := text[:loc[0]]
			if k := strings.LastIndexAny(before, "。；"); k >= 0 {
				before = before[k:]
			}
			if strings.HasSuffix(before, "上述") || strings.HasSuffix(before, "上述主要") || strings.Contains(before, "实现") {
				continue
			}
			if m := planRe.FindStringSubmatch(before); m != nil {
				if y, _ := strconv.Atoi(m[1]); m[1] == "" || y != r.Year {
					continue
				}
			}
			block := text[loc[1]:]
			// A lead-in naming the indicator (经济增长预期目标为9.5%左右).
			lead := lastName(before)
			// A marker ending its paragraph: the targets are listed below.
			if strings.TrimSpace(block) == "" && i+1 < len(r.Paragraphs) {
				var more []string
				for _, q := range r.Paragraphs[i+1 : min(i+8, len(r.Paragraphs))] {
					qt := norm.Fold(q.Text)
					if !valueRe.MatchString(qt) {
						break
					}
					more = append(more, qt)
				}
				block = strings.Join(more, "；")
			}
			for _, t := range readBlock(stopAt(block), lead, nil) {
				t.Report, t.Path, t.Paragraph = r.ID, r.Path, p.Ordinal
				key := t.Indicator + "\x00" + t.Kind
				if !seen[key] {
					seen[key] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// lastName returns the indicator a lead-in ends with, if any.
func lastName(before string) *match {
	rs := []rune(strings.TrimSpace(before))
	ms := findNames(rs)
	if len(ms) == 0 {
		return nil
	}
	m := ms[len(ms)-1]
	if len(rs)-m.end > 2 { // 经济增长 + 预期目标 only
		return nil
	}
	return &m
}

// stopAt cuts a block at the first sentence that no longer lists targets.
func stopAt(block string) string {
	var b strings.Builder
	for _, s := range strings.SplitAfter(block, "。") {
		t := strings.TrimSpace(s)
		for _, w := range stopStarts {
			if strings.HasPrefix(t, w) {
				return b.String()
			}
		}
		if b.Len() > 0 && !valueRe.MatchString(t) && !containsAny(t, qualWords) {
			return b.String()
		}
		b.WriteString(s)
	}
	return b.String()
}

// readBlock reads the clauses of a block. lead is an indicator named just
// before the block.
// skip, if not nil, drops a clause (and what continues it).
func readBlock(block string, lead *match, skip func(string) bool) []Target {
	var out []Target
	prev := lead
	for _, clause := range strings.FieldsFunc(block, clauseCut) {
		if skip != nil && skip(clause) {
			prev = nil
			continue
		}
		ts, last := readClause(clause, prev)
		out = append(out, ts...)
		prev = last
	}
	return out
}

// value is a number found in a clause.
type value struct {
	start, end int // byte offsets in the clause
	v, high    float64
	unit       string
	isRange    bool
}

func findValues(clause string) []value {
	var out []value
	taken := func(s, e int) bool {
		for _, v := range out {
			if s < v.end && e > v.start {
				return true
			}
		}
		return false
	}
	for _, m := range rangeRe.FindAllStringSubmatchIndex(clause, -1) {
		lo, _ := strconv.ParseFloat(clause[m[2]:m[3]], 64)
		hi, _ := strconv.ParseFloat(clause[m[6]:m[7]], 64)
		unit := clause[m[8]:m[9]]
		if m[4] >= 0 && clause[m[4]:m[5]] != unit || hi <= lo {
			continue
		}
		out = append(out, value{m[0], m[1], lo, hi, unit, true})
	}
	for _, m := range valueRe.FindAllStringSubmatchIndex(clause, -1) {
		if taken(m[0], m[1]) {
			continue
		}
		v, _ := strconv.ParseFloat(clause[m[2]:m[3]], 64)
		// A year (2020年) or an ordinal is not a value: the unit rules
		// already exclude 年; a number glued to a letter (PM2.5) is a name.
		if m[0] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(clause[:m[0]]); r == '.' || unicode.IsLetter(r) && r < 0x80 {
				continue
			}
		}
		out = append(out, value{m[0], m[1], v, 0, clause[m[4]:m[5]], false})
	}
	sortValues(out)
	return out
}

func sortValues(vs []value) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j].start < vs[j-1].start; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// names returns the indicator names of a clause before byte offset end:
// known names, or one unknown name ending like an indicator.
func names(clause string, end int) []match {
	head := clause[:end]
	rs := []rune(head)
	// 财政收入占生产总值比重: the ratio is the indicator, not the names in it.
	if strings.Contains(head, "占") && containsAny(head, []string{"比重", "比例"}) {
		if n, end := unknownName(head); n != "" {
			if c := Canonical(n); c != n {
				return []match{{name: n, canonical: c, end: utf8.RuneCountInString(head[:end])}}
			}
			return []match{{name: n, canonical: n, end: utf8.RuneCountInString(head[:end])}}
		}
	}
	ms := findNames(rs)
	if len(ms) > 0 {
		return ms
	}
	if n, end := unknownName(head); n != "" {
		return []match{{name: n, canonical: n, end: utf8.RuneCountInString(head[:end])}}
	}
	return nil
}

// unknownName returns the text before the verb of a clause when it looks
// like an indicator name, and the byte offset where the name ends.
func unknownName(head string) (string, int) {
	cut := len(head)
	for _, v := range verbs {
		if k := strings.Index(head, v); k >= 0 && k < cut {
			cut = k
		}
	}
	name := strings.TrimRight(head[:cut], " ")
	end := len(name)
	name = strings.TrimSpace(name)
	for changed := true; changed; {
		changed = false
		for _, p := range namePrefixes {
			if strings.HasPrefix(name, p) {
				name, changed = strings.TrimPrefix(name, p), true
			}
		}
	}
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 14 || !endsAny(name, nameEnds) {
		return "", 0
	}
	for _, e := range nameEnds {
		if name == e { // 总额 alone names nothing: it continues a clause
			return "", 0
		}
	}
	for _, r := range name {
		if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' {
			return "", 0
		}
	}
	return name, end
}

// readClause reads one clause; prev is the indicator of the clause before,
// which a clause without a name continues. It returns the indicator the
// next clause may continue.
func readClause(clause string, prev *match) ([]Target, *match) {
	clause = strings.TrimSpace(clause)
	vals := findValues(clause)
	firstVal := len(clause)
	if len(vals) > 0 {
		firstVal = vals[0].start
	}
	ms := names(clause, firstVal)
	if len(ms) == 0 && len(vals) == 0 {
		return nil, prev
	}
	// A value with no name of its own continues the clause before
	// (…增长8%，达到296亿元), if the clause starts as a continuation does.
	nameEnd := 0 // byte offset of the end of the (last) name in the clause
	inherited := len(ms) == 0
	if inherited {
		if prev == nil || !continues(clause) {
			return nil, prev
		}
		ms = []match{*prev}
	} else {
		nameEnd = len(string([]rune(clause)[:ms[len(ms)-1].end]))
	}
	if len(vals) == 0 {
		q := qualitative(clause[firstNameEnd(clause, ms[0], inherited):])
		if q == "" {
			return nil, &ms[0]
		}
		t := Target{Indicator: ms[0].canonical, Name: displayName(ms[0].name), Kind: Growth, Qualitative: q, NoValue: true, Clause: clause}
		if q == "基本平衡" {
			t.Kind = Level
		}
		// A direction ends what a later clause may continue: in
		// 居民收入与经济增长同步，完成57件民生实事 the 57件 is not income.
		return []Target{t}, nil
	}
	share := strings.Contains(clause[nameEnd:firstVal], "分别")
	same := strings.Contains(clause[nameEnd:firstVal], "均")
	switch {
	case len(ms) > 1 && share && len(vals) == len(ms):
	case len(ms) > 1 && same && len(vals) == 1:
	default:
		ms, vals = ms[:1], vals[:1]
		share, same = false, false
	}
	var out []Target
	for k, m := range ms {
		vi := k
		if same {
			vi = 0
		}
		v := vals[vi]
		// The text of the verb: from the name (or clause start) to the value.
		verb := clause[nameEnd:v.start]
		if !share && !same && !inherited {
			verb = clause[len(string([]rune(clause)[:m.end])):v.start]
		}
		after := clause[v.end:]
		if vi+1 < len(vals) {
			after = clause[v.end:vals[vi+1].start]
		}
		t := Target{Indicator: m.canonical, Name: displayName(m.name), Value: v.v, High: v.high, Unit: v.unit, Clause: clause}
		t.Kind = kind(m.name, verb, after, v.unit)
		if t.Kind == Growth && containsAny(verb, declineWords) {
			t.Value, t.High = -t.Value, -t.High
		}
		t.Modifier = modifier(verb, after, v.isRange)
		if share && t.Modifier == "" || share && !hasSuffix(t.Modifier) {
			// 分别下降5%、5%、3%左右: the last suffix binds every value.
			if s := suffix(clause[vals[len(vals)-1].end:]); s != "" {
				t.Modifier = strings.TrimSpace(t.Modifier + " " + s)
			}
		}
		out = append(out, t)
	}
	return out, &ms[0]
}

// firstNameEnd is the byte offset where the first name of a clause ends.
func firstNameEnd(clause string, m match, inherited bool) int {
	if inherited {
		return 0
	}
	return len(string([]rune(clause)[:m.end]))
}

func hasSuffix(mod string) bool {
	for _, m := range strings.Fields(mod) {
		if suffixWords[m] {
			return true
		}
	}
	return false
}

// continues reports whether a clause without a name continues the clause
// before it.
func continues(clause string) bool {
	for _, w := range []string{"达到", "达", "增长", "同比增长", "比上年增长", "总额", "完成", "突破", "超过", "增速", "其中", "年均", "实现", "力争"} {
		if strings.HasPrefix(clause, w) {
			return true
		}
	}
	return false
}

func kind(name, verb, after, unit string) string {
	if unit != "%" && unit != "个百分点" {
		return Level
	}
	if containsAny(name, growthWords) {
		return Growth // 居民消费价格涨幅控制在3%以内
	}
	// 增长保持在8%-8.5%之间 is a growth; 提高到70%, 降至26 are levels.
	rest := verb
	for _, v := range levelVerbs {
		rest = strings.ReplaceAll(rest, v, "\x00")
	}
	if containsAny(rest, growthWords) {
		return Growth
	}
	if rest != verb {
		return Level
	}
	if a := strings.TrimLeft(after, "左右以上内下的 "); strings.HasPrefix(a, "增长") || strings.HasPrefix(a, "增速") {
		return Growth
	}
	return Level
}

func modifier(verb, after string, isRange bool) string {
	var mods []string
	if isRange {
		mods = append(mods, "区间")
	}
	v := verb
	for _, p := range prefixOrder {
		if strings.Contains(v, p) {
			mods = append(mods, p)
			v = strings.ReplaceAll(v, p, "")
		}
	}
	if s := suffix(after); s != "" {
		mods = append(mods, s)
	}
	return strings.Join(mods, " ")
}

func suffix(after string) string {
	a := strings.TrimSpace(after)
	for _, s := range suffixOrder {
		if strings.HasPrefix(a, s) {
			return s
		}
	}
	return ""
}

func qualitative(rest string) string {
	for _, w := range []string{"基本同步", "同步", "正增长", "基本持平", "持平", "稳步增长", "高于经济增长", "稳中向好", "稳中提质", "回稳向好", "稳中有升", "基本平衡"} {
		if strings.Contains(rest, w) {
			if w == "同步" || w == "基本同步" {
				return "与经济增长" + w
			}
			return w
		}
	}
	return ""
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func endsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// displayName writes the Latin letters of a folded name in capitals, as
// reports do (gdp → GDP, pm2.5 → PM2.5).
func displayName(name string) string { return strings.ToUpper(name) }
