package targets

import (
	"strings"
	"unicode/utf8"
)

// groups lists each indicator with the names reports give it; the first
// name is the canonical one.
var groups = [][]string{
	{"地区生产总值", "生产总值", "本地生产总值", "本区生产总值", "本市生产总值", "全市生产总值", "全区生产总值", "国内生产总值", "GDP", "经济增长", "经济增速", "经济总量"},
	{"人均地区生产总值", "人均生产总值", "人均GDP", "人均国内生产总值"},
	{"一般公共预算收入", "地方一般公共预算收入", "地方级一般公共预算收入", "公共财政预算收入", "地方公共财政预算收入", "公共财政收入", "地方公共财政收入", "一般预算收入", "一般地方预算财政收入", "地方财政一般预算收入", "一般预算财政收入"},
	{"地方财政总收入", "财政总收入"},
	{"税收收入", "辖区税收", "税收"},
	{"固定资产投资", "全社会固定资产投资", "固定资产投资额", "固定资产投资总额", "固定资产投资完成额", "区本级固定资产投资", "全社会投资"},
	{"社会消费品零售总额", "社会消费品零售额", "社消零", "社会消费品零售总额"},
	{"进出口总额", "进出口", "外贸进出口", "外贸进出口总额", "进出口贸易总额"},
	{"出口总额", "出口", "外贸出口"},
	{"规模以上工业增加值", "规上工业增加值", "规上工业企业增加值", "规模以上工业企业增加值"},
	{"工业增加值", "全部工业增加值"},
	{"服务业增加值"},
	{"现代服务业增加值"},
	{"居民人均可支配收入", "全体居民人均可支配收入", "人均可支配收入", "城乡居民人均可支配收入", "城乡居民可支配收入", "城乡居民收入", "居民收入", "居民人均收入"},
	{"城镇居民人均可支配收入", "城镇人均可支配收入", "城镇居民可支配收入"},
	{"农村居民人均可支配收入", "农民人均纯收入", "农村居民人均纯收入", "农牧民人均纯收入", "农村牧区居民人均可支配收入"},
	{"居民消费价格涨幅", "居民消费价格", "居民消费价格指数", "CPI", "消费价格"},
	{"城镇调查失业率"},
	{"城镇登记失业率", "城镇居民登记失业率", "居民登记失业率", "登记失业率"},
	{"城镇新增就业", "城镇新增就业人数", "新增就业"},
	{"单位GDP能耗", "万元GDP能耗", "单位国内生产总值能耗", "单位地区生产总值能耗", "单位生产总值能耗", "能耗强度", "能耗"},
	{"单位GDP水耗", "万元GDP水耗", "水耗"},
	{"单位GDP电耗", "万元GDP电耗", "电耗"},
	{"单位GDP建设用地", "万元GDP建设用地", "建设用地"},
	{"研发经费投入强度", "研发经费支出占地区生产总值比重", "研发经费支出占生产总值比重", "R&D经费支出占GDP比重"},
	{"全社会研发投入", "研发投入", "全社会研发经费投入"},
	{"粮食产量"},
	{"城镇化率", "常住人口城镇化率"},
	{"PM2.5年均浓度", "PM2.5平均浓度", "PM2.5浓度"},
}

// alias maps every name (folded) to its canonical name.
var alias = map[string]string{}

// maxAlias is the length in runes of the longest name.
var maxAlias int

func init() {
	for _, g := range groups {
		for _, name := range g {
			alias[strings.ToLower(name)] = g[0]
			maxAlias = max(maxAlias, utf8.RuneCountInString(name))
		}
	}
}

// Canonical returns the canonical name of an indicator name (GDP →
// 地区生产总值), or name itself when it is not a known synonym.
func Canonical(name string) string {
	if c, ok := alias[strings.ToLower(strings.TrimSpace(name))]; ok {
		return c
	}
	return strings.TrimSpace(name)
}

// Synonyms returns every known name of the indicator name belongs to, the
// canonical one first, or nil for an unknown name.
func Synonyms(name string) []string {
	c, ok := alias[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return nil
	}
	for _, g := range groups {
		if g[0] == c {
			return g
		}
	}
	return nil
}

// Indicators lists the canonical names in table order.
func Indicators() []string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = g[0]
	}
	return out
}

// rank orders canonical names as the groups table does; unknown ones last.
var rank = func() map[string]int {
	m := map[string]int{}
	for i, g := range groups {
		m[g[0]] = i
	}
	return m
}()

func indicatorLess(a, b string) bool {
	ra, oka := rank[a]
	rb, okb := rank[b]
	switch {
	case oka && okb:
		return ra < rb
	case oka != okb:
		return oka
	}
	return a < b
}

// match is a name found in a clause.
type match struct {
	start, end int // rune offsets
	name       string
	canonical  string
}

// findNames returns the known indicator names in rs, leftmost longest,
// not overlapping.
func findNames(rs []rune) []match {
	var out []match
	for i := 0; i < len(rs); {
		found := false
		for n := min(maxAlias, len(rs)-i); n >= 1; n-- {
			s := strings.ToLower(string(rs[i : i+n]))
			if c, ok := alias[s]; ok {
				out = append(out, match{i, i + n, string(rs[i : i+n]), c})
				i += n
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}
