package saved

import (
	"fmt"
	"io"
	"strings"

	"github.com/zhengce/zhengce/internal/termtext"
)

// WriteText writes what each saved search finds new, for a terminal: one
// line per saved search, then each new report with its new paragraphs.
// Report text and names are escaped (package termtext), so one paragraph
// is one line.
func WriteText(w io.Writer, ms []Matches) error {
	esc := termtext.Escape
	for _, m := range ms {
		s := &m.Search
		fmt.Fprintf(w, "%s\t%s\t%d paragraphs in %d reports", esc(s.Name), esc(describe(s)), m.Total, m.Reports)
		if len(m.New) == 0 {
			fmt.Fprintf(w, "; nothing new since %s\n", s.Looked.Local().Format("2006-01-02 15:04"))
			continue
		}
		fmt.Fprintf(w, "; %d new in %d reports since %s\n", m.NewHits, len(m.New), s.Looked.Local().Format("2006-01-02 15:04"))
		for _, r := range m.New {
			place := strings.Join(nonEmpty(r.Province, r.City, r.District), " ")
			if place == "" {
				place = "全国"
			}
			changed := ""
			if r.Before > 0 {
				changed = fmt.Sprintf(" (had %d)", r.Before)
			}
			fmt.Fprintf(w, "  %s · %d · %s  %d paragraphs%s\n", esc(place), r.Year, esc(r.Title), r.Hits, changed)
			for _, h := range r.Paragraphs {
				fmt.Fprintf(w, "    %s:%d  %s\n", esc(h.Path), h.Paragraph, esc(clip(h.Text, 120)))
			}
			if more := r.Hits - len(r.Paragraphs); more > 0 && len(r.Paragraphs) > 0 {
				fmt.Fprintf(w, "    … %d more\n", more)
			}
		}
	}
	return nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
