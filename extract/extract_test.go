package extract

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/zhengce/zhengce/internal/testdoc"
)

// The bundled reports the PDF tests print: one long (11 pages), one with
// many short paragraphs.
var pdfReports = []string{
	"../corpus/reports/shenzhen/2015年南山区政府工作报告_2015.txt",
	"../corpus/reports/hailar/2013.txt",
}

// headingRe picks the numbered headings of a report, set as <h2> in the
// PDF and as Heading 2 in the .docx.
var headingRe = regexp.MustCompile(`^[一二三四五六七八九十]+、`)

var (
	pdfMu    sync.Mutex
	pdfCache = map[string][]byte{}
)

// printed returns the bundled report file printed to PDF by Chromium
// (once per test binary), or skips the test when Chromium or poppler is
// missing.
func printed(t testing.TB, file string) (pdf []byte, lines []string) {
	t.Helper()
	needTools(t, "pdftotext", "pdfinfo")
	lines, err := testdoc.ReportLines(file)
	if err != nil {
		t.Fatal(err)
	}
	pdfMu.Lock()
	defer pdfMu.Unlock()
	if b, ok := pdfCache[file]; ok {
		return b, lines
	}
	heads := map[string]bool{}
	for _, l := range lines {
		if headingRe.MatchString(l) {
			heads[l] = true
		}
	}
	pdf, err = testdoc.PrintPDF(context.Background(), testdoc.ReportHTML(filepath.Base(file), lines, heads))
	if errors.Is(err, testdoc.ErrMissing) {
		t.Skipf("skipped: %v (install Debian's chromium and fonts-wqy-microhei)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	pdfCache[file] = pdf
	return pdf, lines
}

func needTools(t testing.TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("skipped: %s is not installed (Debian package %s)", p, tools[p])
		}
	}
}

