package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/foyerhub/foyer/generator/wordpress"
)

func importCommand() *command {
	return &command{
		name:    "import",
		summary: "import a WordPress export (posts, pages, authors, comments, old links)",
		usage:   "wordpress [-s SITE] [--uploads DIR] [--force] EXPORT.xml",
		run:     runImport,
	}
}

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected a source: wordpress")
	}
	if args[0] == "-h" || args[0] == "--help" {
		args = append([]string{"wordpress"}, args...)
	}
	if args[0] != "wordpress" {
		return usagef("unknown source %q (expected wordpress)", args[0])
	}
	fs := newFlags("import wordpress", env)
	var opts wordpress.Options
	fs.StringVar(&opts.Site, "s", ".", "site folder")
	fs.StringVar(&opts.Uploads, "uploads", "", "a local copy of wp-content/uploads to copy into static/uploads/")
	fs.BoolVar(&opts.Force, "force", false, "overwrite files changed by hand since the last import")
	if err := parse(fs, args[1:], env); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one export file, got %d arguments", fs.NArg())
	}
	file := fs.Arg(0)
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	opts.Name = file
	var r io.Reader = f
	var bar *progressbar.ProgressBar
	if env.Terminal && env.Getenv("NO_COLOR") == "" {
		if info, err := f.Stat(); err == nil {
			bar = progressbar.NewOptions64(info.Size(), progressbar.OptionSetWriter(env.Stdout),
				progressbar.OptionSetDescription("importing "+filepath.Base(file)), progressbar.OptionShowBytes(true),
				progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			pr := progressbar.NewReader(f, bar)
			r = &pr
		}
	}
	start := time.Now()
	report, err := wordpress.Import(ctx, r, opts)
	if bar != nil {
		_ = bar.Finish()
	}
	if report == nil {
		return err
	}
	for _, w := range report.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	for _, k := range report.Kept {
		fmt.Fprintf(env.Stderr, "kept: %s (changed by hand since the last import; --force overwrites it)\n", k)
	}
	for _, k := range report.Removed {
		fmt.Fprintf(env.Stderr, "not written: %s (deleted by hand since the last import; --force writes it again)\n", k)
	}
	if len(report.Config) > 0 {
		fmt.Fprintf(env.Stdout, "foyer.yaml: added %v from the export\n", report.Config)
	}
	kinds := slices.Sorted(maps.Keys(report.Skipped))
	for _, kind := range kinds {
		fmt.Fprintf(env.Stdout, "skipped: %d × %s\n", report.Skipped[kind], kind)
	}
	if n := len(report.Attachments); n > 0 {
		fmt.Fprintf(env.Stdout, "%d attachments (not articles):\n", n)
		for _, u := range report.Attachments {
			fmt.Fprintf(env.Stdout, "  %s\n", u)
		}
	}
	fmt.Fprintf(env.Stdout, "Imported %s in %s: %s\n", file, round(time.Since(start)), report.Summary())
	if err != nil {
		return fmt.Errorf("%w\nfoyer import: stopped there; everything before it was imported", err)
	}
	return nil
}
