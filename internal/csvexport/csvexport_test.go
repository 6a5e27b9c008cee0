package csvexport

import (
	"reflect"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","点击")`, `'=HYPERLINK("http://x","点击")`},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"放管服", "放管服"},
		{"", ""},
		{"1=1", "1=1"},
		{" =1", " =1"},   // a leading space is not read as a formula
		{"＝1", "＝1"},     // nor a full-width equals sign
		{"'=1", "'=1"},   // already quoted: one apostrophe is enough
		{"\n=1", "\n=1"}, // a newline starts no formula
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRecord(t *testing.T) {
	h := index.Hit{Path: "=a.txt", Title: "报告", Province: "广东省", City: "深圳市", District: "南山区", Year: 2023,
		Section: "工作回顾", Heading: "-一、回顾", Paragraph: 3, Offset: 120, Page: 7, OCR: true, Text: "=HYPERLINK(\"x\")", Highlight: "ignored"}
	want := []string{"'=a.txt", "报告", "广东省", "深圳市", "南山区", "2023", "工作回顾", "'-一、回顾", "3", "120", "7", "true", "'=HYPERLINK(\"x\")"}
	if got := Record(h); !reflect.DeepEqual(got, want) {
		t.Errorf("Record = %q, want %q", got, want)
	}
	if len(Columns) != len(want) {
		t.Errorf("%d columns, %d cells", len(Columns), len(want))
	}
}
