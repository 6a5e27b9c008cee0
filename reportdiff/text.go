package reportdiff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// sameWidth is how many characters of an unchanged paragraph the text form
// shows.
const sameWidth = 40

// WriteText writes d for reading in a terminal: one line per pair, with
// the changed sentences of an edited paragraph below it, text deleted as
// [-…-] and inserted as {+…+}; then the new and dropped phrases. Nothing is
// escaped: callers printing to a terminal escape control characters.
func WriteText(w io.Writer, d *Diff) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "old: %s  %s %d  (%s)\n", d.Old.Path, place(d.Old), d.Old.Year, d.Old.ID)
	fmt.Fprintf(bw, "new: %s  %s %d  (%s)\n", d.New.Path, place(d.New), d.New.Year, d.New.ID)
	s := d.Stats
	fmt.Fprintf(bw, "%d same, %d changed, %d added, %d removed; %d moved, %d split, %d merged (Dice ≥ %.2f, pieces ≥ %.2f)\n\n",
		s.Same, s.Changed, s.Added, s.Removed, s.Moved, s.Split, s.Merge, d.Threshold, d.Containment)
	for _, p := range d.Pairs {
		o, n := "", ""
		if p.Old != nil {
			o = fmt.Sprint(p.Old.Paragraph)
		}
		if p.New != nil {
			n = fmt.Sprint(p.New.Paragraph)
		}
		flags := ""
		if p.Moved {
			flags += " moved"
		}
		if p.Join != "" {
			flags += " " + p.Join
		}
		switch p.Kind {
		case Same:
			fmt.Fprintf(bw, "= %4s → %-4s%s %s\n", o, n, flags, clip(p.New.Text))
		case Removed:
			fmt.Fprintf(bw, "- %4s → %-4s %s\n", o, n, p.Old.Text)
		case Added:
			fmt.Fprintf(bw, "+ %4s → %-4s %s\n", o, n, p.New.Text)
		case Changed:
			fmt.Fprintf(bw, "~ %4s → %-4s%s (%.2f) %s\n", o, n, flags, p.Similarity, clip(p.New.Text))
			writeChanged(bw, "    -", p.Old.Sentences, "[-", "-]")
			writeChanged(bw, "    +", p.New.Sentences, "{+", "+}")
		}
	}
	writeTerms(bw, "new phrases", d.NewTerms)
	writeTerms(bw, "dropped phrases", d.DroppedTerms)
	return bw.Flush()
}

func writeChanged(w io.Writer, prefix string, ss []Sentence, on, off string) {
	for _, s := range ss {
		if !s.Changed {
			continue
		}
		var b strings.Builder
		for _, sp := range s.Spans {
			if sp.Changed {
				b.WriteString(on + sp.Text + off)
			} else {
				b.WriteString(sp.Text)
			}
		}
		fmt.Fprintf(w, "%s %s\n", prefix, strings.TrimSpace(b.String()))
	}
}

func writeTerms(w io.Writer, title string, ts []Term) {
	fmt.Fprintf(w, "\n%s (%d):", title, len(ts))
	for i, t := range ts {
		if i%8 == 0 {
			fmt.Fprint(w, "\n ")
		}
		fmt.Fprintf(w, " %s×%d¶%d", t.Text, t.Count, t.Paragraph)
	}
	fmt.Fprintln(w)
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= sameWidth {
		return s
	}
	return string([]rune(s)[:sameWidth]) + "…"
}

func place(m Meta) string {
	for _, s := range []string{m.District, m.City, m.Province} {
		if s != "" {
			return s
		}
	}
	return "全国"
}
