package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"two_counties.txt", "ambiguous.txt", "county_gbk.html"} {
		data, err := os.ReadFile(filepath.Join("testdata", "synthetic", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-dir")

	t.Run("json", func(t *testing.T) {
		var out bytes.Buffer
		problems, err := Inspect(&out, []string{dir, missing}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 2 || problems[0].Path != filepath.Join(dir, "empty.txt") || problems[1].Path != missing {
			t.Errorf("problems %v, want empty.txt and the missing dir, named by their path on disk", problems)
		}
		var records []map[string]any
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
			}
			records = append(records, m)
		}
		if len(records) != 4 {
			t.Fatalf("%d records, want 4 (two reports in two_counties.txt)", len(records))
		}
		for _, key := range []string{"path", "title", "level", "province", "city", "district", "year", "speaker", "meeting", "paragraphs", "sections", "dropped_lines", "duplicates", "warnings"} {
			if _, ok := records[0][key]; !ok {
				t.Errorf("record has no %q: %v", key, records[0])
			}
		}
		first := records[0]
		if first["path"] != "ambiguous.txt" || first["year"] != float64(2023) || len(first["warnings"].([]any)) != 1 {
			t.Errorf("first record %v", first)
		}
		if secs := first["sections"].(map[string]any); len(secs) != len(Sections) || secs[SectionReview] != float64(1) {
			t.Errorf("sections %v, want every canonical section, 工作回顾 1", secs)
		}
		if w := records[1]["warnings"]; w == nil {
			t.Error("warnings is null, want []")
		}
	})
	t.Run("table", func(t *testing.T) {
		var out bytes.Buffer
		problems, err := Inspect(&out, []string{dir}, false)
		if err != nil || len(problems) != 1 {
			t.Fatalf("Inspect: %v, problems %v", err, problems)
		}
		text := out.String()
		for _, want := range []string{"PATH", "two_counties.txt", "湖南省/长沙市/长沙县", "贵州省/毕节市/金沙县", "江西省/赣州市/安远县", "县长李华东",
			"warnings:", "ambiguous.txt#0: district name 新城区", "4 reports, 1 warnings, 1 files skipped"} {
			if !strings.Contains(text, want) {
				t.Errorf("table lacks %q:\n%s", want, text)
			}
		}
		lines := strings.Split(text, "\n")
		if w0, w1 := displayWidth(lines[0]), displayWidth(strings.TrimRight(lines[1], " ")); w1 > w0+2 {
			t.Errorf("columns not aligned:\n%s\n%s", lines[0], lines[1])
		}
	})
	t.Run("single file", func(t *testing.T) {
		var out bytes.Buffer
		problems, err := Inspect(&out, []string{filepath.Join(dir, "county_gbk.html")}, true)
		if err != nil || len(problems) != 0 || !strings.Contains(out.String(), `"district":"安远县"`) {
			t.Errorf("Inspect of one file: %v, %v, %s", err, problems, out.String())
		}
	})
}
