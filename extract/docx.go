package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// maxPartBytes bounds one unpacked part of a .docx (a zip bomb stops here).
const maxPartBytes = 64 << 20

// oleMagic starts an OLE compound file: a .doc, or a .docx encrypted with a
// password (Office wraps those in one).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// readDOCX reads a Word .docx: the body's paragraphs in order (heading
// levels from their styles, each table row as one paragraph of its cells),
// then the footnotes and endnotes, apart from the text that cites them.
// Headers and footers of the pages are not read.
func readDOCX(data []byte) (*Document, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return nil, fmt.Errorf("%w: an OLE file, as Word makes of a password-protected .docx (or a .doc renamed)", ErrEncrypted)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a zip archive (%v)", ErrBroken, err)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	if parts["word/document.xml"] == nil {
		return nil, fmt.Errorf("%w: no word/document.xml in the archive", ErrBroken)
	}
	read := func(name string) ([]byte, error) {
		f := parts[name]
		if f == nil {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBroken, name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxPartBytes+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBroken, name, err)
		}
		if len(b) > maxPartBytes {
			return nil, fmt.Errorf("%w: %s unpacks to over %d MB", ErrLimit, name, maxPartBytes>>20)
		}
		return b, nil
	}
	styles := map[string]int{}
	if b, err := read("word/styles.xml"); err != nil {
		return nil, err
	} else if b != nil {
		styles = styleLevels(b)
	}
	doc := &Document{Format: FormatDOCX}
	for _, name := range []string{"word/document.xml", "word/footnotes.xml", "word/endnotes.xml"} {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		paras, err := wordParagraphs(b, styles)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBroken, name, err)
		}
		doc.Paragraphs = append(doc.Paragraphs, paras...)
	}
	return doc, nil
}

var headingNameRe = regexp.MustCompile(`^(?i)(heading|标题)\s*([1-6])$`)

// styleLevels maps each paragraph style of styles.xml that makes a heading
// to its level: from its outline level, or a name such as "heading 2" or
// 标题 2; the title style is level 1.
func styleLevels(b []byte) map[string]int {
	levels := map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(b))
	var id string
	for {
		tok, err := d.Token()
		if err != nil {
			return levels
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "style":
			id = attr(se, "styleId")
		case "name":
			if m := headingNameRe.FindStringSubmatch(attr(se, "val")); m != nil && id != "" {
				levels[id], _ = strconv.Atoi(m[2])
			} else if strings.EqualFold(attr(se, "val"), "title") && id != "" {
				levels[id] = 1
			}
		case "outlineLvl":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n < 6 && id != "" {
				levels[id] = n + 1
			}
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// wordParagraphs reads the paragraphs of a WordprocessingML part. A
// separator footnote (the rule above the notes) has no text and is
// skipped by itself.
func wordParagraphs(b []byte, styles map[string]int) ([]Paragraph, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var (
		out     []Paragraph
		text    strings.Builder
		level   int
		inText  bool
		tblDeep int
		row     []string // cells of the table row being read
		cell    strings.Builder
	)
	endPara := func() {
		t := strings.TrimSpace(text.String())
		text.Reset()
		if tblDeep > 0 {
			if t != "" {
				if cell.Len() > 0 {
					cell.WriteByte(' ')
				}
				cell.WriteString(t)
			}
			return
		}
		if t != "" {
			out = append(out, Paragraph{Text: t, Level: level})
		}
		level = 0
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				text.WriteByte('\t')
			case "br", "cr":
				if attr(t, "type") != "page" && attr(t, "type") != "column" {
					endPara() // a line break inside a paragraph starts a new line
				}
			case "pStyle":
				if l := styles[attr(t, "val")]; l > 0 {
					level = l
				}
			case "outlineLvl":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && n < 6 {
					level = n + 1
				}
			case "tbl":
				tblDeep++
			case "tr":
				row = row[:0]
			case "tc":
				cell.Reset()
			}
		case xml.CharData:
			if inText {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			case "tc":
				row = append(row, strings.TrimSpace(cell.String()))
				cell.Reset()
			case "tr":
				if tblDeep == 1 {
					if r := strings.TrimSpace(strings.Join(row, "\t")); r != "" {
						out = append(out, Paragraph{Text: r})
					}
				}
			case "tbl":
				tblDeep--
			}
		}
	}
}
