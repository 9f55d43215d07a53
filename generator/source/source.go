// Package source reads a site folder: it walks content/, splits each
// file's YAML front matter from its Markdown body and decodes the front
// matter into typed fields, keeping the line of every field so that later
// stages can point at it. Source reads files and nothing else: it knows no
// Markdown, no model and no output.
package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/internal/par"
)

// Kind says which part of content/ a document comes from.
type Kind int

// The kinds of document, by folder under content/.
const (
	Article      Kind = iota + 1 // content/articles/**/*.md
	Page                         // content/pages/*.md
	Member                       // content/members/<id>.yaml
	Contribution                 // content/contributions/<article>/<id>.md
	Newsletter                   // content/newsletters/*.md
)

func (k Kind) String() string {
	switch k {
	case Article:
		return "article"
	case Page:
		return "page"
	case Member:
		return "member"
	case Contribution:
		return "contribution"
	case Newsletter:
		return "newsletter"
	}
	return "unknown"
}

// ContentDir is the folder, relative to the site root, that holds content.
const ContentDir = "content"

// Document is one content file: its decoded front matter and its body.
type Document struct {
	Path     string // slash-separated, relative to the site root
	Kind     Kind
	Meta     Meta
	Lines    map[string]int // front-matter key → 1-based line
	Body     []byte         // Markdown after the front matter
	BodyLine int            // line of the body's first byte
	Sum      Sum            // digest of the file's bytes
}

// Sum is a digest of a file's bytes: equal sums mean equal files, in this
// build and in the next (the build cache beside the site keeps them).
type Sum [16]byte

// SumOf digests data.
func SumOf(data []byte) Sum {
	full := sha256.Sum256(data)
	return Sum(full[:16])
}

// ID is the file name without extension: a member's or contribution's id,
// and an article's default slug.
func (d *Document) ID() string {
	return strings.TrimSuffix(path.Base(d.Path), path.Ext(d.Path))
}

// Folder is the name of the folder holding the document: for a
// contribution, the slug of its article.
func (d *Document) Folder() string { return path.Base(path.Dir(d.Path)) }

// Publishes is when an authored document goes out: its publishDate, or
// else its date.
func (m *Meta) Publishes() time.Time {
	if m.PublishDate.IsZero() {
		return m.Date
	}
	return m.PublishDate
}

// SameMeta reports whether d and o are the same kind of file at the
// same path with the same front matter on the same lines: they differ
// at most in their body.
func (d *Document) SameMeta(o *Document) bool {
	return d.Path == o.Path && d.Kind == o.Kind && d.BodyLine == o.BodyLine &&
		maps.Equal(d.Lines, o.Lines) && reflect.DeepEqual(d.Meta, o.Meta)
}

// Line returns the line of a front-matter key, or 1 when it is absent.
func (d *Document) Line(key string) int {
	if l, ok := d.Lines[key]; ok {
		return l
	}
	return 1
}

// Errorf returns a diag.Error at the line of a front-matter key.
func (d *Document) Errorf(key, format string, args ...any) *diag.Error {
	return diag.Errorf(d.Path, d.Line(key), 0, format, args...)
}

// Meta holds every front-matter field Foyer knows. Which ones apply
// depends on the Kind; the others stay zero.
type Meta struct {
	Title       string
	Date        time.Time
	Updated     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Slug        string
	Summary     string
	Author      string
	Categories  []string
	Tags        []string
	Canonical   string
	Aliases     []string
	Status      string

	// Contributions.
	Member  string
	Email   string // private: never rendered
	IP      string // private: never rendered
	Website string
	ReplyTo string
	Kind    string
	Source  string

	// Members.
	Name   string
	Bio    string
	Avatar string
	Role   string

	// Newsletter issues.
	Issue int

	// Params keeps unknown keys, as Hugo does, for themes.
	Params map[string]any
}

// Classify returns the kind of the file at p (slash path relative to the
// site root), or 0 when the file is not content.
func Classify(p string) Kind {
	rest, ok := strings.CutPrefix(p, ContentDir+"/")
	if !ok {
		return 0
	}
	parts := strings.Split(rest, "/")
	name := parts[len(parts)-1]
	if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && name != "_index.md" {
		return 0
	}
	switch {
	case parts[0] == "articles" && len(parts) >= 2 && strings.HasSuffix(name, ".md"):
		return Article
	case parts[0] == "pages" && len(parts) == 2 && strings.HasSuffix(name, ".md"):
		return Page
	case parts[0] == "members" && len(parts) == 2 && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")):
		return Member
	case parts[0] == "contributions" && len(parts) == 3 && strings.HasSuffix(name, ".md"):
		return Contribution
	case parts[0] == "newsletters" && len(parts) == 2 && strings.HasSuffix(name, ".md"):
		return Newsletter
	}
	return 0
}

// Load reads every content document of the site in fsys, in parallel.
// Documents with errors are left out and their errors returned together
// as a diag.List; the documents come back sorted by path.
func Load(ctx context.Context, fsys fs.FS) ([]*Document, error) {
	return LoadReusing(ctx, fsys, nil)
}

// LoadReusing is Load that takes the document for a path from reuse
// when it returns one, instead of reading and parsing the file again:
// foyer serve passes the documents of its last build for the files no
// change touched. reuse may be nil.
func LoadReusing(ctx context.Context, fsys fs.FS, reuse func(path string) *Document) ([]*Document, error) {
	paths, err := Paths(fsys, ContentDir)
	if err != nil {
		return nil, err
	}
	return LoadPaths(ctx, fsys, paths, reuse)
}

