package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A srcLine is one line of a file's text with what the rules need to know
// about it.
type srcLine struct {
	text   string // trimmed of surrounding white space, otherwise verbatim
	off    int    // rune offset of text[0] in the decoded file
	hint   int    // heading level known from markup: 1–6 for <h1>–<h6>, levelBold for a bold block, 0 if none
	indent int    // blank characters before the text in its source line
	merged bool   // joined to the line before it: a hard-wrapped paragraph

	lastRunes int    // characters in the last source line joined into this one
	lastText  string // that line

	folded  string // norm.Fold(text), for lines short enough to be anything but prose
	compact string // folded without white space
	runes   int    // characters in text
	han     int    // Han characters in text

	key     string // normalised text, see lineKey
	idx     int    // index in the file's lines
	kind    lineKind
	dropped bool
}

// splitText cuts plain text (or Markdown) into lines, recording the rune
// offset of each line's first non-blank character.
func splitText(text string) []srcLine {
	var out []srcLine
	off := 0 // rune offset of text[pos]
	pos := 0
	for pos <= len(text) {
		end := len(text)
		next := len(text) + 1
		if i := strings.IndexAny(text[pos:], "\r\n"); i >= 0 {
			end = pos + i
			next = end + 1
			if text[end] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
		}
		raw := text[pos:end]
		if t, lead := trimLine(raw); t != "" {
			out = append(out, srcLine{text: t, off: off + lead, indent: lead})
		}
		off += utf8.RuneCountInString(raw) + (next - end)
		pos = next
	}
	return out
}

// trimLine trims white space, including full-width spaces, no-break spaces and
// invisible format characters, and returns the number of runes cut in front.
func trimLine(s string) (string, int) {
	lead := 0
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isBlank(r) {
			break
		}
		i += size
		lead++
	}
	j := len(s)
	for j > i {
		r, size := utf8.DecodeLastRuneInString(s[i:j])
		if !isBlank(r) {
			break
		}
		j -= size
	}
	return s[i:j], lead
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u3000' || r == '\u00A0' || unicode.Is(unicode.Cf, r)
}

func countHan(s string) (runes, han int) {
	for _, r := range s {
		runes++
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	return runes, han
}
