package csvexport

import (
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/index"
)

// Columns is the header row: one column per field of a hit a citation
// needs, in the order of [Record].
var Columns = []string{"path", "title", "province", "city", "district", "year", "section", "heading", "paragraph", "offset", "page", "ocr", "text"}

// Record returns the row of h in the order of Columns, every text cell
// passed through Cell.
func Record(h index.Hit) []string {
	return []string{
		Cell(h.Path), Cell(h.Title), Cell(h.Province), Cell(h.City), Cell(h.District), strconv.Itoa(h.Year),
		Cell(h.Section), Cell(h.Heading), strconv.Itoa(h.Paragraph), strconv.Itoa(h.Offset),
		pageCell(h.Page), strconv.FormatBool(h.OCR), Cell(h.Text),
	}
}

// Cell protects a spreadsheet from text that would be read as a formula: a
// cell starting with = + - @, a tab or a carriage return gets a leading
// apostrophe. Other text is returned unchanged.
func Cell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// pageCell is the page of a paged source (PDF), empty for other formats.
func pageCell(p int) string {
	if p == 0 {
		return ""
	}
	return strconv.Itoa(p)
}
