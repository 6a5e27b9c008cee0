package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestRetiredDivisions: a report is attributed with the division that
// existed in its year and grouped under the current one, the name as
// written kept.
func TestRetiredDivisions(t *testing.T) {
	tests := []struct {
		name     string
		place    string // as the title and speaker line write it
		year     int
		office   string
		want     meta
		district string // DistrictAsWritten
		city     string // CityAsWritten
	}{
		{"清苑县", "清苑县", 2005, "县长", meta{LevelDistrict, "河北省", "保定市", "清苑区", 2005}, "清苑县", ""},
		{"徐水县", "徐水县", 2012, "县长", meta{LevelDistrict, "河北省", "保定市", "徐水区", 2012}, "徐水县", ""},
		{"保定地区清苑县", "保定地区清苑县", 1990, "县长", meta{LevelDistrict, "河北省", "保定市", "清苑区", 1990}, "清苑县", "保定地区"},
		{"崇文区", "北京市崇文区", 2008, "区长", meta{LevelDistrict, "北京市", "北京市", "东城区", 2008}, "崇文区", ""},
		{"渡口市", "渡口市", 1985, "市长", meta{LevelCity, "四川省", "攀枝花市", "", 1985}, "", "渡口市"},
		{"萧山市", "萧山市", 1998, "市长", meta{LevelDistrict, "浙江省", "杭州市", "萧山区", 1998}, "萧山市", ""},
		// 江东区 was a district of 宁波市 until 2016 and of 衡阳市 until 2001:
		// in 2010 only 宁波's was in use.
		{"江东区 in use", "江东区", 2010, "区长", meta{LevelDistrict, "浙江省", "宁波市", "鄞州区", 2010}, "江东区", ""},
		// A name retired before the report's year, taken as nothing else fits.
		{"江东区 retired before", "衡阳市江东区", 2010, "区长", meta{LevelDistrict, "湖南省", "衡阳市", "珠晖区", 2010}, "江东区", ""},
		{"徐水县 after 2015", "徐水县", 2018, "县长", meta{LevelDistrict, "河北省", "保定市", "徐水区", 2018}, "徐水县", ""},
		// Current names are as before, the as-written fields empty.
		{"唐县", "唐县", 2005, "县长", meta{LevelDistrict, "河北省", "保定市", "唐县", 2005}, "", ""},
		{"高唐县", "高唐县", 2005, "县长", meta{LevelDistrict, "山东省", "聊城市", "高唐县", 2005}, "", ""},
		{"张家口市", "张家口市", 1982, "市长", meta{LevelCity, "河北省", "张家口市", "", 1982}, "", ""},
		// 邢台县 went to 襄都区 and 信都区 in 2020: the city is known, the
		// district not.
		{"邢台县", "邢台县", 2015, "县长", meta{LevelDistrict, "河北省", "邢台市", "", 2015}, "邢台县", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind := string([]rune(tt.office)[:1])
			text := fmt.Sprintf("%d年%s人民政府工作报告\n——%d年3月1日在%s第一届人民代表大会第一次会议上\n%s　张三\n各位代表：\n现在，我代表%s人民政府向大会报告工作，请予审议。\n一、%d年工作回顾\n过去一年，全%s经济平稳发展。\n",
				tt.year, tt.place, tt.year, tt.place, tt.office, kind, tt.year-1, kind)
			rs, err := Parse("report.txt", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			if got := metaOf(r); got != tt.want {
				t.Errorf("meta = %+v, want %+v", got, tt.want)
			}
			if r.DistrictAsWritten != tt.district || r.CityAsWritten != tt.city || r.ProvinceAsWritten != "" {
				t.Errorf("as written: province %q, city %q, district %q; want \"\", %q, %q", r.ProvinceAsWritten, r.CityAsWritten, r.DistrictAsWritten, tt.city, tt.district)
			}
			written := tt.district
			if written == "" {
				written = tt.city
			}
			if written != "" && !slices.ContainsFunc(r.Warnings, func(w string) bool {
				return strings.HasPrefix(w, written+" is not in the current division list") || strings.HasPrefix(w, written+" went to several districts")
			}) {
				t.Errorf("warnings %q, want one on %s", r.Warnings, written)
			}
		})
	}
}

