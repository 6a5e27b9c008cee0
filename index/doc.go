// Package index builds, updates and searches zhengce's on-disk index of
// report paragraphs.
//
// An index is a directory of immutable segments (package segment: the
// exact engine, with each segment's bleve index of gojieba words beside
// it) and a generation file naming the live segments and the reports
// deleted in them; CURRENT names the current generation. See dir.go for
// the layout and how a generation becomes current atomically.
//
// What matches is decided by the segments alone: a phrase is an exact
// substring of the normalised text (package norm), found by bitmap
// intersection and verification; AND, OR and NOT combine bitmaps, each
// child narrowing what the next must check; filters on place, year and
// section are bitmaps too. Facets and the trend count every hit through
// the report and section columns. The words field only orders the hits
// (rank.go). A query runs over the segments in parallel and stops when its
// context is done.
//
// A [Writer] adds reports into new segments and removes reports by marking
// them deleted in the next generation; [Create] starts from nothing,
// [Update] from the current generation ([Merge] rewrites small or sparse
// segments). [Open] opens the current generation; [Index.Reload] switches
// a running reader to a newer one while searches in flight finish on the
// old. Every file is checked against its checksum: a damaged index is an
// error naming the file, never a panic.
package index
