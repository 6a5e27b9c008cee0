// Command wordsprobe is built by TestWordsBinaryWithoutModuleCache: it
// builds the word analyzer the way bleve does when it opens an index, checks
// that this does not load the segmenter, then analyses its argument and
// prints the tokens as JSON lines.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/zhengce/zhengce/analyzer"
)

func main() {
	a, err := registry.NewCache().AnalyzerNamed(analyzer.WordsAnalyzerName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wordsprobe:", err)
		os.Exit(1)
	}
	if analyzer.WordsLoaded() {
		fmt.Fprintln(os.Stderr, "wordsprobe: building the analyzer loaded the segmenter")
		os.Exit(1)
	}
	start := time.Now()
	if err := analyzer.LoadWords(); err != nil {
		fmt.Fprintln(os.Stderr, "wordsprobe:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "wordsprobe: segmenter loaded in %v\n", time.Since(start))
	enc := json.NewEncoder(os.Stdout)
	for _, tk := range a.Analyze([]byte(os.Args[1])) {
		enc.Encode([]any{string(tk.Term), tk.Start, tk.End, tk.Position})
	}
}
