package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"time"
)

// A Paragraph is one paragraph of a document, in reading order.
type Paragraph struct {
	Text  string
	Page  int  // 1-based page it starts on; 0 for formats without pages (Word)
	Level int  // heading level 1–6 from the document's styles, 0 if none is known
	OCR   bool // read from a scanned page by OCR: the text may be wrong
}

// A Document is what Read found in a file.
type Document struct {
	Format     string // FormatPDF, FormatDOCX, FormatDOC or FormatWPS
	Paragraphs []Paragraph
	Pages      int   // pages in the file (PDF), 0 otherwise
	OCRPages   []int // pages read by OCR, ascending
	Dropped    int   // running headers, footers and page numbers removed
	Warnings   []string
}

// Formats Read knows, by file extension.
const (
	FormatPDF  = "PDF"
	FormatDOCX = "DOCX"
	FormatDOC  = "DOC"
	FormatWPS  = "WPS"
)

var formats = map[string]string{".pdf": FormatPDF, ".docx": FormatDOCX, ".doc": FormatDOC, ".wps": FormatWPS}

// Format returns the format of a file by its name's extension, "" if Read
// does not read it.
func Format(name string) string { return formats[strings.ToLower(path.Ext(name))] }

// Errors Read returns, wrapped with what went wrong.
var (
	ErrToolMissing = errors.New("a program needed to read this format is not installed")
	ErrEncrypted   = errors.New("the file is encrypted with a password")
	ErrBroken      = errors.New("the file is damaged or not of the format its name says")
	ErrLimit       = errors.New("reading the file went over a limit")
	ErrNoText      = errors.New("no text found")
)

// Options bound what Read may spend on one file. The zero value means the
// defaults.
type Options struct {
	MaxPages    int           // PDF pages read (default 2000); the rest is dropped with a warning
	MaxOCRPages int           // scanned pages read by OCR (default 300); the rest with a warning
	Timeout     time.Duration // wall time of one run of an external program (default 2 minutes)
	MaxMemory   int64         // address space of an external program in bytes (default 2 GiB)
	MaxOutput   int           // bytes an external program may print (default 64 MiB)
	NoOCR       bool          // never OCR: pages without text are reported instead
}

func (o Options) withDefaults() Options {
	if o.MaxPages <= 0 {
		o.MaxPages = 2000
	}
	if o.MaxOCRPages <= 0 {
		o.MaxOCRPages = 300
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = 2 << 30
	}
	if o.MaxOutput <= 0 {
		o.MaxOutput = 64 << 20
	}
	return o
}

// Read reads the file named name (its extension selects the format) whose
// content is data. ctx bounds the whole file; Options bound each program
// run. Read is safe for concurrent use.
func Read(ctx context.Context, name string, data []byte, opts Options) (*Document, error) {
	opts = opts.withDefaults()
	var (
		doc *Document
		err error
	)
	switch f := Format(name); f {
	case FormatPDF:
		doc, err = readPDF(ctx, data, opts)
	case FormatDOCX:
		doc, err = readDOCX(data)
	case FormatDOC, FormatWPS:
		doc, err = readWord(ctx, f, data, opts)
	default:
		return nil, fmt.Errorf("extract: %q is not a PDF, Word or WPS file", name)
	}
	if err != nil {
		return nil, err
	}
	if len(doc.Paragraphs) == 0 {
		return nil, fmt.Errorf("%w in the %s file", ErrNoText, doc.Format)
	}
	return doc, nil
}

// tools names the Debian package of each program Read runs.
var tools = map[string]string{
	"pdfinfo": "poppler-utils", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils",
	"tesseract": "tesseract-ocr and tesseract-ocr-chi-sim", "antiword": "antiword", "catdoc": "catdoc",
}

// lookPath finds a program, or returns an ErrToolMissing error naming its
// package.
func lookPath(prog string) (string, error) {
	p, err := exec.LookPath(prog)
	if err != nil {
		return "", fmt.Errorf("%w: %s (Debian package %s)", ErrToolMissing, prog, tools[prog])
	}
	return p, nil
}

// A runError is a program that failed: its exit and what it printed on
// standard error.
type runError struct {
	prog   string
	err    error
	stderr string
}

func (e *runError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		return e.prog + ": " + e.err.Error()
	}
	return e.prog + ": " + msg
}

func (e *runError) Unwrap() error { return e.err }

// run runs prog with args, stdin as its standard input, under the time,
// memory and output limits of opts, and returns its standard output.
func run(ctx context.Context, opts Options, stdin []byte, prog string, args ...string) ([]byte, error) {
	bin, err := lookPath(prog)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	argv := append([]string{bin}, args...)
	if pl, err := exec.LookPath("prlimit"); err == nil {
		// prlimit execs the program itself, so the kill on timeout reaches it.
		secs := int(opts.Timeout/time.Second) + 1
		argv = append([]string{pl, "--as=" + strconv.FormatInt(opts.MaxMemory, 10), "--cpu=" + strconv.Itoa(secs), "--"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1", "LC_ALL=C.UTF-8")
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	stdout := &capped{max: opts.MaxOutput}
	stderr := &capped{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err = cmd.Run()
	switch {
	case stdout.over:
		return nil, fmt.Errorf("%w: %s printed over %d MB", ErrLimit, prog, opts.MaxOutput>>20)
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%w: %s ran over %v", ErrLimit, prog, opts.Timeout)
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, &runError{prog, err, stderr.String()}
	}
	return stdout.Bytes(), nil
}

// capped is a buffer that keeps at most max bytes and notes an overflow.
type capped struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		c.over = true
		return 0, errors.New("output over the limit")
	}
	return c.Buffer.Write(p)
}

// tempFile writes data to a new temporary file and returns its name and a
// function that removes it.
func tempFile(data []byte, ext string) (string, func(), error) {
	f, err := os.CreateTemp("", "zhengce-extract-*"+ext)
	if err != nil {
		return "", nil, err
	}
	name := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", nil, err
	}
	return name, func() { os.Remove(name) }, nil
}
