package extract

import (
	"context"
	"testing"

	"github.com/zhengce/zhengce/internal/testdoc"
)

// BenchmarkPDF reads a printed 11-page report (MB/s of PDF).
func BenchmarkPDF(b *testing.B) {
	pdf, _ := printed(b, pdfReports[0])
	b.SetBytes(int64(len(pdf)))
	for b.Loop() {
		if _, err := Read(context.Background(), "r.pdf", pdf, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDOCX reads the same report as .docx.
func BenchmarkDOCX(b *testing.B) {
	lines, err := testdoc.ReportLines(pdfReports[0])
	if err != nil {
		b.Fatal(err)
	}
	var paras []testdoc.Para
	for _, l := range lines {
		paras = append(paras, testdoc.Para{Text: l})
	}
	docx := testdoc.DOCX(paras, "")
	b.SetBytes(int64(len(docx)))
	for b.Loop() {
		if _, err := Read(context.Background(), "r.docx", docx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
