package corpus

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"
)

// TestSynthetic runs the rules on reports unlike the bundled ones: another
// site's furniture, a county, a county-level city in the 1990s, Markdown,
// GBK HTML, UTF-16, a name two districts share, two reports in one file.
func TestSynthetic(t *testing.T) {
	type want struct {
		meta
		speaker, office, meeting, encoding string
		reports                            int
		warning                            string              // a warning containing this, "" for none
		absent                             []string            // in no paragraph
		present                            []string            // each in exactly one paragraph
		headings                           map[string][]string // paragraph text → heading path
		sections                           map[string]string   // paragraph text → section
	}
	tests := []struct {
		file string
		want want
	}{
		{"county_gbk.html", want{
			meta:    meta{LevelDistrict, "江西省", "赣州市", "安远县", 2019},
			speaker: "李华东", office: "县长", meeting: "第十七届人民代表大会第四次会议", encoding: "GB18030", reports: 1,
			absent:  []string{"网站首页", "当前位置", "首页", "发布时间", "浏览次数", "字体", "打印本页", "关闭窗口", "分享到", "上一篇", "下一篇", "版权所有", "ICP", "公网安备", "分辨率", "统计代码", "_安远县人民政府"},
			present: []string{"建成无障碍设施12处，开通“安远发布”客户端", "各位代表！让我们更加紧密地团结"},
			headings: map[string][]string{
				"全年实现脱贫退出贫困村25个": {"一、2018年工作回顾", "（一）脱贫攻坚取得决定性进展"},
				"确保剩余贫困人口全部脱贫":   {"二、2019年工作安排", "（一）坚决打赢脱贫攻坚战"},
			},
			sections: map[string]string{"建设人民满意的服务型政府": SectionSelf, "新引进项目36个": SectionReview},
		}},
		{"yixing_1997.txt", want{
			meta:    meta{LevelDistrict, "江苏省", "无锡市", "宜兴市", 1997},
			speaker: "陈文华", office: "代市长", meeting: "第十二届人民代表大会第五次会议", encoding: "UTF-8", reports: 1,
			present:  []string{"乡镇工业保持较快增长"},
			sections: map[string]string{"乡镇工业保持较快增长": SectionReview, "稳定粮食生产": SectionPlan, "廉洁奉公": SectionSelf},
		}},
		{"chaoyang.md", want{
			meta:    meta{LevelDistrict, "北京市", "北京市", "朝阳区", 2022},
			speaker: "文献", office: "区长", meeting: "第十六届人民代表大会第一次会议", encoding: "UTF-8", reports: 1,
			headings: map[string][]string{
				"服务业占比超过九成": {"一、2021年工作回顾", "（一）经济发展稳中向好"},
				"**两区**":    {"名词解释"},
			},
			sections: map[string]string{"**接诉即办**": SectionGlossary, "高标准做好赛事服务保障工作": SectionPlan},
		}},
		{"tongchuan_utf16.txt", want{
			meta:    meta{LevelCity, "陕西省", "铜川市", "", 2020},
			speaker: "李志伟", office: "市长", meeting: "第十五届人民代表大会第五次会议", encoding: "UTF-16LE", reports: 1,
			present: []string{"经济运行总体平稳"},
		}},
		{"news_portal.txt", want{
			meta:     meta{LevelDistrict, "北京市", "北京市", "丰台区", 2021},
			encoding: "UTF-8", reports: 1,
			absent:  []string{"新闻中心", "当前位置", "来源", "分享到", "打印本页", "责任编辑", "相关新闻", "2020年丰台区政府工作报告", "重点工作任务分解", "Copyright", "ICP"},
			present: []string{"为建设美丽丰台而努力奋斗", "丽泽金融商务区建设提速"},
		}},
		{"pdf_wrapped.txt", want{
			meta:    meta{LevelDistrict, "江西省", "赣州市", "瑞金市", 2008},
			speaker: "刘华英", office: "市长", meeting: "第十四届人民代表大会第二次会议", encoding: "UTF-8", reports: 1,
			absent:   []string{"— 1 —"},
			present:  []string{"实现旅游综合收入六亿元，叶坪、沙洲坝等景区基础设施进一步完善，红色故都的品牌影响力不断扩大。", "现在，我代表市人民政府向大会作政府工作报告，请予审议，并请市政协委员"},
			headings: map[string][]string{"农民人均纯收入增长百分之八": {"二、2008年工作安排"}},
		}},
		{"forum_thread.txt", want{
			meta:    meta{LevelDistrict, "福建省", "福州市", "鼓楼区", 2016},
			speaker: "林飞", office: "区长", meeting: "第十七届人民代表大会第一次会议", encoding: "UTF-8", reports: 1,
			absent:  []string{"感谢楼主", "三坊七巷越来越好", "使用道具", "楼主", "发表于", "Discuz", "Archiver", "查看内容", "[福建]", "本帖最后由", "GMT+8", "回帖"},
			present: []string{"三坊七巷历史文化街区保护利用成效显著"},
		}},
		{"xiaoshan_1998.txt", want{
			meta:    meta{LevelDistrict, "浙江省", "杭州市", "萧山区", 1998},
			speaker: "王建华", office: "市长", meeting: "第十二届人民代表大会第二次会议", encoding: "UTF-8", reports: 1,
			warning: "萧山市 is not in the current division list",
		}},
		{"tongzhou_news.txt", want{
			meta:     meta{LevelDistrict, "北京市", "北京市", "通州区", 2021},
			encoding: "UTF-8", reports: 1, warning: "publication date",
			absent: []string{"发布时间", "新闻中心", "扫一扫"},
		}},
		{"title_tag_only.htm", want{
			meta:     meta{LevelDistrict, "广东省", "深圳市", "南山区", 2020},
			encoding: "UTF-8", reports: 1,
			absent:   []string{"首页", "信息公开", "版权所有", "门户网站"},
			sections: map[string]string{"科技创新能力持续增强": SectionReview, "地区生产总值增长7%左右": SectionPlan},
		}},
		{"dapeng.txt", want{
			meta:     meta{LevelDistrict, "广东省", "深圳市", "大鹏新区", 2020},
			encoding: "UTF-8", reports: 1, warning: "functional area",
		}},
		{"beijing_city.txt", want{
			meta:    meta{LevelProvince, "北京市", "北京市", "", 2023},
			speaker: "殷勇", office: "市长", meeting: "第十六届人民代表大会第一次会议", encoding: "UTF-8", reports: 1,
		}},
		{"ambiguous.txt", want{
			meta:     meta{LevelDistrict, "", "", "", 2023},
			encoding: "UTF-8", reports: 1, warning: "新城区 exists in",
		}},
		{"two_counties.txt", want{
			meta:     meta{LevelDistrict, "湖南省", "长沙市", "长沙县", 2020},
			encoding: "UTF-8", reports: 2,
		}},
	}
	fsys := os.DirFS("testdata/synthetic")
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rs := parseFile(t, fsys, tt.file)
			if len(rs) != tt.want.reports {
				t.Fatalf("%d reports, want %d", len(rs), tt.want.reports)
			}
			r := rs[0]
			if got := metaOf(r); got != tt.want.meta {
				t.Errorf("meta = %+v, want %+v", got, tt.want.meta)
			}
			if r.Speaker != tt.want.speaker || r.Office != tt.want.office || r.Meeting != tt.want.meeting || r.Encoding != tt.want.encoding {
				t.Errorf("speaker, office, meeting, encoding = %q, %q, %q, %q, want %q, %q, %q, %q",
					r.Speaker, r.Office, r.Meeting, r.Encoding, tt.want.speaker, tt.want.office, tt.want.meeting, tt.want.encoding)
			}
			hasWarning := slices.ContainsFunc(r.Warnings, func(w string) bool { return tt.want.warning != "" && strings.Contains(w, tt.want.warning) })
			if (tt.want.warning == "" && len(r.Warnings) > 0) || (tt.want.warning != "" && !hasWarning) {
				t.Errorf("warnings %q, want %q", r.Warnings, tt.want.warning)
			}
			checkAbsent(t, r, tt.want.absent)
			for _, s := range tt.want.present {
				if n := len(paragraphsWith(r, s)); n != 1 {
					t.Errorf("%q in %d paragraphs, want 1", s, n)
				}
			}
			for s, want := range tt.want.headings {
				ps := paragraphsWith(r, s)
				if len(ps) != 1 || !slices.Equal(ps[0].Heading, want) {
					t.Errorf("heading path of %q = %v, want %q", s, ps, want)
				}
			}
			for s, want := range tt.want.sections {
				ps := paragraphsWith(r, s)
				if len(ps) != 1 || ps[0].Section != want {
					t.Errorf("section of %q = %v, want %s", s, ps, want)
				}
			}
		})
	}
	t.Run("two_counties.txt second", func(t *testing.T) {
		rs := parseFile(t, fsys, "two_counties.txt")
		if got, want := metaOf(rs[1]), (meta{LevelDistrict, "贵州省", "毕节市", "金沙县", 2020}); got != want || rs[1].Part != 1 {
			t.Errorf("second report meta = %+v part %d, want %+v part 1", got, rs[1].Part, want)
		}
	})
}

