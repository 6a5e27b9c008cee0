package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/web"
)

func serve(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("search serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on this `address`")
	dir := fs.String("index", "", "index `directory` (default: the bundled reports)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "search serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ix, err := openIndex(*dir, stderr, true)
	if err != nil {
		fmt.Fprintf(stderr, "search serve: %v\n", err)
		return 1
	}
	defer ix.Close()
	srv, err := web.New(ix, web.Options{ErrorLog: stderr})
	if err != nil {
		fmt.Fprintf(stderr, "search serve: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// A new generation written by indexer (-add, -remove, a rebuild) is
	// served as soon as it is committed; searches in flight finish on the
	// old one.
	go ix.Watch(ctx, time.Second, func(m index.Manifest, err error) {
		if err != nil {
			fmt.Fprintf(stderr, "search serve: still serving generation %d: %v\n", m.Generation, err)
			return
		}
		fmt.Fprintf(stderr, "search serve: now serving generation %d (%d paragraphs)\n", m.Generation, m.Paragraphs)
	})
	fmt.Fprintf(stderr, "search serve: http://%s/ (%d paragraphs)\n", *addr, ix.Manifest().Paragraphs)
	if err := web.Serve(ctx, *addr, srv.Handler(), stderr); err != nil {
		fmt.Fprintf(stderr, "search serve: %v\n", err)
		return 1
	}
	return 0
}
