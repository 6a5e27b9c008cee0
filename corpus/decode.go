package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Limits for input that cannot be a report. A report is tens of kilobytes;
// the limits only stop runaway input from eating memory.
const (
	maxFileBytes = 32 << 20 // whole file
	maxLineBytes = 1 << 20  // one line of a text file
)

// Errors that make a whole file unusable. Parse wraps them with details;
// test with errors.Is.
var (
	ErrEmpty        = errors.New("empty file")
	ErrBinary       = errors.New("binary data, not text")
	ErrTooLarge     = errors.New("file too large")
	ErrLineTooLong  = errors.New("line too long")
	ErrUndecodable  = errors.New("text in no supported encoding (UTF-8, GB18030/GBK, UTF-16)")
	ErrNoReportText = errors.New("no report text")
)

// decoded is a file's text after encoding detection.
type decoded struct {
	text     string // valid UTF-8, byte-order mark removed
	encoding string // "UTF-8", "UTF-8 (BOM)", "GB18030", "UTF-16LE", "UTF-16BE"
	replaced int    // invalid bytes replaced by U+FFFD
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// decode detects the encoding of data and returns its text. HTML files may
// name their charset in a meta tag; otherwise the bytes decide.
func decode(data []byte, isHTML bool) (decoded, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return decodeUTF8(data[3:], "UTF-8 (BOM)"), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), data[2:], "UTF-16LE")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), data[2:], "UTF-16BE")
	}
	if le, be := utf16Likely(data); le || be {
		if le {
			return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), data, "UTF-16LE")
		}
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), data, "UTF-16BE")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// UTF-16 without a byte-order mark and with little ASCII has NUL
		// bytes only in its line breaks; binary data reads as nonsense.
		if len(data)%2 == 0 {
			for _, e := range []struct {
				order unicode.Endianness
				name  string
			}{{unicode.LittleEndian, "UTF-16LE"}, {unicode.BigEndian, "UTF-16BE"}} {
				if d, err := decodeWith(unicode.UTF16(e.order, unicode.IgnoreBOM), data, e.name); err == nil && mostlyHan(d.text) {
					return d, nil
				}
			}
		}
		// A stray NUL in otherwise textual data is removed (repairText),
		// not a reason to lose the report.
	}
	if controlRatio(data) > 0.01 {
		return decoded{}, ErrBinary
	}
	if isHTML {
		head := data
		if len(head) > 4096 {
			head = head[:4096]
		}
		if m := metaCharset.FindSubmatch(head); m != nil {
			switch strings.ToLower(string(m[1])) {
			case "gb2312", "gbk", "gb18030", "x-gbk", "cp936":
				return decodeWith(simplifiedchinese.GB18030, data, "GB18030")
			}
			// A page that claims UTF-8 is still checked below: pages lie.
		}
	}
	invalid := invalidUTF8(data)
	if invalid == 0 {
		return decoded{text: string(data), encoding: "UTF-8"}, nil
	}
	// A few broken bytes in otherwise valid UTF-8 (a page cut mid-character)
	// stay UTF-8; GBK read as UTF-8 breaks on almost every Chinese character.
	if invalid <= 8 || invalid*1000 <= len(data) {
		return decodeUTF8(data, "UTF-8"), nil
	}
	return decodeWith(simplifiedchinese.GB18030, data, "GB18030")
}

// decodeUTF8 keeps valid UTF-8 and replaces each invalid byte by one U+FFFD,
// so that every byte of the source still counts as one character.
func decodeUTF8(data []byte, name string) decoded {
	if utf8.Valid(data) {
		return decoded{text: string(data), encoding: name}
	}
	var b strings.Builder
	b.Grow(len(data) + 16)
	n := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
			n++
		} else {
			b.Write(data[i : i+size])
		}
		i += size
	}
	return decoded{text: b.String(), encoding: name, replaced: n}
}