// Paths lists, sorted, the content files at or under root, a slash path
// in fsys: the content folder, one of its sub-folders or one file.
// Hidden, backup and editor files and folders (see Ignored) are skipped,
// and a root that does not exist has no files.
func Paths(fsys fs.FS, root string) ([]string, error) {
	for dir := path.Dir(root); strings.HasPrefix(dir, ContentDir+"/"); dir = path.Dir(dir) {
		if Ignored(path.Base(dir)) {
			return nil, nil
		}
	}
	info, err := fs.Stat(fsys, root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case !info.IsDir():
		if isContentFile(root, info.Mode()) {
			return []string{root}, nil
		}
		return nil, nil
	case root != ContentDir && Ignored(info.Name()):
		return nil, nil
	}
	w := &walker{fsys: fsys, slots: make(chan struct{}, par.Blocking())}
	w.walk(root)
	w.wg.Wait()
	if len(w.errs) > 0 {
		// The error of the first folder in walking order, as when one
		// goroutine walks: a folder's sub-folders, by name, come before
		// its next sibling ("a/x" before "a-b"), so paths compare by
		// their elements rather than as strings.
		slices.SortFunc(w.errs, func(a, b dirError) int {
			return slices.Compare(strings.Split(a.dir, "/"), strings.Split(b.dir, "/"))
		})
		return nil, w.errs[0].err
	}
	sort.Strings(w.paths)
	return w.paths, nil
}

// isContentFile reports whether the file at p, of the given mode, is
// one Paths lists: a regular file, not ignored, of a kind of content.
func isContentFile(p string, mode fs.FileMode) bool {
	return mode.IsRegular() && !Ignored(path.Base(p)) && Classify(p) != 0
}

// walker lists a folder tree with a goroutine a folder, up to a bound:
// a hub has a folder of contributions for each article, and listing
// tens of thousands of folders on one core left the others idle.
type walker struct {
	fsys  fs.FS
	slots chan struct{} // one per goroutine walking
	wg    sync.WaitGroup

	mu    sync.Mutex
	paths []string
	errs  []dirError
}

type dirError struct {
	dir string
	err error
}

// walk lists dir and, in turn, its sub-folders: each on a goroutine of
// its own while there are free slots, or on this one.
func (w *walker) walk(dir string) {
	entries, err := fs.ReadDir(w.fsys, dir)
	var found []string
	for _, e := range entries {
		p := dir + "/" + e.Name()
		switch {
		case e.IsDir():
			if Ignored(e.Name()) {
				continue
			}
			select {
			case w.slots <- struct{}{}:
				w.wg.Go(func() {
					w.walk(p)
					<-w.slots
				})
			default:
				w.walk(p)
			}
		case isContentFile(p, e.Type()):
			found = append(found, p)
		}
	}
	w.mu.Lock()
	w.paths = append(w.paths, found...)
	if err != nil {
		w.errs = append(w.errs, dirError{dir, err})
	}
	w.mu.Unlock()
}

// LoadPaths is LoadReusing for a list of content files, sorted, that
// the caller knows (foyer serve keeps it up to date from the changes it
// is told of, rather than walking the content folder again).
func LoadPaths(ctx context.Context, fsys fs.FS, paths []string, reuse func(path string) *Document) ([]*Document, error) {
	docs := make([]*Document, len(paths))
	errs := make([]error, len(paths))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(par.Blocking(), max(len(paths), 1)) {
		wg.Go(func() {
			for i := range jobs {
				if reuse != nil {
					if d := reuse(paths[i]); d != nil {
						docs[i] = d
						continue
					}
				}
				data, err := fs.ReadFile(fsys, paths[i])
				if errors.Is(err, fs.ErrNotExist) {
					continue // removed since it was listed
				}
				if err != nil {
					errs[i] = err
					continue
				}
				docs[i], errs[i] = Parse(paths[i], data)
			}
		})
	}
feed:
	for i := range paths {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list diag.List
	out := docs[:0]
	for i, d := range docs {
		list.Add(errs[i])
		if errs[i] == nil && d != nil {
			out = append(out, d)
		}
	}
	return out, list.Err()
}

// Parse decodes one content file. p decides its kind (see Classify).
func Parse(p string, data []byte) (*Document, error) {
	kind := Classify(p)
	if kind == 0 {
		return nil, diag.Errorf(p, 0, 0, "not a content file")
	}
	if err := checkUTF8(p, data); err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	doc := &Document{Path: p, Kind: kind, Sum: SumOf(data)}
	front, body, bodyLine := data, []byte(nil), 0
	if kind != Member {
		var err error
		front, body, bodyLine, err = Split(data)
		if err != nil {
			var pe *diag.Error
			if errors.As(err, &pe) {
				pe.Path = p
			}
			return nil, err
		}
	}
	doc.Body, doc.BodyLine = body, bodyLine
	frontLine := 2
	if kind == Member {
		frontLine = 1
	}
	if err := decodeMeta(doc, front, frontLine); err != nil {
		return nil, err
	}
	return doc, nil
}

func checkUTF8(p string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return diag.Errorf(p, line, col, "invalid UTF-8 (byte 0x%02x): expected a UTF-8 text file", data[i])
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
		i += size
	}
	return diag.Errorf(p, 0, 0, "invalid UTF-8")
}

// Ignored reports whether a file or folder name is an editor's swap,
// backup or lock file, or hidden: nothing a site is made of.
func Ignored(name string) bool {
	switch {
	case name == "" || strings.HasPrefix(name, "."): // .x.swp, .#lock, .DS_Store, .git
		return true
	case strings.HasSuffix(name, "~"): // backups
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // Emacs auto-save
		return true
	case name == "4913": // Vim's write test
		return true
	}
	for _, suffix := range []string{".swp", ".swx", ".swo", ".tmp", ".bak", ".orig", "___jb_tmp___", "___jb_old___"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}
