// Package index builds and searches the on-disk index of report paragraphs.
//
// An index is a directory:
//
//	manifest.json  format and analyzer versions, corpus fingerprint, counts
//	reports.json   one entry per report: metadata, no text
//	bleve/         a bleve scorch index with one document per paragraph
//
// Each paragraph document has the original text (stored, never analysed
// for matching), the exact field (package analyzer, exact character
// tokens with positions: decides what matches), the words field (gojieba
// words: decides the order, by BM25), and keyword fields for the facets and
// filters (province, city, district, year, section) plus the trend pairs
// year×district and year×province.
//
// A [Builder] writes a new index into a temporary directory and renames it
// into place only when it is complete, so a reader never sees half an index.
// [Open] refuses an index whose manifest names other analyzer or format
// versions: it must be rebuilt, not misread.
package index
