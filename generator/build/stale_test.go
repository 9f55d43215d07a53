package build_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/foyerhub/foyer/generator/internal/synth"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

func art(title, date, cats, tags string) []byte {
	return []byte("---\ntitle: " + title + "\ndate: " + date + "\ncategories: [" + cats + "]\ntags: [" + tags + "]\n---\n\nCorps de " + title + ".\n")
}

func smallSite(t *testing.T, files map[string]string) *diskSite {
	s := &diskSite{dir: t.TempDir(), fsys: fstest.MapFS{}, now: sitetest.Now}
	s.put(t, "foyer.yaml", []byte("title: Test\nbase_url: \"https://example.org/\"\nlanguage: fr\npaginate: 10\n"))
	for p, d := range files {
		s.put(t, p, []byte(d))
	}
	return s
}

// A term is named after its newest article: renaming it there changes the
// kicker and tag chips of every older article of the term, so their keys
// cover the names of the terms they show.
func TestNoStaleTermNameFromAnotherArticle(t *testing.T) {
	s := smallSite(t, map[string]string{
		"content/articles/y.md":  string(art("Y", "2026-01-01T08:00:00Z", `"éthique"`, `"t"`)),
		"content/articles/z1.md": string(art("Z1", "2026-02-01T08:00:00Z", `"éthique"`, `"t"`)),
		"content/articles/z2.md": string(art("Z2", "2026-03-01T08:00:00Z", `"éthique"`, `"t"`)),
		"content/articles/z3.md": string(art("Z3", "2026-04-01T08:00:00Z", `"éthique"`, `"t"`)),
		"content/articles/x.md":  string(art("X", "2026-05-01T08:00:00Z", `"Éthique"`, `"T"`)),
	})
	s.build(t)
	s.same(t)
	s.edit(t, "content/articles/x.md", func(x string) string {
		return strings.NewReplacer(`"Éthique"`, `"ÉTHIQUE"`, `"T"`, `"TT"`).Replace(x)
	})
	s.build(t)
	s.same(t) // articles/y/, z1/, z2/ show the new name
}

// The same change through foyer serve's Incremental.
func TestNoStaleTermNameIncremental(t *testing.T) {
	fsys := fstest.MapFS{
		"foyer.yaml":             {Data: []byte("title: Test\nbase_url: \"https://example.org/\"\nlanguage: fr\npaginate: 10\n")},
		"content/articles/y.md":  {Data: art("Y", "2026-01-01T08:00:00Z", `"éthique"`, `"t"`)},
		"content/articles/z1.md": {Data: art("Z1", "2026-02-01T08:00:00Z", `"éthique"`, `"t"`)},
		"content/articles/z2.md": {Data: art("Z2", "2026-03-01T08:00:00Z", `"éthique"`, `"t"`)},
		"content/articles/z3.md": {Data: art("Z3", "2026-04-01T08:00:00Z", `"éthique"`, `"t"`)},
		"content/articles/x.md":  {Data: art("X", "2026-05-01T08:00:00Z", `"Éthique"`, `"t"`)},
	}
	s := &incSite{fsys: fsys, inc: build.NewIncremental(fsys, build.Options{Now: sitetest.Now})}
	s.rebuild(t, nil)
	fsys["content/articles/x.md"] = &fstest.MapFile{Data: art("X", "2026-05-01T08:00:00Z", `"ÉTHIQUE"`, `"t"`)}
	s.rebuild(t, []string{"content/articles/x.md"})
	s.same(t)
}

// Time publishes pages and newsletters too, and every page's header lists
// the pages and its footer links the newsletters: the keys follow.
func TestNoStaleTimePublishesAPage(t *testing.T) {
	s := smallSite(t, map[string]string{
		"content/articles/a.md":     string(art("A", "2026-01-01T08:00:00Z", `"c"`, `"t"`)),
		"content/pages/apropos.md":  "---\ntitle: À propos\n---\n\nTexte.\n",
		"content/pages/fete.md":     "---\ntitle: La fête\ndate: 2026-11-22T08:00:00Z\n---\n\nBientôt.\n",
		"content/newsletters/n1.md": "---\ntitle: Lettre 1\ndate: 2026-11-22T08:00:00Z\nissue: 1\n---\n\nBonjour.\n",
	})
	s.build(t)
	s.same(t)
	s.now = s.now.Add(72 * time.Hour)
	s.build(t)
	s.same(t) // every page links /fete/ and /newsletters/
}

