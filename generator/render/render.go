// Package render turns a site model and a theme into files: HTML pages,
// feeds, the sitemap, redirects. Render never touches the disk: it hands
// each file to an emit function as soon as it is made, from several
// goroutines, so that output can be written while the rest renders and
// no build holds every page in memory at once.
package render

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/theme"
)

// File is one output file. Path is slash-separated and relative to the
// output root ("articles/x/index.html"). Render hands Data to emit in a
// buffer of its own that it reuses once emit returns: an emit that keeps
// the bytes copies them.
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
	// Make makes the file's bytes. Write, set instead of Make, writes
	// them into a buffer that Render reuses from file to file: pages,
	// the most and the largest files, then cost no allocation of their
	// own.
	Make  func() ([]byte, error)
	Write func(*bytes.Buffer) error
}

// Bytes makes the file's bytes, in a slice of their own.
func (j Job) Bytes() ([]byte, error) { return j.run(new(bytes.Buffer)) }

// run makes the file's bytes, into buf if the job writes them.
func (j Job) run(buf *bytes.Buffer) ([]byte, error) {
	if j.Write == nil {
		return j.Make()
	}
	buf.Reset()
	err := j.Write(buf)
	return buf.Bytes(), err
}

// Renderer holds what every job needs.
type Renderer struct {
	Site  *site.Site
	Theme *theme.Theme
	// Search keeps the search index's analysed documents between builds
	// of one process (foyer serve); may be nil. The plain text of each
	// document is kept by site.Cache, with its conversion.
	Search *search.Cache
}

// New returns a Renderer for a built site and a loaded theme.
func New(s *site.Site, th *theme.Theme) *Renderer { return &Renderer{Site: s, Theme: th} }

// Render runs every job of the plan on all cores and emits each file.
// It stops at the first error; emit may be called concurrently, and
// must not keep a File's Data once it returns (see File).
func (r *Renderer) Render(ctx context.Context, jobs []Job, emit func(File) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	q := ends{hi: len(jobs)}
	var wg sync.WaitGroup
	for w := range min(runtime.GOMAXPROCS(0), max(1, len(jobs))) {
		fromEnd := w%2 == 1
		wg.Go(func() {
			var buf bytes.Buffer
			for ctx.Err() == nil {
				i, ok := q.next(fromEnd)
				if !ok {
					return
				}
				j := jobs[i]
				data, err := j.run(&buf)
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
	wg.Wait()
	return context.Cause(ctx)
}

// ends hands out the indexes of a list of jobs from both ends, each
// once: workers that take from the end write files elsewhere than those
// that take from the start (the plan is in order of folders), and so
// seldom wait for the same folder's lock in the kernel.
type ends struct {
	mu     sync.Mutex
	lo, hi int // the jobs not handed out yet
}

func (e *ends) next(fromEnd bool) (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lo >= e.hi {
		return 0, false
	}
	if fromEnd {
		e.hi--
		return e.hi, true
	}
	e.lo++
	return e.lo - 1, true
}
