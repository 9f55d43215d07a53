// Package build is the only package that chains the stages: source →
// site → render → publish. Model loads a site folder into the model and
// its theme; Build renders that model and publishes it atomically.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/internal/fastio"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/publish"
	"github.com/foyerhub/foyer/generator/render"
	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
	"github.com/foyerhub/foyer/generator/theme"
	"github.com/foyerhub/foyer/themes"
)

// Options configure a build.
type Options struct {
	Site    string // the site folder
	Dest    string // output folder; default Site/public
	BaseURL string // overrides base_url
	Drafts  bool
	Future  bool
	Now     time.Time   // reference time; zero means now
	Cache   *site.Cache // reuse converted Markdown across builds; may be nil
	NoCache bool        // Build neither reads nor writes SITE/.foyer/cache

	SearchCache *search.Cache // reuse search index work across builds; may be nil

	conv    *converterMemo                     // set by Incremental: one converter across builds
	reuse   func(path string) *source.Document // set by Incremental: documents no change touched
	release bool                               // set by Build: see site.Options.Release
	spool   *site.Spool                        // set by Build: see site.Options.Spool
	paths   []string                           // set by Incremental: the content files, instead of a walk
}

// converterMemo keeps one Markdown converter for as long as its options
// hold, because site.Cache drops its entries when the converter changes.
type converterMemo struct {
	opts markdown.Options
	conv *markdown.Converter
}

func (c *converterMemo) get(opts markdown.Options) *markdown.Converter {
	if c == nil {
		return markdown.New(opts)
	}
	if c.conv == nil || c.opts != opts {
		c.opts, c.conv = opts, markdown.New(opts)
	}
	return c.conv
}

// Timings are the durations of each stage.
type Timings struct {
	Load, Model, Render, Write time.Duration
}

// Model is a loaded site: its configuration, model and theme.
type Model struct {
	Config   *config.Config
	Site     *site.Site
	Theme    *theme.Theme
	Docs     []*source.Document // dropped by Build once the model is made
	Loaded   int                // documents read
	Warnings []error
	Timings  Timings

	search *search.Cache
	conv   *markdown.Converter // the site's Markdown was converted with
	spool  *site.Spool         // where the model's markup is, when not in memory
}

// Result is what a build did.
type Result struct {
	*Model
	Files int // files in the site
	Kept  int // files the build cache vouched for, kept without rendering
	Stats publish.Stats
	Dest  string
}

// Load reads the site folder into a Model. Content errors are returned
// together as a diag.List.
func Load(ctx context.Context, opts Options) (*Model, error) {
	fsys := fastio.DirFS(opts.Site)
	return LoadFS(ctx, fsys, opts)
}

// LoadFS is Load on any file system: tests pass an fstest.MapFS.
func LoadFS(ctx context.Context, fsys fs.FS, opts Options) (*Model, error) {
	start := time.Now()
	cfg, warnings, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	if opts.BaseURL != "" {
		cfg.BaseURL = opts.BaseURL
		if errs := cfg.Validate("--base-url"); len(errs) > 0 {
			return nil, errs.Err()
		}
	}
	m := &Model{Config: cfg, Warnings: warnings, search: opts.SearchCache, spool: opts.spool}
	var errs diag.List
	var docs []*source.Document
	if opts.paths != nil {
		docs, err = source.LoadPaths(ctx, fsys, opts.paths, opts.reuse)
	} else {
		docs, err = source.LoadReusing(ctx, fsys, opts.reuse)
	}
	if err != nil && !isContentError(err) {
		return nil, err
	}
	errs.Add(err)
	m.Docs, m.Loaded = docs, len(docs)
	th, err := loadTheme(fsys, cfg)
	errs.Add(err)
	m.Timings.Load = time.Since(start)

	start = time.Now()
	mdOpts := markdown.Options{Lang: cfg.Language, UnsafeHTML: cfg.Markdown.UnsafeHTML, AllowImages: cfg.Comments.AllowImages}
	conv := opts.conv.get(mdOpts)
	opts.Cache.Keyed(fmt.Sprintf("%s %+v", programDigest(), mdOpts))
	s, warns, err := site.New(cfg, docs, conv, site.Options{Drafts: opts.Drafts, Future: opts.Future, Now: opts.Now, Cache: opts.Cache, Release: opts.release, Spool: opts.spool})
	m.Warnings = append(m.Warnings, warns...)
	errs.Add(err)
	m.Timings.Model = time.Since(start)
	if err := errs.Err(); err != nil {
		return m, err
	}
	m.Site, m.Theme, m.conv = s, th, conv
	return m, nil
}

