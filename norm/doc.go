// Package norm defines the normalised text that zhengce searches.
//
// Reports are shown exactly as they were written; search works on a
// normalised form of the same text, defined here once and used for indexing,
// for queries and in tests:
//
//  1. Every character is folded on its own: Unicode NFKC (full-width digits
//     and letters become ASCII), traditional to simplified Chinese (OpenCC
//     t2s, character table), then lower case. Folding character by character
//     keeps the fold of a substring equal to a substring of the fold, which is
//     what makes phrase search equal to substring search, and lets every
//     normalised character point back at the original bytes it came from.
//  2. White space, quotation marks and brackets (Unicode classes Ps, Pe, Pi,
//     Pf, ASCII ' and ") and invisible format characters (Cf) are deleted, so
//     放管服改革 matches “放管服”改革 and 政府工作报告 matches 《政府工作报告》.
//  3. Every line break and every other punctuation mark or symbol is a
//     separator, written [Sep]; a run of separators becomes one. A phrase
//     never spans a separator unless the query has one at that point:
//     发展改革 does not match 发展，改革, but 双随机、一公开 matches 双随机，一公开.
//
// A paragraph matches a phrase exactly when [String](phrase) is a substring of
// [String](paragraph).
package norm
