package targets

import (
	"testing"

	"github.com/zhengce/zhengce/index"
)

func TestReadTargets(t *testing.T) {
	type row struct{ indicator, kind, value string }
	tests := []struct {
		name, text string
		want       []row
	}{
		{"growth and level continued", "主要预期目标是：地区生产总值增长8%，达到296亿元；城镇登记失业率控制在3%以内。",
			[]row{{"地区生产总值", Growth, "8%"}, {"地区生产总值", Level, "296亿元"}, {"城镇登记失业率", Level, "3%以内"}}},
		{"range and synonyms", "今年发展的主要预期目标是：国内生产总值增长6.5%－7%，居民消费价格涨幅控制在3%左右。",
			[]row{{"地区生产总值", Growth, "6.5%-7%"}, {"居民消费价格涨幅", Growth, "3%左右"}}},
		{"分别", "主要预期目标为：万元GDP建设用地、水耗、电耗分别下降5%、5%、3%左右。",
			[]row{{"单位GDP建设用地", Growth, "下降5%左右"}, {"单位GDP水耗", Growth, "下降5%左右"}, {"单位GDP电耗", Growth, "下降3%左右"}}},
		{"prefix and direction", "主要预期目标是：地区生产总值确保6%以上的增长，一般公共预算收入保持正增长，居民收入与经济增长基本同步，完成57件民生实事。",
			[]row{{"地区生产总值", Growth, "确保6%以上"}, {"一般公共预算收入", Growth, "正增长"}, {"居民人均可支配收入", Growth, "与经济增长基本同步"}}},
		{"plan block left out", "到2025年，全区经济社会发展的主要预期目标是：地区生产总值超6800亿元。", nil},
		{"reference back left out", "上述预期目标，是实事求是的，地区生产总值增长8%。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &index.Report{ID: "x", Year: 2021, Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作安排", Text: tt.text}}}
			var got []row
			for _, tg := range ReadTargets(r) {
				got = append(got, row{tg.Indicator, tg.Kind, tg.String()})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ReadTargets(%q) = %v, want %v", tt.text, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("ReadTargets(%q)[%d] = %v, want %v", tt.text, i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadAchieved(t *testing.T) {
	r := &index.Report{ID: "x", Year: 2015, Paragraphs: []index.Paragraph{
		{Ordinal: 1, Section: ReviewSection, Text: "全年地区生产总值完成274.4亿元，同比增长9.1%；五年来年均增长12%。"},
	}}
	got := ReadAchieved(r)
	if len(got) != 2 || got[0].String() != "274.4亿元" || got[1].Kind != Growth || got[1].String() != "9.1%" {
		t.Errorf("ReadAchieved = %+v, want 274.4亿元 (level) and 9.1%% (growth), not the five-year average", got)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"GDP": "地区生产总值", "gdp": "地区生产总值", "生产总值": "地区生产总值", "规上工业增加值": "规模以上工业增加值", "未知指标": "未知指标"} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
}