// failingFS makes one file unreadable, as a file without read permission
// is (tests run as root, where chmod does not stop reading).
type failingFS struct {
	fs.FS
	bad string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

// TestBadInput: each bad file gets one problem naming it and the reason;
// every other file is still read.
func TestBadInput(t *testing.T) {
	good, err := os.ReadFile("testdata/synthetic/yixing_1997.txt")
	if err != nil {
		t.Fatal(err)
	}
	huge := bytes.Repeat([]byte("政"), 50<<20/3+1) // 50 MB, one line
	tests := []struct {
		name   string
		data   []byte
		reason string // in the problem
		is     error  // what Parse wraps, nil for unreadable
	}{
		{"binary.txt", append([]byte("PK\x03\x04\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 500)...), "binary", ErrBinary},
		{"empty.txt", nil, "empty", ErrEmpty},
		{"blank.md", []byte(" \r\n\t\n　"), "empty", ErrEmpty},
		{"huge.txt", huge, "too large", ErrTooLarge},
		{"long_line.txt", bytes.Repeat([]byte("报告"), 400000), "line too long", ErrLineTooLong},
		{"undecodable.txt", bytes.Repeat([]byte{0xff, 0x80, 0xfe}, 2000), "no supported encoding", ErrUndecodable},
		{"only_furniture.html", []byte("<html><body><div>首页 | 新闻 | 政务公开 | 联系我们</div><p>版权所有：某某网</p><p>京ICP备12345号</p></body></html>"), "no report text", ErrNoReportText},
		{"unreadable.txt", good, "unreadable: permission denied", nil},
	}
	mfs := fstest.MapFS{
		"in/good.txt":       {Data: good},
		"in/sub/also.md":    {Data: good},
		"in/notes.xls":      {Data: []byte("%PDF-1.4")}, // not a report file: ignored (a broken .pdf is a problem: see package extract)
		"in/.hidden/x.txt":  {Data: []byte{0}},          // hidden directory: skipped
		"in/README.TXT.bak": {Data: []byte{0}},
	}
	for _, tt := range tests {
		mfs["in/"+tt.name] = &fstest.MapFile{Data: tt.data}
	}
	var read []string
	problems, err := Load(failingFS{mfs, "in/unreadable.txt"}, "in", func(r *Report) error {
		read = append(read, r.Path)
		return nil
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if want := []string{"good.txt", "sub/also.md"}; !slices.Equal(read, want) {
		t.Errorf("reports read from %q, want %q", read, want)
	}
	if len(problems) != len(tests) {
		t.Errorf("%d problems, want %d: %v", len(problems), len(tests), problems)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := slices.IndexFunc(problems, func(p Problem) bool { return p.Path == tt.name })
			if i < 0 {
				t.Fatalf("no problem for %s in %v", tt.name, problems)
			}
			if !strings.Contains(problems[i].Reason, tt.reason) {
				t.Errorf("problem %q, want it to say %q", problems[i], tt.reason)
			}
			if tt.is != nil {
				if _, err := Parse(tt.name, tt.data); !errors.Is(err, tt.is) {
					t.Errorf("Parse(%s) error %v, want %v", tt.name, err, tt.is)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	mfs := fstest.MapFS{"a.txt": {Data: []byte("2020年长沙县政府工作报告\n现在，我代表县人民政府向大会报告工作，请予审议。\n")}, "b.txt": {Data: []byte("x")}}
	stop := errors.New("stop here")
	n := 0
	_, err := Load(mfs, ".", func(*Report) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Load with failing fn: err %v after %d reports, want %v after 1", err, n, stop)
	}
	if _, err := Load(mfs, "missing", func(*Report) error { return nil }); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Load of a missing root: err %v, want one naming it", err)
	}
}

// TestDecode covers the encodings a report may come in.
func TestDecode(t *testing.T) {
	const text = "2023年政府工作报告\n各位代表：\n"
	utf16le := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = []byte{0xff, 0xfe}
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	utf16be := func(s string, bom bool) []byte {
		var b []byte
		if bom {
			b = []byte{0xfe, 0xff}
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	gbk := []byte{0x32, 0x30, 0x32, 0x33, 0xc4, 0xea, 0xd5, 0xfe, 0xb8, 0xae, 0xb9, 0xa4, 0xd7, 0xf7, 0xb1, 0xa8, 0xb8, 0xe6, 0x0a, 0xb8, 0xf7, 0xce, 0xbb, 0xb4, 0xfa, 0xb1, 0xed, 0xa3, 0xba, 0x0a}
	tests := []struct {
		name     string
		data     []byte
		html     bool
		encoding string
		replaced int
	}{
		{"utf8", []byte(text), false, "UTF-8", 0},
		{"utf8 bom", append([]byte{0xef, 0xbb, 0xbf}, text...), false, "UTF-8 (BOM)", 0},
		{"utf16le bom", utf16le(text, true), false, "UTF-16LE", 0},
		{"utf16be bom", utf16be(text, true), false, "UTF-16BE", 0},
		{"utf16le ascii-rich no bom", utf16le("Report 2023\r\n"+text+"ABC 123\r\n", false), false, "UTF-16LE", 0},
		{"utf16le chinese no bom", utf16le("政府工作报告\n各位代表：\n", false), false, "UTF-16LE", 0},
		{"utf16be chinese no bom", utf16be("政府工作报告\n各位代表：\n", false), false, "UTF-16BE", 0},
		{"gbk", gbk, false, "GB18030", 0},
		{"gbk html meta", append([]byte(`<meta charset="gbk">`), gbk...), true, "GB18030", 0},
		{"utf8 cut mid-character", append([]byte(text), 0xe6, 0x94), false, "UTF-8", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := decode(tt.data, tt.html)
			if err != nil {
				t.Fatal(err)
			}
			if d.encoding != tt.encoding || d.replaced != tt.replaced {
				t.Errorf("decode = %s with %d replaced, want %s with %d", d.encoding, d.replaced, tt.encoding, tt.replaced)
			}
			if !strings.Contains(d.text, "政府工作报告") && !tt.html {
				t.Errorf("decoded text %q", d.text)
			}
		})
	}
}

// TestFurnitureRules lists single lines of page furniture from many kinds
// of sites, and report lines that share their words but must stay.
func TestFurnitureRules(t *testing.T) {
	furniture := []string{
		"责任编辑：张三", "【我要纠错】责任编辑：李四", "来源：人民日报", "发布时间：2021-03-05 09:00", "信息来源：县政府办 发布日期：2020-01-02",
		"扫一扫在手机打开当前页", "分享到：", "【打印本页】【关闭窗口】", "字号：大 中 小", "【大】【中】【小】",
		"当前位置：首页 > 政务公开 > 计划总结", "首页 > 新闻 > 正文", "网站首页 | 机构设置 | 政务公开 | 办事服务",
		"版权所有：某某市人民政府", "Copyright © 2008-2024 All Rights Reserved", "苏ICP备12345678号-1", "浙公网安备 33010602000001号", "网站标识码：3301000001",
		"上一篇：关于印发…的通知", "下一篇：2022年县政府工作报告", "相关阅读", "签到天数: 12 天", "发表于 2023-4-25 20:35:43", "回复: 3", "积分", "- 帖子",
		"（新华社北京3月5日电）", "附件：2023年民生实事一览表.docx", "https://www.example.gov.cn/art/2023/1/5/art_1.html", "———————", "×",
		"本帖最后由 admin 于 2023-1-5 10:00 编辑", "【返回】", "All Rights Reserved", "索引号：11440300MB2C92050R/2023-00123",
		"(编辑：张三)", "地址：某某市人民路1号 邮编：518000", "展开全文", "1．附件1：有关名词解释.doc", "分享：",
		"首页 政务公开 办事服务 互动交流 专题专栏", "— 12 —",
		"原创 某某发布 2023-01-05 18:00 发表于广东", "收录于合集 #政府工作报告 12个", "在看", "写留言",
		"声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。", "第1页/共20页", "文档贡献者", "来自iPhone客户端",
	}
	keep := []string{
		"全面推进无障碍环境建设，开通政务服务客户端。", "推行积分落户制度，完善居住证积分管理办法。", "各位代表！",
		"一、2022年工作回顾", "（三）加快建设版权保护示范城市", "2023年呼和浩特市新城区政府工作报告", "——2023年1月5日在新城区第十八届人民代表大会第二次会议上",
		"新城区人民政府代区长  殷树刚", "各位代表：", "来源于人民、服务于人民，是政府工作的根本遵循。",
		"（三）推广政务服务二维码", "2.完善纠错机制", "2023年呼和浩特市新城区政府工作报告（全文）",
		"序号 项目名称 完成情况 牵头单位", "政 府 工 作 报 告",
		"习近平总书记的重要讲话发表于《求是》杂志，为我们指明了方向。", "赞助企业",
	}
	for _, s := range furniture {
		ls := []srcLine{{text: s}}
		classify(ls)
		if ls[0].kind != kindChrome && !ls[0].weak() {
			t.Errorf("%q: kind %d, want page furniture", s, ls[0].kind)
		}
	}
	for _, s := range keep {
		ls := []srcLine{{text: s}}
		classify(ls)
		if ls[0].kind == kindChrome {
			t.Errorf("%q taken for page furniture", s)
		}
	}
}

// TestOffsets: every paragraph's offset points at its text in the decoded
// file, so a hit can be cited.
func TestOffsets(t *testing.T) {
	check := func(t *testing.T, fsys fs.FS, name string) {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		isHTML := strings.HasSuffix(name, ".html")
		dec, err := decode(data, isHTML)
		if err != nil {
			t.Fatal(err)
		}
		src := []rune(dec.text)
		rs, err := Parse(name, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			for i, p := range r.Paragraphs {
				text := []rune(p.Text)
				n := min(len(text), 8) // a hard-wrapped paragraph is joined from several lines
				if isHTML {
					n = 1 // markup and entities sit between the characters of a line
				}
				if p.Offset+n > len(src) || string(src[p.Offset:p.Offset+n]) != string(text[:n]) {
					t.Fatalf("%s part %d paragraph %d: offset %d does not point at %q", name, r.Part, i+1, p.Offset, p.Text)
				}
				if i > 0 && p.Offset <= r.Paragraphs[i-1].Offset && r.Duplicates == 0 {
					t.Errorf("%s paragraph %d: offset %d not after the previous one", name, i+1, p.Offset)
				}
			}
		}
	}
	reports, err := fs.Sub(Bundled, "reports")
	if err != nil {
		t.Fatal(err)
	}
	for _, fsys := range []fs.FS{reports, os.DirFS("testdata/synthetic")} {
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && IsReportFile(p) {
				check(t, fsys, p)
			}
			return err
		})
	}
}

// TestBundledMatchesReports keeps the embedded archive equal to
// corpus/reports; run go generate ./corpus/ when it fails.
func TestBundledMatchesReports(t *testing.T) {
	var onDisk, inZip []string
	fs.WalkDir(os.DirFS("reports"), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			onDisk = append(onDisk, p)
		}
		return err
	})
	sub, _ := fs.Sub(Bundled, "reports")
	err := fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		inZip = append(inZip, p)
		a, err1 := fs.ReadFile(sub, p)
		b, err2 := os.ReadFile(path.Join("reports", p))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("bundled %s differs from reports/%s (%v, %v): run go generate ./corpus/", p, p, err1, err2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(onDisk, inZip) {
		t.Errorf("bundled files %d, reports/ %d: run go generate ./corpus/", len(inZip), len(onDisk))
	}
}

// BenchmarkLoadBundled parses the whole bundled corpus.
func BenchmarkLoadBundled(b *testing.B) {
	var size int64
	fs.WalkDir(Bundled, "reports", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && IsReportFile(p) {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return err
	})
	b.SetBytes(size)
	for b.Loop() {
		n := 0
		if _, err := Load(Bundled, "reports", func(*Report) error { n++; return nil }); err != nil || n == 0 {
			b.Fatalf("Load: %v, %d reports", err, n)
		}
	}
}

// TestSections classifies the main headings of reports of many styles.
func TestSections(t *testing.T) {
	tests := []struct {
		name     string
		headings []string // each followed by one paragraph of text in the report
		want     []string // section of each heading's paragraph
	}{
		{"numbered with years", []string{"一、2022年工作回顾", "二、2023年工作安排", "三、全面加强政府自身建设", "名词解释"},
			[]string{SectionReview, SectionPlan, SectionSelf, SectionGlossary}},
		{"unnumbered parts", []string{"2013年工作回顾", "一、经济发展", "2014年工作安排", "一、深化改革"},
			[]string{SectionReview, SectionReview, SectionPlan, SectionPlan}},
		{"关于 years", []string{"一、关于2019年工作", "二、关于2020年工作"}, []string{SectionReview, SectionPlan}},
		{"主要工作 by year", []string{"一、2022年的主要工作", "二、2023年的主要工作"}, []string{SectionReview, SectionPlan}},
		{"five-year", []string{"一、过去五年工作回顾", "二、今后五年的目标任务", "三、2018年工作建议"}, []string{SectionReview, SectionPlan, SectionPlan}},
		{"self inside the plan", []string{"二、2023年工作安排", "（一）扩大有效投资", "（十）加强政府自身建设"}, []string{SectionPlan, SectionPlan, SectionSelf}},
		{"self inside the review stays review", []string{"一、2022年工作回顾", "（八）政府自身建设取得实效"}, []string{SectionReview, SectionReview}},
		{"markdown", []string{"# 元宝山区2023年工作回顾", "# 2024年工作目标与任务", "## 一、经济增长目标", "# 加强政府自身建设"},
			[]string{SectionReview, SectionPlan, SectionPlan, SectionSelf}},
		{"1990s", []string{"一、一九九六年工作回顾", "二、一九九七年的主要任务"}, []string{SectionReview, SectionPlan}},
		{"traditional", []string{"一、2018年工作回顧", "二、2019年主要工作任務", "三、持續加強政府自身建設"}, []string{SectionReview, SectionPlan, SectionSelf}},
		{"chapters", []string{"第一部分 2022年工作回顾", "第二部分 2023年工作安排"}, []string{SectionReview, SectionPlan}},
		{"glossary variants", []string{"一、2022年工作回顾", "附：名词解释"}, []string{SectionReview, SectionGlossary}},
		{"appendix is other", []string{"二、2023年工作安排", "附件"}, []string{SectionPlan, SectionOther}},
		{"by year alone", []string{"一、接续奋斗、砥砺前行，2023年经济社会高质量发展迈出坚实步伐", "二、把握关键、突出重点，统筹抓好2024年政府工作"},
			[]string{SectionReview, SectionPlan}},
		{"a lone year names nothing", []string{"一、奋力推进2024年经济社会发展"}, []string{SectionOther}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("各位代表：\n")
			for i, h := range tt.headings {
				b.WriteString(h + "\n")
				b.WriteString("第" + string(rune('一'+0)) + "段正文，内容与标题无关，用于检查段落所属部分。" + string(rune('A'+i)) + "\n")
			}
			rs, err := Parse("t.md", []byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rs[0].Paragraphs {
				if !p.IsHeading && strings.HasPrefix(p.Text, "第一段正文") {
					got = append(got, p.Section)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sections %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWeakPlaceCues: when no title, meeting or speaker line names the
// government, the folders of the path and then a name the body keeps
// repeating are used, each with its evidence noted.
func TestWeakPlaceCues(t *testing.T) {
	body := "政府工作报告\n各位代表：\n现在，我代表区人民政府向大会报告工作，请予审议。\n一、2015年工作回顾\n过去一年，全区地区生产总值增长7%，城乡居民收入稳步增长。\n"
	tests := []struct {
		name, path, text string
		want             meta
		warning          string
	}{
		{"folder", "内蒙古/海拉尔区/2016.txt", body, meta{LevelDistrict, "内蒙古自治区", "呼伦贝尔市", "海拉尔区", 2016}, ""},
		{"body", "2016.txt", body + "莲湖区坚持稳中求进，莲湖区的老城更新加快推进，莲湖区营商环境持续改善。\n", meta{LevelDistrict, "陕西省", "西安市", "莲湖区", 2016}, "names 莲湖区 3 times"},
		{"nothing", "2016.txt", body, meta{LevelDistrict, "", "", "", 2016}, "district unknown"},
		{"anonymised body", "2016.txt", strings.Replace(body, "政府工作报告", "2016年XX区政府工作报告", 1) + "莲湖区、莲湖区、莲湖区\n", meta{LevelDistrict, "", "", "", 2016}, "anonymised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Parse(tt.path, []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			if got := metaOf(r); got != tt.want {
				t.Errorf("meta = %+v, want %+v", got, tt.want)
			}
			ok := tt.warning == "" && len(r.Warnings) == 0 || tt.warning != "" && slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, tt.warning) })
			if !ok {
				t.Errorf("warnings %q, want %q", r.Warnings, tt.warning)
			}
		})
	}
}
