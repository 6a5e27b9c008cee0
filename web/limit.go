package web

import (
	"context"
	"fmt"
	"log"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhengce/zhengce/index"
)

// limitedSearcher lets at most n searches run at once. A search is CPU
// work: with 32 clients on 2 cores, searches without a limit time-slice and
// every one of them is slow; with it, they queue and finish in turn. A
// request that gives up while queued (timeout, closed connection) never
// starts its search.
//
// A search gives its slot back when its context is done, even if the
// engine has not returned: an engine that runs past its deadline must not
// keep the slot, or two stuck searches make every other request wait
// until it times out (issue 13). The request gets ctx.Err() at once; the
// engine's late answer is dropped, and it is logged if it comes more than
// strayLogAfter late, because an engine should stop when its context is
// done. A panic in the engine is returned as a *panicError.
type limitedSearcher struct {
	s        index.Searcher
	slots    chan struct{}
	errorLog *log.Logger
	stray    atomic.Int64   // engine calls still running after their request gave up
	running  sync.WaitGroup // every engine call, so tests can wait for the stray ones
}

// strayLogAfter is how long past its request an engine call may run before
// it is logged when it returns.
const strayLogAfter = time.Second

func newLimitedSearcher(s index.Searcher, n int, errorLog *log.Logger) *limitedSearcher {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return &limitedSearcher{s: s, slots: make(chan struct{}, n), errorLog: errorLog}
}

func (l *limitedSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	return limited(ctx, l, fmt.Sprintf("search %q", req.Query), func() (*index.Result, error) {
		return l.s.Search(ctx, req)
	})
}

func (l *limitedSearcher) Report(ctx context.Context, id, query string) (*index.Report, error) {
	return limited(ctx, l, fmt.Sprintf("report %q", id), func() (*index.Report, error) {
		return l.s.Report(ctx, id, query)
	})
}

func (l *limitedSearcher) Reports(ctx context.Context) ([]index.ReportInfo, error) {
	return limited(ctx, l, "reports", func() ([]index.ReportInfo, error) {
		return l.s.Reports(ctx)
	})
}

func (l *limitedSearcher) Count(ctx context.Context, req index.Request) (*index.Counts, error) {
	return limited(ctx, l, fmt.Sprintf("count %q", req.Query), func() (*index.Counts, error) {
		return l.s.Count(ctx, req)
	})
}

type outcome[T any] struct {
	v   T
	err error
}

// limited runs call in a slot, and returns when it returns or when ctx is
// done, whichever comes first; the slot is freed either way.
func limited[T any](ctx context.Context, l *limitedSearcher, what string, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err // a free slot must not win the select below
	}
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return zero, ctx.Err()
	}
	done := make(chan outcome[T], 1)
	l.running.Add(1)
	go func() {
		defer l.running.Done()
		defer func() {
			if r := recover(); r != nil {
				done <- outcome[T]{err: &panicError{value: r, stack: debug.Stack()}}
			}
		}()
		v, err := call()
		done <- outcome[T]{v, err}
	}()
	select {
	case o := <-done:
		<-l.slots
		return o.v, o.err
	case <-ctx.Done():
	}
	select {
	case o := <-done: // it finished just as the context ended
		<-l.slots
		return o.v, o.err
	default:
	}
	<-l.slots
	l.stray.Add(1)
	gaveUp := time.Now()
	go func() {
		<-done
		l.stray.Add(-1)
		if late := time.Since(gaveUp); late > strayLogAfter {
			l.errorLog.Printf("%s returned %v after its request gave up (%v); the engine ignores its context", what, late.Round(time.Millisecond), ctx.Err())
		}
	}()
	return zero, ctx.Err()
}
