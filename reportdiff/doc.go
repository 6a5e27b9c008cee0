// Package reportdiff compares two reports: which paragraphs stayed, which
// were edited, moved, split or merged, which were added or dropped, and
// which policy phrases are new or gone.
//
// # Alignment
//
// Each paragraph is reduced to the set of character bigrams of its
// normalised text (package norm: script, width and punctuation folded
// away). Two paragraphs are similar when the Dice coefficient of their sets,
// 2|A∩B| / (|A|+|B|), is at least [DefaultThreshold] (0.5). Paragraphs are
// aligned in three passes:
//
//  1. a monotone alignment (a weighted longest common subsequence) that
//     maximises the summed similarity of the pairs it keeps in order;
//  2. the paragraphs left over on both sides are paired greedily, most
//     similar first: these are moved paragraphs (Pair.Moved);
//  3. a paragraph still left over whose bigrams lie at least
//     [DefaultContainment] (0.8) inside one already paired paragraph of the
//     other side is a piece of it: a split (old → several new) or a merge
//     (several old → new), Pair.Join.
//
// What remains is removed (old only) or added (new only). A pair whose
// texts are equal (spaces trimmed) is "same"; otherwise it is "changed", and
// its texts are diffed by character (github.com/sergi/go-diff, semantic
// clean-up) and cut into sentences, each marked changed or not.
//
// # Phrases
//
// The candidates are the terms quoted in either report (“…”, 「…」, 2 to 16
// characters) and the policy vocabulary of package analyzer found in
// either. A candidate is new when it occurs in the new report and nowhere in
// the old one (quoted or not), dropped in the opposite case.
package reportdiff
