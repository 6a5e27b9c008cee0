package targets

import (
	"testing"

	"github.com/zhengce/zhengce/index"
)

func TestTableJoinsTargetAndAchievement(t *testing.T) {
	rep := func(year int, review, plan string) *index.Report {
		return &index.Report{ID: "r", Level: "district", Province: "广东省", City: "深圳市", District: "南山区", Year: year,
			Paragraphs: []index.Paragraph{
				{Ordinal: 1, Section: ReviewSection, Text: review},
				{Ordinal: 2, Section: "工作安排", Text: plan},
			}}
	}
	reports := []*index.Report{
		rep(2023, "全区地区生产总值增长6.1%。", "今年经济社会发展的主要预期目标是：地区生产总值增长7%左右，一般公共预算收入增长5%。"),
		rep(2024, "全区地区生产总值增长5.2%。", "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右。"),
		{ID: "undated", Paragraphs: []index.Paragraph{{Section: "工作安排", Text: "主要预期目标是：地区生产总值增长9%。"}}},
	}
	rows := Table(reports)
	find := func(year int, ind string) *Row {
		for i := range rows {
			if rows[i].Year == year && rows[i].Indicator == ind && rows[i].Kind == Growth {
				return &rows[i]
			}
		}
		return nil
	}
	gdp := Canonical("地区生产总值")
	for _, tc := range []struct {
		year             int
		indicator        string
		target, achieved float64 // 0: none
	}{
		{2022, gdp, 0, 6.1},
		{2023, gdp, 7, 5.2},
		{2024, gdp, 6, 0},
		{2023, Canonical("一般公共预算收入"), 5, 0},
	} {
		r := find(tc.year, tc.indicator)
		if r == nil {
			t.Errorf("%d %s: no row in %+v", tc.year, tc.indicator, rows)
			continue
		}
		if got := valueOf(r.Target); got != tc.target {
			t.Errorf("%d %s: target %v, want %v", tc.year, tc.indicator, got, tc.target)
		}
		if got := valueOf(r.Achieved); got != tc.achieved {
			t.Errorf("%d %s: achieved %v, want %v", tc.year, tc.indicator, got, tc.achieved)
		}
	}
	for _, r := range rows {
		if r.Year == 0 || r.Year == -1 {
			t.Errorf("a row for an undated report: %+v", r)
		}
	}
}

func valueOf(t *Target) float64 {
	if t == nil {
		return 0
	}
	return t.Value
}
