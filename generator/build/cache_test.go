package build_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

// diskSite is a synthetic site on disk, built with the build cache, with
// its files also in memory for a reference build.
type diskSite struct {
	dir  string
	fsys fstest.MapFS
	now  time.Time
}

func newDiskSite(t *testing.T) (*diskSite, synth.Options) {
	t.Helper()
	o := synth.Options{Articles: 60, Contributions: 90, Members: 6, Seed: 5}
	s := &diskSite{dir: t.TempDir(), fsys: synth.MapFS(o), now: sitetest.Now}
	for p, f := range s.fsys {
		s.put(t, p, f.Data)
	}
	return s, o
}

func (s *diskSite) put(t *testing.T, p string, data []byte) {
	t.Helper()
	s.fsys[p] = &fstest.MapFile{Data: data, Mode: 0o644}
	sitetest.WriteDir(t, s.dir, map[string]string{p: string(data)})
}

func (s *diskSite) remove(t *testing.T, p string) {
	t.Helper()
	delete(s.fsys, p)
	if err := os.Remove(filepath.Join(s.dir, filepath.FromSlash(p))); err != nil {
		t.Fatal(err)
	}
}

func (s *diskSite) edit(t *testing.T, p string, fn func(string) string) {
	t.Helper()
	s.put(t, p, []byte(fn(string(s.fsys[p].Data))))
}

