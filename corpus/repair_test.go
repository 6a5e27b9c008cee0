package corpus

import (
	"strconv"
	"strings"
	"testing"
)

// TestRepairs: damage that is almost right is repaired, and the report
// reads as the undamaged one.
func TestRepairs(t *testing.T) {
	clean := "2020年易县政府工作报告\n各位代表：\n现在，我代表易县人民政府向大会报告工作，请予审议。\n一、2019年工作回顾\n过去的一年，全县经济保持平稳增长，地区生产总值增长百分之六，财政收入稳步提高。\n"
	tests := []struct{ name, text string }{
		{"json escapes", strings.ReplaceAll(strings.TrimSuffix(clean, "\n"), "\n", `\r\n`)},
		{"entities", strings.ReplaceAll(clean, "\n", "&nbsp;\n")},
		{"lost spaces", strings.ReplaceAll(clean, "\n各位", "\n??各位")},
		{"nul byte", strings.Replace(clean, "全县", "全\x00县", 1)},
		{"scraper header", "标题：2020年易县政府工作报告\n发文单位：易县人民政府\n来源URL：http://example.org/1\n正文：\n" + clean},
	}
	want, err := Parse("clean.txt", []byte(clean))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("damaged.txt", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("%d reports, want 1", len(got))
			}
			g, w := got[0], want[0]
			if g.District != w.District || g.Year != w.Year || g.Province != w.Province {
				t.Errorf("place/year %s %s %d, want %s %s %d", g.Province, g.District, g.Year, w.Province, w.District, w.Year)
			}
			if len(g.Paragraphs) != len(w.Paragraphs) {
				t.Fatalf("%d paragraphs, want %d", len(g.Paragraphs), len(w.Paragraphs))
			}
			for i := range g.Paragraphs {
				if strings.TrimSpace(g.Paragraphs[i].Text) != w.Paragraphs[i].Text {
					t.Errorf("paragraph %d = %q, want %q", i+1, g.Paragraphs[i].Text, w.Paragraphs[i].Text)
				}
			}
		})
	}
}

// TestBoundedParagraphs: one over-long line becomes paragraphs of bounded size.
func TestBoundedParagraphs(t *testing.T) {
	defer func(n int) { maxParagraphRunes = n }(maxParagraphRunes)
	maxParagraphRunes = 100
	var b strings.Builder
	for i := 0; b.Len() < 30000; i++ {
		b.WriteString("报告第" + strconv.Itoa(i) + "段")
	}
	long := b.String()
	text := "政府工作报告\n" + long + "\n"
	rs, err := Parse("long.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range rs[0].Paragraphs {
		if l := len([]rune(p.Text)); l > maxParagraphRunes {
			t.Fatalf("paragraph of %d runes", l)
		}
		if p.Text != "政府工作报告" {
			n += len([]rune(p.Text))
		}
	}
	if want := len([]rune(long)); n != want {
		t.Errorf("%d runes kept, want all %d", n, want)
	}
}
