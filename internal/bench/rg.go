package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RGResult is ripgrep scanning the paragraphs, one a line, for each
// single-phrase query: what a reporter with a folder of text files does.
type RGResult struct {
	Skipped   string
	Version   string
	FileBytes int64
	Runs      int // timed runs per query
	Overall   Latency
}

const rgRuns = 3

func runRipgrep(ctx context.Context, cfg *Config, corp *Corpus, res *Results) error {
	rg, err := exec.LookPath("rg")
	if err != nil {
		return errors.New("rg is not installed")
	}
	rr := &res.RG
	if out, err := exec.CommandContext(ctx, rg, "--version").Output(); err == nil {
		rr.Version = strings.SplitN(string(out), "\n", 2)[0]
	}
	path := filepath.Join(cfg.WorkDir, "paragraphs.txt")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = corp.Paragraphs(func(p *Paragraph) error {
		w.WriteString(strings.ReplaceAll(p.Text, "\n", " "))
		return w.WriteByte('\n')
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil {
		rr.FileBytes = st.Size()
	}
	cfg.logf("ripgrep: %s over %s", rr.Version, mb(rr.FileBytes))
	rr.Runs = rgRuns
	var all []time.Duration
	for i := range res.Queries {
		q := res.Queries[i].Query
		if !q.PhraseOnly() {
			continue
		}
		var times []time.Duration
		for run := 0; run <= rgRuns; run++ { // run 0 warms the page cache
			s := time.Now()
			cmd := exec.CommandContext(ctx, rg, "-F", "-c", "-e", q.Terms[0], path)
			var out bytes.Buffer
			cmd.Stdout = &out
			err := cmd.Run()
			d := time.Since(s)
			count := 0
			var ee *exec.ExitError
			switch {
			case err == nil:
				count, err = strconv.Atoi(strings.TrimSpace(out.String()))
				if err != nil {
					return fmt.Errorf("rg output %q: %w", out.String(), err)
				}
			case errors.As(err, &ee) && ee.ExitCode() == 1: // no match
			default:
				return fmt.Errorf("rg %q: %w", q.Terms[0], err)
			}
			res.Queries[i].RGCount = count
			if run > 0 {
				times = append(times, d)
			}
		}
		all = append(all, times...)
		res.Queries[i].RGLat = summarize(times)
	}
	rr.Overall = summarize(all)
	cfg.logf("ripgrep: p50 %s ms", ms(rr.Overall.P50))
	return nil
}
