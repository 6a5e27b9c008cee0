package web

import (
	"context"
	"errors"
	"sync"
	"testing"

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
	l := newLimitedSearcher(b, 2)
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
