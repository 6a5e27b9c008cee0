package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/zhengce/zhengce/analyzer"
)

// Field names of a paragraph document.
const (
	fieldText      = "text"
	fieldExact     = "exact"  // characters, for one-character phrases
	fieldPairs     = "exact2" // character pairs with positions, for longer ones
	fieldWords     = "words"
	fieldReport    = "report"
	fieldProvince  = "province"
	fieldCity      = "city"
	fieldDistrict  = "district"
	fieldYear      = "year" // number: ranges and sorting
	fieldSection   = "section"
	fieldFacetKey  = "rsec" // "<report id>|<section>": the one doc-value field facets read
	fieldHeading   = "heading"
	fieldParagraph = "paragraph"
	fieldOffset    = "offset"
)

// storedFields are loaded for every hit. What is the same for every
// paragraph of a report (path, title, place, year) is stored once, in
// reports.json: storing it per paragraph made a third of the index.
var storedFields = []string{fieldText, fieldReport, fieldSection, fieldHeading, fieldParagraph, fieldOffset}

func newMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	dm := bleve.NewDocumentStaticMapping()

	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keyword.Name
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	text := stored()

	exact := bleve.NewTextFieldMapping()
	exact.Name = fieldExact
	exact.Analyzer = analyzer.ExactAnalyzerName
	exact.Store = false
	exact.IncludeInAll = false
	exact.IncludeTermVectors = false // only term queries
	exact.DocValues = false

	pairs := bleve.NewTextFieldMapping()
	pairs.Name = fieldPairs
	pairs.Analyzer = analyzer.ExactPairAnalyzerName
	pairs.Store = false
	pairs.IncludeInAll = false
	pairs.IncludeTermVectors = true // phrase queries need positions
	pairs.DocValues = false

	words := bleve.NewTextFieldMapping()
	words.Name = fieldWords
	words.Analyzer = analyzer.WordsAnalyzerName
	words.Store = false
	words.IncludeInAll = false
	words.IncludeTermVectors = false
	words.DocValues = false

	dm.AddFieldMappingsAt(fieldText, text, exact, pairs, words)

	keywordField := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = docValues
		f.SkipFreqNorm = true
		return f
	}
	// Facets read one doc-value field, report|section: place and year are
	// the report's, so their counts are summed from the per-report counts
	// (reading six doc-value fields per hit was 38% of query time at a
	// million paragraphs, two still half of it). The other fields stay
	// indexed for filters.
	for _, name := range []string{fieldReport, fieldSection} {
		dm.AddFieldMappingsAt(name, keywordField(true, false))
	}
	dm.AddFieldMappingsAt(fieldFacetKey, keywordField(false, true))
	for _, name := range []string{fieldProvince, fieldCity, fieldDistrict} {
		dm.AddFieldMappingsAt(name, keywordField(false, false))
	}
	dm.AddFieldMappingsAt(fieldHeading, stored())
	year := bleve.NewNumericFieldMapping()
	year.Store = false
	year.DocValues = true
	year.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldYear, year)
	for _, name := range []string{fieldParagraph, fieldOffset} {
		f := bleve.NewNumericFieldMapping()
		f.Index = false
		f.Store = true
		f.DocValues = false
		f.IncludeInAll = false
		dm.AddFieldMappingsAt(name, f)
	}

	// Nothing searches the composite _all field; zapx still visited it
	// for every document.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im
}
