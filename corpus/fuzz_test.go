package corpus

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParse: no input makes Parse panic, and every paragraph it returns is
// non-empty valid UTF-8 with an offset inside the file.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"reports/samples", "testdata/synthetic"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(filepath.Base(file), data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		reports, err := Parse(name, data)
		if err != nil {
			return
		}
		for _, r := range reports {
			for _, p := range r.Paragraphs {
				if p.Text == "" || !utf8.ValidString(p.Text) || p.Offset < 0 || p.Offset > len(data) {
					t.Fatalf("bad paragraph %+v", p)
				}
			}
		}
	})
}
