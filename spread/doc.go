// Package spread answers where a phrase came from and how it spread, the
// standard measures of policy-diffusion studies, over the hit counts of one
// query (index.Searcher.Count) and the metadata of every report
// (index.Searcher.Reports):
//
//   - first use: the earliest report of every place, at a chosen level
//     (province, city or district), with the paragraph that cites it;
//   - adoption: the places that have used the phrase by each year, as a count
//     and as a share of the places the corpus holds by that year, and the
//     share of the places reporting in a year whose report of that year uses
//     it (so a corpus that grows does not look like a phrase that spreads);
//   - frequency: matching paragraphs per 10,000 characters of report text,
//     per report and per year;
//   - a summary per province, for a map.
//
// A place at a level is every report that names a division at that level:
// at the province level 广东省 holds the reports of the province, its cities
// and its districts; reports that name no division at the level (the State
// Council's, or a city's own report at the district level) are outside it
// and counted in Result.Unplaced.
//
// A Table is built once from Reports and may be shared by any number of
// goroutines analysing different queries; it is safe for concurrent use.
package spread
