package termtext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// unsafe reports whether r must not reach a terminal raw: C0 and C1
// controls, DEL, the Unicode line and paragraph separators, and the bidi
// embedding, override, isolate and mark controls.
func unsafe(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// needsEscape reports whether s has anything Escape changes.
func needsEscape(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unsafe(r) {
			return true
		}
	}
	return false
}

// Escape returns s with every control character, line or paragraph
// separator and bidi control written as an escape (\n, \r, \t, \x1b,
// \u009b, \u202e) and every byte that is not UTF-8 as \xNN. The result has
// no line break and nothing a terminal acts on. A string with none of
// these is returned as it is.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// JSON returns JSON text b with every C1 control, DEL, line or paragraph
// separator and bidi control written as a \u escape. Encoders escape the C0
// controls already; outside strings JSON is ASCII, so the result is the
// same JSON value. b must be valid UTF-8, as encoding/json writes it.
func JSON(b []byte) []byte {
	if !needsEscape(string(b)) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 12)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x20 && unsafe(r) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.Bytes()
}

// A Writer passes lines to an underlying writer with each line escaped: as
// Escape for text, as JSON for JSON Lines. Line breaks written to it stay
// line breaks. It buffers up to the end of a line, so a character split
// over two writes is seen whole; call Flush at the end to write a last line
// that has no newline. A Writer is safe for concurrent use; writers that
// write whole lines, as log.Logger does, never see their lines mixed.
type Writer struct {
	w      io.Writer
	escape func(line []byte) []byte
	mu     sync.Mutex // guards buf and writes to w
	buf    []byte     // the start of a line not yet written
}

// NewWriter returns a Writer that escapes text lines as Escape does.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w, escape: func(line []byte) []byte { return []byte(Escape(string(line))) }}
}

// NewJSONWriter returns a Writer for JSON Lines, escaping each as JSON does.
func NewJSONWriter(w io.Writer) *Writer {
	return &Writer{w: w, escape: JSON}
}

// Write escapes and writes every complete line in p, and keeps the rest.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	var out []byte
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		out = append(append(out, w.escape(w.buf[:i])...), '\n')
		w.buf = w.buf[i+1:]
	}
	w.buf = append([]byte(nil), w.buf...) // do not pin what was written
	if len(out) > 0 {
		if _, err := w.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what is left of a last line, escaped.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.w.Write(w.escape(w.buf))
	w.buf = nil
	return err
}
