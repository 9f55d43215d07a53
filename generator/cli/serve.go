package cli

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/foyerhub/foyer/generator/serve"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		summary: "build the site, serve it at http://127.0.0.1:1313/ and live-reload it on every change",
		usage:   "[-s SITE] [--port 1313] [--bind 127.0.0.1] [--drafts] [--future] [--open] [--write DIR]",
		run:     runServe,
	}
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("serve", env)
	var opts serve.Options
	var open bool
	fs.StringVar(&opts.Site, "s", ".", "site folder")
	fs.IntVar(&opts.Port, "port", 1313, "port to listen on")
	fs.StringVar(&opts.Bind, "bind", "127.0.0.1", "address to listen on (0.0.0.0 opens the preview to the network)")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts and unapproved articles")
	fs.BoolVar(&opts.Future, "future", false, "include articles dated in the future")
	fs.BoolVar(&open, "open", false, "open the site in the default browser")
	fs.StringVar(&opts.Write, "write", "", "also publish every good build into this folder (default: memory only)")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	if opts.Port < 1 || opts.Port > 65535 {
		return usagef("--port %d: expected 1 to 65535", opts.Port)
	}
	opts.Log = env.Stdout
	opts.Ready = func(url string) {
		fmt.Fprintf(env.Stdout, "Serving %s at %s (Ctrl-C stops)\n", opts.Site, url)
		if open {
			if err := openBrowser(url); err != nil {
				fmt.Fprintf(env.Stderr, "foyer serve: --open: %v\n", err)
			}
		}
	}
	return serve.Run(ctx, opts)
}

func openBrowser(url string) error {
	name, args := "xdg-open", []string{url}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler", url}
	}
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}
