package segment

// The original text of a paragraph is not stored beside its normalised
// text: it is the normalised text (the code units, which are needed for
// verification anyway) plus the exceptions that restore it. Most characters
// of a report are their own normalised form; the exceptions are the
// punctuation (which normalises to a separator), what normalisation
// deletes (quotation marks, brackets, white space) and what it folds
// (traditional characters, full-width digits, capitals). An exception says:
// at normalised character pos, the next n normalised characters (0 for a
// deletion) stand for these original bytes. Exceptions are found from the
// spans package norm gives every normalised character, so they follow the
// one definition of the normalised text, and restoring is exact for any
// input, invalid UTF-8 included.
//
// A paragraph's exceptions are a sequence of (uvarint gap, uvarint id):
// gap is pos minus the end of the previous exception (pos+n), id is an
// entry of the segment's table of (n, bytes) pairs, most frequent first
// when the writer saw them early, or 0 followed by uvarint n, uvarint
// length and the bytes for an entry kept out of the table.

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/zhengce/zhengce/norm"
)

// excTableMax bounds the exception table; rarer exceptions are inline.
const (
	excTableMax  = 1 << 16
	excInlineLen = 24 // bytes: longer payloads are inline
)

type excKey struct {
	n    int
	orig string
}

// excWriter encodes the exceptions of paragraphs.
type excWriter struct {
	table map[excKey]uint32 // id (from 1)
	order []excKey
}

func newExcWriter() *excWriter { return &excWriter{table: map[excKey]uint32{}} }

// appendExceptions appends the exceptions that restore text from the
// normalised characters chars (norm.Chars(text)) to dst.
func (x *excWriter) appendExceptions(dst []byte, text string, chars []norm.Char) []byte {
	var (
		pending   []byte // original bytes waiting for their exception
		pendingN  int    // normalised characters they stand for
		pendingAt = -1   // normalised position where they start
		end       int    // normalised position after the last exception
		pos       int    // original byte cursor
	)
	flush := func() {
		if pendingAt < 0 {
			return
		}
		dst = binary.AppendUvarint(dst, uint64(pendingAt-end))
		dst = x.appendEntry(dst, pendingN, pending)
		end = pendingAt + pendingN
		pending, pendingN, pendingAt = pending[:0], 0, -1
	}
	add := func(at, n int, b string) {
		if pendingAt >= 0 && pendingAt+pendingN != at {
			flush()
		}
		if pendingAt < 0 {
			pendingAt = at
		}
		pending = append(pending, b...)
		pendingN += n
	}
	for i := 0; i < len(chars); {
		c := chars[i]
		if c.Start > pos {
			add(i, 0, text[pos:c.Start]) // deleted, or a separator folded into the previous one
		}
		j := i + 1
		for j < len(chars) && chars[j].Start == c.Start && chars[j].End == c.End {
			j++
		}
		orig := text[c.Start:c.End]
		if j == i+1 && len(orig) == utf8.RuneLen(c.R) && decodesTo(orig, c.R) {
			flush()
		} else {
			add(i, j-i, orig)
		}
		pos = c.End
		i = j
	}
	if pos < len(text) {
		add(len(chars), 0, text[pos:])
	}
	flush()
	return dst
}

func decodesTo(s string, r rune) bool {
	got, size := utf8.DecodeRuneInString(s)
	return got == r && size == len(s) && !(got == utf8.RuneError && size == 1)
}

func (x *excWriter) appendEntry(dst []byte, n int, orig []byte) []byte {
	if len(orig) <= excInlineLen {
		k := excKey{n, string(orig)}
		id, ok := x.table[k]
		if !ok && len(x.order) < excTableMax {
			x.order = append(x.order, k)
			id = uint32(len(x.order))
			x.table[k] = id
			ok = true
		}
		if ok {
			return binary.AppendUvarint(dst, uint64(id))
		}
	}
	dst = binary.AppendUvarint(dst, 0)
	dst = binary.AppendUvarint(dst, uint64(n))
	dst = binary.AppendUvarint(dst, uint64(len(orig)))
	return append(dst, orig...)
}

