package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhengce/zhengce/index"
)

// blockingSearcher counts searches running at once and holds each one
// until release is closed.
type blockingSearcher struct {
	index.Searcher
	mu      sync.Mutex
	running int
	most    int
	started chan struct{}
	release chan struct{}
}

func (b *blockingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	b.mu.Lock()
	b.running++
	b.most = max(b.most, b.running)
	b.mu.Unlock()
	b.started <- struct{}{}
	<-b.release
	b.mu.Lock()
	b.running--
	b.mu.Unlock()
	return &index.Result{}, nil
}

func TestLimitedSearcher(t *testing.T) {
	b := &blockingSearcher{started: make(chan struct{}, 10), release: make(chan struct{})}
	l := newLimitedSearcher(b, 2, log.New(io.Discard, "", 0))
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Search(context.Background(), index.Request{})
		}()
	}
	<-b.started
	<-b.started
	// Two searches hold both slots; a queued request that gives up never runs.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Search(ctx, index.Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("queued search with a cancelled context: error %v, want context.Canceled", err)
	}
	close(b.release)
	wg.Wait()
	if b.most != 2 {
		t.Errorf("at most %d searches ran at once, want 2", b.most)
	}
}

// stuckSearcher answers every query at once except stuckQuery, which runs
// until unblock is closed. If honoursCtx it also stops when its context is
// done, as an engine should; otherwise it is an engine stuck in a loop that
// never looks at its context.
type stuckSearcher struct {
	index.Searcher // Reports and Count are not called
	honoursCtx     bool
	started        chan string // the query of each stuck search, when it starts
	unblock        chan struct{}
	mu             sync.Mutex
	deadlines      []bool // whether each call's context had a deadline
}

const stuckQuery = "报报报"

