// Package wordpress imports a WordPress export (WXR 1.1 or 1.2, as
// "Tools → Export" writes it) into a Foyer site: posts become articles,
// pages pages, authors members and comments contributions, each old
// WordPress address an alias of its new page.
//
// The export is read as a stream, one item at a time. Every content file
// is written with source.Encode, atomically, and recorded with its hash
// in ManifestPath, so that importing the same export again writes
// nothing and a file edited by hand since the last import is never
// overwritten unless Options.Force is set. Nothing is written outside
// the site folder: every file name is made by package slug.
package wordpress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/source"
)

// Options configure an import.
type Options struct {
	Site    string // the site folder
	Name    string // the export's name in messages
	Uploads string // a local copy of wp-content/uploads; "" keeps links to the old site
	Force   bool   // overwrite files changed by hand since the last import
}

// Report is what an import did. Warnings name the position in the
// export of every problem that did not stop it.
type Report struct {
	Articles, Pages, Members, Contributions int // objects imported

	Written, Updated, Unchanged int      // files, by outcome
	Kept                        []string // changed by hand since the last import: left alone
	Removed                     []string // deleted by hand since the last import: not written again
	Collisions                  []string // slugs taken, and the slug used instead
	Attachments                 []string // URLs of the export's attachments
	Uploads                     int      // files copied from Options.Uploads
	Config                      []string // keys added to foyer.yaml
	Skipped                     map[string]int
	Warnings                    []error
}

// Changed reports whether the import wrote any file.
func (r *Report) Changed() bool { return r.Written+r.Updated > 0 || len(r.Config) > 0 }

// Summary is one line saying what was imported and written.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d articles, %d pages, %d members, %d contributions: ", r.Articles, r.Pages, r.Members, r.Contributions)
	if !r.Changed() {
		fmt.Fprintf(&b, "nothing new to write (%d files unchanged)", r.Unchanged)
	} else {
		fmt.Fprintf(&b, "%d files written, %d updated, %d unchanged", r.Written, r.Updated, r.Unchanged)
	}
	if r.Uploads > 0 {
		fmt.Fprintf(&b, ", %d uploads copied", r.Uploads)
	}
	if n := len(r.Kept); n > 0 {
		fmt.Fprintf(&b, "; %d changed by hand and kept (--force overwrites them)", n)
	}
	if n := len(r.Removed); n > 0 {
		fmt.Fprintf(&b, "; %d deleted by hand and not written again", n)
	}
	if n := len(r.Collisions); n > 0 {
		fmt.Fprintf(&b, "; %d slug collisions renamed", n)
	}
	if n := len(r.Warnings); n > 0 {
		fmt.Fprintf(&b, "; %d warnings", n)
	}
	return b.String()
}

// Import reads the export from r into the site. It returns the report
// even when reading had to stop early (a truncated or malformed export):
// everything before the error is imported, and the error names its
// position.
func Import(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	if opts.Name == "" {
		opts.Name = "export"
	}
	man, err := loadManifest(opts.Site)
	if err != nil {
		return nil, err
	}
	im := newImporter(opts, man)
	dec := NewDecoder(r, opts.Name)
	var stop error
	for {
		if err := ctx.Err(); err != nil {
			stop = err
			break
		}
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			stop = err
			break
		}
		if !im.configured {
			im.configure(dec.Channel)
		}
		switch v := rec.(type) {
		case *Author:
			im.author(v)
		case *Item:
			im.item(v)
		}
	}
	if !im.configured && dec.Channel.Version != "" && stop == nil {
		im.configure(dec.Channel)
	}
	im.report.Warnings = append(dec.Warnings(), im.report.Warnings...)
	if len(man.Files) > 0 || im.report.Changed() {
		if err := man.save(opts.Site); err != nil {
			return im.report, errors.Join(stop, fmt.Errorf("saving %s: %w", ManifestPath, err))
		}
	}
	sort.Strings(im.report.Kept)
	sort.Strings(im.report.Removed)
	return im.report, stop
}

func (im *importer) count(o outcome, rel string) {
	switch o {
	case written:
		im.report.Written++
	case updated:
		im.report.Updated++
	case unchanged:
		im.report.Unchanged++
	case kept:
		im.report.Kept = append(im.report.Kept, rel)
	case removed:
		im.report.Removed = append(im.report.Removed, rel)
	}
}

// write encodes and writes one content file, checking first that Foyer
// reads back what it wrote.
func (im *importer) write(kind source.Kind, key, rel string, m source.Meta, body string, at func(string, ...any)) bool {
	data, err := source.Encode(kind, m, []byte(body))
	if err == nil {
		_, err = source.Parse(rel, data)
	}
	if err != nil {
		at("%s: not written: %v", rel, err)
		return false
	}
	o, err := im.man.put(im.opts.Site, key, rel, data, im.opts.Force)
	if err != nil {
		at("%s: not written: %v", rel, err)
		return false
	}
	im.count(o, rel)
	return true
}

// siteConfig reads the site's configuration, defaults when it is broken
// (the build will say why).
func siteConfig(site string) *config.Config {
	cfg, _, err := config.Load(dirFS(site))
	if err != nil || cfg == nil {
		return config.Default()
	}
	return cfg
}

func rel(parts ...string) string { return filepath.ToSlash(filepath.Join(parts...)) }
