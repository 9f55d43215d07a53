// Package theme loads a theme: html/template layouts and partials parsed
// once (a site's own layouts/ override the theme's file by file), static
// files, e-mail templates and i18n strings. Templates run with
// missingkey=error, so a typo in a theme fails the build with the
// template's name, line and column.
package theme

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"
	texttemplate "text/template"
	"text/template/parse"

	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/source"
)

// Theme is a parsed theme, safe for concurrent use. It keeps what the
// cached template function renders for as long as it lives: load one
// per build, for one model that nobody writes to.
type Theme struct {
	Name    string
	Lang    string
	Static  []fs.FS // theme static, then site static (later wins)
	layouts map[string]*layout
	email   map[string]*emailTemplate
	strings map[string]source.Message
	funcs   Funcs
	pool    sync.Pool

	// partials is the set the layouts were cloned from, which cached
	// runs, and fragments what it has rendered: fragmentKey → HTML.
	partials  *templateSet
	fragments sync.Map

	// fragmentSlots holds, by fragmentTemplate, the fast executor's
	// program for each template cached has run.
	fragmentSlots sync.Map

	textOnly bool // FOYER_TEMPLATES=text: no fast executor

	sum source.Sum // of what Load read
}

// templateSet is a set of templates as the fast executor compiles them
// (see fast.go): the parse trees the set had before it ever ran, and the
// functions it was given. name is what cached knows it by: "" for the
// partials, or the file of a layout that defines templates of its own.
type templateSet struct {
	name  string
	tpl   *htmltemplate.Template
	trees map[string]*parse.Tree
	funcs map[string]any
}

func newTemplateSet(name string, tpl *htmltemplate.Template, funcs map[string]any) *templateSet {
	return &templateSet{name: name, tpl: tpl, trees: trees(tpl), funcs: funcs}
}

// layout is one layout's template, in its set, and the fast executor's
// program for it.
type layout struct {
	tpl  *htmltemplate.Template
	set  *templateSet
	fast fastSlot
}

// fragmentKey names the output of one template for one value; set is
// "" for the partials, or the layout whose file defines templates.
type fragmentKey struct {
	set, name string
	data      any
}

type emailTemplate struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// Sources says where a theme comes from.
type Sources struct {
	Theme     fs.FS  // the theme folder: layouts/, partials/, email/, static/, i18n/
	ThemePath string // for messages, e.g. themes/default
	Site      fs.FS  // the site folder, for layouts/ and static/ overrides; may be nil
	Lang      string
	BaseURL   string // absolute, ending in "/"
}

// ErrNoLayout is returned by Execute for a layout the theme lacks.
var ErrNoLayout = errors.New("no such layout")