func (s *stuckSearcher) wait(ctx context.Context, what string) error {
	s.mu.Lock()
	_, ok := ctx.Deadline()
	s.deadlines = append(s.deadlines, ok)
	s.mu.Unlock()
	if what != stuckQuery {
		return nil
	}
	s.started <- what
	if s.honoursCtx {
		select {
		case <-s.unblock:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}
	<-s.unblock
	return nil
}

func (s *stuckSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if err := s.wait(ctx, req.Query); err != nil {
		return nil, err
	}
	return &index.Result{Query: req.Query, Total: 1, Hits: []index.Hit{{ID: "r-1", Text: req.Query}}}, nil
}

func (s *stuckSearcher) Report(ctx context.Context, id, query string) (*index.Report, error) {
	if err := s.wait(ctx, query); err != nil {
		return nil, err
	}
	return &index.Report{ID: id, Title: "报告"}, nil
}

// deadlineCtx is a context whose deadline passes when the test says so:
// Done is closed by expire, and Err is then context.DeadlineExceeded.
type deadlineCtx struct {
	context.Context
	done chan struct{}
}

func newDeadlineCtx() *deadlineCtx {
	return &deadlineCtx{Context: context.Background(), done: make(chan struct{})}
}

func (c *deadlineCtx) Done() <-chan struct{} { return c.done }
func (c *deadlineCtx) expire()               { close(c.done) }
func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// TestStuckSearchesFreeTheirSlots: two searches that outlive their
// deadline (the two q=报报报 on a 1 MB paragraph) get a 503 at the
// deadline and give their slots back, so the next searches run at once,
// whether or not the engine stops when told.
func TestStuckSearchesFreeTheirSlots(t *testing.T) {
	for _, honoursCtx := range []bool{false, true} {
		name := map[bool]string{false: "engine ignores its context", true: "engine honours its context"}[honoursCtx]
		t.Run(name, func(t *testing.T) {
			fake := &stuckSearcher{honoursCtx: honoursCtx, started: make(chan string, 2), unblock: make(chan struct{})}
			var logBuf syncBuffer
			srv, err := New(fake, Options{MaxConcurrentSearches: 2, RequestTimeout: time.Hour, ErrorLog: &logBuf})
			if err != nil {
				t.Fatal(err)
			}
			h := srv.Handler()
			// Two stuck requests take both slots: a search and a report.
			stuck := []string{"/api/search?q=" + stuckQuery, "/api/doc/r1?q=" + stuckQuery}
			deadlines := make([]*deadlineCtx, len(stuck))
			answers := make(chan *httptest.ResponseRecorder, len(stuck))
			for i, target := range stuck {
				deadlines[i] = newDeadlineCtx()
				req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(deadlines[i])
				go func() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					answers <- rec
				}()
			}
			<-fake.started
			<-fake.started
			for _, d := range deadlines {
				d.expire()
			}
			for range stuck {
				var rec *httptest.ResponseRecorder
				select {
				case rec = <-answers:
				case <-time.After(time.Minute): // only if broken: the answer comes at expire
					t.Fatal("a stuck request got no answer at its deadline: its handler waits for the engine")
				}
				if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "查询超时") {
					t.Errorf("stuck request past its deadline = %d %q, want 503 查询超时", rec.Code, rec.Body)
				}
			}
			// Every slot is free: more requests than slots, at once, all
			// answered before a deadline of their own (which would mean
			// they waited for a slot held by a stuck engine).
			var wg sync.WaitGroup
			for _, target := range []string{"/api/search?q=放管服", "/api/search?q=营商环境", "/?q=放管服", "/api/doc/r2", "/doc/r2?q=放管服", "/export.csv?q=放管服"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
					defer cancel()
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx))
					if rec.Code != http.StatusOK {
						t.Errorf("GET %s after two stuck searches = %d %.200q, want 200", target, rec.Code, rec.Body)
					}
				}()
			}
			wg.Wait()
			l := srv.searcher
			if n := l.stray.Load(); honoursCtx && n != 0 || !honoursCtx && n != 2 {
				t.Errorf("%d engine calls still running after their requests gave up, want %d", n, map[bool]int{false: 2, true: 0}[honoursCtx])
			}
			close(fake.unblock)
			l.running.Wait()
			if len(l.slots) != 0 {
				t.Errorf("%d slots still held after every request ended", len(l.slots))
			}
			fake.mu.Lock()
			defer fake.mu.Unlock()
			for i, ok := range fake.deadlines {
				if !ok {
					t.Errorf("engine call %d had no deadline in its context: the request timeout must reach the engine", i)
				}
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// panicSearcher panics in the engine, or returns what no engine may: a nil
// result and no error, or an error whose message panics.
type panicSearcher struct{ index.Searcher }

type panickyError struct{}

func (panickyError) Error() string { panic("message of a broken error") }
func (panickyError) Unwrap() error { return index.ErrBadQuery }

func (panicSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	switch req.Query {
	case "nil":
		return nil, nil // the handler dereferences it: a panic in the handler itself
	case "error":
		return nil, panickyError{}
	}
	panic("engine bug on " + req.Query)
}

func (panicSearcher) Report(ctx context.Context, id, query string) (*index.Report, error) {
	var m map[string]int
	m["x"]++ // a nil map write, in the engine
	return nil, nil
}

// TestPanicsAre500: no panic escapes a handler. Each is logged with its
// stack and answered 500, in JSON on the API and as a page elsewhere.
func TestPanicsAre500(t *testing.T) {
	var logBuf syncBuffer
	srv, err := New(panicSearcher{}, Options{ErrorLog: &logBuf})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, logged string }{
		{"/api/search?q=boom", "panic: engine bug on boom"},
		{"/?q=boom", "panic: engine bug on boom"},
		{"/api/search?q=nil", "panic: runtime error: invalid memory address"},
		{"/export.json?q=nil", "panic: runtime error: invalid memory address"},
		{"/api/doc/r1", "panic: assignment to entry in nil map"},
		{"/doc/r1", "panic: assignment to entry in nil map"},
		{"/api/search?q=error", "panic while answering an error: message of a broken error"},
	} {
		rec := get(t, srv.Handler(), tc.target)
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("GET %s = %d, want 500", tc.target, rec.Code)
		}
		body := rec.Body.String()
		switch {
		case strings.HasSuffix(tc.logged, "broken error"):
			if body != "500 服务器内部错误\n" {
				t.Errorf("GET %s: body %q, want the plain 500", tc.target, body)
			}
		case strings.HasPrefix(tc.target, "/api/") || strings.HasPrefix(tc.target, "/export."):
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error != "服务器内部错误" {
				t.Errorf("GET %s: body %q, want a JSON 服务器内部错误", tc.target, body)
			}
		default:
			if !strings.Contains(body, "服务器内部错误") || !strings.Contains(body, "<html") {
				t.Errorf("GET %s: body %.200q, want the error page", tc.target, body)
			}
		}
		if strings.Contains(body, "goroutine") || strings.Contains(body, "engine bug") {
			t.Errorf("GET %s: the response shows the panic: %.300q", tc.target, body)
		}
		logged := logBuf.String()
		if !strings.Contains(logged, tc.logged) || !strings.Contains(logged, "goroutine ") {
			t.Errorf("GET %s: log %q lacks %q and a stack", tc.target, logged, tc.logged)
		}
	}
}
