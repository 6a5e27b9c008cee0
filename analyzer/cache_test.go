package analyzer

import "github.com/blevesearch/bleve/v2/registry"

func analysisCache() *registry.Cache { return registry.NewCache() }
