// Package watch turns file-system events under a site folder into
// debounced change sets: the paths that changed during a burst of saves,
// handed over once the burst is quiet. It is the only fsnotify importer.
//
// Watch follows the ways editors save (write in place, write a temporary
// file and rename it, delete and recreate), adds watches on folders
// created after it started, ignores editor swap and backup files, and
// never looks into public/ or dot folders: it follows foyer.yaml and the
// folders content/, layouts/, partials/, i18n/, static/ and themes/. Every burst ends in one call
// with the final state, so a git checkout is one rebuild, not hundreds.
package watch

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/foyerhub/foyer/generator/source"
)

// watchedDir reports whether a folder at the site root is one Watch
// follows, recursively.
func watchedDir(name string) bool {
	switch name {
	case "content", "layouts", "partials", "i18n", "static", "themes":
		return true
	}
	return false
}

// watchedFile reports whether a file at the site root is one Watch follows.
func watchedFile(name string) bool { return name == "foyer.yaml" }

// DefaultDebounce is how long the file system must stay quiet before a
// change set is handed over: longer than the gaps inside one save, far
// shorter than a person notices.
const DefaultDebounce = 30 * time.Millisecond

// maxDelay caps a burst that never goes quiet (a long checkout), so
// that the preview still follows.
const maxDelay = time.Second

// Options configure Watch.
type Options struct {
	Root     string        // the site folder
	Debounce time.Duration // quiet time that ends a burst; 0 means DefaultDebounce
	// Errors receives watcher errors (an overflowing event queue, a
	// folder that cannot be watched); nil drops them.
	Errors func(error)
	// Started, if set, is called once every watch is in place: changes
	// made after it returns are seen.
	Started func()
}

// Watch watches the site folder until ctx is done and calls changed with
// each debounced change set: sorted, slash-separated paths relative to
// Root, files or folders. changed runs on Watch's goroutine; events that
// arrive meanwhile form the next set. Watch returns after its watcher is
// closed, with nothing left running.
func Watch(ctx context.Context, opts Options, changed func([]string)) error {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	root, err := filepath.Abs(opts.Root)
	if err != nil {
		return err
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	w := &watcher{root: root, fw: fw, opts: opts, pending: make(map[string]bool)}
	defer fw.Close()
	if err := fw.Add(root); err != nil {
		return err
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() && watchedDir(e.Name()) {
			w.addTree(filepath.Join(root, e.Name()), false)
		}
	}
	if opts.Started != nil {
		opts.Started()
	}
	return w.loop(ctx, changed)
}

type watcher struct {
	root    string
	fw      *fsnotify.Watcher
	opts    Options
	pending map[string]bool
}

func (w *watcher) loop(ctx context.Context, changed func([]string)) error {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	var first time.Time // of the changes pending
	// arm waits for the debounce's quiet, but not past maxDelay since
	// the first pending change.
	arm := func() {
		if first.IsZero() {
			first = time.Now()
		}
		quiet.Reset(max(0, min(w.opts.Debounce, maxDelay-time.Since(first))))
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			if w.event(ev) {
				arm()
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			w.report(err)
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Changes were lost: report the whole site as changed.
				w.pending["."] = true
				arm()
			}
		case <-quiet.C:
			if len(w.pending) == 0 {
				continue
			}
			set := make([]string, 0, len(w.pending))
			for p := range w.pending {
				set = append(set, p)
			}
			slices.Sort(set)
			clear(w.pending)
			first = time.Time{}
			changed(set)
		}
	}
}

func (w *watcher) report(err error) {
	if w.opts.Errors != nil && err != nil {
		w.opts.Errors(err)
	}
}

// event records one event and reports whether it matters.
func (w *watcher) event(ev fsnotify.Event) bool {
	rel, ok := w.relevant(ev.Name)
	if !ok {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			// Files may land in a new folder before its watch exists:
			// report every one found while adding it.
			w.addTree(ev.Name, true)
		}
	}
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		// A moved folder keeps its watch under the old name: drop it.
		// Errors only say it was no folder we watched.
		_ = w.fw.Remove(ev.Name)
	}
	if ev.Op == fsnotify.Chmod {
		return false
	}
	w.pending[rel] = true
	return true
}

// relevant maps an absolute path to its site-relative slash path, and
// says whether the site cares about it.
func (w *watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, rest, nested := strings.Cut(rel, "/")
	if !nested {
		return rel, watchedFile(top) || watchedDir(top)
	}
	if !watchedDir(top) {
		return "", false
	}
	for _, seg := range strings.Split(rest, "/") {
		if Ignored(seg) {
			return "", false
		}
	}
	return rel, true
}

// Ignored reports whether a file or folder name is an editor's swap,
// backup or lock file, or hidden: nothing a site is made of. The site
// loader skips the same names (source.Ignored).
func Ignored(name string) bool { return source.Ignored(name) }

// addTree watches dir and every folder below it. With report set, every
// file and folder found is recorded as changed.
func (w *watcher) addTree(dir string, report bool) {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already, or a Dirs entry the site lacks
			}
			return err
		}
		rel, ok := w.relevant(p)
		if !ok {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if report {
			w.pending[rel] = true
		}
		if d.IsDir() {
			if err := w.fw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				w.report(err)
			}
		}
		return nil
	})
	w.report(err)
}
