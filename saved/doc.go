// Package saved keeps saved searches and tells what is new in them: a query
// with its filters saved under a name, the reports that match it new since
// the last look, and an Atom feed of its most recent matches.
//
// Saved searches live in the index directory, in saved.json, beside the
// generations (package index leaves it alone when it cleans up or
// rebuilds). Every change takes an exclusive lock (flock on saved.lock), reads
// the file, changes it and writes it whole through a temporary file that is
// fsynced and renamed into place, so the web server and the command line can
// both save and look at searches without losing each other's changes, and a
// crash leaves the old file or the new one. There are no accounts: every
// saved search is visible to whoever can reach the server or the directory,
// and each keeps its own state (what was new for one is not consumed by
// another).
//
// # New since the last look
//
// A saved search remembers, for every report that matched it at the last
// look, how many paragraphs matched. A match is new when its report did not
// match then, or matches more paragraphs now (a report replaced by a changed
// file). Reports are known by their id, a hash of the source path, which a
// full rebuild (indexer -o) keeps: a rebuild of the same reports brings
// nothing new, where comparing generations would make every match look new
// (a rebuild re-adds every report under a new generation, and an index
// deleted and built again starts again at generation 1). A report removed
// and added again is new if a look saw it gone, and not if it comes back
// before the next look. Looking (Store.Look: `search -saved`, the
// button on the web page) records the current matches as seen; listing what
// is new (Store.New, Store.Observe: `indexer -add`, the feed) does not.
//
// Each report also carries the time it was first seen matching, recorded by
// Save, Look and Observe; `indexer -add` observes right after adding, so the
// time is when the report arrived. The feed dates its entries by it.
package saved
