package corpus

import (
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damages are the ways issue 9 found reports arriving, each applied to
// every bundled report: a rule tuned to a file cannot pass them all.
//
// min is the share of reports that must read as undamaged: all of them,
// but for two kinds whose known misses are stated (body only: the place of
// 4 of 115 bundled reports is not found from the body alone, where a
// district's stem is outnumbered by common words that are other stems,
// 新建, 振兴, 河北; news page:
// short table-cell lines right before a page's footer are taken for
// furniture in 4 of 116, and a line of a private-use character in 1).
var damages = []struct {
	name string
	min  float64
	// apply damages a report's text; body is true when what it keeps is the
	// body from 各位代表 on, so only those paragraphs are compared.
	apply func(text string) (damaged string, body bool)
}{
	{"json escapes", 1, func(s string) (string, bool) {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`).Replace(strings.TrimRight(s, "\n"))
		return strings.ReplaceAll(s, "\n", `\r\n`), false
	}},
	{"entities", 1, func(s string) (string, bool) {
		r := strings.NewReplacer("\u3000", "&#12288;", "“", "&ldquo;", "”", "&rdquo;", "\n", "&nbsp;\n")
		return r.Replace(s), false
	}},
	{"lost spaces", 1, func(s string) (string, bool) {
		return strings.ReplaceAll(s, "\u3000", "??"), false
	}},
	{"body only", 0.95, func(s string) (string, bool) {
		lines := strings.SplitAfter(s, "\n")
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimLeft(l, " \t\u3000\ufeff"), "各位代表") {
				return strings.Join(lines[i:], ""), true
			}
		}
		return "", false
	}},
	{"scraper header and abstract", 1, func(s string) (string, bool) {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		title := strings.TrimSpace(lines[0])
		var abstract string
		for _, l := range lines[1:] {
			if l = strings.TrimSpace(l); len([]rune(l)) > 80 {
				abstract = string([]rune(l)[:60]) + "……"
				break
			}
		}
		return "标题：" + title + "\n发文时间：\n来源URL：http://example.org/a/1.html\n内容摘要：" + abstract + "\n正文：\n" + s, false
	}},
	{"news page", 0.95, func(s string) (string, bool) {
		var b strings.Builder
		lines := strings.Split(strings.TrimSpace(s), "\n")
		b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(strings.TrimSpace(lines[0])) + "_某某县人民政府门户网站</title></head><body>\n")
		b.WriteString("<div class=\"nav\"><a href=\"/\">首页</a> | <a href=\"/xw\">新闻中心</a> | <a href=\"/zwgk\">政务公开</a></div>\n")
		b.WriteString("<div class=\"pos\">当前位置：首页 &gt; 政务公开 &gt; 政府工作报告</div>\n<div class=\"content\">\n")
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
			}
		}
		b.WriteString("</div>\n<div class=\"foot\">【打印本页】【关闭窗口】<br>版权所有：某某县人民政府办公室 备案号：冀ICP备00000000号</div>\n</body></html>\n")
		return b.String(), false
	}},
}

// TestDamageEveryBundledReport applies each damage to every bundled
// report and requires the same place, year and paragraph texts as the
// undamaged parse (the body's paragraphs where only the body is kept).
func TestDamageEveryBundledReport(t *testing.T) {
	var files []string
	err := filepath.WalkDir("reports", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no bundled reports: %v", err)
	}
	failed := map[string][]string{}
	tried := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		clean, err := Parse(filepath.Base(f), data)
		if err != nil || len(clean) != 1 {
			continue // files of several reports are checked by TestTruth
		}
		w := clean[0]
		dec, err := decode(data, false)
		if err != nil {
			t.Fatal(err)
		}
		text := dec.text
		for _, d := range damages {
			damaged, body := d.apply(text)
			if damaged == "" {
				continue
			}
			tried[d.name]++
			name := filepath.Base(f)
			if d.name == "news page" {
				name = strings.TrimSuffix(name, ".txt") + ".html"
			}
			got, err := Parse(name, []byte(damaged))
			why := ""
			switch {
			case err != nil:
				why = err.Error()
			case len(got) != 1:
				why = fmt.Sprintf("%d reports", len(got))
			default:
				why = sameReading(w, got[0], body)
			}
			if why != "" {
				failed[d.name] = append(failed[d.name], f+": "+why)
			}
		}
	}
	for _, d := range damages {
		n := d.name
		ok := tried[n] - len(failed[n])
		t.Logf("%-28s %3d of %3d read as undamaged (at least %.0f%% required)", n, ok, tried[n], 100*d.min)
		report := t.Logf
		if float64(ok) < d.min*float64(tried[n]) {
			report = t.Errorf
		}
		for _, f := range failed[n] {
			report("%s: %s", n, f)
		}
	}
}

// sameReading says how got differs from want, "" if it does not.
func sameReading(want, got *Report, body bool) string {
	if got.Province != want.Province || got.City != want.City || got.District != want.District || got.Year != want.Year {
		return fmt.Sprintf("place/year %s/%s/%s %d, want %s/%s/%s %d", got.Province, got.City, got.District, got.Year, want.Province, want.City, want.District, want.Year)
	}
	wp := want.Paragraphs
	if body {
		for i, p := range wp {
			if strings.HasPrefix(p.Text, "各位代表") {
				wp = wp[i:]
				break
			}
		}
	}
	n := min(len(got.Paragraphs), len(wp))
	for i := 0; i < n; i++ {
		if g := got.Paragraphs[i].Text; !sameText(g, wp[i].Text) {
			return fmt.Sprintf("%d paragraphs, want %d; first difference at %d: %q, want %q", len(got.Paragraphs), len(wp), i+1, g, wp[i].Text)
		}
	}
	if len(got.Paragraphs) != len(wp) {
		return fmt.Sprintf("%d paragraphs, want %d", len(got.Paragraphs), len(wp))
	}
	return ""
}

// sameText compares paragraph texts as a reader sees them: a run of white
// space is one space (HTML collapses tabs and runs of spaces).
func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}
