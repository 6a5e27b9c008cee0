// Package targets reads the 主要预期目标 of government work reports: each
// target's indicator, value, unit, modifier and whether it is a growth rate
// or a level, and, from the next year's review, what was achieved.
//
// # Targets
//
// The target block of a report is the text after a marker such as
// “主要预期目标是：” (预期目标 followed by 是, 为 or a colon; “上述预期目标”
// refers back and is not one), up to the end of its paragraph or the first
// sentence that explains rather than lists (上述…, 为实现…, 重点…). A block
// announced for a later year (到2025年…, 今后五年…) is a plan target and is
// left out of the yearly table. The block is cut into clauses at ，；。 and
// each clause is read as
//
//	[indicator] [verb: 增长 达到 完成 控制在 下降…] [prefix: 力争 确保 超…]
//	value [unit] [-value unit] [suffix: 左右 以上 以内 以下]
//
// A clause without an indicator (…增长8%，达到296亿元) continues the
// previous one. 分别 and 均 share values out over several indicators
// (万元GDP水耗、电耗分别下降5%、3%). A clause with an indicator and no
// value is kept when it states a direction (与经济增长同步, 正增长, 持平).
//
// Indicators are grouped by synonym ([Canonical]): 地区生产总值 =
// 生产总值 = 本地生产总值 = GDP = 经济增长, and so on; an indicator the
// table does not know is kept under its own name when it ends like one
// (…增加值, …总额, …收入, …投资, …产量, …率).
//
// # Achievements
//
// The review part of a report (section 工作回顾) states last year's
// results the same way (地区生产总值完成253.7亿元，同比增长10.1%). The first
// such statement of each indicator and kind is the achievement of the year
// before the report; statements over several years (年均, 五年) are not.
// [Build] puts it beside the target of that year for the same place.
package targets
