package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// loadSources reads the bundled reports through package corpus: the same
// paragraphs, sections and headings the indexer sees.
func loadSources() ([]sourceReport, error) {
	var out []sourceReport
	_, err := corpus.Load(corpus.Bundled, "reports", func(r *corpus.Report) error {
		s := sourceReport{Path: fmt.Sprintf("%s#%d", r.Path, r.Part)}
		for _, p := range r.Paragraphs {
			s.Paragraphs = append(s.Paragraphs, sourceParagraph{Text: p.Text, Section: p.Section, Heading: strings.Join(p.Heading, " › ")})
		}
		if len(s.Paragraphs) > 0 {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bench: reading the bundled reports: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: the bundled reports have no paragraphs")
	}
	return out, nil
}

// gazetteerFile is the GB/T 2260 list package corpus embeds but does not
// export; the bench reads it from the module source, so it runs from inside
// the module (it also builds cmd/search there).
const gazetteerFile = "corpus/gazetteer/divisions.txt"

func loadDivisions() ([]division, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(root, gazetteerFile))
	if err != nil {
		return nil, fmt.Errorf("bench: reading the gazetteer: %w", err)
	}
	divs := parseDivisions(string(data))
	if len(divs) == 0 {
		return nil, fmt.Errorf("bench: %s has no divisions", gazetteerFile)
	}
	return divs, nil
}

// moduleRoot is the nearest directory at or above the current one that
// holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("bench: finding the module: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("bench: no go.mod at or above the current directory; run bench from inside the zhengce module")
		}
		dir = parent
	}
}
