// Package termtext makes untrusted text safe to print on a terminal.
//
// Report text, titles and file names come from scraped pages and other
// people's folders. Printed raw, an escape sequence (ESC [ …, or the
// one-byte C1 CSI) recolours, moves the cursor, retitles the window or
// rewrites what was printed; a newline, carriage return or tab in a file
// name splits one hit over two lines or overwrites it; a bidi override
// reorders what is shown. [Escape] writes each such character as a Go-style
// escape (\x1b, \n, \u202e), and a byte that is not UTF-8 as \xff, so one
// field stays one line and nothing reaches the terminal raw. Printable text,
// CJK included, and the backslash are left as they are: the output is for
// people, and must stay readable.
//
// [Writer] does the same for a listing that has lines of its own, and
// [JSON] for JSON, whose encoders escape C0 controls but leave C1 and bidi
// controls raw.
package termtext
