package build

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/render"
	"github.com/foyerhub/foyer/generator/search"
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
	r       *render.Renderer    // its renderer
	jobs    []render.Job        // its jobs
	deps    map[string][]string // output path → Deps in the last good build
	pending map[string]bool     // paths changed since the last good build
	files   []string            // the content files, sorted, as of the last Build
}

// Update is the outcome of one incremental build.
type Update struct {
	*Model
	Full    bool              // every file was rendered
	Patched bool              // only article bodies changed: the last model was patched in place
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
		opts.SearchCache = search.NewCache()
	}
	opts.conv = &converterMemo{}
	return &Incremental{fsys: fsys, opts: opts, pending: make(map[string]bool)}
}

// Build rebuilds after the given files (slash paths relative to the site
// root, files or folders) changed. On error the previous good build is
// kept, and the changed paths are remembered for the next Build, so that
// mending a broken file brings every earlier change along.
func (b *Incremental) Build(ctx context.Context, changed []string) (*Update, error) {
	return b.BuildPagesFirst(ctx, changed, nil)
}

// BuildPagesFirst is Build for a server. When only article bodies
// changed (see patch), it gives pages the new pages, feeds and other
// files as soon as they are rendered, then makes the search index again
// (tens of milliseconds on a large site, as every document's scores
// depend on the average length) and returns an Update of the files
// pages did not get. Otherwise pages is not called and the Update holds
// every file rendered, as Build's. pages may be nil.
func (b *Incremental) BuildPagesFirst(ctx context.Context, changed []string, pages func(*Update)) (*Update, error) {
	for _, p := range changed {
		b.pending[path.Clean(strings.TrimPrefix(p, "./"))] = true
	}
	if u, ok := b.patch(ctx, pages); ok {
		return u, nil
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
	todo := b.todo(jobs, marked, deps)
	if u.Full {
		todo = jobs
	}
	if err := renderInto(ctx, u, r, todo); err != nil {
		return u, err
	}
	u.Removed = b.removed(deps)
	b.prev, b.r, b.jobs, b.deps = m, r, jobs, deps
	clear(b.pending)
	return u, nil
}

// renderInto runs the jobs into u.Files.
func renderInto(ctx context.Context, u *Update, r *render.Renderer, jobs []render.Job) error {
	var mu sync.Mutex
	return r.Render(ctx, jobs, func(f render.File) error {
		data := bytes.Clone(f.Data)
		mu.Lock()
		u.Files[f.Path] = data
		mu.Unlock()
		return nil
	})
}

// todo picks the jobs to render: those whose path is new, whose Deps
// differ from the last good build's, or which depend on something
// marked. It records every job's Deps in deps.
func (b *Incremental) todo(jobs []render.Job, marked map[string]bool, deps map[string][]string) []render.Job {
	var todo []render.Job
	for _, j := range jobs {
		deps[j.Path] = j.Deps
		if old, seen := b.deps[j.Path]; !seen || !slices.Equal(old, j.Deps) || hits(j.Deps, marked) {
			todo = append(todo, j)
		}
	}
	return todo
}

// removed lists, sorted, the files of the last good build that are not
// in deps, the new build's.
func (b *Incremental) removed(deps map[string][]string) []string {
	var gone []string
	for p := range b.deps {
		if _, ok := deps[p]; !ok {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	return gone
}

// patch is Build's fast way for the commonest change while writing:
// the bodies of published articles edited, their front matter
// untouched. Nothing then changes in the model but those articles'
// converted Markdown, so patch converts them into the last model in
// place (site.Site.SetBody), replaces the jobs that copied their fields
// (render.Renderer.ArticleJobs) and the search index's, and renders
// what depends on them, as Build would have. It reports false, having
// changed nothing, when the pending changes are anything else, when a
// file no longer reads or converts, or when time alone would publish or
// expire something since the last build: Build then goes the full way.
func (b *Incremental) patch(ctx context.Context, pages func(*Update)) (*Update, bool) {
	if b.prev == nil || b.r == nil || len(b.pending) == 0 {
		return nil, false
	}
	start := time.Now()
	s := b.prev.Site
	now := b.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if !timeStill(b.prev.Docs, s.Now, now) {
		return nil, false
	}
	at := make(map[string]int, len(b.pending)) // path → index in prev.Docs
	for i, d := range b.prev.Docs {
		if b.pending[d.Path] && d.Kind == source.Article {
			at[d.Path] = i
		}
	}
	if len(at) != len(b.pending) {
		return nil, false // not only articles' files, or new ones
	}
	paths := slices.Sorted(maps.Keys(at))
	docs, err := source.LoadPaths(ctx, b.fsys, paths, nil)
	if err != nil || len(docs) != len(paths) {
		return nil, false
	}
	articles := make([]*site.Article, len(docs))
	mds := make([]markdown.Document, len(docs))
	for k, d := range docs {
		if !d.SameMeta(b.prev.Docs[at[d.Path]]) {
			return nil, false // new front matter
		}
		// The slug comes from the front matter and the file's name, both
		// as they were. A draft shown nowhere has no article, or shares
		// its slug with the article of another file.
		articles[k] = s.Article(docSlug(d))
		if articles[k] == nil || articles[k].Source != d.Path {
			return nil, false
		}
		if mds[k], err = b.opts.Cache.Convert(b.prev.conv, d); err != nil {
			return nil, false
		}
	}
	load := time.Since(start)

	start = time.Now()
	marked := map[string]bool{"*": true}
	replaced := make(map[string]render.Job)
	for k, d := range docs {
		a := articles[k]
		s.SetBody(a, d, mds[k], b.prev.conv)
		b.prev.Docs[at[d.Path]] = d
		marked[a.Slug] = true
		for _, j := range b.r.ArticleJobs(a) {
			replaced[j.Path] = j
		}
	}
	s.Now = now
	b.prev.Theme.Forget() // fragments of the old bodies
	model := time.Since(start)

	jobs := make([]render.Job, 0, len(b.jobs))
	for _, j := range b.jobs {
		if n, ok := replaced[j.Path]; ok {
			j = n
		} else if render.IsSearchIndex(j.Path) {
			continue // made again below
		}
		jobs = append(jobs, j)
	}
	deps := make(map[string][]string, len(b.deps))
	u := &Update{Model: b.prev, Patched: true, Files: make(map[string][]byte), Total: len(b.jobs)}
	u.Timings = Timings{Load: load, Model: model}
	// The model holds the new bodies from here on: should rendering fail,
	// the full build that follows makes a new model from the files.
	if err := renderInto(ctx, u, b.r, b.todo(jobs, marked, deps)); err != nil {
		b.r = nil
		return nil, false
	}
	if pages != nil {
		pages(u)
		u = &Update{Model: b.prev, Patched: true, Files: make(map[string][]byte)}
	}
	search := b.r.SearchIndexJobs()
	if err := renderInto(ctx, u, b.r, b.todo(search, marked, deps)); err != nil {
		b.r = nil
		return nil, false
	}
	jobs = append(jobs, search...)
	u.Total, u.Removed = len(jobs), b.removed(deps)
	b.jobs, b.deps = jobs, deps
	clear(b.pending)
	return u, true
}

// timeStill reports whether no document's publication or expiry falls
// between from and to, in either order: time alone changed nothing in
// the model built at from.
func timeStill(docs []*source.Document, from, to time.Time) bool {
	if to.Before(from) {
		from, to = to, from
	}
	for _, d := range docs {
		switch d.Kind {
		case source.Article, source.Page, source.Newsletter:
		default:
			continue
		}
		for _, t := range []time.Time{d.Meta.Publishes(), d.Meta.ExpiryDate} {
			if t.After(from) && !t.After(to) {
				return false
			}
		}
	}
	return true
}

// reusable returns the documents of the last good build whose files no
// pending change touches, so that a rebuild parses only what changed.
func (b *Incremental) reusable() func(string) *source.Document {
	if b.pending["."] {
		return nil // the whole site may have changed
	}
	prev := make(map[string]*source.Document, len(b.prev.Docs))
	for _, d := range b.prev.Docs {
		prev[d.Path] = d
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
	files := slices.Clone(b.files) // the last build's list stays as it is
	var now []string               // what is under the changed paths now
	for _, p := range changed {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		switch {
		case p == "." || p == source.ContentDir:
			return source.Paths(b.fsys, source.ContentDir)
		case !strings.HasPrefix(p, source.ContentDir+"/"):
			continue
		}
		// Drop p and what was under it, then add what is there now.
		files = slices.DeleteFunc(files, func(f string) bool {
			return f == p || strings.HasPrefix(f, p+"/")
		})
		under, err := source.Paths(b.fsys, p)
		if err != nil {
			return nil, err
		}
		now = append(now, under...)
	}
	if len(now) == 0 {
		return files, nil
	}
	files = append(files, now...)
	slices.Sort(files)
	return slices.Compact(files), nil // nested changed paths list a file twice
}
