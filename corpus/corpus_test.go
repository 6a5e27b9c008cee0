package corpus

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenReport is what a golden file records of a report: its metadata and
// a short form of every paragraph.
type goldenReport struct {
	InspectRecord
	Paragraphs []goldenParagraph `json:"paragraph_list"`
}

type goldenParagraph struct {
	Ordinal   int      `json:"n"`
	Offset    int      `json:"offset"`
	Section   string   `json:"section"`
	IsHeading bool     `json:"heading,omitempty"`
	Heading   []string `json:"path,omitempty"`
	Text      string   `json:"text"` // first characters
}

func golden(reports []*Report) []goldenReport {
	var out []goldenReport
	for _, r := range reports {
		g := goldenReport{InspectRecord: r.Record("")}
		g.InspectRecord.Paragraphs = len(r.Paragraphs)
		for _, p := range r.Paragraphs {
			t := []rune(p.Text)
			if len(t) > 24 {
				t = append(t[:24], '…')
			}
			g.Paragraphs = append(g.Paragraphs, goldenParagraph{p.Ordinal, p.Offset, p.Section, p.IsHeading, p.Heading, string(t)})
		}
		out = append(out, g)
	}
	return out
}

// assertGolden compares got with testdata/golden/<test name>/<name>.json,
// rewriting the file under -update.
func assertGolden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	file := filepath.Join("testdata", "golden", strings.Split(t.Name(), "/")[0], name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./corpus -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("%s differs from the golden file; run go test ./corpus -run %s -update and review the diff:\n%s",
			name, t.Name(), firstDiff(string(want), string(data)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, w, g)
		}
	}
	return ""
}