// encodeTable writes the exception table: uvarint count, then per entry
// uvarint n, uvarint length, bytes.
func (x *excWriter) encodeTable() []byte {
	b := binary.AppendUvarint(nil, uint64(len(x.order)))
	for _, k := range x.order {
		b = binary.AppendUvarint(b, uint64(k.n))
		b = binary.AppendUvarint(b, uint64(len(k.orig)))
		b = append(b, k.orig...)
	}
	return b
}

type excEntry struct {
	n    int
	orig string
}

// decodeExcTable reads the table encodeTable wrote.
func decodeExcTable(b []byte) ([]excEntry, bool) {
	count, k := binary.Uvarint(b)
	if k <= 0 || count > excTableMax {
		return nil, false
	}
	b = b[k:]
	out := make([]excEntry, 0, count)
	for range count {
		n, k1 := binary.Uvarint(b)
		if k1 <= 0 || n > 1<<20 {
			return nil, false
		}
		b = b[k1:]
		l, k2 := binary.Uvarint(b)
		if k2 <= 0 || l > uint64(len(b)-k2) {
			return nil, false
		}
		out = append(out, excEntry{int(n), string(b[k2 : k2+int(l)])})
		b = b[k2+int(l):]
	}
	return out, len(b) == 0
}

// restore rebuilds the original text of a paragraph from its code units
// and its exceptions, appending it to dst.
func (r *Reader) restore(dst []byte, units []uint16, exc []byte) ([]byte, bool) {
	i := 0  // unit index
	ch := 0 // normalised character index
	// copyChars appends the originals of normalised characters up to
	// (not including) character stop, which are their own originals.
	copyChars := func(stop int) bool {
		for ch < stop {
			c, n, ok := r.decodeUnit(units[i:])
			if !ok {
				return false
			}
			dst = utf8.AppendRune(dst, c)
			i += n
			ch++
		}
		return true
	}
	// skipChars steps over n normalised characters.
	skipChars := func(n int) bool {
		for ; n > 0; n-- {
			_, k, ok := r.decodeUnit(units[i:])
			if !ok {
				return false
			}
			i += k
			ch++
		}
		return true
	}
	for len(exc) > 0 {
		gap, k := binary.Uvarint(exc)
		if k <= 0 || gap > uint64(len(units)) {
			return nil, false
		}
		exc = exc[k:]
		id, k := binary.Uvarint(exc)
		if k <= 0 {
			return nil, false
		}
		exc = exc[k:]
		var e excEntry
		if id == 0 {
			n, k1 := binary.Uvarint(exc)
			if k1 <= 0 || n > uint64(len(units)) {
				return nil, false
			}
			exc = exc[k1:]
			l, k2 := binary.Uvarint(exc)
			if k2 <= 0 || l > uint64(len(exc)-k2) {
				return nil, false
			}
			e = excEntry{int(n), string(exc[k2 : k2+int(l)])}
			exc = exc[k2+int(l):]
		} else {
			if id > uint64(len(r.excTable)) {
				return nil, false
			}
			e = r.excTable[id-1]
		}
		if !copyChars(ch + int(gap)) {
			return nil, false
		}
		dst = append(dst, e.orig...)
		if !skipChars(e.n) {
			return nil, false
		}
	}
	for i < len(units) {
		c, n, ok := r.decodeUnit(units[i:])
		if !ok {
			return nil, false
		}
		dst = utf8.AppendRune(dst, c)
		i += n
	}
	return dst, true
}

// decodeUnit returns the character the units start with and how many
// units it takes.
func (r *Reader) decodeUnit(u []uint16) (rune, int, bool) {
	if len(u) == 0 {
		return 0, 0, false
	}
	if u[0] < escHi {
		if int(u[0]) >= len(r.alphabet) {
			return 0, 0, false
		}
		return rune(r.alphabet[u[0]]), 1, true
	}
	if u[0] >= escLo || len(u) < 2 || u[1] < escLo {
		return 0, 0, false
	}
	return rune(u[0]-escHi)<<11 | rune(u[1]-escLo), 2, true
}
