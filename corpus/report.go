package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/zhengce/zhengce/extract"
)

// A Report is one report read from a file; a file may hold several.
type Report struct {
	Path     string // slash path relative to the root given to Load; reports from one file share it
	Part     int    // 0 for the first report in a file, 1, 2 … for the following ones
	Title    string
	Level    string // LevelNational, LevelProvince, LevelCity, LevelDistrict or ""
	Province string // full official names from the gazetteer, "" if unknown
	City     string
	District string
	Year     int    // year delivered, 0 if unknown
	Speaker  string // as written: 殷树刚
	Office   string // as written: 代区长
	Meeting  string // as written: 第十八届人民代表大会第二次会议
	Encoding string // encoding the file was read in: UTF-8, GB18030, UTF-16LE …
	Source   string // where the report was found, from a scraper header (来源URL：…)

	// The place as the report names it, where that differs from the
	// division it is grouped under: 清苑县 in a 2005 report, now 清苑区.
	ProvinceAsWritten, CityAsWritten, DistrictAsWritten string

	Paragraphs   []Paragraph
	DroppedLines int      // page-furniture lines removed from the report's stretch of the file (a file's leading furniture counts for its first report)
	Duplicates   int      // repeated paragraphs removed
	Warnings     []string // human-readable; each names the problem
}

// A Paragraph is one logical paragraph of a report: one line of the source.
type Paragraph struct {
	Ordinal   int      // 1-based within the report
	Offset    int      // rune offset of the paragraph's first character in the decoded file (byte-order mark excluded)
	Text      string   // original text, verbatim but for surrounding white space
	Section   string   // SectionReview, SectionPlan, SectionSelf, SectionGlossary or SectionOther
	Heading   []string // heading path, outermost first; a heading's own path ends with itself; shared, do not modify
	IsHeading bool
	Page      int  // page of a PDF the paragraph starts on, from 1; 0 for other formats
	OCR       bool // read from a scanned page by OCR: the text may be wrong
}

// Sections counts the report's body paragraphs per canonical section:
// headings are not counted, so a glossary of 18 entries counts 18.
func (r *Report) Sections() map[string]int {
	m := make(map[string]int)
	for _, p := range r.Paragraphs {
		if !p.IsHeading {
			m[p.Section]++
		}
	}
	return m
}

// A Problem is a file that was skipped, or read only in part.
type Problem struct {
	Path   string
	Reason string
}

func (p Problem) String() string { return p.Path + ": " + p.Reason }

// extensions Load reads; others are ignored.
var extensions = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true,
	".pdf": true, ".docx": true, ".doc": true, ".wps": true}

// IsReportFile reports whether Load reads a file of this name.
func IsReportFile(name string) bool {
	return extensions[strings.ToLower(path.Ext(name))]
}

