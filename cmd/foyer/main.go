// Command foyer builds, previews and runs a community hub made of plain
// files. See foyer help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/foyerhub/foyer/generator/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
