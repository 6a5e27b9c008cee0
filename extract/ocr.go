package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// OCRLanguage is the Tesseract language scanned pages are read in.
const OCRLanguage = "chi_sim"

// ocrPixels is the long side of a page rendered for OCR, whatever the size
// of the page, so a page of absurd size cannot make an absurd image: an A4
// page at 220 dpi. Measured on a printed report (16 pt), Tesseract's chi_sim
// reads more characters right at this size than at 170, 300 or 390 dpi.
const ocrPixels = 2600

// ocrPages reads the pages of file at the indices in scanned (which have no
// text layer) by OCR into pp, and notes what it did in doc.
func ocrPages(ctx context.Context, opts Options, file string, pp []page, scanned []int, doc *Document) error {
	pageList := func(idx []int) string {
		var s []string
		for i, k := range idx {
			if i == 10 {
				s = append(s, fmt.Sprintf("… (%d in all)", len(idx)))
				break
			}
			s = append(s, strconv.Itoa(k+1))
		}
		return strings.Join(s, ", ")
	}
	all := len(scanned) == len(pp)
	if opts.NoOCR {
		if all {
			return fmt.Errorf("%w: no page has a text layer (a scanned PDF) and OCR is off", ErrNoText)
		}
		doc.Warnings = append(doc.Warnings, "pages without a text layer skipped (OCR is off): "+pageList(scanned))
		return nil
	}
	if err := ocrAvailable(ctx, opts); err != nil {
		if all {
			return fmt.Errorf("no page has a text layer (a scanned PDF), and reading it needs OCR: %w", err)
		}
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pages without a text layer skipped (%v): %s", err, pageList(scanned)))
		return nil
	}
	if len(scanned) > opts.MaxOCRPages {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("only %d of %d scanned pages read by OCR (the OCR page limit); skipped: %s",
			opts.MaxOCRPages, len(scanned), pageList(scanned[opts.MaxOCRPages:])))
		scanned = scanned[:opts.MaxOCRPages]
	}
	var failed []int
	for _, i := range scanned {
		n := strconv.Itoa(i + 1)
		img, err := run(ctx, opts, nil, "pdftoppm", "-f", n, "-l", n, "-gray", "-png", "-scale-to", strconv.Itoa(ocrPixels), file)
		if err == nil {
			var p page
			p, err = ocrImage(ctx, opts, img)
			if err == nil {
				pp[i] = p
				if p.runes() > 0 {
					doc.OCRPages = append(doc.OCRPages, i+1)
				}
				continue
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		failed = append(failed, i)
		if errors.Is(err, ErrLimit) && len(failed) == 1 {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR of page %d: %v", i+1, err))
		}
	}
	if len(failed) > 0 {
		doc.Warnings = append(doc.Warnings, "pages OCR could not read: "+pageList(failed))
	}
	if len(doc.OCRPages) > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pages read by OCR (Tesseract %s), their text may be wrong: %s", OCRLanguage, pageList(intsMinus1(doc.OCRPages))))
	}
	return nil
}

func intsMinus1(p []int) []int {
	out := make([]int, len(p))
	for i, v := range p {
		out[i] = v - 1
	}
	return out
}

// ocrAvailable checks that tesseract is installed with the language.
func ocrAvailable(ctx context.Context, opts Options) error {
	out, err := run(ctx, opts, nil, "tesseract", "--list-langs")
	if err != nil {
		return err
	}
	for _, l := range strings.Fields(string(out)) {
		if l == OCRLanguage {
			return nil
		}
	}
	return fmt.Errorf("%w: Tesseract's %s language (Debian package tesseract-ocr-chi-sim)", ErrToolMissing, OCRLanguage)
}

// ocrImage reads a page image with Tesseract into lines with boxes (its TSV
// output: level, page, block, paragraph, line, word, left, top, width,
// height, confidence, text).
func ocrImage(ctx context.Context, opts Options, img []byte) (page, error) {
	out, err := run(ctx, opts, img, "tesseract", "stdin", "stdout", "-l", OCRLanguage, "--psm", "3", "tsv")
	if err != nil {
		return page{}, err
	}
	p := page{ocr: true}
	var cur *line
	end := func() {
		if cur != nil {
			p.lines = append(p.lines, *cur)
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] == "level" {
			continue
		}
		var n [4]float64
		for k := range n {
			n[k], _ = strconv.ParseFloat(f[6+k], 64)
		}
		switch f[0] {
		case "1":
			p.width, p.height = n[2], n[3]
		case "4":
			end()
			cur = &line{x0: n[0], y0: n[1], x1: n[0] + n[2], y1: n[1] + n[3]}
		case "5":
			if cur != nil {
				cur.words = append(cur.words, word{text: f[11], x0: n[0], x1: n[0] + n[2]})
			}
		}
	}
	end()
	mergeRows(&p)
	for i := range p.lines {
		p.lines[i].text = widePunct(p.lines[i].text)
	}
	return p, nil
}

// halfToWide maps the punctuation Tesseract reads as ASCII in Chinese text
// to the full-width forms Chinese text is set in.
var halfToWide = map[rune]rune{',': '，', ';': '；', ':': '：', '(': '（', ')': '）', '?': '？', '!': '！'}

// widePunct makes ASCII punctuation next to a CJK character full-width:
// OCR reads ； as ; but a report writes ； between Chinese words.
func widePunct(s string) string {
	r := []rune(s)
	for i, c := range r {
		w, ok := halfToWide[c]
		if !ok {
			continue
		}
		if (i > 0 && isWide(r[i-1])) || (i+1 < len(r) && isWide(r[i+1])) {
			r[i] = w
		}
	}
	return string(r)
}
