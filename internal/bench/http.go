package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/web"
)

// HTTPResult is the load test of /api/search: one phase per number of
// connections, against one server process.
type HTTPResult struct {
	Skipped       string
	Mode          string // how the server ran
	ServerOpen    time.Duration
	ServerPeakRSS int64 // VmHWM of the server process (subprocess only)
	ServerRSS     int64 // VmRSS after the load
	Phases        []HTTPPhase
}

// Phase returns the phase with conns connections, or nil.
func (hr *HTTPResult) Phase(conns int) *HTTPPhase {
	for i := range hr.Phases {
		if hr.Phases[i].Conns == conns {
			return &hr.Phases[i]
		}
	}
	return nil
}

// HTTPPhase is the load at one number of connections, with the server's
// resources sampled once a second (soak: they must stay flat).
type HTTPPhase struct {
	Conns        int
	Requests     int
	Errors       int
	ErrorSamples []string
	Elapsed      time.Duration
	RPS          float64
	Lat          Latency
	Samples      []ServerSample
	// LiveAdd is set when reports were added to the index during the phase.
	LiveAdd *LiveAdd
}

// ServerSample is the server process's resources at one moment.
type ServerSample struct {
	At         time.Duration // since the phase began
	RSS        int64
	FDs        int // open file descriptors
	Goroutines int // -1: unknown
}

// LiveAdd is an index.Update committed while the server was under load.
type LiveAdd struct {
	Reports, Paragraphs int
	Took                time.Duration // writing and committing the generation
	Generation          int
	Served              time.Duration // from the commit until the server answered with the new reports; 0: never seen
	Err                 string
}

// Window averages the samples taken in [from, to) of the phase.
func (ph *HTTPPhase) Window(from, to time.Duration) (rss int64, fds, gor float64, n int) {
	var g, gn int
	for _, s := range ph.Samples {
		if s.At < from || s.At >= to {
			continue
		}
		n++
		rss += s.RSS
		fds += float64(s.FDs)
		if s.Goroutines >= 0 {
			g += s.Goroutines
			gn++
		}
	}
	if n == 0 {
		return 0, 0, 0, 0
	}
	gor = -1
	if gn > 0 {
		gor = float64(g) / float64(gn)
	}
	return rss / int64(n), fds / float64(n), gor, n
}