func isContentError(err error) bool {
	var l diag.List
	var e *diag.Error
	return errors.As(err, &l) || errors.As(err, &e)
}

func loadTheme(fsys fs.FS, cfg *config.Config) (*theme.Theme, error) {
	themePath := "themes/" + cfg.Theme
	themeFS, err := fs.Sub(fsys, themePath)
	if err == nil {
		_, err = fs.Stat(fsys, themePath)
	}
	if err != nil {
		if cfg.Theme != "default" {
			return nil, diag.Errorf(config.FileName, 0, 0, "theme %q: no folder %s (expected a theme there, or theme: default)", cfg.Theme, themePath)
		}
		themeFS = themes.Default()
	}
	return theme.Load(theme.Sources{Theme: themeFS, ThemePath: themePath, Site: fsys, Lang: cfg.Language, BaseURL: cfg.BaseURL})
}

// Build loads, renders and publishes a site, using and updating the
// build cache in SITE/.foyer/cache unless opts.NoCache (see cache.go).
// Unless opts.Cache is given, the content of the returned model
// (Page.Content, Site.PlainText) is in a spool file and gone once Build
// returns: a caller that wants it uses Load and Publish.
func Build(ctx context.Context, opts Options) (*Result, error) {
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Site, "public")
	}
	dir := filepath.Join(opts.Site, filepath.FromSlash(cacheDir))
	own := opts.Cache == nil // else the caller's, which must outlive the spool
	cached := !opts.NoCache && own && programDigest() != ""
	var spool *site.Spool
	var spoolErr, cacheErr error
	saveMarkdown := false // into the cache's spool, which this build holds the lock of
	if own {
		// The converted markup goes into the cache's spool file, which the
		// next build goes on from. A build that cannot open it, or finds
		// another build using it, makes a spool of its own and leaves the
		// cache's markup alone.
		if cached && os.MkdirAll(dir, 0o755) == nil {
			unlock, err := lockCache(dir)
			switch {
			case err == nil:
				defer unlock()
				opts.Cache, spool, cacheErr = site.OpenCache(dir)
				saveMarkdown = spool != nil
			case !errors.Is(err, errBusy):
				cacheErr = fmt.Errorf("not used: %w", err)
			}
		}
		if spool == nil {
			// A build that cannot make a spool keeps its markup in
			// memory: it only needs more of it.
			spool, spoolErr = site.NewSpool("") // in the system's temporary folder
			// Without a cache on disk, one for this build alone still
			// keeps each document's plain text, which the search index
			// reads twice.
			opts.Cache = site.NewCache()
		}
		defer spool.Close()
		opts.spool = spool
	}
	opts.release = true // the documents are dropped before rendering
	m, err := Load(ctx, opts)
	if m != nil && spoolErr != nil {
		m.Warnings = append(m.Warnings, fmt.Errorf("content kept in memory: %w", spoolErr))
	}
	if m != nil && cacheErr != nil {
		m.Warnings = append(m.Warnings, fmt.Errorf("build cache %s: %w", dir, cacheErr))
	}
	if err != nil {
		return &Result{Model: m}, err
	}
	var pc *pages
	if cached {
		dest, err := filepath.Abs(opts.Dest)
		if err != nil {
			return &Result{Model: m}, err
		}
		in, err := newInputs(fastio.DirFS(opts.Site), m, opts)
		if err != nil {
			return &Result{Model: m}, fmt.Errorf("build cache: %w", err)
		}
		pc = &pages{in: in, dest: dest, prev: readPages(dir, dest), next: make(map[string]pageEntry)}
	}
	// The model holds every converted document and rendering reads only
	// the model: a one-shot build drops the documents, and with them the
	// bytes of every content file and their parsed front matter, before
	// rendering, so that the garbage collector need not carry them
	// through the render stage.
	m.Docs = nil
	// Once the render is planned, the conversions are all made, and so
	// are their plain texts, which planning the search index reads: the
	// conversions are saved while the pages render, rather than by one
	// core after them.
	var saving sync.WaitGroup
	var saveErr error
	planned := func() {
		if saveMarkdown && opts.Cache.Stale() {
			saving.Go(func() { saveErr = opts.Cache.Save(dir, spool) })
		}
	}
	res, err := publishCached(ctx, m, opts.Dest, pc, planned)
	saving.Wait()
	if err != nil || !cached {
		return res, err
	}
	// The site is published: a cache that fails to save only makes the
	// next build slower, so it is a warning.
	if err := errors.Join(saveErr, pc.write(dir)); err != nil {
		m.Warnings = append(m.Warnings, fmt.Errorf("build cache %s: %w", dir, err))
	}
	return res, nil
}

