package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// minPageRunes is the text a page must have to count as having a text
// layer; a page with less is scanned, and is OCR'd.
const minPageRunes = 5

// readPDF reads a PDF: its text layer with pdftotext, pages without one by
// OCR.
func readPDF(ctx context.Context, data []byte, opts Options) (*Document, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n "), []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrBroken)
	}
	file, remove, err := tempFile(data, ".pdf")
	if err != nil {
		return nil, err
	}
	defer remove()
	pages, err := pdfPages(ctx, opts, file)
	if err != nil {
		return nil, err
	}
	doc := &Document{Format: FormatPDF, Pages: pages}
	last := pages
	if last > opts.MaxPages {
		last = opts.MaxPages
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("only the first %d of %d pages read (the page limit)", last, pages))
	}
	out, err := run(ctx, opts, nil, "pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", "1", "-l", strconv.Itoa(last), file, "-")
	if err != nil {
		return nil, pdfError(err)
	}
	pp, err := parseBBox(out)
	if err != nil {
		return nil, fmt.Errorf("%w: reading pdftotext's output: %v", ErrBroken, err)
	}
	// Pages without a text layer: OCR them, or say they were skipped.
	var scanned []int
	for i := range pp {
		if pp[i].runes() < minPageRunes {
			scanned = append(scanned, i)
		}
	}
	if len(scanned) > 0 {
		if err := ocrPages(ctx, opts, file, pp, scanned, doc); err != nil {
			return nil, err
		}
	}
	doc.Paragraphs, doc.Dropped = layout(pp)
	return doc, nil
}

// pdfPages runs pdfinfo: the number of pages, or why the file cannot be
// read.
func pdfPages(ctx context.Context, opts Options, file string) (int, error) {
	out, err := run(ctx, opts, nil, "pdfinfo", file)
	if err != nil {
		return 0, pdfError(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return 0, fmt.Errorf("%w: pdfinfo gives %q pages", ErrBroken, v)
			}
			if n == 0 {
				return 0, fmt.Errorf("%w: the PDF has no pages", ErrNoText)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("%w: pdfinfo gives no page count", ErrBroken)
}

// pdfError turns a failed poppler run into one of the package's errors.
func pdfError(err error) error {
	var re *runError
	if !errors.As(err, &re) {
		return err
	}
	msg := strings.ToLower(re.stderr)
	switch {
	case strings.Contains(msg, "password"):
		return fmt.Errorf("%w (%s)", ErrEncrypted, re)
	case strings.Contains(msg, "memory") || strings.Contains(msg, "bad_alloc"):
		return fmt.Errorf("%w: %s ran out of its memory limit (%s)", ErrLimit, re.prog, re)
	}
	return fmt.Errorf("%w (%s)", ErrBroken, re)
}

// A page is one page's lines in reading order, with their boxes.
type page struct {
	width, height float64
	lines         []line
	ocr           bool
}

func (p *page) runes() int {
	n := 0
	for _, l := range p.lines {
		n += utf8.RuneCountInString(strings.TrimSpace(l.text))
	}
	return n
}

// A line is one line of a page; coordinates grow right and down.
type line struct {
	x0, y0, x1, y1 float64
	words          []word
	text           string
}

// mergeRows joins the lines of a page that stand side by side on one row
// (pdftotext splits a row at a wide gap: 区长　　杜联合) and sets each
// line's text from its words.
func mergeRows(p *page) {
	var out []line
	for _, l := range p.lines {
		if n := len(out); n > 0 {
			prev := &out[n-1]
			h := prev.y1 - prev.y0
			if math.Abs(l.y0-prev.y0) < h*0.3 && math.Abs(l.y1-prev.y1) < h*0.3 && l.x0 >= prev.x1-h*0.1 {
				prev.words = append(prev.words, l.words...)
				prev.x1 = max(prev.x1, l.x1)
				continue
			}
		}
		out = append(out, l)
	}
	for i := range out {
		// A scan's word boxes are rough: only a gap of two characters is a
		// space there.
		gap := 0.9
		if p.ocr {
			gap = 2
		}
		out[i].text = joinWords(out[i].words, out[i].y1-out[i].y0, gap)
	}
	p.lines = out
}

// parseBBox reads the XHTML of pdftotext -bbox-layout: page, flow, block,
// line, word.
func parseBBox(out []byte) ([]page, error) {
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var (
		pages []page
		cur   *line
		w     word
		inW   bool
		text  strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			for i := range pages {
				mergeRows(&pages[i])
			}
			return pages, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "page":
				pages = append(pages, page{width: attrF(t, "width"), height: attrF(t, "height")})
			case "line":
				cur = &line{x0: attrF(t, "xMin"), y0: attrF(t, "yMin"), x1: attrF(t, "xMax"), y1: attrF(t, "yMax")}
			case "word":
				inW = true
				w = word{x0: attrF(t, "xMin"), x1: attrF(t, "xMax")}
				text.Reset()
			}
		case xml.CharData:
			if inW {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "word":
				inW = false
				if cur != nil {
					w.text = text.String()
					cur.words = append(cur.words, w)
				}
			case "line":
				if cur != nil && len(pages) > 0 {
					p := &pages[len(pages)-1]
					p.lines = append(p.lines, *cur)
				}
				cur = nil
			}
		}
	}
}

func attrF(e xml.StartElement, name string) float64 {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			f, _ := strconv.ParseFloat(a.Value, 64)
			return f
		}
	}
	return 0
}
