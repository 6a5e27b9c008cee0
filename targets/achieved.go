package targets

import (
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// ReviewSection is the section (index.Paragraph.Section) of a report's
// review of the year before.
const ReviewSection = "工作回顾"

// notOneYear marks a review clause about several years or about a plan.
var notOneYear = []string{"年均", "五年", "累计", "目标", "翻番", "翻一番", "计划", "规划", "以来", "“十"}

// ReadAchieved returns the results a report's review states for the year
// before it: the first statement of each indicator and kind in the review
// section, with a number (a direction alone is no result). Names of two
// characters (水耗, 出口) are too ambiguous in a review and are skipped.
func ReadAchieved(r *index.Report) []Target {
	var out []Target
	seen := map[string]bool{}
	skip := func(clause string) bool { return containsAny(clause, notOneYear) }
	for _, p := range r.Paragraphs {
		if p.Section != ReviewSection {
			continue
		}
		for _, t := range readBlock(norm.Fold(p.Text), nil, skip) {
			if t.NoValue || utf8.RuneCountInString(t.Name) <= 2 && t.Name != "GDP" && t.Name != "CPI" {
				continue
			}
			if strings.Contains(t.Modifier, "区间") {
				continue // a range is a target, not a result
			}
			t.Report, t.Path, t.Paragraph = r.ID, r.Path, p.Ordinal
			key := t.Indicator + "\x00" + t.Kind
			if !seen[key] {
				seen[key] = true
				out = append(out, t)
			}
		}
	}
	return out
}