// TestRetiredSuccessors checks the chains of the generated gazetteer.
func TestRetiredSuccessors(t *testing.T) {
	g := theGazetteer()
	tests := []struct {
		name string
		year int
		want []string // current successors' names, as resolve picks them
	}{
		{"清苑县", 2005, []string{"清苑区"}},
		{"崇文区", 2008, []string{"东城区"}},
		{"宣武区", 2008, []string{"西城区"}},
		{"渡口市", 1985, []string{"攀枝花市"}},
		{"保定地区", 1990, []string{"保定市"}},
		{"呼伦贝尔盟", 1995, []string{"呼伦贝尔市"}},
		{"萧山县", 1985, []string{"萧山区"}},
		{"川沙县", 1990, []string{"浦东新区"}}, // a part went to 黄浦区 earlier
	}
	for _, tt := range tests {
		pl := g.resolve(tt.name, nil, tt.year)
		var got []string
		switch {
		case pl.county != nil:
			got = append(got, pl.county.name)
		case pl.city != nil:
			got = append(got, pl.city.name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("resolve(%s, %d) = %v, want %v", tt.name, tt.year, got, tt.want)
		}
	}
}

// TestNewAreas: a functional new area (no code of its own) is grouped
// under the district of its stem only if that district was created no
// earlier than the report (坪山新区 → 坪山区, 2016); 北戴河新区 is not
// 北戴河区, a district since 1983, and 大鹏新区 has no district.
func TestNewAreas(t *testing.T) {
	tests := []struct {
		area, city string
		year       int
		want       meta
		written    string
	}{
		{"坪山新区", "深圳", 2015, meta{LevelDistrict, "广东省", "深圳市", "坪山区", 2015}, "坪山新区"},
		{"光明新区", "深圳", 2017, meta{LevelDistrict, "广东省", "深圳市", "光明区", 2017}, "光明新区"},
		{"大鹏新区", "深圳", 2020, meta{LevelDistrict, "广东省", "深圳市", "大鹏新区", 2020}, ""},
		{"北戴河新区", "秦皇岛", 2015, meta{LevelDistrict, "河北省", "秦皇岛市", "北戴河新区", 2015}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.area, func(t *testing.T) {
			text := fmt.Sprintf("%d年%s政府工作报告\n各位代表：\n　　现在，我代表新区管委会向大会报告工作，请予审议。\n一、%d年工作回顾\n　　过去一年，在%s市委市政府的坚强领导下，新区坚持生态优先，%s海洋生态保护取得新进展。\n二、%d年工作安排\n　　今年新区将全力建设%s东部海洋生态示范区。\n",
				tt.year, tt.area, tt.year-1, tt.city, tt.city, tt.year, tt.city)
			rs, err := Parse("report.txt", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			if got := metaOf(r); got != tt.want {
				t.Errorf("meta = %+v, want %+v", got, tt.want)
			}
			if r.DistrictAsWritten != tt.written {
				t.Errorf("DistrictAsWritten = %q, want %q", r.DistrictAsWritten, tt.written)
			}
		})
	}
}

// TestRetiredSeveralSuccessors: a retired division split between several
// current ones is grouped under the one the report names most, else the
// one that kept its stem.
func TestRetiredSeveralSuccessors(t *testing.T) {
	g := theGazetteer()
	tests := []struct {
		name    string
		year    int
		context string
		want    string
	}{
		{"沙县", 1982, "", "沙县区"},  // 350404 三元区 and 350405 沙县区
		{"扶余县", 1985, "", "扶余市"}, // 220702 宁江区 and 220781 扶余市
		{"扶余县", 1985, "宁江区、宁江区", "宁江区"},
	}
	for _, tt := range tests {
		ctx := func(name string) int { return strings.Count(tt.context, name) }
		pl := g.resolve(tt.name, ctx, tt.year)
		if pl.county == nil || pl.county.name != tt.want {
			t.Errorf("resolve(%s, %d, %q) = %v, want %s", tt.name, tt.year, tt.context, pl.county, tt.want)
		}
	}
}
