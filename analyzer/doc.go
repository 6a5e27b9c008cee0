// Package analyzer holds the bleve analyzers zhengce indexes paragraphs with.
//
// Two analyzers read the same original paragraph text:
//
//   - Exact ([ExactAnalyzerName]) emits the normalised text of package norm
//     as one token per character, at consecutive positions: deleted
//     characters leave no gap and each separator takes one position. A
//     phrase is a phrase query over its characters, so phrase matching is
//     substring matching on the normalised text, for phrases of any length
//     from one character, whatever a word segmenter would have made of it.
//     (Character pairs were measured too: 1.5 times the index size for
//     shorter posting lists; see doc/design.md.)
//   - Words ([WordsAnalyzerName]) segments the folded text with gojieba, for
//     BM25 ranking. It never decides whether a paragraph matches.
//
// Both report byte offsets into the original text, so highlights land on
// the characters the reader sees, in either script.
//
// The analyzers are registered with bleve's registry under the exported
// names when this package is imported; an index built with them cannot be
// opened without importing it.
package analyzer
