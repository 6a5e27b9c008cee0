// Package novelty finds the new phrases of a year: the slogans and policy
// terms that the reports of a chosen year use and no earlier report of the
// chosen places does, ranked by how many places took them up that year;
// and those that disappeared, used in the year before and no longer.
//
// The candidates are the quoted spans (package quoted: “…” of 2 to 8 Han
// characters) of the reports of the chosen year and of the year before it,
// and the policy vocabulary the analyzer keeps whole (analyzer.PolicyTerms:
// the curated terms and the slogans mined from the bundled reports). Each
// candidate is counted as an exact phrase with index.Searcher.Count, so a
// slogan quoted once and later used without quotation marks is found both
// times, and every number is the hit count a search for it gives.
//
// "First seen" is relative to the corpus: a phrase is new in a year when no
// dated report of the scope before that year uses it. A place whose first
// report in the corpus is of that year tells nothing about what it said
// before; Phrase.Adopters counts only the places that also have an earlier
// report, which did not use the phrase.
package novelty
