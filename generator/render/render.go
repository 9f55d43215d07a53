// Package render turns a site model and a theme into files: HTML pages,
// feeds, the sitemap, redirects. Render never touches the disk: it hands
// each file to an emit function as soon as it is made, from several
// goroutines, so that output can be written while the rest renders and
// no build holds every page in memory at once.
package render

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/theme"
)

// File is one output file. Path is slash-separated and relative to the
// output root ("articles/x/index.html").
type File struct {
	Path string
	Data []byte
}

// Job makes one output file.
type Job struct {
	Path string
	// Deps names what the file shows, so that an incremental build can
	// tell which files a change touches: article slugs, "*" for
	// everything (lists of all articles, feeds), "members", "pages".
	Deps []string
	Make func() ([]byte, error)
}

// Renderer holds what every job needs.
type Renderer struct {
	Site   *site.Site
	Theme  *theme.Theme
	Search *SearchCache // search index work reused across builds; may be nil
}

// New returns a Renderer for a built site and a loaded theme.
func New(s *site.Site, th *theme.Theme) *Renderer { return &Renderer{Site: s, Theme: th} }

// Render runs every job of the plan on all cores and emits each file.
// It stops at the first error; emit may be called concurrently.
func (r *Renderer) Render(ctx context.Context, jobs []Job, emit func(File) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ch := make(chan Job)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(jobs))) {
		wg.Go(func() {
			for j := range ch {
				data, err := j.Make()
				if err == nil {
					err = emit(File{Path: j.Path, Data: data})
				} else {
					err = fmt.Errorf("render %s: %w", j.Path, err)
				}
				if err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	return context.Cause(ctx)
}