// Load reads every .txt, .md, .markdown, .html, .htm, .pdf, .docx, .doc
// and .wps file under root in
// fsys, in path order (folders whose name starts with a dot are skipped),
// and calls fn for each report. Report.Path and Problem.Path are slash paths
// relative to root. A file that cannot be read or holds no report is recorded
// in problems and the walk goes on. Load returns a non-nil error only when
// root cannot be read or fn returns one; the error from fn is returned as is.
func Load(fsys fs.FS, root string, fn func(*Report) error) (problems []Problem, err error) {
	errStop := errors.New("stop")
	var fnErr error
	walkErr := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			problems = append(problems, Problem{rel(root, p), "unreadable: " + unwrapPath(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !IsReportFile(p) {
			return nil
		}
		relPath := rel(root, p)
		// Only regular files are read: opening a named pipe blocks for
		// ever, and a device (a link to /dev/zero) never ends. fs.Stat
		// follows links without opening anything.
		info, err := fs.Stat(fsys, p)
		if err != nil {
			problems = append(problems, Problem{relPath, "unreadable: " + unwrapPath(err)})
			return nil
		}
		if !info.Mode().IsRegular() {
			problems = append(problems, Problem{relPath, fmt.Sprintf("not a regular file (%s)", fileKind(info.Mode()))})
			return nil
		}
		data, err := readHead(fsys, p)
		if err != nil {
			problems = append(problems, Problem{relPath, "unreadable: " + unwrapPath(err)})
			return nil
		}
		reports, err := Parse(relPath, data)
		if err != nil {
			problems = append(problems, Problem{relPath, unwrapPath(err)})
			return nil
		}
		for _, r := range reports {
			if err := fn(r); err != nil {
				fnErr = err
				return errStop
			}
		}
		return nil
	})
	if fnErr != nil {
		return problems, fnErr
	}
	if walkErr != nil {
		return problems, fmt.Errorf("corpus: reading %s: %w", root, walkErr)
	}
	return problems, nil
}

// readHead reads a file, but of a file too large to be a report only enough
// for Parse to say why (it reads past maxFileBytes and stops).
func readHead(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() <= maxFileBytes {
		// Limited even so: the file may grow while it is read.
		buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
		_, err := buf.ReadFrom(io.LimitReader(f, maxFileBytes+1))
		return buf.Bytes(), err
	}
	return io.ReadAll(io.LimitReader(f, maxFileBytes+1))
}

func rel(root, p string) string {
	if root == "." || root == "" {
		return p
	}
	if p == root {
		return path.Base(p)
	}
	return strings.TrimPrefix(p, root+"/")
}

// unwrapPath drops the "open path:" prefix of a *fs.PathError: Problem
// already names the file.
func unwrapPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse reads one file's bytes into reports. name is the file's path; its
// extension selects HTML, text, PDF or Word handling and its base name and folders are
// the fallback for metadata the text does not give. A file that holds no report returns an
// error wrapping one of ErrEmpty, ErrBinary, ErrTooLarge, ErrLineTooLong,
// ErrUndecodable or ErrNoReportText, or for PDF and Word one of package
// extract's errors.
func Parse(name string, data []byte) ([]*Report, error) {
	ext := strings.ToLower(path.Ext(name))
	if extract.Format(name) != "" {
		return parseFormat(name, data)
	}
	return parse(name, data, ext == ".html" || ext == ".htm")
}

func parse(name string, data []byte, isHTML bool) ([]*Report, error) {
	if err := checkSize(data, isHTML); err != nil {
		return nil, err
	}
	dec, err := decode(data, isHTML)
	if err != nil {
		return nil, err
	}
	text, repairs := repairText(dec.text, isHTML)
	var lines []srcLine
	htmlDropped := 0
	title := "" // the <title> of an HTML page
	if isHTML {
		lines, htmlDropped = htmlLines(text)
		title = pageTitle(text)
	} else {
		lines = splitText(text)
	}
	lines, split := boundLines(lines)
	if split > 0 {
		repairs = append(repairs, fmt.Sprintf("%d over-long lines split into paragraphs of at most %d characters", split, maxParagraphRunes))
	}
	hdr, lines, hdrLines := readScraperHeader(lines)
	lines, abstract := dropAbstract(lines)
	htmlDropped += hdrLines + abstract
	if len(lines) == 0 {
		return nil, fmt.Errorf("%w: the file has no text", ErrNoReportText)
	}
	classify(lines)
	dropChrome(lines)
	joinWrapped(lines)
	parts, _ := splitParts(lines)
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: all %d lines are page furniture", ErrNoReportText, len(lines))
	}

	// Each dropped line counts for the report it stands in (or before).
	droppedIn := make([]int, len(parts))
	droppedIn[0] = htmlDropped
	for i := range lines {
		if !lines[i].dropped {
			continue
		}
		k := 0
		for j, p := range parts {
			if len(p.lines) > 0 && p.lines[0].idx <= i {
				k = j
			}
		}
		droppedIn[k]++
		if parts[k].published == 0 {
			parts[k].published = publishedYear(&lines[i])
		}
	}
	var reports []*Report
	for k, p := range parts {
		r := &Report{Path: name, Part: len(reports), Encoding: dec.encoding}
		r.Paragraphs, r.Duplicates = paragraphs(p)
		if len(r.Paragraphs) == 0 {
			continue
		}
		r.DroppedLines = droppedIn[k]
		if dec.replaced > 0 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("%d bytes invalid in %s replaced by U+FFFD", dec.replaced, dec.encoding))
		}
		r.Warnings = append(r.Warnings, repairs...)
		if k == 0 {
			describe(r, p, name, title, &hdr)
		} else {
			describe(r, p, name, title, &scraped{})
		}
		reports = append(reports, r)
	}
	if len(reports) == 0 {
		return nil, fmt.Errorf("%w: all %d lines are page furniture", ErrNoReportText, len(lines))
	}
	return reports, nil
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return m.Type().String()
}
