package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/saved"
)

// savedParagraphs is how many new paragraphs of each report -add prints.
const savedParagraphs = 3

// reportSaved prints, after -add, the matches of every saved search of the
// index that are new since its last look, and records when they were first
// seen (the time of their Atom entries). An index without saved searches
// prints nothing.
func reportSaved(dir string, stdout, stderr io.Writer) int {
	if _, err := os.Stat(filepath.Join(dir, saved.FileName)); errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	ix, err := index.Open(dir)
	if err != nil {
		errorf(stderr, "saved searches: %v", err)
		return 1
	}
	defer ix.Close()
	ms, err := saved.Open(dir).Observe(context.Background(), ix, savedParagraphs)
	if err != nil {
		errorf(stderr, "saved searches: %v", err)
		return 1
	}
	if len(ms) == 0 {
		return 0
	}
	fmt.Fprintln(stdout, "saved searches, new since the last look (search -saved marks them seen):")
	if err := saved.WriteText(stdout, ms); err != nil {
		errorf(stderr, "saved searches: %v", err)
		return 1
	}
	return 0
}
