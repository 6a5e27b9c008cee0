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
	}{{"corpus/reports", os.DirFS("reports")}}
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
			if got[field] == want {
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
