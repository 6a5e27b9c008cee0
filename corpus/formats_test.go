package corpus

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode"

	"github.com/zhengce/zhengce/internal/testdoc"
)

// TestFormats prints a bundled report to PDF and writes it as .docx, and
// checks both give the same metadata and paragraphs as its text file, the
// PDF's paragraphs citing pages.
func TestFormats(t *testing.T) {
	const file = "reports/shenzhen/2015年南山区政府工作报告_2015.txt"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(file, ".txt")
	want, err := Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := testdoc.ReportLines(file)
	if err != nil {
		t.Fatal(err)
	}
	var paras []testdoc.Para
	for _, l := range lines {
		paras = append(paras, testdoc.Para{Text: l})
	}
	tests := []struct {
		ext   string
		make  func(t *testing.T) []byte
		paged bool
	}{
		{".docx", func(t *testing.T) []byte { return testdoc.DOCX(paras, "南山区人民政府") }, false},
		{".pdf", func(t *testing.T) []byte {
			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("skipped: pdftotext is not installed (Debian package poppler-utils)")
			}
			b, err := testdoc.PrintPDF(context.Background(), testdoc.ReportHTML("2015年南山区政府工作报告", lines, nil))
			if errors.Is(err, testdoc.ErrMissing) {
				t.Skipf("skipped: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			got, err := Parse(base+tt.ext, tt.make(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d reports, want %d", len(got), len(want))
			}
			g, w := got[0], want[0]
			if metaOf(g) != metaOf(w) || g.Title != w.Title || g.Speaker != w.Speaker {
				t.Errorf("meta = %+v %q %q, want %+v %q %q", metaOf(g), g.Title, g.Speaker, metaOf(w), w.Title, w.Speaker)
			}
			if len(g.Paragraphs) != len(w.Paragraphs) {
				t.Fatalf("%d paragraphs, want %d", len(g.Paragraphs), len(w.Paragraphs))
			}
			for i := range w.Paragraphs {
				gp, wp := g.Paragraphs[i], w.Paragraphs[i]
				if noSpace(gp.Text) != noSpace(wp.Text) || gp.Section != wp.Section || gp.IsHeading != wp.IsHeading {
					t.Fatalf("paragraph %d = %q %s %v, want %q %s %v", i, gp.Text, gp.Section, gp.IsHeading, wp.Text, wp.Section, wp.IsHeading)
				}
				if (gp.Page > 0) != tt.paged || gp.OCR {
					t.Fatalf("paragraph %d: page %d, OCR %v", i, gp.Page, gp.OCR)
				}
			}
		})
	}
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
