// Package extract reads the formats reports are published in besides plain
// text and HTML — PDF (with a text layer or scanned), Word .docx, legacy
// Word .doc and WPS .wps — into paragraphs that cite their page and say
// whether they were read by OCR.
//
// PDF is read with poppler's pdftotext (-bbox-layout): the boxes of the
// lines let Read drop running headers, footers and page numbers by where
// they stand on the page, and join the lines of a paragraph across line and
// page breaks by where they start and end. A page without a text layer is
// rendered with pdftoppm and read by Tesseract (chi_sim); its paragraphs
// are marked OCR. Word .docx is read in Go (archive/zip, encoding/xml);
// .doc and .wps through antiword, or catdoc when antiword cannot read it.
//
// The external programs run with a time limit, a memory limit (prlimit)
// and a cap on their output; a PDF is read up to Options.MaxPages pages.
// A program that is not installed makes Read return an error wrapping
// ErrToolMissing that names the Debian package to install.
package extract
