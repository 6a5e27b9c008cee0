package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zhengce/zhengce/analyzer"
)

// FormatVersion changes whenever the document fields or their meaning change.
const FormatVersion = 2

// ErrIncompatible means an index was built by another version of zhengce
// and must be rebuilt.
var ErrIncompatible = errors.New("index built by an incompatible version")

// Manifest describes an index directory.
type Manifest struct {
	Format      int       `json:"format"`
	Analyzer    string    `json:"analyzer"`    // exact and words analyzer versions
	Fingerprint string    `json:"fingerprint"` // of the corpus it was built from, if known
	Built       time.Time `json:"built"`
	Reports     int       `json:"reports"`
	Paragraphs  int       `json:"paragraphs"`
	TextBytes   int64     `json:"text_bytes"`
}

func analyzerVersion() string {
	return fmt.Sprintf("exact-%d/words-%s", analyzer.ExactVersion, analyzer.WordsVersion)
}

// ReadManifest reads the manifest of the index in dir and checks that this
// program can read the index.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("reading index manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("reading index manifest %s: %w", dir, err)
	}
	if m.Format != FormatVersion || m.Analyzer != analyzerVersion() {
		return &m, fmt.Errorf("index %s has format %d, analyzers %q; this program writes format %d, analyzers %q: %w",
			dir, m.Format, m.Analyzer, FormatVersion, analyzerVersion(), ErrIncompatible)
	}
	return &m, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
