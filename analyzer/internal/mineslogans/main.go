// Command mineslogans finds the policy slogans that government work reports
// put in quotation marks (“放管服”, “一网通办”, “最多跑一次”) and writes them
// as a gojieba user dictionary, one word a line, so the word analyzer keeps
// each slogan whole.
//
// A slogan is a quoted span of 2 to 8 Han characters, after folding with
// norm.Fold (traditional to simplified, NFKC), that is quoted at least -min
// times in all the reports together. Spans the main dictionary or the
// curated policy dictionary already has are left out: a user word would
// replace the main dictionary's frequency with the median one.
//
// Reports are read as UTF-8, or as GB18030 (a superset of GBK) when they are
// not valid UTF-8.
//
// Usage (run by go generate in package analyzer):
//
//	go run ./internal/mineslogans -dict dict/jieba.dict.utf8 -curated dict/policy.utf8 -o dict/slogans.utf8 ../corpus/reports
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/quoted"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	flags := flag.NewFlagSet("mineslogans", flag.ContinueOnError)
	dictPath := flags.String("dict", "", "main jieba dictionary; its words are not repeated")
	curatedPath := flags.String("curated", "", "curated user dictionary; its words are not repeated")
	out := flags.String("o", "", "output file (default standard output)")
	minCount := flags.Int("min", 2, "minimum number of quoted occurrences")
	verbose := flags.Bool("v", false, "print counts on standard error")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: mineslogans [-dict FILE] [-curated FILE] [-o FILE] [-min N] DIR...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	dict, curated := map[string]bool{}, map[string]bool{}
	for _, d := range []struct {
		path  string
		words map[string]bool
	}{{*dictPath, dict}, {*curatedPath, curated}} {
		if d.path == "" {
			continue
		}
		if err := readDictWords(d.path, d.words); err != nil {
			fmt.Fprintln(os.Stderr, "mineslogans:", err)
			return 1
		}
	}
	counts := map[string]int{}
	files := 0
	for _, dir := range flags.Args() {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
				return err
			}
			text, err := readReport(path)
			if err != nil {
				return err
			}
			files++
			for _, s := range quoted.Spans(text) {
				counts[s]++
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "mineslogans:", err)
			return 1
		}
	}
	slogans := Select(counts, dict, curated, *minCount)
	var buf bytes.Buffer
	for _, s := range slogans {
		buf.WriteString(s)
		buf.WriteByte('\n')
		if *verbose {
			fmt.Fprintf(os.Stderr, "%d\t%s\n", counts[s], s)
		}
	}
	fmt.Fprintf(os.Stderr, "mineslogans: %d reports, %d distinct quoted spans, %d slogans\n", files, len(counts), len(slogans))
	if *out == "" {
		os.Stdout.Write(buf.Bytes())
		return 0
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mineslogans:", err)
		return 1
	}
	return 0
}

// readReport returns the text of a report, decoding GB18030 when the file is
// not UTF-8.
func readReport(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading report: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("decoding %s as GB18030: %w", path, err)
		}
	}
	return string(data), nil
}

// readDictWords adds the first field of every line of a jieba dictionary.
func readDictWords(path string, words map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading dictionary: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w, _, _ := strings.Cut(sc.Text(), " "); w != "" {
			words[w] = true
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading dictionary %s: %w", path, err)
	}
	return nil
}

const minRunes = quoted.MinRunes

// Select returns, sorted, the spans counted at least min times that are
// neither in dict (the main dictionary) nor in curated (the curated policy
// terms), leaving out compounds of a term and a dictionary word, such as
// 双区驱动 (双区 + 驱动) or 跨境理财通 (跨境 + 理财通): as one word they would
// hide the term inside them from a search for it.
func Select(counts map[string]int, dict, curated map[string]bool, min int) []string {
	terms := map[string]bool{}
	for s := range curated {
		terms[s] = true
	}
	for s, n := range counts {
		if n >= min && !dict[s] && !curated[s] {
			terms[s] = true
		}
	}
	var out []string
	for s := range terms {
		if !curated[s] && !IsCompound(s, dict, terms) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// IsCompound reports whether s is a term followed by a dictionary word, or a
// dictionary word followed by a term, each part at least two characters.
func IsCompound(s string, dict, terms map[string]bool) bool {
	rs := []rune(s)
	for i := minRunes; i <= len(rs)-minRunes; i++ {
		a, b := string(rs[:i]), string(rs[i:])
		if terms[a] && dict[b] || dict[a] && terms[b] {
			return true
		}
	}
	return false
}