// buildTool builds cmd/NAME into dir with the go command, from the module
// the current directory is in.
func buildTool(ctx context.Context, dir, name string) (string, error) {
	bin := filepath.Join(dir, name)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/zhengce/zhengce/cmd/"+name)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("bench: go build cmd/%s: %w: %s", name, err, out)
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
// binary, the web handler in this process) and loads /api/search with each
// of cfg.HTTPConnSteps concurrent keep-alive connections in turn, cycling
// through the mix. During the last phase it adds reports to the index
// (index.Update) and checks that the server serves them without a failed
// request.
func loadHTTP(ctx context.Context, cfg *Config, bin, dir string, res *Results) {
	hr := &res.HTTP
	var base, pid, pprofBase string
	t0 := time.Now()
	if bin != "" {
		addr, err := freeAddr()
		if err != nil {
			hr.Skipped = err.Error()
			return
		}
		paddr, err := freeAddr()
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
		cmd := exec.Command(bin, "serve", "-addr", addr, "-index", dir, "-pprof", paddr)
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			hr.Skipped = fmt.Sprintf("starting search serve: %v", err)
			return
		}
		proc := cmd.Process
		pid = strconv.Itoa(proc.Pid)
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
		base, pprofBase = "http://"+addr, "http://"+paddr
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
		wctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go ix.Watch(wctx, time.Second, func(index.Manifest, error) {})
		hr.Mode = "web handler in the bench process on " + l.Addr().String() + " (no search binary)"
		base, pid = "http://"+l.Addr().String(), "self"
	}

	maxConns := 0
	for _, c := range cfg.HTTPConnSteps {
		maxConns = max(maxConns, c)
	}
	tr := &http.Transport{MaxIdleConns: maxConns, MaxIdleConnsPerHost: maxConns, MaxConnsPerHost: maxConns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	urls := make([]string, len(res.Queries))
	for i, q := range res.Queries {
		urls[i] = base + "/api/search?" + q.Query.urlQuery()
	}
	get := func(u string) ([]byte, error) {
		resp, err := client.Get(u)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		return body, err
	}

	// Wait for the server: opening a large index takes a while.
	ready := false
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {
		if _, err := get(urls[0]); err == nil {
			ready = true
			break
		}
		if pid != "self" && !alive(pid) {
			break
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
	var warmErrs []string
	for _, u := range urls { // warm up
		if _, err := get(u); err != nil {
			warmErrs = append(warmErrs, "warm-up: "+err.Error())
		}
	}
	goroutines := func() int {
		if pprofBase == "" {
			return runtime.NumGoroutine()
		}
		b, err := get(pprofBase + "/debug/pprof/goroutine?debug=1")
		if err != nil {
			return -1
		}
		// The first line reads "goroutine profile: total N".
		line, _, _ := strings.Cut(string(b), "\n")
		n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "goroutine profile: total")))
		if err != nil {
			return -1
		}
		return n
	}
	for k, conns := range cfg.HTTPConnSteps {
		ph := HTTPPhase{Conns: conns}
		if k == 0 {
			ph.Errors, ph.ErrorSamples = len(warmErrs), warmErrs
		}
		var live func(context.Context) *LiveAdd
		if k == len(cfg.HTTPConnSteps)-1 && !cfg.Skip[PartLiveAdd] {
			live = func(ctx context.Context) *LiveAdd { return liveAdd(ctx, cfg, dir, base, get) }
		}
		cfg.logf("HTTP: %s, %d connections, up to %d requests or %v", hr.Mode, conns, cfg.HTTPRequests, cfg.HTTPDuration)
		runPhase(ctx, cfg, &ph, urls, get, pid, goroutines, live)
		cfg.logf("HTTP: %d connections: %d requests in %v, %.0f req/s, p50 %s ms, p99 %s ms, %d errors",
			conns, ph.Requests, ph.Elapsed.Round(time.Millisecond), ph.RPS, ms(ph.Lat.P50), ms(ph.Lat.P99), ph.Errors)
		hr.Phases = append(hr.Phases, ph)
	}
	hr.ServerPeakRSS, hr.ServerRSS = peakRSS(pid), currentRSS(pid)
	if pid == "self" {
		hr.ServerPeakRSS = 0
	}
	cfg.logf("HTTP: server peak RSS %s", mb(hr.ServerPeakRSS))
}

