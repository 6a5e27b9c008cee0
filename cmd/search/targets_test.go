package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
)

func TestTargets(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	rep := func(id string, year int, review, plan string) index.Report {
		return index.Report{ID: id, Path: id + ".txt", Level: "district", Province: "广东省", City: "深圳市", District: "南山区", Year: year,
			Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作回顾", Text: review}, {Ordinal: 2, Section: "工作安排", Text: plan}}}
	}
	if err := index.BuildReports(dir, []index.Report{
		rep("a", 2023, "地区生产总值增长6.1%。", "主要预期目标是：地区生产总值增长7%左右，一般公共预算收入增长5%。"),
		rep("b", 2024, "地区生产总值增长5.2%。", "主要预期目标是：地区生产总值增长6%左右。"),
	}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
		not  []string
	}{
		{"text", nil, 0, []string{"广东省深圳市南山区  2023  地区生产总值 (growth)  target 7%左右  achieved 5.2%   a.txt ¶2 b.txt ¶1"}, nil},
		{"indicator by synonym", []string{"-indicator", "GDP"}, 0, []string{"target 6%左右"}, []string{"一般公共预算收入"}},
		{"csv", []string{"-csv"}, 0, []string{"\ufeffprovince,city,district", "广东省,深圳市,南山区,district,2023,地区生产总值,growth,7%左右,a.txt ¶2,5.2%,b.txt ¶1"}, nil},
		{"json", []string{"-json", "-district", "南山区"}, 0, []string{`"year":2023,"indicator":"地区生产总值"`}, nil},
		{"other district", []string{"-district", "福田区"}, 0, nil, []string{"南山区"}},
		{"both formats", []string{"-json", "-csv"}, 2, []string{"choose one"}, nil},
		{"argument", []string{"extra"}, 2, []string{"unexpected argument"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			code := targetsCmd(context.Background(), append([]string{"-index", dir}, tc.args...), &out, &errw)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errw.String())
			}
			got := out.String()
			if tc.code != 0 {
				got = errw.String()
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(got, w) {
					t.Errorf("output has %q:\n%s", w, got)
				}
			}
		})
	}
}
