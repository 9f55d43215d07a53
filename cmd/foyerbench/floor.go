package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	// goldmark is imported here, outside package markdown, only because
	// the floor must be the bare library with nothing of Foyer's around
	// it: it is the yardstick, not part of the generator.
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// floor does the least any generator must do: read every article under
// SITE/content/articles, cut off its front matter, convert the body with
// goldmark (GFM) on all cores and write OUT/<name>/index.html.
func floor(site, out string) error {
	var paths []string
	err := filepath.WalkDir(filepath.Join(site, "content", "articles"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	jobs := make(chan string)
	errs := make(chan error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for p := range jobs {
				if err := floorOne(md, &buf, p, out); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func floorOne(md goldmark.Markdown, buf *bytes.Buffer, p, out string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if rest, ok := bytes.CutPrefix(data, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			data = rest[i+5:]
		}
	}
	buf.Reset()
	if err := md.Convert(data, buf); err != nil {
		return err
	}
	dir := filepath.Join(out, strings.TrimSuffix(filepath.Base(p), ".md"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}

func numCPU() int { return runtime.NumCPU() }

// maxRSSBytes reads ru_maxrss, which Linux counts in KiB and macOS in
// bytes.
func maxRSSBytes(ru *syscall.Rusage) int64 {
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) << 10
}
