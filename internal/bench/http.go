package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/web"
)

// HTTPResult is the load test of /api/search.
type HTTPResult struct {
	Skipped       string
	Mode          string // how the server ran
	Conns         int
	Requests      int
	Errors        int
	ErrorSamples  []string
	Elapsed       time.Duration
	RPS           float64
	Lat           Latency
	ServerPeakRSS int64 // VmHWM of the server process (subprocess only)
	ServerRSS     int64 // VmRSS after the load
	ServerOpen    time.Duration
}

// buildSearch builds cmd/search into dir with the go command, from the
// module the current directory is in.
func buildSearch(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "search")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/zhengce/zhengce/cmd/search")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("bench: go build cmd/search: %w: %s", err, out)
	}
	return bin, nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// loadHTTP serves the index with `search serve` in a subprocess (or, with no
// binary, the web handler in this process) and loads /api/search with
// cfg.HTTPConns concurrent keep-alive connections cycling through the mix.
func loadHTTP(ctx context.Context, cfg *Config, bin, dir string, res *Results) {
	hr := &res.HTTP
	hr.Conns = cfg.HTTPConns
	var base string
	var proc *os.Process
	t0 := time.Now()
	if bin != "" {
		addr, err := freeAddr()
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		logf, err := os.Create(filepath.Join(cfg.WorkDir, "serve.log"))
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		defer logf.Close()
		cmd := exec.Command(bin, "serve", "-addr", addr, "-index", dir)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			hr.Skipped = fmt.Sprintf("starting search serve: %v", err)
			return
		}
		proc = cmd.Process
		defer func() {
			proc.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				proc.Kill()
				<-done
			}
		}()
		hr.Mode = "`search serve` subprocess on " + addr
		base = "http://" + addr
	} else {
		ix, err := index.Open(dir)
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		defer ix.Close()
		srv, err := web.New(ix, web.Options{})
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		hs := &http.Server{Handler: srv.Handler()}
		go hs.Serve(l)
		defer hs.Close()
		hr.Mode = "web handler in the bench process on " + l.Addr().String() + " (no search binary)"
		base = "http://" + l.Addr().String()
	}

	tr := &http.Transport{MaxIdleConns: cfg.HTTPConns, MaxIdleConnsPerHost: cfg.HTTPConns, MaxConnsPerHost: cfg.HTTPConns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	urls := make([]string, len(res.Queries))
	for i, q := range res.Queries {
		urls[i] = base + "/api/search?" + q.Query.urlQuery()
	}
	get := func(u string) error {
		resp, err := client.Get(u)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		return err
	}

	// Wait for the server: opening a large index takes a while.
	ready := false
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		if get(urls[0]) == nil {
			ready = true
			break
		}
		if proc != nil {
			if err := proc.Signal(syscall.Signal(0)); err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			hr.Skipped = ctx.Err().Error()
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	if !ready {
		hr.Skipped = "server did not answer; see serve.log in the work directory"
		return
	}
	hr.ServerOpen = time.Since(t0)
	for _, u := range urls { // warm up
		if err := get(u); err != nil {
			hr.Errors++
			hr.ErrorSamples = append(hr.ErrorSamples, "warm-up: "+err.Error())
		}
	}
	cfg.logf("HTTP: %s, %d connections, up to %d requests or %v", hr.Mode, cfg.HTTPConns, cfg.HTTPRequests, cfg.HTTPDuration)

	var next atomic.Int64
	var mu sync.Mutex // guards errs, samples and lat
	var errs int
	var samples []string
	var lat []time.Duration
	deadline := time.Now().Add(cfg.HTTPDuration)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < cfg.HTTPConns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				k := next.Add(1) - 1
				if k >= int64(cfg.HTTPRequests) {
					break
				}
				s := time.Now()
				err := get(urls[int(k)%len(urls)])
				d := time.Since(s)
				if err != nil {
					mu.Lock()
					errs++
					if len(samples) < 5 {
						samples = append(samples, err.Error())
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	hr.Elapsed = time.Since(start)
	hr.Requests = len(lat) + errs
	hr.Errors += errs
	hr.ErrorSamples = append(hr.ErrorSamples, samples...)
	hr.RPS = float64(len(lat)) / hr.Elapsed.Seconds()
	hr.Lat = summarize(lat)
	if proc != nil {
		pid := strconv.Itoa(proc.Pid)
		hr.ServerPeakRSS, hr.ServerRSS = peakRSS(pid), currentRSS(pid)
	} else {
		hr.ServerRSS = currentRSS("self")
	}
	cfg.logf("HTTP: %d requests in %v, %.0f req/s, p50 %s ms, p99 %s ms, %d errors, server peak RSS %s",
		hr.Requests, hr.Elapsed.Round(time.Millisecond), hr.RPS, ms(hr.Lat.P50), ms(hr.Lat.P99), hr.Errors, mb(hr.ServerPeakRSS))
}

// CLIResult is the command-line cold start.
type CLIResult struct {
	Skipped string
	Runs    []CLIRun
}

// CLIRun is one command line run several times.
type CLIRun struct {
	Label  string
	Args   []string
	Times  []time.Duration
	Median time.Duration
	Err    string
}

// coldStart times `search -index DIR QUERY` (a new process every time:
// start-up, opening the index, the query, printing) on the bench index and
// on the bundled index, which it first builds into a cache directory in
// WorkDir.
func coldStart(ctx context.Context, cfg *Config, bin, dir string, res *Results) {
	cache := filepath.Join(cfg.WorkDir, "cache")
	env := append(os.Environ(), "XDG_CACHE_HOME="+cache, "HOME="+cfg.WorkDir)
	run := func(args ...string) error {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		cmd.Stdout = io.Discard
		var stderr limitedBuffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%v: %s", err, stderr.String())
		}
		return nil
	}
	cfg.logf("CLI: building the bundled index in %s", cache)
	bundledErr := run("-color", "never", "-limit", "1", "发展")
	for _, c := range []struct {
		label   string
		bundled bool
		args    []string
	}{
		{"bundled index, rare phrase", true, []string{"-color", "never", "放管服"}},
		{"bundled index, common phrase", true, []string{"-color", "never", "发展"}},
		{"bundled index, traditional, AND, filter", true, []string{"-color", "never", "營商環境", "改革", "year:2015..2024"}},
		{fmt.Sprintf("bench index (N=%d), rare phrase", cfg.N), false, []string{"-index", dir, "-color", "never", "放管服"}},
		{fmt.Sprintf("bench index (N=%d), common phrase", cfg.N), false, []string{"-index", dir, "-color", "never", "发展"}},
	} {
		r := CLIRun{Label: c.label, Args: c.args}
		if c.bundled && bundledErr != nil {
			r.Err = "building the bundled index: " + bundledErr.Error()
			res.CLI.Runs = append(res.CLI.Runs, r)
			continue
		}
		for i := 0; i < cfg.CLIRuns; i++ {
			s := time.Now()
			if err := run(c.args...); err != nil {
				r.Err = err.Error()
				break
			}
			r.Times = append(r.Times, time.Since(s))
		}
		if len(r.Times) > 0 {
			r.Median = summarize(append([]time.Duration(nil), r.Times...)).P50
		}
		cfg.logf("CLI: %s: median %s ms %s", r.Label, ms(r.Median), r.Err)
		res.CLI.Runs = append(res.CLI.Runs, r)
	}
}

// limitedBuffer keeps the first 2 kB written to it.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 2048 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }
