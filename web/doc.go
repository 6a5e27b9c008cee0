// Package web serves zhengce's search to people in a browser and to programs
// over HTTP.
//
// A [Server] holds an [index.Searcher] and renders, with html/template and
// echo v4:
//
//   - / — the search page: query box, facets (province, city, district, year,
//     section) with counts, highlighted hits, paging, sort and a trend panel
//     (hits per year by district or province, drawn with the vendored ECharts
//     and also given as a table). Every piece of state is in the URL.
//   - /doc/{id} — one report with its metadata, outline and full text, every
//     match of ?q= highlighted; #p{n} marks the cited paragraph.
//   - /export.csv, /export.json — every hit of a search, with citations.
//   - /api/search, /api/doc/{id} — the same as JSON; errors are
//     {"error": "..."} with a 4xx status.
//
// Templates and assets are embedded, so the binary serves no file from disk.
// Every response carries a Content-Security-Policy that allows scripts only
// from /assets/, and every request runs under a deadline.
package web
