// Package analyzer holds the word analyzer zhengce ranks paragraphs with.
//
// Words ([WordsAnalyzerName]) folds a paragraph as package norm does
// (NFKC, traditional to simplified, lower case) and segments it with
// gojieba, for BM25 ranking in each segment's bleve index. It never
// decides whether a paragraph matches: gojieba cuts the same characters
// differently by context (放管服 alone is one word, inside “放管服”改革 it
// is 放/管/服), so matching is done by package segment on the normalised
// characters themselves.
//
// Words tokens carry byte offsets into the original text. The analyzer is
// registered with bleve's registry under its exported name when this
// package is imported; an index built with it cannot be opened without
// importing it. Its dictionaries are embedded (dict/) and written once to a
// cache directory, because gojieba reads them from files.
package analyzer
