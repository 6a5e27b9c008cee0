package corpus

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// truthFields are the columns of truth.csv compared with what Parse reads.
var truthFields = []string{"level", "province", "city", "district", "year"}

// minAccuracy is the share of reports each of province, city, district and
// year must get right.
const minAccuracy = 0.98

// TestTruth compares the metadata read from every file listed in truth.csv
// with the recorded values and prints the accuracy per field. It runs on
// corpus/reports and, when present, on ../shared/corpus of the workspace and
// on $ZHENGCE_TRUTH_DIR (any folder holding a truth.csv of the same form).
func TestTruth(t *testing.T) {
	sets := []struct {
		name string
		fsys fs.FS
	}{{"corpus/reports", os.DirFS("reports")}, {"corpus/testdata/outside", os.DirFS(filepath.Join("testdata", "outside"))}}
	for _, dir := range []string{filepath.Join("..", "..", "shared", "corpus"), os.Getenv("ZHENGCE_TRUTH_DIR")} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "truth.csv")); err == nil {
			sets = append(sets, struct {
				name string
				fsys fs.FS
			}{dir, os.DirFS(dir)})
		}
	}
	for _, set := range sets {
		t.Run(strings.ReplaceAll(set.name, "/", "_"), func(t *testing.T) {
			checkTruth(t, set.fsys)
		})
	}
}

func checkTruth(t *testing.T, fsys fs.FS) {
	f, err := fsys.Open("truth.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading truth.csv: %v", err)
	}
	col := make(map[string]int)
	for i, h := range rows[0] {
		col[h] = i
	}
	right := make(map[string]int)
	total := 0
	for _, row := range rows[1:] {
		p := row[col["path"]]
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		reports, err := Parse(p, data)
		if err != nil {
			t.Errorf("Parse(%s): %v", p, err)
			continue
		}
		total++
		r := reports[0]
		got := map[string]string{
			"level": r.Level, "province": r.Province, "city": r.City, "district": r.District,
			"year": strconv.Itoa(r.Year),
		}
		for _, field := range truthFields {
			want := row[col[field]]
			if truthMatches(field, want, got[field], r) {
				right[field]++
			} else {
				t.Logf("%s: %s = %q, want %q", p, field, got[field], want)
			}
		}
		if len(reports) != 1 {
			t.Errorf("%s: %d reports, want 1", p, len(reports))
		}
	}
	if total == 0 {
		t.Fatal("no report read")
	}
	var summary []string
	for _, field := range truthFields {
		acc := float64(right[field]) / float64(len(rows)-1)
		summary = append(summary, fmt.Sprintf("%s %.1f%%", field, 100*acc))
		if field != "level" && acc < minAccuracy {
			t.Errorf("%s accuracy %.1f%% (%d of %d), want at least %.0f%%", field, 100*acc, right[field], len(rows)-1, 100*minAccuracy)
		}
	}
	fmt.Printf("accuracy over %d reports: %s\n", len(rows)-1, strings.Join(summary, ", "))
}

// truthMatches compares one field of a truth row with what Parse read.
// truth.csv may name a district by its bare name (博野 for 博野县, 徐水 for
// 徐水县 and for 徐水区, which it became); Parse gives the full official name
// of the division the report is grouped under and keeps the name as
// written in DistrictAsWritten, and either, without its 县/区/市/旗, is the
// bare name. A municipality's own report has an empty city in truth.csv;
// the municipality as its city is equally right.
func truthMatches(field, want, got string, r *Report) bool {
	switch {
	case got == want:
		return true
	case field == "city" && want == "" && r.Level == LevelProvince && got == r.Province:
		return true
	case field == "district" && want != "" && !hasDivisionSuffix(want):
		for _, name := range []string{got, r.DistrictAsWritten} {
			if name != want && hasDivisionSuffix(name) && trimDivisionSuffix(name) == want {
				return true
			}
		}
	}
	return false
}

var divisionSuffixes = []string{"自治县", "自治旗", "县", "区", "市", "旗"}

func hasDivisionSuffix(s string) bool { return trimDivisionSuffix(s) != s }

func trimDivisionSuffix(s string) string {
	for _, suf := range divisionSuffixes {
		if t := strings.TrimSuffix(s, suf); t != s && utf8.RuneCountInString(t) >= 1 {
			return t
		}
	}
	return s
}