func decodeWith(enc encoding.Encoding, data []byte, name string) (decoded, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return decoded{}, fmt.Errorf("%w: %s decoder: %v", ErrUndecodable, name, err)
	}
	text := string(out)
	text = strings.TrimPrefix(text, "\uFEFF")
	bad := strings.Count(text, "\uFFFD")
	runes := utf8.RuneCountInString(text)
	if runes > 0 && bad*100 > runes {
		return decoded{}, fmt.Errorf("%w: %d of %d characters invalid as %s", ErrUndecodable, bad, runes, name)
	}
	if controlRatio([]byte(text)) > 0.01 {
		return decoded{}, fmt.Errorf("%w: control characters when read as %s", ErrBinary, name)
	}
	if !looksLikeText(text) {
		return decoded{}, fmt.Errorf("%w: %s gives characters no report uses", ErrUndecodable, name)
	}
	return decoded{text: text, encoding: name, replaced: bad}, nil
}

// utf16Likely reports whether data looks like UTF-16 without a byte-order
// mark: text in UTF-16 has NUL in one byte of most ASCII characters.
func utf16Likely(data []byte) (le, be bool) {
	n := len(data)
	if n < 4 || n%2 != 0 {
		return false, false
	}
	if n > 4096 {
		n = 4096
	}
	var evenZero, oddZero int
	for i := 0; i+1 < n; i += 2 {
		if data[i] == 0 {
			evenZero++
		}
		if data[i+1] == 0 {
			oddZero++
		}
	}
	pairs := n / 2
	le = oddZero*10 > pairs*3 && evenZero*20 < pairs
	be = evenZero*10 > pairs*3 && oddZero*20 < pairs
	return le, be
}

func controlRatio(data []byte) float64 {
	n := len(data)
	if n > 65536 {
		n = 65536
	}
	if n == 0 {
		return 0
	}
	bad := 0
	for _, c := range data[:n] {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b {
			bad++
		}
	}
	return float64(bad) / float64(n)
}

func invalidUTF8(data []byte) int {
	n := 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			n++
		}
		i += size
	}
	return n
}

// looksLikeText reports whether decoded GB18030 text is made of characters a
// report could hold: random bytes decode to rare characters and symbols.
func looksLikeText(s string) bool {
	total, odd := 0, 0
	for _, r := range s {
		total++
		switch {
		case r < 0x80, r >= 0x4E00 && r <= 0x9FFF, r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF,
			r >= 0x2000 && r <= 0x206F, r >= 0x2460 && r <= 0x257F:
		default:
			odd++
		}
	}
	return total == 0 || odd*10 <= total
}

// checkSize rejects files that cannot be reports before they are decoded.
func checkSize(data []byte, isHTML bool) error {
	if len(bytes.TrimSpace(data)) == 0 {
		if len(data) == 0 {
			return ErrEmpty
		}
		return fmt.Errorf("%w: only white space", ErrEmpty)
	}
	if len(data) > maxFileBytes {
		if bytes.IndexAny(data[:maxLineBytes], "\r\n") < 0 {
			return fmt.Errorf("%w: over %d MB with no line break in the first %d KB", ErrTooLarge, maxFileBytes>>20, maxLineBytes>>10)
		}
		return fmt.Errorf("%w: over the %d MB limit", ErrTooLarge, maxFileBytes>>20)
	}
	if isHTML {
		return nil // minified HTML is one long line; its text is checked after reduction
	}
	start, lineNo := 0, 1
	for start < len(data) {
		i := bytes.IndexByte(data[start:], '\n')
		end := len(data)
		if i >= 0 {
			end = start + i
		}
		if end-start > maxLineBytes {
			return fmt.Errorf("%w: line %d is %d KB, limit %d KB", ErrLineTooLong, lineNo, (end-start)>>10, maxLineBytes>>10)
		}
		start = end + 1
		lineNo++
	}
	return nil
}

// mostlyHan reports whether most non-space characters of s are Chinese.
func mostlyHan(s string) bool {
	han, other := 0, 0
	for _, r := range s {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF:
			han++
		case r > ' ':
			other++
		}
	}
	return han > other
}