// Publish renders a loaded model into dest, atomically.
func Publish(ctx context.Context, m *Model, dest string) (*Result, error) {
	return publishCached(ctx, m, dest, nil, nil)
}

// publishCached is Publish that keeps the files pc vouches for instead
// of rendering them, and records in pc what it published; pc may be nil.
// It calls planned, if not nil, once it knows what to render.
func publishCached(ctx context.Context, m *Model, dest string, pc *pages, planned func()) (*Result, error) {
	res := &Result{Model: m, Dest: dest}
	w, err := publish.Begin(dest)
	if err != nil {
		return res, err
	}
	start := time.Now()
	r, jobs, err := Plan(m)
	if err != nil {
		_ = w.Abort()
		return res, err
	}
	res.Files = len(jobs)
	keys := make([]source.Sum, len(jobs))
	if pc != nil {
		jobs, keys, res.Kept, err = keep(jobs, w, pc)
		if err != nil {
			_ = w.Abort()
			return res, err
		}
	}
	if planned != nil {
		planned()
	}
	index := make(map[string]int, len(jobs))
	for i, j := range jobs {
		index[j.Path] = i
	}
	err = r.Render(ctx, jobs, func(f render.File) error {
		if pc == nil {
			return w.Write(f.Path, f.Data)
		}
		id, err := w.WriteID(f.Path, f.Data)
		if i := index[f.Path]; err == nil && keys[i] != (source.Sum{}) {
			pc.record(f.Path, pageEntry{Key: keys[i], ID: id})
		}
		return err
	})
	m.Timings.Render = time.Since(start)
	if err == nil {
		err = m.spool.Err() // a page that read its content as ""
	}
	if err != nil {
		_ = w.Abort()
		return res, err
	}
	start = time.Now()
	res.Stats, err = w.Commit()
	m.Timings.Write = time.Since(start)
	if err != nil {
		_ = w.Abort()
	}
	return res, err
}

// Render makes every file of the site, static files included, and hands
// each to emit, possibly from several goroutines at once. emit must not
// keep data once it returns: the buffer is reused (see render.File).
func Render(ctx context.Context, m *Model, emit func(rel string, data []byte) error) error {
	r, jobs, err := Plan(m)
	if err != nil {
		return err
	}
	return r.Render(ctx, jobs, func(f render.File) error { return emit(f.Path, f.Data) })
}

// Plan lists every file of a loaded model, static files included (their
// Deps are "static"), with the renderer that runs the jobs.
func Plan(m *Model) (*render.Renderer, []render.Job, error) {
	static, err := m.Theme.StaticFiles()
	if err != nil {
		return nil, nil, err
	}
	r := render.New(m.Site, m.Theme)
	r.Search = m.search
	jobs := r.Plan()
	planned := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		planned[j.Path] = true
	}
	for rel, fsys := range static {
		if planned[rel] {
			return nil, nil, fmt.Errorf("static file %s collides with a generated page", rel)
		}
		jobs = append(jobs, render.Job{Path: rel, Deps: []string{"static"}, Make: func() ([]byte, error) { return fs.ReadFile(fsys, rel) }})
	}
	return r, jobs, nil
}

// WriteFiles publishes files already made (a site kept in memory by foyer
// serve) into dest, atomically, skipping identical bytes.
func WriteFiles(files map[string][]byte, dest string) (publish.Stats, error) {
	w, err := publish.Begin(dest)
	if err != nil {
		return publish.Stats{}, err
	}
	for rel, data := range files {
		if err := w.Write(rel, data); err != nil {
			_ = w.Abort()
			return publish.Stats{}, err
		}
	}
	st, err := w.Commit()
	if err != nil {
		_ = w.Abort()
	}
	return st, err
}