// Load parses every layout of the theme, with the site's overrides.
func Load(src Sources) (*Theme, error) {
	t := &Theme{Lang: src.Lang, layouts: make(map[string]*layout), email: make(map[string]*emailTemplate)}
	t.Name = path.Base(src.ThemePath)
	t.textOnly = os.Getenv("FOYER_TEMPLATES") == "text"
	t.pool.New = func() any { return new(bytes.Buffer) }
	var errs diag.List
	l := &loader{src: src, h: sha256.New()}
	strs, err := l.strings()
	errs.Add(err)
	t.strings = strs
	t.funcs = newFuncs(src.Lang, src.BaseURL, t.strings)

	files := l.overlay("layouts", ".html")
	partials := l.overlay("partials", ".html")
	funcs := t.funcs.Map()
	funcs["cached"] = t.cached
	base := htmltemplate.New("").Funcs(funcs).Option("missingkey=error")
	for _, f := range sortedKeys(partials) {
		if _, err := base.New(f).Parse(partials[f].text); err != nil {
			errs.Add(templateError(partials[f].origin, err))
		}
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	for _, x := range base.Templates() {
		foldStrings(t.funcs, x.Tree)
	}
	for _, name := range sortedKeys(files) {
		clone, err := base.Clone()
		var inherited map[string]*parse.Tree
		if err == nil {
			inherited = trees(clone)
			_, err = clone.New(name).Parse(files[name].text)
		}
		if err != nil {
			errs.Add(templateError(files[name].origin, err))
			continue
		}
		for _, x := range clone.Templates() {
			if inherited[x.Name()] != x.Tree { // the partials are folded
				foldStrings(t.funcs, x.Tree)
			}
		}
		set := newTemplateSet("", clone, funcs)
		if definesTemplates(clone, name, inherited) {
			// What a layout file defines holds for all it runs, partials
			// included: cached runs in the layout's own set.
			own := func(partial string, data any) (htmltemplate.HTML, error) {
				return t.fragment(set, partial, data)
			}
			clone.Funcs(htmltemplate.FuncMap{"cached": own})
			set.name = name
			set.funcs = maps.Clone(funcs)
			set.funcs["cached"] = own
		}
		t.layouts[strings.TrimSuffix(name, ".html")] = &layout{tpl: clone.Lookup(name), set: set}
	}
	t.partials = newTemplateSet("", base, funcs) // executed only by cached, after every Clone above
	errs.Add(t.loadEmail(l))
	copy(t.sum[:], l.h.Sum(nil))
	for _, fsys := range []fs.FS{src.Theme, src.Site} {
		if fsys == nil {
			continue
		}
		if sub, err := fs.Sub(fsys, "static"); err == nil {
			if _, statErr := fs.Stat(fsys, "static"); statErr == nil {
				t.Static = append(t.Static, sub)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

type file struct {
	text   string
	origin string
}

// Sum is a digest of every file Load read, with its path: the layouts,
// partials, e-mail templates and strings of the theme and of the site's
// overrides. Two themes with the same Sum, loaded with the same Sources
// otherwise, render alike. Static files are not in it.
func (t *Theme) Sum() source.Sum { return t.sum }

// loader reads a theme's files for Load and digests each one it reads,
// in the order it reads them, for Sum.
type loader struct {
	src Sources
	h   hash.Hash
}

func (l *loader) read(fsys fs.FS, name, origin string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err == nil {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(origin)))
		l.h.Write(n[:])
		io.WriteString(l.h, origin)
		binary.LittleEndian.PutUint64(n[:], uint64(len(data)))
		l.h.Write(n[:])
		l.h.Write(data)
	}
	return data, err
}

// overlay reads dir from the theme, then the site's dir of the same name
// over it, file by file.
func (l *loader) overlay(dir, ext string) map[string]file {
	out := make(map[string]file)
	read := func(fsys fs.FS, prefix string) {
		if fsys == nil {
			return
		}
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ext) {
				continue
			}
			origin := path.Join(prefix, dir, e.Name())
			data, err := l.read(fsys, path.Join(dir, e.Name()), origin)
			if err != nil {
				continue
			}
			out[e.Name()] = file{text: string(data), origin: origin}
		}
	}
	read(l.src.Theme, l.src.ThemePath)
	read(l.src.Site, "")
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (l *loader) strings() (map[string]source.Message, error) {
	src := l.src
	name := path.Join("i18n", src.Lang+".yaml")
	data, err := l.read(src.Theme, name, path.Join(src.ThemePath, name))
	if err != nil {
		return nil, diag.Errorf(path.Join(src.ThemePath, name), 0, 0, "theme strings for language %q: %v", src.Lang, err)
	}
	strs, err := source.ParseStrings(path.Join(src.ThemePath, name), data)
	if err != nil {
		return nil, err
	}
	if src.Site != nil {
		if data, err := l.read(src.Site, name, name); err == nil {
			over, err := source.ParseStrings(name, data)
			if err != nil {
				return nil, err
			}
			for k, v := range over {
				strs[k] = v
			}
		}
	}
	return strs, nil
}

// templateError turns "template: name:12:3: msg" into a diag.Error.
func templateError(origin string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "template: ")
	var line, col int
	if _, rest, ok := strings.Cut(msg, ":"); ok {
		if n, _ := fmt.Sscanf(rest, "%d:%d:", &line, &col); n >= 1 {
			parts := strings.SplitN(rest, ": ", 2)
			if len(parts) == 2 {
				msg = parts[1]
			}
		}
	}
	return diag.Errorf(origin, line, col, "template: %s", msg)
}

// Has reports whether the theme has a layout.
func (t *Theme) Has(layout string) bool { _, ok := t.layouts[layout]; return ok }

// FastStat is what the fast executor (see fast.go) did with a template
// of the theme: how many executions it made and how many it gave up, or
// why it refused the template. A template that ran only once is not in
// it: the first execution is text/template's.
type FastStat struct {
	Ran, GaveUp int64
	Refused     string
}

// FastStats returns a FastStat for each layout, by its name, and each
// template cached has run, as "cached NAME" (with the layout's file
// name for a template the layout defines: "cached NAME in FILE").
func (t *Theme) FastStats() map[string]FastStat {
	m := make(map[string]FastStat)
	add := func(name string, f *fastSlot) {
		if !f.tried.Load() {
			return
		}
		st := FastStat{Ran: f.ran.Load(), GaveUp: f.gaveUp.Load()}
		if why := f.refused.Load(); why != nil {
			st.Refused = why.(string)
		}
		m[name] = st
	}
	for name, l := range t.layouts {
		add(name, &l.fast)
	}
	t.fragmentSlots.Range(func(k, v any) bool {
		ft := k.(fragmentTemplate)
		name := "cached " + ft.name
		if ft.set != "" {
			name += " in " + ft.set
		}
		add(name, v.(*fastSlot))
		return true
	})
	return m
}

// Execute runs a layout with data into w. Into a bytes.Buffer, a layout
// that has run once runs on Foyer's own executor (see fast.go), which
// gives the same bytes faster; FOYER_TEMPLATES=text in the environment
// keeps every layout on text/template's.
func (t *Theme) Execute(w io.Writer, name string, data any) error {
	l, ok := t.layouts[name]
	if !ok {
		return fmt.Errorf("layout %q: %w", name, ErrNoLayout)
	}
	buf, isBuffer := w.(*bytes.Buffer)
	if isBuffer && l.fast.run(buf, data) {
		return nil
	}
	if err := l.tpl.Execute(w, data); err != nil {
		return err
	}
	if isBuffer && !t.textOnly {
		l.fast.compileOnce(l.tpl.Name(), l.set)
	}
	return nil
}

// cached is the template function {{cached "name" data}}: the output of
// the partial name for data, rendered the first time and kept for as long
// as the theme (one build). Template functions are pure and the model is
// not written to while pages render, so a partial's output depends only
// on data when data is a pointer or a plain value; a partial that gets a
// map or a slice, which cannot be a key, is rendered every time. The
// partial runs as a template of its own, in HTML text: its output is
// HTML and belongs in the body of a page, never in an attribute, a URL,
// a script or a style. A layout file that defines templates of its own
// gets a cached that runs them, with fragments of its own.
func (t *Theme) cached(name string, data any) (htmltemplate.HTML, error) {
	return t.fragment(t.partials, name, data)
}

// Forget drops the fragments cached has kept: the model they were
// rendered from was changed in place (a body edit in foyer serve).
func (t *Theme) Forget() { t.fragments.Clear() }

func (t *Theme) fragment(set *templateSet, name string, data any) (htmltemplate.HTML, error) {
	if !reflect.ValueOf(data).Comparable() {
		return t.execute(set, name, data)
	}
	key := fragmentKey{set.name, name, data}
	if h, ok := t.fragments.Load(key); ok {
		return h.(htmltemplate.HTML), nil
	}
	h, err := t.execute(set, name, data)
	if err != nil {
		return "", err
	}
	t.fragments.Store(key, h)
	return h, nil
}

// fragmentTemplate names a template cached runs: the set ("" for the
// partials, or a layout) and the template.
type fragmentTemplate struct{ set, name string }

// execute runs the template name of set for cached, on the fast
// executor once it has run on text/template's, as Execute.
func (t *Theme) execute(set *templateSet, name string, data any) (htmltemplate.HTML, error) {
	key := fragmentTemplate{set.name, name}
	slot, ok := t.fragmentSlots.Load(key)
	if !ok {
		slot, _ = t.fragmentSlots.LoadOrStore(key, new(fastSlot))
	}
	fast := slot.(*fastSlot)
	buf := t.pool.Get().(*bytes.Buffer)
	defer t.pool.Put(buf)
	buf.Reset()
	if !fast.run(buf, data) {
		if err := set.tpl.ExecuteTemplate(buf, name, data); err != nil {
			return "", err
		}
		if !t.textOnly {
			fast.compileOnce(name, set)
		}
	}
	return htmltemplate.HTML(buf.String()), nil
}

// trees maps the names of a set's templates to their parse trees.
func trees(set *htmltemplate.Template) map[string]*parse.Tree {
	m := make(map[string]*parse.Tree)
	for _, x := range set.Templates() {
		m[x.Name()] = x.Tree
	}
	return m
}

// definesTemplates reports whether the layout file name, parsed into set
// over the partials, defined templates besides itself: new ones, or
// partials again.
func definesTemplates(set *htmltemplate.Template, name string, inherited map[string]*parse.Tree) bool {
	for _, x := range set.Templates() {
		if x.Name() != name && inherited[x.Name()] != x.Tree {
			return true
		}
	}
	return false
}

// Render runs a layout and returns its output.
func (t *Theme) Render(layout string, data any) ([]byte, error) {
	buf := t.pool.Get().(*bytes.Buffer)
	defer t.pool.Put(buf)
	buf.Reset()
	if err := t.Execute(buf, layout, data); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// T returns the theme string key in the site language.
func (t *Theme) T(key string, args ...any) string { return t.funcs.T(key, args...) }

// Funcs returns the template functions, for other template sets (e-mail).
func (t *Theme) Funcs() Funcs { return t.funcs }
