package build

import (
	"context"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/foyerhub/foyer/generator/render"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
)

// Incremental rebuilds a site in memory again and again (foyer serve),
// re-rendering only the files a change touches. Its result always
// equals a full build of the same sources, byte for byte:
//
//   - a change to content/articles or content/contributions marks the
//     slugs of the articles it concerns (before and after the change),
//     plus "*", the lists and feeds every article may appear in;
//   - a change under static/ or a theme's static/ marks "static";
//   - any other change (foyer.yaml, layouts, partials, i18n, themes,
//     pages, members, newsletters) rebuilds everything.
//
// A job is rendered again when its path is new, when its Deps differ
// from the last build's (an article got other neighbours or related
// articles), or when one of its Deps is marked. Only the files a change
// touches are parsed again; converted Markdown, contributions included,
// is reused through a site.Cache.
//
// An Incremental is not safe for concurrent use: one goroutine calls
// Build at a time.
type Incremental struct {
	fsys    fs.FS
	opts    Options
	prev    *Model              // the last good build
	deps    map[string][]string // output path → Deps in the last good build
	pending map[string]bool     // paths changed since the last good build
	files   []string            // the content files, sorted, as of the last Build
}

// Update is the outcome of one incremental build.
type Update struct {
	*Model
	Full    bool              // every file was rendered
	Files   map[string][]byte // the files rendered by this build
	Removed []string          // files of the previous build that are gone
	Total   int               // files in the site after this build
}

// NewIncremental returns a builder for the site in fsys. Its first Build
// renders everything.
func NewIncremental(fsys fs.FS, opts Options) *Incremental {
	if opts.Cache == nil {
		opts.Cache = site.NewCache()
	}
	if opts.SearchCache == nil {
		opts.SearchCache = render.NewSearchCache()
	}
	opts.conv = &converterMemo{}
	return &Incremental{fsys: fsys, opts: opts, pending: make(map[string]bool)}
}

// Build rebuilds after the given files (slash paths relative to the site
// root, files or folders) changed. On error the previous good build is
// kept, and the changed paths are remembered for the next Build, so that
// mending a broken file brings every earlier change along.
func (b *Incremental) Build(ctx context.Context, changed []string) (*Update, error) {
	for _, p := range changed {
		b.pending[path.Clean(strings.TrimPrefix(p, "./"))] = true
	}
	opts := b.opts
	if b.prev != nil {
		opts.reuse = b.reusable()
	}
	files, err := b.contentFiles(changed)
	if err != nil {
		b.files = nil // the next Build walks everything again
		return &Update{}, err
	}
	b.files, opts.paths = files, files
	m, err := LoadFS(ctx, b.fsys, opts)
	if err != nil {
		return &Update{Model: m}, err
	}
	r, jobs, err := Plan(m)
	if err != nil {
		return &Update{Model: m}, err
	}
	u := &Update{Model: m, Full: b.prev == nil, Files: make(map[string][]byte), Total: len(jobs)}
	var marked map[string]bool
	if !u.Full {
		marked, u.Full = b.marks(m)
	}
	deps := make(map[string][]string, len(jobs))
	todo := jobs[:0:0]
	for _, j := range jobs {
		deps[j.Path] = j.Deps
		old, seen := b.deps[j.Path]
		if u.Full || !seen || !slices.Equal(old, j.Deps) || hits(j.Deps, marked) {
			todo = append(todo, j)
		}
	}
	var mu sync.Mutex
	err = r.Render(ctx, todo, func(f render.File) error {
		mu.Lock()
		u.Files[f.Path] = f.Data
		mu.Unlock()
		return nil
	})
	if err != nil {
		return u, err
	}
	for p := range b.deps {
		if _, ok := deps[p]; !ok {
			u.Removed = append(u.Removed, p)
		}
	}
	slices.Sort(u.Removed)
	b.prev, b.deps = m, deps
	clear(b.pending)
	return u, nil
}

