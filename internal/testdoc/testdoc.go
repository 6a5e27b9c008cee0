// Package testdoc makes the PDF and Word files the tests of package extract
// and package corpus read: a report printed to PDF by headless Chromium
// (with the CJK font fonts-wqy-microhei), pages rendered to images by
// pdftoppm and put in a PDF of their own (a scanned report, without a text
// layer), and .docx files written from paragraphs. Nothing here is used
// outside tests.
package testdoc

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ErrMissing is returned when a program a fixture needs is not installed;
// tests skip on it.
var ErrMissing = errors.New("testdoc: program not installed")

// Chromium is where the tests look for Chromium.
const Chromium = "/usr/bin/chromium"

// ReportHTML is a report's lines as a printable page: one <p> per line,
// indented two characters, justified, in WenQuanYi Micro Hei. A line in
// headings is set as <h2>.
func ReportHTML(title string, lines []string, headings map[string]bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><style>
body{font-family:"WenQuanYi Micro Hei";font-size:16pt;text-align:justify;line-height:1.5}
p,h2{margin:0;text-indent:2em;font-size:16pt} h2{font-weight:bold}
</style></head><body>
`, html.EscapeString(title))
	for _, l := range lines {
		tag := "p"
		if headings[l] {
			tag = "h2"
		}
		fmt.Fprintf(&b, "<%s>%s</%s>\n", tag, html.EscapeString(l), tag)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// PrintPDF prints an HTML page to PDF with headless Chromium, with its
// running header (date and title) and footer (address and page number).
func PrintPDF(ctx context.Context, page string) ([]byte, error) {
	if _, err := os.Stat(Chromium); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMissing, Chromium)
	}
	dir, err := os.MkdirTemp("", "testdoc-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, []byte(page), 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, Chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--print-to-pdf="+out, "file://"+in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chromium: %v: %s", err, lastLine(msg))
	}
	return os.ReadFile(out)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// RenderPages renders the pages first to last of a PDF as grey images at
// dpi with pdftoppm.
func RenderPages(ctx context.Context, pdf []byte, first, last, dpi int) ([]*image.Gray, error) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return nil, fmt.Errorf("%w: pdftoppm (poppler-utils)", ErrMissing)
	}
	dir, err := os.MkdirTemp("", "testdoc-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		return nil, err
	}
	var out []*image.Gray
	for p := first; p <= last; p++ {
		n := fmt.Sprint(p)
		cmd := exec.CommandContext(ctx, "pdftoppm", "-f", n, "-l", n, "-r", fmt.Sprint(dpi), "-gray", "-png", in)
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("pdftoppm page %d: %v", p, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("pdftoppm page %d: %v", p, err)
		}
		g, ok := img.(*image.Gray)
		if !ok {
			g = image.NewGray(img.Bounds())
			for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
				for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
					g.Set(x, y, img.At(x, y))
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// ImagePDF writes a PDF of one page per image, each image filling a page
// of its size at dpi, with no text layer: what a scanner makes.
func ImagePDF(pages []*image.Gray, dpi int) []byte {
	var pdf pdfWriter
	pdf.b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	n := len(pages)
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 3+3*i)
	}
	pdf.obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	pdf.obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n), nil)
	for i, g := range pages {
		w, h := g.Bounds().Dx(), g.Bounds().Dy()
		pw, ph := float64(w)*72/float64(dpi), float64(h)*72/float64(dpi)
		content, img := 4+3*i, 5+3*i
		pdf.obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", pw, ph, img, content), nil)
		cs := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", pw, ph)
		pdf.obj(fmt.Sprintf("<< /Length %d >>", len(cs)), []byte(cs))
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		for y := 0; y < h; y++ {
			zw.Write(g.Pix[y*g.Stride : y*g.Stride+w])
		}
		zw.Close()
		pdf.obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", w, h, z.Len()), z.Bytes())
	}
	return pdf.finish()
}

// A Para is one paragraph of a .docx: text, and a heading level (1–6) or 0.
// Cells, if set, make it a table row instead.
type Para struct {
	Text     string
	Level    int
	Cells    []string
	Footnote string // a footnote cited at the end of the paragraph
}

// DOCX writes a minimal WordprocessingML document: styles Heading1…6 named
// "heading N", the paragraphs, tables of consecutive rows, footnotes and a
// page header (which a reader must not take for text).
func DOCX(paras []Para, header string) []byte {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	var body, notes strings.Builder
	inTable := false
	nfoot := 0
	for _, p := range paras {
		if p.Cells != nil {
			if !inTable {
				body.WriteString("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>")
				inTable = true
			}
			body.WriteString("<w:tr>")
			for _, c := range p.Cells {
				fmt.Fprintf(&body, "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p></w:tc>", esc(c))
			}
			body.WriteString("</w:tr>")
			continue
		}
		if inTable {
			body.WriteString("</w:tbl>")
			inTable = false
		}
		body.WriteString("<w:p>")
		if p.Level > 0 {
			fmt.Fprintf(&body, "<w:pPr><w:pStyle w:val=\"Heading%d\"/></w:pPr>", p.Level)
		}
		// Split the text into two runs, as Word does at any change of
		// formatting, to check runs are joined.
		r := []rune(p.Text)
		half := len(r) / 2
		fmt.Fprintf(&body, "<w:r><w:t xml:space=\"preserve\">%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">%s</w:t></w:r>", esc(string(r[:half])), esc(string(r[half:])))
		if p.Footnote != "" {
			nfoot++
			fmt.Fprintf(&body, "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"%d\"/></w:r>", nfoot)
			fmt.Fprintf(&notes, "<w:footnote w:id=\"%d\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p></w:footnote>", nfoot, esc(p.Footnote))
		}
		body.WriteString("</w:p>")
	}
	if inTable {
		body.WriteString("</w:tbl>")
	}
	var styles strings.Builder
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&styles, "<w:style w:type=\"paragraph\" w:styleId=\"Heading%d\"><w:name w:val=\"heading %d\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:outlineLvl w:val=\"%d\"/></w:pPr></w:style>", i, i, i-1)
	}
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + ns + `><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` + styles.String() + `</w:styles>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + ns + `><w:body>` + body.String() + `<w:sectPr><w:headerReference w:type="default" r:id="rId3"/></w:sectPr></w:body></w:document>`},
		{"word/footnotes.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes ` + ns + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` + notes.String() + `</w:footnotes>`},
		{"word/header1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr ` + ns + `><w:p><w:r><w:t>` + esc(header) + `</w:t></w:r></w:p></w:hdr>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, _ := zw.Create(f.name)
		w.Write([]byte(f.body))
	}
	zw.Close()
	return buf.Bytes()
}

