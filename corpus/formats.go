package corpus

import (
	"context"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/extract"
)

// parseFormat reads a PDF, Word or WPS file through package extract and
// puts its paragraphs through the same rules as an HTML page (headings
// known from Word styles become <h1>–<h6>), then gives each paragraph the
// page it starts on and whether it was read by OCR. A paragraph's Offset
// is its rune offset in the extracted text, one paragraph a line.
func parseFormat(name string, data []byte) ([]*Report, error) {
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%w: over the %d MB limit", ErrTooLarge, maxFileBytes>>20)
	}
	doc, err := extract.Read(context.Background(), name, data, extract.Options{})
	if err != nil {
		return nil, err
	}
	page, starts := formatHTML(doc)
	// Offsets are given in the extracted text, one paragraph a line.
	textStarts := make([]int, len(doc.Paragraphs))
	for j := 1; j < len(textStarts); j++ {
		textStarts[j] = textStarts[j-1] + utf8.RuneCountInString(doc.Paragraphs[j-1].Text) + 1
	}
	reports, err := parse(name, []byte(page), true)
	if err != nil {
		return nil, err
	}
	for k, r := range reports {
		r.Encoding = doc.Format
		if k == 0 {
			r.DroppedLines += doc.Dropped
			r.Warnings = append(r.Warnings, doc.Warnings...)
		}
		var ocr []string
		for i := range r.Paragraphs {
			p := &r.Paragraphs[i]
			j := sort.Search(len(starts), func(j int) bool { return starts[j] > p.Offset }) - 1
			if j < 0 {
				continue
			}
			p.Page, p.OCR = doc.Paragraphs[j].Page, doc.Paragraphs[j].OCR
			p.Offset = textStarts[j] + min(p.Offset-starts[j], utf8.RuneCountInString(doc.Paragraphs[j].Text))
			if p.OCR {
				ocr = append(ocr, strconv.Itoa(p.Ordinal))
			}
		}
		if len(ocr) > 0 {
			if len(ocr) > 10 {
				ocr = append(ocr[:10], "…")
			}
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d paragraphs read by OCR, check their text against the scan: %s", countOCR(r), strings.Join(ocr, ", ")))
		}
	}
	return reports, nil
}

func countOCR(r *Report) int {
	n := 0
	for _, p := range r.Paragraphs {
		if p.OCR {
			n++
		}
	}
	return n
}

// formatHTML writes a document's paragraphs as an HTML page, and returns
// it with the rune offset at which each paragraph's text starts in it.
func formatHTML(doc *extract.Document) (string, []int) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n")
	off := utf8.RuneCountInString(b.String())
	starts := make([]int, len(doc.Paragraphs))
	for i, p := range doc.Paragraphs {
		tag := "p"
		if p.Level >= 1 && p.Level <= 6 {
			tag = "h" + strconv.Itoa(p.Level)
		}
		open := "<" + tag + ">"
		starts[i] = off + len(open)
		s := open + html.EscapeString(p.Text) + "</" + tag + ">\n"
		b.WriteString(s)
		off += utf8.RuneCountInString(s)
	}
	b.WriteString("</body></html>\n")
	return b.String(), starts
}