// TestPDF prints bundled reports to PDF and reads them back: the same
// paragraphs as the text, in order, with Chromium's running header (date,
// title) and footer (address, page number) dropped, and pages that rise
// from 1 to the last.
func TestPDF(t *testing.T) {
	for _, file := range pdfReports {
		t.Run(filepath.Base(file), func(t *testing.T) {
			pdf, want := printed(t, file)
			doc, err := Read(context.Background(), "r.pdf", pdf, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := texts(doc.Paragraphs)
			if d := firstDiff(got, want); d != "" {
				t.Errorf("paragraphs differ from the text: %s", d)
			}
			if doc.Pages < 2 || doc.Dropped < 2*doc.Pages {
				t.Errorf("pages %d, dropped %d lines; want ≥ 2 pages and a header and footer dropped on each", doc.Pages, doc.Dropped)
			}
			prev := 1
			for i, p := range doc.Paragraphs {
				if p.Page < prev || p.Page > doc.Pages || p.OCR {
					t.Fatalf("paragraph %d: page %d (after %d of %d), OCR %v", i, p.Page, prev, doc.Pages, p.OCR)
				}
				prev = p.Page
			}
			if prev != doc.Pages {
				t.Errorf("last paragraph on page %d of %d", prev, doc.Pages)
			}
			if len(doc.OCRPages) != 0 || len(doc.Warnings) != 0 {
				t.Errorf("OCR pages %v, warnings %q; want none", doc.OCRPages, doc.Warnings)
			}
		})
	}
}

// TestScannedPDF renders two pages of a printed report to images at 300
// dpi, makes a PDF of the images alone (a scan: no text layer) and reads it
// by OCR. Every paragraph is marked OCR, and the text matches the text
// layer's to CharAccuracy ≥ 98%.
func TestScannedPDF(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: OCR takes seconds a page")
	}
	needTools(t, "pdftoppm", "tesseract")
	if err := ocrAvailable(context.Background(), Options{}.withDefaults()); err != nil {
		t.Skipf("skipped: %v", err)
	}
	pdf, _ := printed(t, pdfReports[0])
	text, err := Read(context.Background(), "r.pdf", pdf, Options{MaxPages: 2})
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := testdoc.RenderPages(context.Background(), pdf, 1, 2, 300)
	if err != nil {
		t.Fatal(err)
	}
	scan := testdoc.ImagePDF(imgs, 300)
	start := time.Now()
	doc, err := Read(context.Background(), "scan.pdf", scan, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("OCR: %d pages in %v", doc.Pages, time.Since(start).Round(time.Millisecond))
	if len(doc.OCRPages) != 2 {
		t.Errorf("OCR pages %v, want [1 2]", doc.OCRPages)
	}
	for i, p := range doc.Paragraphs {
		if !p.OCR || p.Page < 1 || p.Page > 2 {
			t.Errorf("paragraph %d: OCR %v, page %d", i, p.OCR, p.Page)
		}
	}
	if len(doc.Warnings) == 0 || !strings.Contains(doc.Warnings[len(doc.Warnings)-1], "OCR") {
		t.Errorf("warnings %q, want one saying pages were read by OCR", doc.Warnings)
	}
	want, got := strings.Join(texts(text.Paragraphs), "\n"), strings.Join(texts(doc.Paragraphs), "\n")
	acc := CharAccuracy(want, got)
	t.Logf("OCR character accuracy %.4f (%d characters); %d paragraphs from the scan, %d from the text layer", acc, len([]rune(want)), len(doc.Paragraphs), len(text.Paragraphs))
	if acc < 0.98 {
		t.Errorf("OCR character accuracy %.4f, want ≥ 0.98", acc)
	}
}

// CharAccuracy is the share of want's characters (white space aside) that
// got has in order: the longest common subsequence over the longer of the
// two.
func CharAccuracy(want, got string) float64 {
	strip := func(s string) []rune {
		var out []rune
		for _, r := range s {
			if !unicode.IsSpace(r) {
				out = append(out, r)
			}
		}
		return out
	}
	a, b := strip(want), strip(got)
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	prev, cur := make([]int32, len(b)+1), make([]int32, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] > cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return float64(prev[len(b)]) / float64(max(len(a), len(b)))
}

// TestDOCX writes a bundled report as .docx — numbered headings in the
// Heading 2 style, runs split mid-paragraph, a table, a footnote and a page
// header — and reads it back.
func TestDOCX(t *testing.T) {
	lines, err := testdoc.ReportLines(pdfReports[0])
	if err != nil {
		t.Fatal(err)
	}
	var paras []testdoc.Para
	var want []Paragraph
	for i, l := range lines {
		p := testdoc.Para{Text: l}
		if headingRe.MatchString(l) {
			p.Level = 2
		}
		if i == 3 {
			p.Footnote = "注：数据来源于区统计局。"
		}
		paras = append(paras, p)
		want = append(want, Paragraph{Text: l, Level: p.Level})
		if i == 5 {
			paras = append(paras, testdoc.Para{Cells: []string{"指标", "2014年", "增长"}}, testdoc.Para{Cells: []string{"GDP", "3464.09亿元", "9%"}})
			want = append(want, Paragraph{Text: "指标\t2014年\t增长"}, Paragraph{Text: "GDP\t3464.09亿元\t9%"})
		}
	}
	want = append(want, Paragraph{Text: "注：数据来源于区统计局。"})
	doc, err := Read(context.Background(), "r.docx", testdoc.DOCX(paras, "南山区人民政府文件"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Paragraphs) != len(want) {
		t.Fatalf("%d paragraphs, want %d", len(doc.Paragraphs), len(want))
	}
	for i := range want {
		if doc.Paragraphs[i] != want[i] {
			t.Fatalf("paragraph %d = %+v, want %+v", i, doc.Paragraphs[i], want[i])
		}
	}
}

// TestBadFiles: every damaged, encrypted or mislabelled file is an error
// wrapping the sentinel that says so, never a panic or an empty document.
func TestBadFiles(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	pdf := testdoc.TextPDF(2, 595, 842)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty.pdf", nil, ErrBroken},
		{"text.pdf", []byte("这不是PDF文件"), ErrBroken},
		{"truncated.pdf", pdf[:len(pdf)/3], ErrBroken},
		{"garbage.pdf", append([]byte("%PDF-1.7\n"), make([]byte, 4096)...), ErrBroken},
		{"nopages.pdf", testdoc.TextPDF(0, 595, 842), ErrBroken},
		{"zip.docx", []byte("PK\x03\x04 not really"), ErrBroken},
		{"nobody.docx", testdoc.DOCX(nil, "")[:40], ErrBroken},
		{"encrypted.docx", append(append([]byte{}, oleMagic...), make([]byte, 1024)...), ErrEncrypted},
		{"empty.docx", testdoc.DOCX(nil, "页眉"), ErrNoText},
	}
	if _, err := exec.LookPath("antiword"); err == nil {
		tests = append(tests, struct {
			name string
			data []byte
			want error
		}{"garbage.doc", []byte("not a word file at all, just text"), ErrBroken})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), tt.name, tt.data, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Read(%s) = %v, %v; want an error wrapping %q", tt.name, doc, err, tt.want)
			}
			t.Logf("%s: %v", tt.name, err)
		})
	}
}