// A template reached through a symbolic link is read by theme.Load, so
// the key hashes what the link points to.
func TestNoStaleSymlinkedPartial(t *testing.T) {
	s := smallSite(t, map[string]string{
		"content/articles/a.md": string(art("A", "2026-01-01T08:00:00Z", `"c"`, `"t"`)),
		"shared/card.html":      `{{define "card"}}<article class="card">v1 {{.Title}}</article>{{end}}`,
	})
	if err := os.MkdirAll(filepath.Join(s.dir, "partials"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../shared/card.html", filepath.Join(s.dir, "partials", "card.html")); err != nil {
		t.Fatal(err)
	}
	s.build(t)
	if err := os.WriteFile(filepath.Join(s.dir, "shared", "card.html"), []byte(`{{define "card"}}<article class="card">v2 {{.Title}}</article>{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := s.build(t)
	home, _ := os.ReadFile(filepath.Join(s.dir, "public", "index.html"))
	if !strings.Contains(string(home), "v2 A") {
		t.Errorf("home page still shows the old card after the linked partial changed (kept %d of %d)", res.Kept, res.Files)
	}
}

// A symbolic link to a folder above it, in a folder of templates, is not
// read by theme.Load, and the cache's key, which hashes what theme.Load
// read, does not follow it either: the build neither loops nor fails.
func TestSymlinkLoopInTemplates(t *testing.T) {
	s := smallSite(t, map[string]string{
		"content/articles/a.md": string(art("A", "2026-01-01T08:00:00Z", `"c"`, `"t"`)),
		"layouts/page.html":     `{{template "head" .}}<main>{{.Page.Title}}</main>{{template "foot" .}}`,
	})
	for _, link := range []string{"layouts/up", "layouts/up.html", "partials/root"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(s.dir, link)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("..", filepath.Join(s.dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	s.build(t)
	if res := s.build(t); res.Kept != res.Files-static(res) {
		t.Errorf("second build kept %d of %d files, want every page", res.Kept, res.Files)
	}
	s.same(t)
}

// The watcher drops events under folders named like backups (x.bak,
// x.orig, x~, x.tmp), and the loader skips them too: a folder renamed to
// such a name leaves foyer serve's site and a full build alike.
func TestNoStaleFolderRenamedToIgnoredName(t *testing.T) {
	o := synth.Options{Articles: 20, Contributions: 10, Members: 3, Seed: 3}
	fsys := synth.MapFS(o)
	s := &incSite{fsys: fsys, inc: build.NewIncremental(fsys, build.Options{Now: sitetest.Now})}
	p := "content/articles/brouillons/une-idee.md"
	fsys[p] = &fstest.MapFile{Data: art("Une idée", "2026-01-01T08:00:00Z", `"c"`, `"t"`)}
	s.rebuild(t, nil)
	fsys["content/articles/brouillons.bak/une-idee.md"] = fsys[p]
	delete(fsys, p)
	// What watch reports for `mv brouillons brouillons.bak`: the old
	// name only, the new one is Ignored.
	s.rebuild(t, []string{"content/articles/brouillons"})
	s.same(t)
	// Any later change: still missing.
	s.rebuild(t, []string{"foyer.yaml"})
	s.same(t)
}

// flaky fails ReadDir of one folder once.
type flaky struct {
	fstest.MapFS
	dir  string
	fail bool
}

func (f *flaky) ReadDir(name string) ([]fs.DirEntry, error) {
	if f.fail && name == f.dir {
		f.fail = false
		return nil, fs.ErrPermission
	}
	return f.MapFS.ReadDir(name)
}

// The changes of a failed build come along with the next, even when the
// failure was walking them.
func TestNoStaleFailedWalkLosesChanges(t *testing.T) {
	o := synth.Options{Articles: 20, Contributions: 10, Members: 3, Seed: 3}
	m := synth.MapFS(o)
	f := &flaky{MapFS: m, dir: "content/articles/nouveau"}
	inc := build.NewIncremental(f, build.Options{Now: sitetest.Now})
	s := &incSite{fsys: m, inc: inc}
	s.rebuild(t, nil)
	m["content/articles/nouveau/a.md"] = &fstest.MapFile{Data: art("Nouveau", "2026-01-01T08:00:00Z", `"c"`, `"t"`)}
	f.fail = true
	if _, err := inc.Build(context.Background(), []string{"content/articles/nouveau"}); err == nil {
		t.Fatal("expected the injected error")
	}
	arts := synth.ArticlePaths(o)
	s.edit(t, arts[3], func(x string) string { return x + "\nEncore.\n" })
	s.rebuild(t, []string{arts[3]})
	s.same(t) // articles/a/index.html is missing
}
