package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/fastio"
	"github.com/foyerhub/foyer/generator/watch"
)

// Options configure Run.
type Options struct {
	Site     string // the site folder
	Bind     string // address to listen on; default 127.0.0.1
	Port     int    // default 1313; use -1 for any free port
	Drafts   bool
	Future   bool
	Write    string        // if set, every good build is also published into this folder
	Debounce time.Duration // see watch.Options; 0 means watch.DefaultDebounce
	Log      io.Writer     // one line per rebuild, warnings and errors; nil discards
	// Ready is called once the server listens and the first build is
	// done, with the site's URL.
	Ready func(url string)
	// Rebuilt is called after every build, good or bad.
	Rebuilt func(Report)
}

// Report describes one rebuild.
type Report struct {
	Changed  []string // the site paths that changed (nil for the first build)
	Full     bool
	Rendered int      // files rendered
	Total    int      // files in the site
	Updated  []string // output paths whose bytes changed
	Took     time.Duration
	// Served is the time from the start of the rebuild to the new pages
	// being served. After a body edit the search index is made again
	// after them, and Took is longer.
	Served time.Duration
	Err    error
}

// Run builds the site, serves it and rebuilds it on every change until
// ctx is done. It returns when the server and the watcher have stopped.
func Run(ctx context.Context, opts Options) error {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	port := opts.Port
	switch {
	case port == 0:
		port = 1313
	case port < 0:
		port = 0
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(port)))
	if err != nil {
		return err
	}
	url := siteURL(opts.Bind, ln.Addr().(*net.TCPAddr).Port)
	srv := NewServer()
	r := &rebuilder{opts: opts, srv: srv, inc: build.NewIncremental(fastio.DirFS(opts.Site), build.Options{
		Site: opts.Site, BaseURL: url, Drafts: opts.Drafts, Future: opts.Future,
	})}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hs := &http.Server{Handler: srv, BaseContext: func(net.Listener) context.Context { return ctx }, ReadHeaderTimeout: 10 * time.Second}
	var wg sync.WaitGroup
	var serveErr error
	wg.Go(func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
			cancel()
		}
	})
	watchErr := watch.Watch(ctx, watch.Options{
		Root: opts.Site, Debounce: opts.Debounce,
		Errors: func(err error) { fmt.Fprintf(opts.Log, "watch: %v\n", err) },
		Started: func() {
			// Build once every watch is in place, so no save is missed.
			r.rebuild(ctx, nil)
			if opts.Ready != nil {
				opts.Ready(url)
			}
		},
	}, func(changed []string) { r.rebuild(ctx, changed) })
	cancel()
	shut, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	shutErr := hs.Shutdown(shut)
	wg.Wait()
	return errors.Join(watchErr, serveErr, shutErr)
}

// siteURL is the base URL the site is served at.
func siteURL(bind string, port int) string {
	host := bind
	if ip := net.ParseIP(bind); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/"
}

type rebuilder struct {
	opts Options
	srv  *Server
	inc  *build.Incremental
}

func (r *rebuilder) rebuild(ctx context.Context, changed []string) {
	start := time.Now()
	rep := Report{Changed: changed}
	u, err := r.inc.BuildPagesFirst(ctx, changed, func(pages *build.Update) {
		rep.Rendered = len(pages.Files)
		rep.Updated = r.srv.Update(pages.Files, nil, false)
		rep.Served = time.Since(start)
	})
	if u != nil && u.Model != nil {
		for _, w := range u.Warnings {
			fmt.Fprintf(r.opts.Log, "warning: %v\n", w)
		}
	}
	if err == nil {
		rep.Full, rep.Rendered, rep.Total = u.Full, rep.Rendered+len(u.Files), u.Total
		rep.Updated = append(rep.Updated, r.srv.Update(u.Files, u.Removed, u.Full)...)
		if rep.Served == 0 {
			rep.Served = time.Since(start)
		}
		if r.opts.Write != "" {
			if _, werr := build.WriteFiles(r.srv.Files(), r.opts.Write); werr != nil {
				fmt.Fprintf(r.opts.Log, "write %s: %v\n", r.opts.Write, werr)
			}
		}
	} else if ctx.Err() == nil {
		r.srv.Fail(err.Error())
	}
	rep.Err, rep.Took = err, time.Since(start)
	fmt.Fprintln(r.opts.Log, rep.line())
	if r.opts.Rebuilt != nil {
		r.opts.Rebuilt(rep)
	}
}

// line is the one terminal line of a rebuild.
func (rep Report) line() string {
	what := "first build"
	if len(rep.Changed) > 0 {
		what = rep.Changed[0]
		if n := len(rep.Changed); n > 1 {
			what += fmt.Sprintf(" and %d more", n-1)
		}
	}
	if rep.Err != nil {
		return fmt.Sprintf("%s: rebuild failed in %s; still serving the last good build:\n%v", what, round(rep.Took), rep.Err)
	}
	kind := "rebuilt"
	if rep.Full {
		kind = "rebuilt everything"
	}
	took := "in " + round(rep.Took).String()
	if rep.Served > 0 && rep.Took-rep.Served > time.Millisecond {
		took = fmt.Sprintf("served in %s, search index in %s more", round(rep.Served), round(rep.Took-rep.Served))
	}
	return fmt.Sprintf("%s: %s, %d of %d files rendered, %d changed, %s", what, kind, rep.Rendered, rep.Total, len(rep.Updated), took)
}

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d
}
