package corpus

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sync"
)

//go:generate go run ./internal/genbundle -src reports -out bundled/reports.zip

// bundledZip is corpus/reports packed by internal/genbundle. Go's embed
// refuses names with full-width brackets (…（在深圳市罗湖区…）_2014.txt), so the
// reports are embedded as one archive.
//
//go:embed bundled/reports.zip
var bundledZip []byte

// Bundled holds the reports shipped with zhengce under the root "reports":
// reports/samples (five scraped district reports), reports/shenzhen,
// reports/hailar and reports/truth.csv. Load(Bundled, "reports", fn) reads
// them. It is read-only and safe for concurrent use.
var Bundled fs.FS = bundledFS{}

type bundledFS struct{}

// BundledFingerprint identifies the bundled reports: a hash of the embedded
// archive, so a program can tell whether an index was built from them
// without unpacking them.
func BundledFingerprint() string {
	sum := sha256.Sum256(bundledZip)
	return hex.EncodeToString(sum[:8])
}

var (
	bundledOnce sync.Once
	bundled     *zip.Reader
	bundledErr  error
)

func (bundledFS) Open(name string) (fs.File, error) {
	bundledOnce.Do(func() {
		bundled, bundledErr = zip.NewReader(bytes.NewReader(bundledZip), int64(len(bundledZip)))
		if bundledErr != nil {
			bundledErr = fmt.Errorf("corpus: reading the bundled reports archive: %w", bundledErr)
		}
	})
	if bundledErr != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: bundledErr}
	}
	return bundled.Open(name)
}
