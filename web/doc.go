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
//   - /spread?q=&level= — how a phrase spread (package spread): first use
//     per place with the citing paragraph, the adoption curve, frequency per
//     10,000 characters and a map by province (vendored china.json), every
//     number also in a table linked to its paragraphs; /api/spread is the
//     JSON of `search spread -json`.
//   - /batch — many queries at once (package batch, ≤ 1,000): POST /batch
//     shows a row per query and the phrase × year and phrase × province
//     matrices, POST /batch.csv downloads them for Excel, POST /api/batch
//     answers JSON.
//
// Templates and assets are embedded, so the binary serves no file from disk.
// Every response carries a Content-Security-Policy that allows scripts only
// from /assets/, and every request runs under a deadline: the context of
// every Searcher call carries it, and a search past it is answered 503 and
// gives back its place among the searches run at once (GOMAXPROCS by
// default) even if the engine has not returned. HEAD is answered wherever GET
// is. A panic in a handler or the engine is logged with its stack and
// answered 500.
package web
