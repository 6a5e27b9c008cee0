// Package analyzer holds the bleve analyzers zhengce indexes paragraphs with.
//
// Two analyzers read the same original paragraph text:
//
//   - Exact ([ExactAnalyzerName], [ExactPairAnalyzerName]) emit the
//     normalised text of package norm at consecutive positions: deleted
//     characters leave no gap and each separator takes one position. The
//     character field answers phrases of one character; the pair field,
//     with positions, answers longer ones as a phrase query over pairs
//     (see [ExactPhrase]). Phrase matching is therefore substring matching
//     on the normalised text, for phrases of any length, whatever a word
//     segmenter would have made of the text.
//   - Words ([WordsAnalyzerName]) segments the folded text with gojieba, for
//     BM25 ranking. It never decides whether a paragraph matches.
//
// Words tokens carry byte offsets into the original text; exact tokens do
// not need them, since highlights are computed by package index from the
// stored text with the same normalisation.
//
// The analyzers are registered with bleve's registry under the exported
// names when this package is imported; an index built with them cannot be
// opened without importing it.
package analyzer
