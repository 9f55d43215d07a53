package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/foyerhub/foyer/generator/build"
)

// siteFlags are the flags every command that reads a site shares.
type siteFlags struct {
	site    string
	verbose bool
}

func buildCommand() *command {
	return &command{
		name:    "build",
		summary: "build the site into public/",
		usage:   "[-s SITE] [-d DEST] [--base-url URL] [--drafts] [--future] [--no-cache] [-v] [--cpuprofile F] [--memprofile F] [--trace F]",
		run:     runBuild,
	}
}

func runBuild(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("build", env)
	var opts build.Options
	var cpuProfile, memProfile, traceFile string
	var verbose bool
	fs.StringVar(&opts.Site, "s", ".", "site folder")
	fs.StringVar(&opts.Dest, "d", "", "output folder (default SITE/public)")
	fs.StringVar(&opts.BaseURL, "base-url", "", "override base_url")
	fs.BoolVar(&opts.Drafts, "drafts", false, "include drafts and unapproved articles")
	fs.BoolVar(&opts.Future, "future", false, "include articles dated in the future")
	fs.BoolVar(&opts.NoCache, "no-cache", false, "neither use nor update the build cache in SITE/.foyer/cache")
	fs.BoolVar(&verbose, "v", false, "print per-stage timings and counts")
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to this file")
	fs.StringVar(&memProfile, "memprofile", "", "write a heap profile to this file")
	fs.StringVar(&traceFile, "trace", "", "write a Go execution trace to this file (go tool trace)")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	stopCPU, err := record(cpuProfile, pprof.StartCPUProfile, pprof.StopCPUProfile)
	if err != nil {
		return err
	}
	defer stopCPU()
	stopTrace, err := record(traceFile, trace.Start, trace.Stop)
	if err != nil {
		return err
	}
	defer stopTrace()
	start := time.Now()
	res, err := build.Build(ctx, opts)
	if res != nil && res.Model != nil {
		printWarnings(env, res.Warnings)
	}
	if err != nil {
		return fmt.Errorf("%w\nfoyer build: failed; the previous site, if any, is untouched", err)
	}
	if memProfile != "" {
		if err := writeHeapProfile(memProfile); err != nil {
			return err
		}
	}
	s := res.Site
	if verbose {
		t := res.Timings
		fmt.Fprintf(env.Stdout, "load    %8s  %d documents\n", round(t.Load), res.Loaded)
		fmt.Fprintf(env.Stdout, "model   %8s  %d articles, %d pages, %d members, %d contributions, %d categories, %d tags\n",
			round(t.Model), len(s.Articles), len(s.Pages), len(s.Members), len(s.Contributions), len(s.Categories.Terms), len(s.Tags.Terms))
		fmt.Fprintf(env.Stdout, "render  %8s  %d files, %d rendered, %d kept from the last build\n", round(t.Render), res.Files, res.Files-res.Kept, res.Kept)
		fmt.Fprintf(env.Stdout, "write   %8s  %d written, %d unchanged, %d removed\n", round(t.Write), res.Stats.Written, res.Stats.Unchanged, res.Stats.Removed)
	}
	dest := res.Dest // as given: relative to here, or absolute
	if rel, err := filepath.Rel(".", dest); err == nil {
		dest = rel
	}
	fmt.Fprintf(env.Stdout, "Built %d articles, %d files (%d written, %d unchanged) into %s in %s\n",
		len(s.Articles), res.Files, res.Stats.Written, res.Stats.Unchanged, dest, round(time.Since(start)))
	return nil
}

// record starts writing a CPU profile or an execution trace into the
// file at path with start, unless path is empty, and returns what stops
// it and closes the file.
func record(path string, start func(io.Writer) error, stop func()) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		stop()
		f.Close()
	}, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}

func printWarnings(env *Env, warnings []error) {
	for _, w := range warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d
}
