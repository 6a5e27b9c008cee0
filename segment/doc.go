// Package segment is zhengce's exact engine: an immutable file of report
// paragraphs that answers phrase queries by bitmap intersection and
// verification, and serves the columns facets and ranking read.
//
// A segment is written once by a [Writer] and read by memory-mapping it
// ([Open]). For every normalised character (package norm) and every pair of
// adjacent normalised characters it holds the set of paragraphs containing
// it, as a compressed bitmap (github.com/RoaringBitmap/roaring). A phrase of
// one or two characters is one bitmap: the answer, exactly. A longer phrase
// intersects the bitmaps of its pairs and then verifies each candidate
// against the paragraph's stored normalised text, so the answer is always
// the set of paragraphs whose normalised text contains the normalised
// phrase — the definition of a match in package norm — and nothing else.
//
// Besides the postings a segment stores, per paragraph, its report, ordinal,
// source offset, section, heading, page and flags as fixed-width columns; the
// normalised text as 16-bit code units (for verification, uncompressed and
// mapped); the original text compressed in small zstd blocks (for display);
// the reports' metadata as opaque records its caller encodes; and named
// auxiliary sections. The file format is documented in read.go.
//
// A segment knows nothing of generations, deletions or word ranking: package
// index combines segments into an index.
package segment
