package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os/signal"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/termtext"
	"github.com/zhengce/zhengce/reuse"
	"github.com/zhengce/zhengce/saved"
	"github.com/zhengce/zhengce/web"
)

func serve(args []string, stderr io.Writer) (code int) {
	defer recoverPanic(stderr, &code)
	fs := flag.NewFlagSet("search serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `address`")
	dir := fs.String("index", "", "index `directory` (default: the bundled reports)")
	timeout := fs.Duration("timeout", web.DefaultRequestTimeout, "answer 503 to a request still running after `duration`")
	pprofAddr := fs.String("pprof", "", "also serve Go's runtime profiles (/debug/pprof/) on this loopback `address`, for load tests and diagnosis")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *timeout <= 0 {
		say(stderr, "search serve", "-timeout %v: want a positive duration", *timeout)
		return 2
	}
	if fs.NArg() > 0 {
		say(stderr, "search serve", "unexpected argument %q", fs.Arg(0))
		return 2
	}
	ix, err := openIndex(*dir, stderr, true)
	if err != nil {
		say(stderr, "search serve", "%v", err)
		return 1
	}
	defer ix.Close()
	// The server's log quotes requests and errors: escape it line by line.
	logw := termtext.NewWriter(stderr)
	defer logw.Flush()
	srv, err := web.New(ix, web.Options{ErrorLog: logw, RequestTimeout: *timeout, Saved: saved.Open(ix.Dir()), Reuse: reuse.NewCache(ix)})
	if err != nil {
		say(stderr, "search serve", "%v", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *pprofAddr != "" {
		if err := servePprof(ctx, *pprofAddr, logw); err != nil {
			say(stderr, "search serve", "-pprof %s: %v", *pprofAddr, err)
			return 2
		}
	}
	// A new generation written by indexer (-add, -remove, a rebuild) is
	// served as soon as it is committed; searches in flight finish on the
	// old one.
	go ix.Watch(ctx, time.Second, func(m index.Manifest, err error) {
		if err != nil {
			say(logw, "search serve", "still serving generation %d: %v", m.Generation, err)
			return
		}
		say(logw, "search serve", "now serving generation %d (%d paragraphs)", m.Generation, m.Paragraphs)
	})
	say(stderr, "search serve", "http://%s/ (%d paragraphs)", *addr, ix.Manifest().Paragraphs)
	if err := web.Serve(ctx, *addr, srv.Handler(), logw); err != nil {
		say(stderr, "search serve", "%v", err)
		return 1
	}
	return 0
}

// servePprof serves net/http/pprof on its own listener, never on the public
// address, and only on a loopback address: profiles show internals.
func servePprof(ctx context.Context, addr string, logw io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("want a loopback address such as 127.0.0.1:6060")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		hs.Close()
	}()
	go func() {
		if err := hs.Serve(l); err != nil && err != http.ErrServerClosed {
			say(logw, "search serve", "-pprof: %v", err)
		}
	}()
	return nil
}
