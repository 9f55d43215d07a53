package build

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"unsafe"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/internal/par"
	"github.com/foyerhub/foyer/generator/publish"
	"github.com/foyerhub/foyer/generator/render"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
)

// The build cache is what foyer build leaves in SITE/.foyer/cache so
// that the next build does less. Deleting it costs one slower build.
//
//   - markdown.gob and markdown.spool hold converted Markdown by file
//     digest (site.Cache, OpenCache): a build converts only the files
//     that changed.
//   - pages.gob holds, for each output file, a key of everything it was
//     made from and the size and time it was published with. A build
//     whose key for a file is the same, and finds the published file
//     still that version, hard-links it into the new site without
//     rendering it.
//
// A file's key follows the Deps of its render job, as foyer serve's
// incremental builds do (see Incremental), with content digests in
// place of change events: one digest of everything that changes every
// page (the program, the build options, foyer.yaml, the theme's
// templates and strings, pages, members and newsletters), one per
// article slug (the article's file and its contributions' files), and
// one of every article and contribution ("*"). Static files are always
// copied: they are cheap and have no key.
const (
	cacheDir    = ".foyer/cache"
	cacheLock   = "lock" // held by the build using the markdown cache
	pagesCache  = "pages.gob"
	pagesFormat = "foyer pages cache 1"
)

// errBusy says that another build holds the markdown cache's lock.
var errBusy = errors.New("the build cache is in use by another build")

// programDigest identifies this program's code: a cache made by another
// version of foyer is of no use. It is empty when the executable cannot
// be read, and then nothing is cached.
var programDigest = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
})

// digest hashes strings and sums into a source.Sum.
type digest struct{ h hash.Hash }

func newDigest() digest { return digest{sha256.New()} }

func (d digest) str(parts ...string) {
	for _, p := range parts {
		// The string's own bytes: io.WriteString would copy each part,
		// as SHA-256 has no WriteString, and an io.Writer neither keeps
		// nor changes what it is given.
		d.h.Write(unsafe.Slice(unsafe.StringData(p), len(p)))
		d.h.Write(separator)
	}
}

var separator = []byte{0}

func (d digest) sum(s source.Sum) { d.h.Write(s[:]) }

func (d digest) done() source.Sum {
	var s source.Sum
	copy(s[:], d.h.Sum(nil))
	return s
}

// inputs are the digests a build's file keys are made of.
type inputs struct {
	global source.Sum
	all    source.Sum            // "*": every article and contribution
	slugs  map[string]source.Sum // an article's file and its contributions
}

func newInputs(fsys fs.FS, m *Model, opts Options) (*inputs, error) {
	g := newDigest()
	g.str(programDigest(), strconv.FormatBool(opts.Drafts), strconv.FormatBool(opts.Future), m.Config.BaseURL)
	switch data, err := fs.ReadFile(fsys, config.FileName); {
	case err == nil:
		g.str(config.FileName)
		g.sum(source.SumOf(data))
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	// The templates and strings: whatever theme.Load read, the site's
	// overrides included.
	g.sum(m.Theme.Sum())
	all := newDigest()
	slugs := make(map[string]digest)
	of := func(slug string) digest {
		d, ok := slugs[slug]
		if !ok {
			d = newDigest()
			slugs[slug] = d
		}
		return d
	}
	for _, d := range m.Docs { // sorted by path
		switch d.Kind {
		case source.Article:
			of(docSlug(d)).str(d.Path)
			of(docSlug(d)).sum(d.Sum)
		case source.Contribution:
			of(d.Folder()).str(d.Path)
			of(d.Folder()).sum(d.Sum)
		default:
			g.str(d.Path)
			g.sum(d.Sum)
			continue
		}
		all.str(d.Path)
		all.sum(d.Sum)
	}
	// Time alone publishes or expires articles, pages and newsletters;
	// every page shows the pages (the menu) and whether there are
	// newsletters (the footer).
	for _, a := range m.Site.Articles {
		all.str(a.Slug)
	}
	g.str(publishedSources(m.Site)...)
	in := &inputs{global: g.done(), all: all.done(), slugs: make(map[string]source.Sum, len(slugs))}
	for slug, d := range slugs {
		in.slugs[slug] = d.done()
	}
	return in, nil
}

// key is the key of a job's file, and false for a job that is always
// made (static files).
func (in *inputs) key(j render.Job) (source.Sum, bool) {
	d := newDigest()
	d.sum(in.global)
	d.str(j.Path)
	for _, dep := range j.Deps {
		d.str(dep)
		switch dep {
		case "static":
			return source.Sum{}, false
		case "*":
			d.sum(in.all)
		default:
			if s, ok := in.slugs[dep]; ok {
				d.sum(s)
			}
		}
	}
	return d.done(), true
}

// pageEntry is what pages.gob knows of one published file.
type pageEntry struct {
	Key source.Sum
	ID  publish.FileID
}

// pages is the cache of published files for one destination.
type pages struct {
	in   *inputs
	dest string
	prev map[string]pageEntry

	mu   sync.Mutex
	next map[string]pageEntry
}

func (p *pages) record(rel string, e pageEntry) {
	p.mu.Lock()
	p.next[rel] = e
	p.mu.Unlock()
}

// readPages reads pages.gob; a missing, damaged or foreign file gives an
// empty cache: the build renders everything.
func readPages(dir, dest string) map[string]pageEntry {
	f, err := os.Open(filepath.Join(dir, pagesCache))
	if err != nil {
		return nil
	}
	defer f.Close()
	dec := gob.NewDecoder(f)
	var format, for_ string
	var entries map[string]pageEntry
	if dec.Decode(&format) != nil || format != pagesFormat || dec.Decode(&for_) != nil || for_ != dest || dec.Decode(&entries) != nil {
		return nil
	}
	return entries
}

func (p *pages) write(dir string) error {
	return atomicfile.StreamNoSync(filepath.Join(dir, pagesCache), 0o644, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		for _, v := range []any{pagesFormat, p.dest, p.next} {
			if err := enc.Encode(v); err != nil {
				return err
			}
		}
		return nil
	})
}

// keep stages, on every core, the published files whose key pc vouches
// for, and returns the jobs left to render with their keys (zero for a
// job without one), and how many files it kept.
func keep(jobs []render.Job, w *publish.Writer, pc *pages) ([]render.Job, []source.Sum, int, error) {
	keys := make([]source.Sum, len(jobs))
	kept := make([]bool, len(jobs))
	errs := make([]error, len(jobs))
	par.Each(len(jobs), func(i int) {
		key, ok := pc.in.key(jobs[i])
		if !ok {
			return
		}
		keys[i] = key
		e, found := pc.prev[jobs[i].Path]
		if !found || e.Key != key {
			return
		}
		kept[i], errs[i] = w.Keep(jobs[i].Path, e.ID)
		if kept[i] {
			pc.record(jobs[i].Path, e)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, 0, err
	}
	var todo []render.Job
	var todoKeys []source.Sum
	for i, j := range jobs {
		if !kept[i] {
			todo = append(todo, j)
			todoKeys = append(todoKeys, keys[i])
		}
	}
	return todo, todoKeys, len(jobs) - len(todo), nil
}

// publishedSources lists the files of the published pages and newsletters.
func publishedSources(s *site.Site) []string {
	var out []string
	for _, list := range [][]*site.Page{s.Pages, s.Newsletters} {
		for _, p := range list {
			out = append(out, p.Source)
		}
		out = append(out, "") // between the two lists
	}
	return out
}