func parseFile(t *testing.T, fsys fs.FS, name string) []*Report {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	reports, err := Parse(path.Base(name), data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return reports
}

var samples = mustGlob("reports/samples/*.txt")

func mustGlob(pattern string) []string {
	m, err := filepath.Glob(pattern)
	if err != nil || len(m) == 0 {
		panic(fmt.Sprintf("no files match %s: %v", pattern, err))
	}
	return m
}

// TestSamplesGolden records everything Parse reads from the five samples.
func TestSamplesGolden(t *testing.T) {
	for _, f := range samples {
		name := filepath.Base(f)
		t.Run(name[:3], func(t *testing.T) {
			assertGolden(t, strings.TrimSuffix(name, ".txt"), golden(parseFile(t, os.DirFS("."), f)))
		})
	}
}

type meta struct {
	Level, Province, City, District string
	Year                            int
}

func metaOf(r *Report) meta { return meta{r.Level, r.Province, r.City, r.District, r.Year} }

func paragraphsWith(r *Report, s string) []Paragraph {
	var out []Paragraph
	for _, p := range r.Paragraphs {
		if strings.Contains(p.Text, s) {
			out = append(out, p)
		}
	}
	return out
}

func checkAbsent(t *testing.T, r *Report, words []string) {
	t.Helper()
	for _, w := range words {
		for _, p := range paragraphsWith(r, w) {
			t.Errorf("paragraph %d holds page furniture %q: %s", p.Ordinal, w, p.Text)
		}
	}
}

// TestSamples checks what the issue asks of each sample.
func TestSamples(t *testing.T) {
	read := func(t *testing.T, prefix string) []*Report {
		for _, f := range samples {
			if strings.HasPrefix(filepath.Base(f), prefix) {
				return parseFile(t, os.DirFS("."), f)
			}
		}
		t.Fatalf("no sample %s", prefix)
		return nil
	}
	t.Run("002 forum", func(t *testing.T) {
		rs := read(t, "002")
		if len(rs) != 1 {
			t.Fatalf("%d reports, want 1", len(rs))
		}
		r := rs[0]
		if got, want := metaOf(r), (meta{LevelDistrict, "内蒙古自治区", "呼和浩特市", "新城区", 2023}); got != want {
			t.Errorf("meta = %+v, want %+v", got, want)
		}
		if r.Speaker != "殷树刚" || r.Office != "代区长" || r.Meeting != "第十八届人民代表大会第二次会议" {
			t.Errorf("speaker, office, meeting = %q, %q, %q", r.Speaker, r.Office, r.Meeting)
		}
		entries := 0
		for _, p := range r.Paragraphs {
			if p.Section == SectionGlossary && !p.IsHeading {
				entries++
			}
		}
		if entries != 18 {
			t.Errorf("%d 名词解释 entries, want 18", entries)
		}
		checkAbsent(t, r, []string{"签到", "积分", "回帖", "发表于", "立即注册", "每日心情", "帖子", "版主", "Rank", "复制链接", "客服", "Powered", "快速回复", "返回顶部", "设为首页", "查看:", "[内蒙古]"})
		if r.Title != "2023年呼和浩特市新城区政府工作报告" {
			t.Errorf("title = %q", r.Title)
		}
	})
	t.Run("003 site navigation", func(t *testing.T) {
		rs := read(t, "003")
		r := rs[0]
		if got, want := metaOf(r), (meta{LevelDistrict, "山西省", "晋城市", "城区", 2023}); got != want || len(rs) != 1 {
			t.Errorf("%d reports, meta = %+v, want 1, %+v", len(rs), got, want)
		}
		checkAbsent(t, r, []string{"首页", "当前位置", "中国政府网", "网站支持", "无障碍", "发布时间", "信息来源", "关于我们", "网站地图", "举报", "主办", "ICP", "网站标识码"})
		if n := len(paragraphsWith(r, "政府工作报告")); n != 1 {
			t.Errorf("%d paragraphs hold the title, want 1 (the page title repeats it)", n)
		}
	})
	t.Run("004 traditional", func(t *testing.T) {
		rs := read(t, "004")
		r := rs[0]
		if got, want := metaOf(r), (meta{LevelDistrict, "辽宁省", "营口市", "西市区", 2019}); got != want || len(rs) != 1 {
			t.Errorf("%d reports, meta = %+v, want 1, %+v", len(rs), got, want)
		}
		if r.Paragraphs[0].Text != "2019年營口市西市區政府工作報告" {
			t.Errorf("first paragraph %q, want the title as written", r.Paragraphs[0].Text)
		}
		if len(paragraphsWith(r, "一、2018年工作回顧")) != 1 || len(paragraphsWith(r, "??偼顿Y")) != 1 {
			t.Error("traditional text or its mojibake not kept verbatim")
		}
		checkAbsent(t, r, []string{"每日心情", "簽到", "積分", "版主", "3485"})
		if r.Speaker != "孫興寧" || r.Office != "區長" {
			t.Errorf("speaker, office = %q, %q, want them as written", r.Speaker, r.Office)
		}
	})
	t.Run("000 repeated blocks", func(t *testing.T) {
		rs := read(t, "000")
		r := rs[0]
		if got := metaOf(r); got.Province != "内蒙古自治区" || got.City != "赤峰市" || got.District != "元宝山区" || got.Level != LevelDistrict {
			t.Errorf("meta = %+v", got)
		}
		if r.Duplicates == 0 {
			t.Error("no duplicates counted")
		}
		seen := make(map[string]int)
		for _, p := range r.Paragraphs {
			if !p.IsHeading && utf8.RuneCountInString(p.Text) >= minDuplicateRunes {
				seen[norm.String(p.Text)]++
			}
		}
		for text, n := range seen {
			if n > 1 {
				t.Errorf("%d copies of %s", n, text)
			}
		}
		for _, s := range []string{"经济发展势头强劲", "# 2024年工作目标与任务", "## 一、经济增长目标"} {
			if n := len(paragraphsWith(r, s)); n != 1 {
				t.Errorf("%q in %d paragraphs, want 1", s, n)
			}
		}
		if n := len(paragraphsWith(r, "2. **任务与措施**")); n != 3 {
			t.Errorf("%d 任务与措施 headings, want 3 (one per goal: same words, different parents)", n)
		}
		checkAbsent(t, r, []string{"评论"})
	})
	t.Run("001 two reports", func(t *testing.T) {
		rs := read(t, "001")
		if len(rs) != 2 {
			t.Fatalf("%d reports, want 2", len(rs))
		}
		tail, next := rs[0], rs[1]
		if next.Title != "2024年XX区政府工作报告" || next.Part != 1 || next.Year != 2024 || next.District != "" || next.Level != LevelDistrict {
			t.Errorf("second report: title %q part %d year %d district %q level %q", next.Title, next.Part, next.Year, next.District, next.Level)
		}
		if !slices.ContainsFunc(next.Warnings, func(w string) bool { return strings.Contains(w, "XX区") }) {
			t.Errorf("second report warnings %q, want one naming XX区", next.Warnings)
		}
		if len(paragraphsWith(tail, "XX区")) != 0 || len(paragraphsWith(next, "三、政府自身建设")) != 0 {
			t.Error("the two reports share text")
		}
		if tail.Paragraphs[0].Offset >= next.Paragraphs[0].Offset {
			t.Error("offsets out of order")
		}
		checkAbsent(t, tail, []string{"第3/21页", "下一篇"})
		checkAbsent(t, next, []string{"第3/21页", "下一篇"})
		if tail.District != "" || tail.Year != 0 || len(tail.Warnings) == 0 {
			t.Errorf("tail fragment: district %q year %d warnings %q; nothing in it says where or when", tail.District, tail.Year, tail.Warnings)
		}
	})
}
