// Command ferretdb-embedded runs FerretDB v1 (Apache-2.0) with its SQLite backend
// as the product's embedded MongoDB-compatible database.
//
// It wraps FerretDB's embeddable package instead of `go install`-ing the
// upstream command, because the upstream binary refuses to start when built
// from the module proxy (it expects a generated build/version/version.txt).
// The wrapper also ties its life to its parent: it exits when its standard
// input closes or its parent dies, so it can never outlive the product.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	watchStdin := flag.Bool("exit-on-stdin-close", true, "exit when standard input is closed")
	flag.Parse()

	// Ask the kernel to signal us when the process that started us dies.
	_ = setParentDeathSignal()

	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: cannot create data dir %s: %v\n", *dataDir, err)
		os.Exit(2)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		level = slog.LevelWarn
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// Clients reach FerretDB through the serializing proxy (serialize.go) on the TCP
	// address; FerretDB itself listens on a private Unix socket.
	socket := filepath.Join(os.TempDir(), fmt.Sprintf("ferretdb-embedded-%d.sock", os.Getpid()))
	_ = os.Remove(socket)
	defer os.Remove(socket)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: cannot listen on %s: %v\n", *listen, err)
		os.Exit(1)
	}
	defer ln.Close()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + *dataDir + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	go func() {
		if err := serveSerialized(ln, socket); err != nil {
			fmt.Fprintf(os.Stderr, "ferretdb-embedded: proxy: %v\n", err)
			stop()
		}
	}()

	fmt.Fprintf(os.Stderr, "ferretdb-embedded: listening on %s, data in %s\n", *listen, *dataDir)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "ferretdb-embedded: %v\n", err)
		os.Exit(1)
	}
}
