package corpus

import (
	"strings"
	"unicode/utf8"
)

// Text copied out of a PDF breaks every paragraph into lines of the page's
// width. Such a file shows it: most of its long lines have the same length.
// joinWrapped finds that width and joins each full-width line that does not
// end a sentence with the line after it, unless that line is indented or is
// a heading, title or page furniture. A file written one paragraph a line
// has lines of every length and is left alone.
func joinWrapped(lines []srcLine) {
	width := wrapWidth(lines)
	if width == 0 {
		return
	}
	var (
		into *srcLine // the paragraph being built
		text strings.Builder
	)
	finish := func() {
		if into != nil && text.Len() > len(into.text) {
			into.text = text.String()
		}
		text.Reset()
	}
	for i := range lines {
		l := &lines[i]
		if l.dropped {
			continue
		}
		if into != nil && into.runes+l.runes <= maxParagraphRunes && continues(into, l, width) {
			text.WriteString(l.text)
			into.runes += l.runes
			into.han += l.han
			into.kind = kindSentence
			into.key = ""
			l.merged = true
			into.lastRunes = l.runes
			into.lastText = l.text
			continue
		}
		finish()
		into = l
		into.lastRunes, into.lastText = l.runes, l.text
		text.WriteString(l.text)
	}
	finish()
}

// wrapWidth returns the width a hard-wrapped file is wrapped at, 0 if the
// file is not wrapped.
func wrapWidth(lines []srcLine) int {
	count := make(map[int]int)
	long := 0
	for i := range lines {
		if n := lines[i].runes; n >= 15 && !lines[i].dropped {
			count[n]++
			long++
		}
	}
	if long < 10 {
		return 0
	}
	best, bestN := 0, 0
	for n := range count {
		// lines of a wrapped page are the width or one or two shorter
		// (a Latin letter or digit pair takes one cell)
		if c := count[n] + count[n-1] + count[n-2]; c > bestN || (c == bestN && n > best) {
			best, bestN = n, c
		}
	}
	if bestN*10 < long*5 {
		return 0
	}
	return best
}

func continues(prev, l *srcLine, width int) bool {
	if prev.lastRunes < width-3 || prev.lastRunes > width+1 {
		return false // the previous line ended short: its paragraph ended
	}
	if r, _ := utf8.DecodeLastRuneInString(prev.lastText); strings.ContainsRune("。！？；：!?;:", r) {
		return false
	}
	switch prev.kind {
	case kindTitle, kindHeader, kindChrome:
		return false
	case kindHeading:
		if prev.runes < width-3 {
			return false
		}
	}
	switch l.kind {
	case kindTitle, kindHeader, kindChrome, kindHeading:
		return false
	}
	return l.indent == 0
}
