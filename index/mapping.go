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
	fieldExact     = "exact"
	fieldWords     = "words"
	fieldReport    = "report"
	fieldProvince  = "province"
	fieldCity      = "city"
	fieldDistrict  = "district"
	fieldYear      = "year"  // number: ranges and sorting
	fieldYearKey   = "yeark" // keyword: facet
	fieldSection   = "section"
	fieldHeading   = "heading"
	fieldParagraph = "paragraph"
	fieldOffset    = "offset"
	fieldYearDist  = "ydist" // "2023|南山区", for the trend panel
	fieldYearProv  = "yprov"
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
	exact.IncludeTermVectors = true // phrase queries need positions
	exact.DocValues = false

	words := bleve.NewTextFieldMapping()
	words.Name = fieldWords
	words.Analyzer = analyzer.WordsAnalyzerName
	words.Store = false
	words.IncludeInAll = false
	words.IncludeTermVectors = false
	words.DocValues = false

	dm.AddFieldMappingsAt(fieldText, text, exact, words)

	keywordField := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		f.DocValues = true
		f.SkipFreqNorm = true
		return f
	}
	for _, name := range []string{fieldReport, fieldSection} {
		dm.AddFieldMappingsAt(name, keywordField(true))
	}
	for _, name := range []string{fieldProvince, fieldCity, fieldDistrict, fieldYearKey, fieldYearDist, fieldYearProv} {
		dm.AddFieldMappingsAt(name, keywordField(false))
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

	im.DefaultMapping = dm
	return im
}
