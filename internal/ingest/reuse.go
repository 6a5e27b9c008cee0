package ingest

import (
	"context"
	"fmt"

	"github.com/zhengce/zhengce/reuse"
)

// updateReuse brings the reuse table of the index at out up to the
// generation just committed (package reuse), so that it is built at index
// time rather than by the first reader.
func updateReuse(out string) (reuse.Stats, error) {
	st, err := reuse.Update(context.Background(), out)
	if err != nil {
		return st, fmt.Errorf("the index is written, but finding text reuse failed: %w", err)
	}
	return st, nil
}