// runPhase loads the server with ph.Conns connections until cfg.HTTPDuration
// or cfg.HTTPRequests, sampling the server every second; live, if set, runs
// once at half time.
func runPhase(ctx context.Context, cfg *Config, ph *HTTPPhase, urls []string, get func(string) ([]byte, error),
	pid string, goroutines func() int, live func(context.Context) *LiveAdd) {
	var next atomic.Int64
	var mu sync.Mutex // guards errs, samples and lat
	var errs int
	var samples []string
	var lat []time.Duration
	start := time.Now()
	deadline := start.Add(cfg.HTTPDuration)
	stop := make(chan struct{})
	var bg sync.WaitGroup
	bg.Add(1)
	sample := func() {
		s := ServerSample{At: time.Since(start), RSS: currentRSS(pid), FDs: openFDs(pid), Goroutines: goroutines()}
		mu.Lock()
		ph.Samples = append(ph.Samples, s)
		mu.Unlock()
	}
	go func() { // the server's resources, at the start and once a second
		defer bg.Done()
		sample()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	// The live add starts at half time or half the requests, whichever
	// comes first, and the load goes on until it is done.
	half := make(chan struct{})
	var liveDone atomic.Bool
	liveDone.Store(live == nil)
	if live != nil {
		bg.Add(1)
		go func() {
			defer bg.Done()
			defer liveDone.Store(true)
			select {
			case <-ctx.Done():
				return
			case <-half:
			case <-time.After(cfg.HTTPDuration / 2):
			}
			la := live(ctx)
			mu.Lock()
			ph.LiveAdd = la
			mu.Unlock()
		}()
	}
	var wg sync.WaitGroup
	for w := 0; w < ph.Conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil && (time.Now().Before(deadline) || !liveDone.Load()) {
				k := next.Add(1) - 1
				if k == int64(cfg.HTTPRequests)/2 {
					close(half)
				}
				if k >= int64(cfg.HTTPRequests) && liveDone.Load() {
					break
				}
				s := time.Now()
				_, err := get(urls[int(k)%len(urls)])
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
	ph.Elapsed = time.Since(start)
	close(stop)
	bg.Wait()
	sample() // at the end, still under the load's memory
	ph.Requests = len(lat) + errs
	ph.Errors += errs
	ph.ErrorSamples = append(ph.ErrorSamples, samples...)
	ph.RPS = float64(len(lat)) / ph.Elapsed.Seconds()
	ph.Lat = summarize(lat)
}

// liveReports is how many reports liveAdd adds.
const liveReports = 20

// liveAdd adds liveReports reports (whole real reports under new paths) to
// the index while the server is loaded, then polls the server until its
// total for 的 (in every report) grows, which it does once it serves the new
// generation.
func liveAdd(ctx context.Context, cfg *Config, dir, base string, get func(string) ([]byte, error)) *LiveAdd {
	la := &LiveAdd{}
	total := func() (int, error) {
		b, err := get(base + "/api/search?q=%E7%9A%84&size=1")
		if err != nil {
			return 0, err
		}
		var r struct{ Total int }
		if err := json.Unmarshal(b, &r); err != nil {
			return 0, err
		}
		return r.Total, nil
	}
	before, err := total()
	if err != nil {
		la.Err = err.Error()
		return la
	}
	sources, err := loadSources()
	if err != nil {
		la.Err = err.Error()
		return la
	}
	divs, err := loadDivisions()
	if err != nil {
		la.Err = err.Error()
		return la
	}
	corp, err := newCorpus(cfg.Seed+1, 1<<30, cfg.Districts, sources, divs)
	if err != nil {
		la.Err = err.Error()
		return la
	}
	t0 := time.Now()
	w, err := index.Update(dir, index.Options{})
	if err != nil {
		la.Err = err.Error()
		return la
	}
	errDone := errors.New("done")
	err = corp.Reports(func(r *index.Report) error {
		if la.Reports == liveReports {
			return errDone
		}
		r.Path = "live/" + r.Path
		r.ID = index.ReportID(r.Path, 0)
		la.Reports++
		la.Paragraphs += len(r.Paragraphs)
		return w.Add(r)
	})
	if err != nil && err != errDone {
		w.Abort()
		la.Err = err.Error()
		return la
	}
	if _, err := w.Commit(); err != nil {
		la.Err = err.Error()
		return la
	}
	la.Took = time.Since(t0)
	if m, err := index.ReadManifest(dir); err == nil {
		la.Generation = m.Generation
	}
	committed := time.Now()
	cfg.logf("HTTP: added %d reports (%d paragraphs) as generation %d in %v", la.Reports, la.Paragraphs, la.Generation, la.Took.Round(time.Millisecond))
	for time.Since(committed) < 30*time.Second && ctx.Err() == nil {
		if n, err := total(); err == nil && n > before {
			la.Served = time.Since(committed)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return la
}

// alive reports whether the process pid still runs.
func alive(pid string) bool {
	_, err := os.Stat("/proc/" + pid)
	return err == nil
}

// openFDs counts the open file descriptors of process pid.
func openFDs(pid string) int {
	ents, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		return -1
	}
	return len(ents)
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
	name := fmt.Sprintf("bench index (N=%d)", cfg.N)
	if cfg.Index != "" {
		name = fmt.Sprintf("bench index (a copy of %s)", cfg.Index)
	}
	for _, c := range []struct {
		label   string
		bundled bool
		args    []string
	}{
		{"bundled index, rare phrase", true, []string{"-color", "never", "放管服"}},
		{"bundled index, common phrase", true, []string{"-color", "never", "发展"}},
		{"bundled index, traditional, AND, filter", true, []string{"-color", "never", "營商環境", "改革", "year:2015..2024"}},
		{name + ", rare phrase", false, []string{"-index", dir, "-color", "never", "放管服"}},
		{name + ", common phrase", false, []string{"-index", dir, "-color", "never", "发展"}},
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
