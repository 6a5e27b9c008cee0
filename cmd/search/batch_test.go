package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBatch(t *testing.T) {
	dir := testIndex(t)
	file := filepath.Join(t.TempDir(), "phrases.txt")
	if err := os.WriteFile(file, []byte("\ufeffquery\n放管服\n营商环境\n火星\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runSearch(t, "-index", dir, "-batch", file, "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), stdout)
	}
	for _, line := range lines {
		var row struct {
			Query     string `json:"query"`
			Total     int    `json:"total"`
			Reports   int    `json:"reports"`
			FirstYear int    `json:"first_year"`
			Years     []int  `json:"years"`
			YearKeys  []int  `json:"year_keys"`
			Provinces []int  `json:"provinces"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		_, out, _ := runSearch(t, "-index", dir, "-json", row.Query)
		var s struct{ Total int }
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if row.Total != s.Total || len(row.Years) != len(row.YearKeys) || len(row.Provinces) != 2 {
			t.Errorf("%s: %+v; search -json total %d", row.Query, row, s.Total)
		}
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"csv", []string{"-batch", file, "-csv"}, 0, "\ufeffquery,error,total,reports,places,first_year,2019,2023,广东省,辽宁省\n放管服,,3,2,2,2019,1,2,2,1\n"},
		{"missing file", []string{"-batch", filepath.Join(t.TempDir(), "none.txt")}, 2, "-batch"},
		{"query and batch", []string{"-batch", file, "放管服"}, 2, "no query arguments with -batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runSearch(t, append([]string{"-index", dir}, tc.args...)...)
			got := stdout
			if tc.code != 0 {
				got = stderr
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Errorf("exit %d, output %q; want exit %d and %q", code, got, tc.code, tc.want)
			}
		})
	}
}
