package bench

import (
	"context"
	"os/exec"
	"strings"
	"time"
)

// summarizeProfile fills p.Flat and p.Cum with the top functions of the
// profile, by `go tool pprof` (the go command must be on PATH).
func summarizeProfile(ctx context.Context, p *Profile) {
	if p.Path == "" {
		return
	}
	top := func(extra ...string) (string, error) {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		args := append([]string{"tool", "pprof", "-top", "-nodecount=25"}, extra...)
		out, err := exec.CommandContext(ctx, "go", append(args, p.Path)...).Output()
		return trimPprof(string(out)), err
	}
	var err error
	if p.Flat, err = top(); err != nil {
		p.Err = "go tool pprof: " + err.Error()
		return
	}
	if p.Cum, err = top("-cum"); err != nil {
		p.Err = "go tool pprof -cum: " + err.Error()
	}
}

// trimPprof drops the header lines of `pprof -top` that name files and
// build ids, keeping the totals and the table.
func trimPprof(s string) string {
	var keep []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Type:") || strings.HasPrefix(line, "Time:") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