// reusable returns the documents of the last good build whose files no
// pending change touches, so that a rebuild parses only what changed.
func (b *Incremental) reusable() func(string) *source.Document {
	prev := make(map[string]*source.Document, len(b.prev.Docs))
	for _, d := range b.prev.Docs {
		prev[d.Path] = d
	}
	if b.pending["."] {
		return nil // the whole site may have changed
	}
	return func(p string) *source.Document {
		for q := p; q != "." && q != "/"; q = path.Dir(q) {
			if b.pending[q] {
				return nil
			}
		}
		return prev[p]
	}
}

func hits(deps []string, marked map[string]bool) bool {
	for _, d := range deps {
		if marked[d] {
			return true
		}
	}
	return false
}

// marks names what the pending changes touch in the new model m, or
// reports that everything must be rendered again.
func (b *Incremental) marks(m *Model) (marked map[string]bool, full bool) {
	marked = make(map[string]bool)
	article := func(slug string) {
		marked[slug], marked["*"] = true, true
	}
	for p := range b.pending {
		switch {
		case isStatic(p):
			marked["static"] = true
		case p == "content/articles" || strings.HasPrefix(p, "content/articles/"):
			for _, docs := range [][]*source.Document{b.prev.Docs, m.Docs} {
				for _, d := range docs {
					if d.Kind == source.Article && (d.Path == p || strings.HasPrefix(d.Path, p+"/")) {
						article(docSlug(d))
					}
				}
			}
		case strings.HasPrefix(p, "content/contributions/"):
			// content/contributions/<slug>[/<id>.md]
			article(strings.SplitN(strings.TrimPrefix(p, "content/contributions/"), "/", 2)[0])
		default:
			return nil, true
		}
	}
	// Time alone publishes or expires pages and newsletters, which every
	// page shows (the menu, the footer), and articles: compare the two
	// models.
	if !slices.Equal(publishedSources(b.prev.Site), publishedSources(m.Site)) {
		return nil, true
	}
	for _, pair := range [][2]*site.Site{{b.prev.Site, m.Site}, {m.Site, b.prev.Site}} {
		for _, a := range pair[0].Articles {
			if pair[1].Article(a.Slug) == nil {
				article(a.Slug)
			}
		}
	}
	return marked, false
}

func docSlug(d *source.Document) string {
	if d.Meta.Slug != "" {
		return d.Meta.Slug
	}
	return d.ID()
}

// isStatic reports whether p is a static file of the site or a theme.
func isStatic(p string) bool {
	if p == "static" || strings.HasPrefix(p, "static/") {
		return true
	}
	rest, ok := strings.CutPrefix(p, "themes/")
	if !ok {
		return false
	}
	_, inTheme, ok := strings.Cut(rest, "/")
	return ok && (inTheme == "static" || strings.HasPrefix(inTheme, "static/"))
}

// contentFiles brings the list of content files up to date with the
// changed paths, walking only those, or walks the whole content folder
// the first time and when a change may hide anything (the site or the
// content folder itself).
func (b *Incremental) contentFiles(changed []string) ([]string, error) {
	if b.files == nil {
		return source.Paths(b.fsys, source.ContentDir)
	}
	files := b.files
	for _, p := range changed {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		switch {
		case p == "." || p == source.ContentDir:
			return source.Paths(b.fsys, source.ContentDir)
		case !strings.HasPrefix(p, source.ContentDir+"/"):
			continue
		}
		// Drop p and what was under it, then add what is there now.
		files = slices.DeleteFunc(slices.Clone(files), func(f string) bool {
			return f == p || strings.HasPrefix(f, p+"/")
		})
		now, err := source.Paths(b.fsys, p)
		if err != nil {
			return nil, err
		}
		for _, f := range now {
			i, _ := slices.BinarySearch(files, f)
			files = slices.Insert(files, i, f)
		}
	}
	return files, nil
}