func (s *diskSite) build(t *testing.T) *build.Result {
	t.Helper()
	res, err := build.Build(context.Background(), build.Options{Site: s.dir, Now: s.now})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// same fails unless public/ holds exactly what a build without any cache
// makes of the same files.
func (s *diskSite) same(t *testing.T) {
	t.Helper()
	want := sitetest.Build(t, s.fsys, build.Options{Now: s.now}).Files
	got := map[string][]byte{}
	public := filepath.Join(s.dir, "public")
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		got[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("public/ lacks %s", p)
		} else if !bytes.Equal(g, w) {
			t.Errorf("public/%s differs from a build without cache", p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("public/ has %s, a build without cache does not", p)
		}
	}
}

// static counts the static files, which the cache always copies.
func static(res *build.Result) int {
	files, _ := res.Theme.StaticFiles()
	return len(files)
}

func TestSecondBuildKeepsEveryPage(t *testing.T) {
	s, _ := newDiskSite(t)
	first := s.build(t)
	if first.Kept != 0 {
		t.Fatalf("first build kept %d files from nowhere", first.Kept)
	}
	for _, name := range []string{"markdown.gob", "pages.gob"} {
		if _, err := os.Stat(filepath.Join(s.dir, ".foyer", "cache", name)); err != nil {
			t.Errorf("no cache file: %v", err)
		}
	}
	second := s.build(t)
	if want := second.Files - static(second); second.Kept != want {
		t.Errorf("second build kept %d of %d files, want every page (%d)", second.Kept, second.Files, want)
	}
	if second.Stats.Written != 0 {
		t.Errorf("second build wrote %d files", second.Stats.Written)
	}
	s.same(t)
}

func TestCachedBuildEqualsBuildWithoutCache(t *testing.T) {
	s, o := newDiskSite(t)
	arts := synth.ArticlePaths(o)
	res := s.build(t)
	// Build keeps the model's HTML in a spool, not in the model.
	if a := res.Site.Articles[0]; !a.Body.Spooled() {
		t.Errorf("article %s: its HTML is in memory", a.Slug)
	}
	s.same(t)
	steps := []struct {
		name       string
		do         func()
		everything bool // the change touches every page: nothing is kept
	}{
		{"edit body", func() {
			s.edit(t, arts[30], func(x string) string { return x + "\nUne phrase ajoutée à la fin.\n" })
		}, false},
		{"edit title", func() {
			s.edit(t, arts[31], func(x string) string { return titleLine.ReplaceAllString(x, `title: "Un titre tout neuf"`) })
		}, false},
		{"add article", func() {
			s.put(t, "content/articles/2025/un-nouvel-article.md", []byte("---\ntitle: Un nouvel article\ndate: 2026-11-19T08:00:00Z\nauthor: membre-001\ncategories: [\"Outils\"]\naliases: [\"/vieux/\"]\n---\n\nBonjour à tous.\n"))
		}, false},
		{"delete article", func() { s.remove(t, arts[10]) }, false},
		{"add contribution", func() {
			s.put(t, "content/contributions/"+slugOf(arts[40])+"/c-nouveau.md", []byte("---\nmember: membre-002\ndate: 2026-11-19T09:00:00Z\nstatus: approved\n---\n\nMerci pour cet article !\n"))
		}, false},
		{"moderate contribution", func() {
			p := "content/contributions/" + slugOf(arts[40]) + "/c-nouveau.md"
			s.edit(t, p, func(x string) string { return strings.Replace(x, "status: approved", "status: rejected", 1) })
		}, false},
		{"time publishes an article", func() {
			s.put(t, "content/articles/2026/demain.md", []byte("---\ntitle: Demain\ndate: 2026-11-22T08:00:00Z\n---\n\nÀ paraître.\n"))
			s.build(t)
			s.same(t) // not published yet
			s.now = s.now.Add(72 * time.Hour)
		}, false},
		{"config", func() {
			s.edit(t, "foyer.yaml", func(x string) string { return strings.Replace(x, "paginate: 10", "paginate: 7", 1) })
		}, true},
		{"template", func() {
			s.put(t, "partials/card.html", []byte(`{{define "card"}}<article class="card"><h2><a href="{{rel .URL}}">{{.Title}}</a></h2></article>{{end}}`))
		}, true},
		{"member", func() {
			s.edit(t, "content/members/membre-001.yaml", func(x string) string { return x + "\nbio: Une bio changée.\n" })
		}, true},
	}
	for _, st := range steps {
		st.do()
		res := s.build(t)
		if st.everything && res.Kept != 0 {
			t.Errorf("%s: kept %d files, want none", st.name, res.Kept)
		}
		if !st.everything && res.Kept == 0 {
			t.Errorf("%s: nothing kept from the last build", st.name)
		}
		s.same(t)
		if t.Failed() {
			t.Fatalf("after %q the cached build differs from a build without cache", st.name)
		}
	}
}

func TestCacheRendersAFileEditedInPublic(t *testing.T) {
	s, o := newDiskSite(t)
	s.build(t)
	rel := "articles/" + slugOf(synth.ArticlePaths(o)[3]) + "/index.html"
	p := filepath.Join(s.dir, "public", filepath.FromSlash(rel))
	if err := os.WriteFile(p, []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := s.build(t)
	if res.Stats.Written != 1 {
		t.Errorf("wrote %d files, want only the one edited in public/", res.Stats.Written)
	}
	s.same(t)
}

func TestDamagedCacheOnlySlowsTheBuild(t *testing.T) {
	s, _ := newDiskSite(t)
	s.build(t)
	for _, name := range []string{"markdown.gob", "markdown.spool", "pages.gob"} {
		if err := os.WriteFile(filepath.Join(s.dir, ".foyer", "cache", name), []byte("garbage\x00\xff"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := s.build(t)
	if res.Kept != 0 {
		t.Errorf("kept %d files on the word of a damaged cache", res.Kept)
	}
	s.same(t)
	if again := s.build(t); again.Kept == 0 {
		t.Error("the cache was not made again")
	}
}

func TestNoCache(t *testing.T) {
	s, _ := newDiskSite(t)
	if _, err := build.Build(context.Background(), build.Options{Site: s.dir, Now: s.now, NoCache: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.dir, ".foyer")); err == nil {
		t.Error("--no-cache wrote .foyer/")
	}
	s.same(t)
}

// The cache's folder holds the cache and nothing else: a spool a killed
// build left there is removed.
func TestCacheFolderHoldsOnlyTheCache(t *testing.T) {
	s, _ := newDiskSite(t)
	cache := filepath.Join(s.dir, ".foyer", "cache")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(cache, ".foyer-spool-123456")
	if err := os.WriteFile(stale, []byte("<p>left by a killed build</p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.build(t)
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "lock markdown.gob markdown.spool pages.gob" {
		t.Errorf(".foyer/cache holds %q, want the lock and the caches", names)
	}
}
