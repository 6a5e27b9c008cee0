// Package bench measures zhengce at scale against the tools a newsroom would
// use instead (issue 5): it generates a corpus of N paragraphs from one seed
// by drawing real paragraphs from the bundled reports and giving them
// synthetic but real-looking provinces, cities, districts, years and
// sections; builds the index; measures indexing, in-process query latency,
// HTTP load against `search serve`, command-line cold start, and the same
// query mix in SQLite FTS5 (trigram) and ripgrep; and writes a Markdown
// report. Command bench (cmd/bench) is its front end.
//
// Nothing here is used by the search engine itself.
package bench
