package web

import (
	"context"
	"runtime"

	"github.com/zhengce/zhengce/index"
)

// limitedSearcher lets at most n searches run at once. A search is CPU
// work: with 32 clients on 2 cores, searches without a limit time-slice and
// every one of them is slow; with it, they queue and finish in turn. A
// request that gives up while queued (timeout, closed connection) never
// starts its search.
type limitedSearcher struct {
	index.Searcher
	slots chan struct{}
}

func newLimitedSearcher(s index.Searcher, n int) *limitedSearcher {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return &limitedSearcher{Searcher: s, slots: make(chan struct{}, n)}
}

func (l *limitedSearcher) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limitedSearcher) release() { <-l.slots }

func (l *limitedSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if err := l.acquire(ctx); err != nil {
		return nil, err
	}
	defer l.release()
	return l.Searcher.Search(ctx, req)
}

func (l *limitedSearcher) Report(ctx context.Context, id, query string) (*index.Report, error) {
	if err := l.acquire(ctx); err != nil {
		return nil, err
	}
	defer l.release()
	return l.Searcher.Report(ctx, id, query)
}