// ReportLines reads a bundled report's text file (UTF-8, or GB18030 when
// it is not valid UTF-8) into its lines, trimmed of white space (full-width
// too), empty lines left out.
func ReportLines(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.Trim(l, " \t\r\u3000\ufeff"); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

// TextPDF writes a PDF of n pages, each saying "Page i" in Helvetica, on a
// page of w×h points: cheap to make, and as many pages as a bomb needs.
func TextPDF(n int, w, h float64) []byte {
	var pdf pdfWriter
	pdf.b.WriteString("%PDF-1.4\n")
	pdf.obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	kids := make([]string, n)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	pdf.obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n), nil)
	pdf.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", nil)
	for i := 0; i < n; i++ {
		pdf.obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", w, h, 5+2*i), nil)
		cs := fmt.Sprintf("BT /F1 12 Tf 72 %.0f Td (Page %d of the bomb) Tj ET", h/2, i+1)
		pdf.obj(fmt.Sprintf("<< /Length %d >>", len(cs)), []byte(cs))
	}
	return pdf.finish()
}

// ImageBombPDF writes a one-page PDF whose image declares w×h grey pixels
// of which the file holds a few kilobytes of compressed zeros: it unpacks
// to w·h bytes.
func ImageBombPDF(w, h int) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, w)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	var pdf pdfWriter
	pdf.b.WriteString("%PDF-1.4\n")
	pdf.obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	pdf.obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	pdf.obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", nil)
	cs := "q 595 0 0 842 0 0 cm /Im0 Do Q"
	pdf.obj(fmt.Sprintf("<< /Length %d >>", len(cs)), []byte(cs))
	pdf.obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>", w, h, z.Len()), z.Bytes())
	return pdf.finish()
}

// pdfWriter writes the objects of a minimal PDF in order (object i+1 is
// the i-th written) and then its cross-reference table and trailer, with
// object 1 as the catalog.
type pdfWriter struct {
	b    bytes.Buffer
	offs []int
}

// obj writes the next object: its dictionary, and its stream if not nil.
func (w *pdfWriter) obj(body string, stream []byte) {
	w.offs = append(w.offs, w.b.Len())
	fmt.Fprintf(&w.b, "%d 0 obj\n%s", len(w.offs), body)
	if stream != nil {
		w.b.WriteString("\nstream\n")
		w.b.Write(stream)
		w.b.WriteString("\nendstream")
	}
	w.b.WriteString("\nendobj\n")
}

// finish writes the cross-reference table and trailer and returns the file.
func (w *pdfWriter) finish() []byte {
	xref := w.b.Len()
	fmt.Fprintf(&w.b, "xref\n0 %d\n0000000000 65535 f \n", len(w.offs)+1)
	for _, o := range w.offs {
		fmt.Fprintf(&w.b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&w.b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.offs)+1, xref)
	return w.b.Bytes()
}
