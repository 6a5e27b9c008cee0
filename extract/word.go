package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
)

// readWord reads a legacy Word .doc or a WPS .wps file with antiword, or
// with catdoc when antiword is missing or cannot read the file.
func readWord(ctx context.Context, format string, data []byte, opts Options) (*Document, error) {
	if !bytes.HasPrefix(data, oleMagic) {
		return nil, fmt.Errorf("%w: not a Word 97–2003 or WPS file (no OLE header)", ErrBroken)
	}
	file, remove, err := tempFile(data, "."+strings.ToLower(format))
	if err != nil {
		return nil, err
	}
	defer remove()
	// -w 0: one paragraph a line; -m UTF-8.txt: UTF-8 output.
	out, err := run(ctx, opts, nil, "antiword", "-w", "0", "-m", "UTF-8.txt", file)
	if err != nil {
		out2, err2 := run(ctx, opts, nil, "catdoc", "-w", "-d", "utf-8", file)
		if err2 != nil {
			return nil, wordError(format, err, err2)
		}
		out = out2
	}
	doc := &Document{Format: format}
	for _, l := range strings.Split(string(out), "\n") {
		// antiword marks table cells with |; a picture with [pic].
		l = strings.TrimSpace(strings.ReplaceAll(l, "[pic]", ""))
		if strings.HasPrefix(l, "|") && strings.HasSuffix(l, "|") {
			l = strings.Join(strings.Fields(strings.ReplaceAll(strings.Trim(l, "|"), "|", "\t")), "\t")
		}
		if l != "" {
			doc.Paragraphs = append(doc.Paragraphs, Paragraph{Text: l})
		}
	}
	return doc, nil
}

// wordError says why neither antiword nor catdoc read a file.
func wordError(format string, errs ...error) error {
	missing := 0
	for _, err := range errs {
		if errors.Is(err, ErrToolMissing) {
			missing++
		}
	}
	if missing == len(errs) {
		return fmt.Errorf("%w: reading %s needs antiword or catdoc (Debian packages antiword, catdoc)", ErrToolMissing, format)
	}
	msg := strings.ToLower(fmt.Sprint(errs))
	if strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") {
		return fmt.Errorf("%w (%v)", ErrEncrypted, errs[0])
	}
	return fmt.Errorf("%w: neither antiword nor catdoc could read it (%v; %v)", ErrBroken, errs[0], errs[1])
}
