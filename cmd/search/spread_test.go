package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestSpread(t *testing.T) {
	dir := testIndex(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"districts, earliest first", []string{"放管服"}, 0, []string{"3 paragraphs in 2 reports; 2 places (区县) used it", "2019  西市区  yk/2019.txt ¶1", "2023  南山区  sz/2023南山.txt ¶1"}},
		{"provinces", []string{"-level", "province", "营商环境"}, 0, []string{"1 paragraphs in 1 reports; 1 places (省份) used it", "2023  广东省"}},
		{"bad level", []string{"-level", "village", "放管服"}, 2, []string{"-level", "village"}},
		{"bad query", []string{"(放管服"}, 2, []string{"search spread:"}},
		{"no query", []string{}, 2, []string{"no query"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errw bytes.Buffer
			code := spreadCmd(context.Background(), append([]string{"-index", dir}, tc.args...), &out, &errw)
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
		})
	}
}

func TestSpreadJSONTotalIsSearchTotal(t *testing.T) {
	dir := testIndex(t)
	var out, errw bytes.Buffer
	if code := spreadCmd(context.Background(), []string{"-index", dir, "-json", "放管服"}, &out, &errw); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	var res struct {
		Total     int `json:"total"`
		FirstUses []struct {
			Year int    `json:"year"`
			Text string `json:"text"`
		} `json:"first_uses"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := runSearch(t, "-index", dir, "-json", "放管服")
	var s struct{ Total int }
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if res.Total != s.Total || len(res.FirstUses) != 2 || res.FirstUses[0].Year != 2019 || !strings.Contains(res.FirstUses[0].Text, "放管服") {
		t.Errorf("spread %+v; search total %d", res, s.Total)
	}
}
