package corpus_test

import (
	"fmt"

	"github.com/zhengce/zhengce/corpus"
)

func ExampleParse() {
	page := "设为首页 | 收藏本站\n" +
		"当前位置：首页 > 政务公开\n" +
		"2021年安远县政府工作报告\n" +
		"——2021年1月12日在安远县第十七届人民代表大会第六次会议上\n" +
		"县长　李华东\n" +
		"各位代表：\n" +
		"一、2020年工作回顾\n" +
		"过去一年，全县地区生产总值增长4.1%，脱贫攻坚取得全面胜利。\n" +
		"二、2021年工作安排\n" +
		"今年全县地区生产总值预期增长8%左右。\n" +
		"责任编辑：王芳\n"
	reports, err := corpus.Parse("安远.txt", []byte(page))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := reports[0]
	fmt.Println(r.Title, r.Level, r.Province, r.City, r.District, r.Year, r.Office, r.Speaker, r.Meeting)
	fmt.Println("dropped lines:", r.DroppedLines)
	for _, p := range r.Paragraphs[5:] {
		fmt.Printf("%d %s %q %v\n", p.Ordinal, p.Section, p.Text, p.Heading)
	}
	// Output:
	// 2021年安远县政府工作报告 district 江西省 赣州市 安远县 2021 县长 李华东 第十七届人民代表大会第六次会议
	// dropped lines: 3
	// 6 工作回顾 "过去一年，全县地区生产总值增长4.1%，脱贫攻坚取得全面胜利。" [一、2020年工作回顾]
	// 7 工作安排 "二、2021年工作安排" [二、2021年工作安排]
	// 8 工作安排 "今年全县地区生产总值预期增长8%左右。" [二、2021年工作安排]
}