// TestEncryptedPDF encrypts a PDF with a user password (qpdf): one clear
// error.
func TestEncryptedPDF(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("skipped: qpdf is not installed (Debian package qpdf) to encrypt the test file")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, testdoc.TextPDF(2, 595, 842), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("qpdf", "--encrypt", "secret", "owner", "256", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v %s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Read(context.Background(), "secret.pdf", data, Options{})
	if !errors.Is(err, ErrEncrypted) {
		t.Fatalf("Read(encrypted) = %v, want ErrEncrypted", err)
	}
	t.Log(err)
}

// TestBombs: a PDF of thousands of pages is read up to the page limit, and
// an image that unpacks to 400 MB on a page without text is bounded by the
// memory and time limits of the programs, with a warning or an error, not
// an exhausted machine.
func TestBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: bombs take seconds")
	}
	needTools(t, "pdftotext", "pdfinfo", "pdftoppm")
	t.Run("pages", func(t *testing.T) {
		doc, err := Read(context.Background(), "bomb.pdf", testdoc.TextPDF(5000, 595, 842), Options{MaxPages: 300})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Pages != 5000 || len(doc.Paragraphs) != 300 || len(doc.Warnings) != 1 {
			t.Fatalf("pages %d, %d paragraphs, warnings %q; want 5000 pages, 300 read, one warning", doc.Pages, len(doc.Paragraphs), doc.Warnings)
		}
		t.Log(doc.Warnings[0])
	})
	t.Run("image", func(t *testing.T) {
		bomb := testdoc.ImageBombPDF(20000, 20000)
		_, err := Read(context.Background(), "image.pdf", bomb, Options{MaxMemory: 256 << 20, Timeout: 30 * time.Second})
		// A blank page: OCR finds no text, or the render is stopped.
		if err == nil {
			t.Fatal("Read(image bomb) = nil error, want no text or a limit")
		}
		if !errors.Is(err, ErrNoText) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrToolMissing) {
			t.Fatalf("Read(image bomb) = %v", err)
		}
		t.Log(err)
	})
}

// TestMissingTools: without the programs a format needs, Read says which
// package to install.
func TestMissingTools(t *testing.T) {
	needTools(t, "pdftotext", "pdfinfo")
	pdf := testdoc.TextPDF(1, 595, 842)
	// Only poppler on the PATH: no tesseract.
	popplerOnly := t.TempDir()
	for _, p := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		bin, _ := exec.LookPath(p)
		if err := os.Symlink(bin, filepath.Join(popplerOnly, p)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, path, file string
		data             []byte
		want             string
	}{
		{"pdf", t.TempDir(), "r.pdf", pdf, "poppler-utils"},
		{"doc", t.TempDir(), "r.doc", oleMagic, "antiword"},
		{"wps", t.TempDir(), "r.wps", oleMagic, "catdoc"},
		{"scanned", popplerOnly, "scan.pdf", testdoc.ImageBombPDF(100, 100), "tesseract-ocr-chi-sim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PATH", tt.path)
			_, err := Read(context.Background(), tt.file, tt.data, Options{})
			if !errors.Is(err, ErrToolMissing) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read(%s) without the tools = %v, want ErrToolMissing naming %s", tt.file, err, tt.want)
			}
			t.Log(err)
		})
	}
}

func texts(ps []Paragraph) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// firstDiff describes the first paragraph where got and want differ, "" if
// none. White space is not compared: a PDF keeps the look of 政 府 工 作,
// not its spaces.
func firstDiff(got, want []string) string {
	for i := 0; i < min(len(got), len(want)); i++ {
		if noSpace(got[i]) != noSpace(want[i]) {
			return "paragraph " + itoa(i) + ":\n got  " + got[i] + "\n want " + want[i]
		}
	}
	if len(got) != len(want) {
		return itoa(len(got)) + " paragraphs, want " + itoa(len(want))
	}
	return ""
}

func itoa(n int) string { return strconv.Itoa(n) }

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
