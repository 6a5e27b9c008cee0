package corpus

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/width"
)

// An InspectRecord is what Inspect prints for one report: the JSON Lines
// schema of `indexer -inspect -json`.
type InspectRecord struct {
	Dir          string         `json:"dir"`  // the DIR argument the report was found under
	Path         string         `json:"path"` // slash path relative to Dir
	Part         int            `json:"part"` // 0 for the first report in a file
	Title        string         `json:"title"`
	Level        string         `json:"level"`
	Province     string         `json:"province"`
	City         string         `json:"city"`
	District     string         `json:"district"`
	Year         int            `json:"year"` // 0 if unknown
	Speaker      string         `json:"speaker"`
	Office       string         `json:"office"`
	Meeting      string         `json:"meeting"`
	Encoding     string         `json:"encoding"`
	Paragraphs   int            `json:"paragraphs"`
	Sections     map[string]int `json:"sections"` // every canonical section → body paragraphs (headings not counted)
	DroppedLines int            `json:"dropped_lines"`
	Duplicates   int            `json:"duplicates"`
	Warnings     []string       `json:"warnings"` // never null
}

// Record returns what Inspect prints for r found under dir.
func (r *Report) Record(dir string) InspectRecord {
	secs := r.Sections()
	for _, s := range Sections {
		secs[s] += 0
	}
	warnings := r.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	return InspectRecord{
		Dir: dir, Path: r.Path, Part: r.Part, Title: r.Title, Level: r.Level,
		Province: r.Province, City: r.City, District: r.District, Year: r.Year,
		Speaker: r.Speaker, Office: r.Office, Meeting: r.Meeting, Encoding: r.Encoding,
		Paragraphs: len(r.Paragraphs), Sections: secs,
		DroppedLines: r.DroppedLines, Duplicates: r.Duplicates, Warnings: warnings,
	}
}

// Inspect writes to w what Load would index from each of dirs, without
// indexing: with asJSON one InspectRecord per report as JSON Lines, otherwise
// a table per directory followed by the reports' warnings and a summary line.
// A dir may also name a single file.
//
// Problems (files skipped or read only in part, and dirs that cannot be
// read) are returned, not written, with Path joined to its dir so that it
// names the file on disk: w carries only the listing, and the caller prints
// the problems where it wants (stderr) and sets its exit status from them.
// The error is non-nil only when writing to w fails.
func Inspect(w io.Writer, dirs []string, asJSON bool) (problems []Problem, err error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var (
		reports, warnings int
		warnLines         []string
	)
	for _, dir := range dirs {
		var rows [][]string
		emit := func(r *Report) error {
			reports++
			warnings += len(r.Warnings)
			if asJSON {
				return enc.Encode(r.Record(dir))
			}
			s := r.Sections()
			place := strings.Trim(strings.Join([]string{r.Province, r.City, r.District}, "/"), "/")
			rows = append(rows, []string{
				r.Path, fmt.Sprint(r.Part), orDash(r.Level), orDash(place), fmt.Sprint(r.Year), orDash(r.Office + r.Speaker),
				fmt.Sprint(len(r.Paragraphs)),
				fmt.Sprintf("%d/%d/%d/%d/%d", s[SectionReview], s[SectionPlan], s[SectionSelf], s[SectionGlossary], s[SectionOther]),
				fmt.Sprint(r.Duplicates), fmt.Sprint(r.DroppedLines), fmt.Sprint(len(r.Warnings)),
			})
			for _, wn := range r.Warnings {
				warnLines = append(warnLines, fmt.Sprintf("%s#%d: %s", filepath.Join(dir, filepath.FromSlash(r.Path)), r.Part, wn))
			}
			return nil
		}
		probs, err := inspectDir(dir, emit)
		problems = append(problems, probs...)
		if err != nil {
			return problems, err
		}
		if asJSON || len(rows) == 0 {
			continue
		}
		if len(dirs) > 1 {
			if _, err := fmt.Fprintf(w, "== %s\n", dir); err != nil {
				return problems, err
			}
		}
		header := []string{"PATH", "PART", "LEVEL", "PLACE", "YEAR", "SPEAKER", "PARAS", "REVIEW/PLAN/SELF/GLOSS/OTHER", "DUP", "DROPPED", "WARN"}
		if err := writeTable(w, append([][]string{header}, rows...)); err != nil {
			return problems, err
		}
	}
	if asJSON {
		return problems, nil
	}
	if len(warnLines) > 0 {
		fmt.Fprintln(w, "\nwarnings:")
		for _, l := range warnLines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	_, err = fmt.Fprintf(w, "\n%d reports, %d warnings, %d files skipped or partly read\n", reports, warnings, len(problems))
	return problems, err
}

// inspectDir loads one DIR argument. An unreadable dir is a problem, not an
// error; only an error from emit (a failed write) stops Inspect.
func inspectDir(dir string, emit func(*Report) error) ([]Problem, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return []Problem{{dir, "unreadable: " + unwrapPath(err)}}, nil
	}
	if !info.IsDir() {
		data, err := readHead(os.DirFS(filepath.Dir(dir)), filepath.Base(dir))
		if err != nil {
			return []Problem{{dir, "unreadable: " + unwrapPath(err)}}, nil
		}
		reports, err := Parse(filepath.Base(dir), data)
		if err != nil {
			return []Problem{{dir, unwrapPath(err)}}, nil
		}
		for _, r := range reports {
			if err := emit(r); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	var emitErr error
	probs, err := Load(os.DirFS(dir), ".", func(r *Report) error {
		emitErr = emit(r)
		return emitErr
	})
	for i := range probs {
		probs[i].Path = filepath.Join(dir, filepath.FromSlash(probs[i].Path))
	}
	if emitErr != nil {
		return probs, emitErr
	}
	if err != nil {
		probs = append(probs, Problem{dir, "unreadable: " + unwrapPath(err)})
	}
	return probs, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeTable writes rows as aligned columns, counting wide (CJK) characters
// as two cells as a terminal shows them.
func writeTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if n := displayWidth(cell); n > widths[i] {
				widths[i] = n
			}
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
