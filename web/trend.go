package web

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/zhengce/zhengce/index"
)

// chartSeriesMax is how many values get their own series in the chart; the
// rest are summed into "其他" so the chart stays readable. The table lists
// every value.
const chartSeriesMax = 8

// Labels for values the index leaves empty.
const (
	otherLabel       = "其他"
	unknownYearLabel = "年份不详"
	unknownLabel     = "（未注明）"
)

// trendView is the trend panel: hits per year split by district or province.
type trendView struct {
	By, ByLabel string
	ValueLabel  string // what the rows are: 区县 or 省份
	Splits      []linkView
	YearLabels  []string
	Rows        []trendRow // every value, most hits first
	YearTotals  []int
	Total       int
	Chart       trendChart // what app.js draws
}

type trendRow struct {
	Label  string
	Counts []int // per year, as YearLabels
	Total  int
}

// trendChart is serialised into the page for the chart script.
type trendChart struct {
	By     string        `json:"by"`
	Years  []string      `json:"years"`
	Series []chartSeries `json:"series"`
}

type chartSeries struct {
	Name string `json:"name"`
	Data []int  `json:"data"`
}

// trendView shows the trend points of the search p.
func (s *Server) trendView(p searchParams, points []index.TrendPoint) *trendView {
	by := cmp.Or(p.By, defaultTrendBy)
	tv := newTrendView(points, by)
	tv.ValueLabel = facetLabels[by]
	for _, sp := range trendSplits {
		q := p.clone()
		q.By = sp.Value
		tv.Splits = append(tv.Splits, linkView{Label: sp.Label, URL: q.pageURL(), Active: sp.Value == by})
		if sp.Value == by {
			tv.ByLabel = sp.Label
		}
	}
	return tv
}

// newTrendView arranges trend points as a table of values by years and as
// chart series. Years run without gaps from the first to the last, so a year
// with no hits shows as zero rather than vanishing; hits of unknown year get
// a last column.
func newTrendView(points []index.TrendPoint, by string) *trendView {
	tv := &trendView{By: by, Chart: trendChart{By: by}}
	if len(points) == 0 {
		return tv
	}
	var years []int
	unknownYear := false
	for _, pt := range points {
		if pt.Year == 0 {
			unknownYear = true
		} else if !slices.Contains(years, pt.Year) {
			years = append(years, pt.Year)
		}
	}
	slices.Sort(years)
	if n := len(years); n > 1 && years[n-1]-years[0] < 100 {
		first, last := years[0], years[n-1]
		years = years[:0]
		for y := first; y <= last; y++ {
			years = append(years, y)
		}
	}
	if unknownYear {
		years = append(years, 0)
	}
	column := map[int]int{}
	for i, y := range years {
		column[y] = i
		if y == 0 {
			tv.YearLabels = append(tv.YearLabels, unknownYearLabel)
		} else {
			tv.YearLabels = append(tv.YearLabels, strconv.Itoa(y))
		}
	}
	rows := map[string]*trendRow{}
	var order []*trendRow
	tv.YearTotals = make([]int, len(years))
	for _, pt := range points {
		r := rows[pt.Value]
		if r == nil {
			label := pt.Value
			if label == "" {
				label = unknownLabel
			}
			r = &trendRow{Label: label, Counts: make([]int, len(years))}
			rows[pt.Value] = r
			order = append(order, r)
		}
		col := column[pt.Year]
		r.Counts[col] += pt.Count
		r.Total += pt.Count
		tv.YearTotals[col] += pt.Count
		tv.Total += pt.Count
	}
	slices.SortStableFunc(order, func(a, b *trendRow) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Label, b.Label))
	})
	for _, r := range order {
		tv.Rows = append(tv.Rows, *r)
	}
	tv.Chart.Years = tv.YearLabels
	for i, r := range tv.Rows {
		if i < chartSeriesMax || len(tv.Rows) == chartSeriesMax+1 {
			tv.Chart.Series = append(tv.Chart.Series, chartSeries{Name: r.Label, Data: r.Counts})
			continue
		}
		if i == chartSeriesMax {
			tv.Chart.Series = append(tv.Chart.Series, chartSeries{Name: otherLabel, Data: make([]int, len(years))})
		}
		other := tv.Chart.Series[chartSeriesMax].Data
		for j, n := range r.Counts {
			other[j] += n
		}
	}
	return tv
}
