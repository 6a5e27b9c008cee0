// Package analyzer holds the bleve analyzers zhengce indexes paragraphs with.
//
// Two analyzers read the same original paragraph text:
//
//   - Exact ([ExactAnalyzerName]) emits the normalised text of package norm
//     as positioned character tokens: at position i the single character
//     c[i] and the pair c[i]c[i+1]. A phrase of one character is a term
//     query on the single characters; a longer phrase is a phrase query over
//     its overlapping pairs. Because every normalised character takes exactly
//     one position, with deleted characters leaving no gap and each
//     separator taking one, phrase matching is substring matching on the
//     normalised text, whatever a word segmenter would have made of it.
//     Pairs keep posting lists short for common characters (的, 发, 展).
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
