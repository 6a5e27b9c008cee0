// Package reuse finds the text that reports share: for every paragraph, the
// other reports that hold the same or nearly the same passage, oldest
// first, so that who wrote it first can be read off; per report, the share
// of its text found in earlier reports of other places; over the corpus,
// the most reused passages and the pairs of reports that share most.
//
// # What counts as reuse
//
// Texts are compared in package norm's normalised form with every separator
// removed and every run of digits folded to one "0", so punctuation,
// script, width and changed figures (增长8.5% → 增长6%) do not hide a copy.
// A paragraph's shingles are its character [ShingleLen]-grams; paragraphs
// shorter than [MinChars] characters (headings, salutations) are not
// compared. Paragraph P is found in paragraph Q when
//
//	containment(P, Q) = |shingles(P) ∩ shingles(Q)| / |shingles(P)| ≥ Threshold
//
// that is, when at least half of P's distinct 8-grams occur in Q (exact
// sets, not an estimate). Containment is one-sided: a short paragraph copied
// into a longer one is found in it; the longer one is found in the short one
// only if half of it was copied. For every other report, the paragraph of
// it that contains most of P is the match.
//
// A report's place is its level, province, city and district; reports of
// the same place (a county's reports of other years) are matched too but
// kept apart: they are shown as the place's own earlier text, never counted
// as copying, and never make a pair. A report with no place at all is a
// place of its own.
//
// # Boilerplate
//
// Text every report shares (各位代表…请予审议, 现在我代表…政府向大会报告工作)
// says nothing about who copied whom. A passage is boilerplate when the
// places it appears in (its own and its matches') number at least
//
//	max(BoilerplateMinPlaces, ⌈BoilerplateShare × places in the index⌉)
//
// (at least 3 places and a third of all: 5 of the bundled corpus's 15,
// 200 of the 600 districts of cmd/bench's synthetic corpus)
// and a paragraph is boilerplate too when at least half of its sampled
// shingles (below) are boilerplate shingles, found in that many places.
// Boilerplate paragraphs are marked as such and are not reuse: they count in
// no share, no pair and no list of passages.
//
// # Earlier
//
// Reports are ordered by year, then by the generation that added them, then
// by index order. A paragraph is reused from an earlier report when a report
// of another place with a strictly earlier year contains it; a report's
// reused share is the sum over its paragraphs of length × containment in
// such a report (the best one), over its whole length. A passage's original
// is its paragraph that comes first in that order among all its matches;
// the list of most reused passages lists originals by the number of places
// their text appears in.
//
// # Cost
//
// The table is computed once per generation, after the index is written
// (package ingest calls [Update]), in one pass over the normalised text
// (index.Index.Texts). Every paragraph's distinct shingles are hashed to 32
// bits and kept, sorted, in one array; one in [SampleEvery] of them (chosen
// by hash, so the same text samples the same shingles wherever it occurs)
// plus the smallest is also put in an inverted list. A paragraph's
// candidates are the paragraphs that share at least a quarter of its
// sampled shingles (half the threshold); each candidate's containment is
// then computed exactly from the two sorted arrays. Shingles in
// boilerplate places, and any inverted list longer than [MaxPosting], are
// skipped when finding candidates. Time and memory are linear in the text
// plus the candidate pairs; BenchmarkCompute and the figures in
// doc/reuse.md measure them.
//
// # Stored form
//
// [Write] stores a [Table] in the index directory as reuse.bin (format in
// file.go), stamped with the generation it was computed from; [Read]
// refuses a file of another generation with [ErrStale], so a table is
// never used for an index it does not describe.
package reuse
