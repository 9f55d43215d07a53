package build_test

import (
	"bytes"
	"context"
	"maps"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

// incSite is a synthetic site rebuilt incrementally, with the files an
// Incremental's updates add up to.
type incSite struct {
	fsys  fstest.MapFS
	inc   *build.Incremental
	files map[string][]byte
}

func newIncSite(t *testing.T) (*incSite, synth.Options) {
	t.Helper()
	o := synth.Options{Articles: 60, Contributions: 90, Members: 6, Seed: 3}
	fsys := synth.MapFS(o)
	s := &incSite{fsys: fsys, inc: build.NewIncremental(fsys, build.Options{Now: sitetest.Now})}
	u := s.rebuild(t, nil)
	if !u.Full || len(u.Files) != u.Total {
		t.Fatalf("first build: full=%v, %d of %d files", u.Full, len(u.Files), u.Total)
	}
	return s, o
}

func (s *incSite) rebuild(t *testing.T, changed []string) *build.Update {
	t.Helper()
	u, err := s.inc.Build(context.Background(), changed)
	if err != nil {
		t.Fatalf("incremental build after %v: %v", changed, err)
	}
	s.apply(u)
	return u
}

// apply adds up an update to the files.
func (s *incSite) apply(u *build.Update) {
	if s.files == nil {
		s.files = map[string][]byte{}
	}
	for _, p := range u.Removed {
		delete(s.files, p)
	}
	maps.Copy(s.files, u.Files)
}

// same fails unless the accumulated files equal a full build's.
func (s *incSite) same(t *testing.T) {
	t.Helper()
	full := sitetest.Build(t, s.fsys, build.Options{})
	for p, want := range full.Files {
		got, ok := s.files[p]
		switch {
		case !ok:
			t.Errorf("incremental output lacks %s", p)
		case !bytes.Equal(got, want):
			t.Errorf("%s differs from a full build", p)
		}
	}
	for p := range s.files {
		if _, ok := full.Files[p]; !ok {
			t.Errorf("incremental output has %s, a full build does not", p)
		}
	}
}

func (s *incSite) edit(t *testing.T, p string, fn func(string) string) {
	t.Helper()
	f, ok := s.fsys[p]
	if !ok {
		t.Fatalf("no file %s", p)
	}
	s.fsys[p] = &fstest.MapFile{Data: []byte(fn(string(f.Data))), Mode: 0o644}
}

var titleLine = regexp.MustCompile(`(?m)^title: .*$`)

func slugOf(p string) string { return strings.TrimSuffix(path.Base(p), ".md") }

func TestIncrementalEqualsFullBuild(t *testing.T) {
	s, o := newIncSite(t)
	arts := synth.ArticlePaths(o)
	mid := arts[30]

	steps := []struct {
		name     string
		do       func() []string
		full     bool
		rendered []string // must be among the re-rendered files
	}{
		{"edit body", func() []string {
			s.edit(t, mid, func(x string) string { return x + "\nUne phrase ajoutée à la fin.\n" })
			return []string{mid}
		}, false, []string{"articles/" + slugOf(mid) + "/index.html"}},
		{"edit two bodies", func() []string {
			s.edit(t, arts[31], func(x string) string {
				return strings.Replace(x, "\n---\n", "\n---\n\nUne accroche.\n\n<!--more-->\n", 1)
			})
			s.edit(t, arts[32], func(x string) string { return x + "\n## Un intertitre ajouté\n\nEt du texte sous lui.\n" })
			return []string{arts[31], arts[32]}
		}, false, []string{"articles/" + slugOf(arts[31]) + "/index.html", "articles/" + slugOf(arts[32]) + "/index.html"}},
		{"edit title", func() []string {
			s.edit(t, mid, func(x string) string { return titleLine.ReplaceAllString(x, `title: "Un titre tout neuf"`) })
			return []string{mid}
		}, false, []string{"articles/" + slugOf(mid) + "/index.html", "index.html"}},
		{"add article", func() []string {
			p := "content/articles/2025/un-nouvel-article.md"
			s.fsys[p] = &fstest.MapFile{Data: []byte("---\ntitle: Un nouvel article\ndate: 2026-11-19T08:00:00Z\nauthor: membre-001\ncategories: [\"Outils\"]\ntags: [\"forum\", \"vote\"]\naliases: [\"/vieux/\"]\n---\n\nBonjour à tous.\n"), Mode: 0o644}
			return []string{p}
		}, false, []string{"articles/un-nouvel-article/index.html", "vieux/index.html"}},
		{"delete article", func() []string {
			delete(s.fsys, arts[10])
			return []string{arts[10]}
		}, false, nil},
		{"rename article", func() []string {
			to := path.Join(path.Dir(arts[20]), "renomme.md")
			s.fsys[to] = s.fsys[arts[20]]
			delete(s.fsys, arts[20])
			return []string{arts[20], to}
		}, false, []string{"articles/renomme/index.html"}},
		{"add contribution", func() []string {
			p := "content/contributions/" + slugOf(arts[40]) + "/c-nouveau.md"
			s.fsys[p] = &fstest.MapFile{Data: []byte("---\nmember: membre-002\ndate: 2026-11-19T09:00:00Z\nstatus: approved\n---\n\nMerci pour cet article !\n"), Mode: 0o644}
			return []string{p}
		}, false, []string{"articles/" + slugOf(arts[40]) + "/index.html"}},
		{"unpublish by draft", func() []string {
			s.edit(t, arts[45], func(x string) string { return strings.Replace(x, "---\n", "---\ndraft: true\n", 1) })
			return []string{arts[45]}
		}, false, nil},
		{"edit the body of a draft", func() []string {
			s.edit(t, arts[45], func(x string) string { return x + "\nUn brouillon retouché.\n" })
			return []string{arts[45]}
		}, false, nil},
		{"add a draft with a published article's slug", func() []string {
			p := "content/articles/brouillon-homonyme.md"
			s.fsys[p] = &fstest.MapFile{Data: []byte("---\ntitle: Un homonyme\nslug: " + slugOf(arts[31]) + "\ndraft: true\ndate: 2026-11-19T08:00:00Z\n---\n\nPas encore.\n"), Mode: 0o644}
			return []string{p}
		}, false, nil},
		{"edit the body of that draft", func() []string {
			s.edit(t, "content/articles/brouillon-homonyme.md", func(x string) string { return x + "\nToujours pas.\n" })
			return []string{"content/articles/brouillon-homonyme.md"}
		}, false, nil},
		{"static file", func() []string {
			s.fsys["static/css/extra.css"] = &fstest.MapFile{Data: []byte("body{color:red}\n"), Mode: 0o644}
			return []string{"static/css/extra.css"}
		}, false, []string{"css/extra.css"}},
		{"config", func() []string {
			s.edit(t, "foyer.yaml", func(x string) string { return strings.Replace(x, "paginate: 10", "paginate: 7", 1) })
			return []string{"foyer.yaml"}
		}, true, nil},
		{"template", func() []string {
			s.fsys["partials/card.html"] = &fstest.MapFile{Data: []byte(`{{define "card"}}<article class="card"><h2><a href="{{rel .URL}}">{{.Title}}</a></h2></article>{{end}}`), Mode: 0o644}
			return []string{"partials/card.html"}
		}, true, nil},
		{"member", func() []string {
			s.edit(t, "content/members/membre-001.yaml", func(x string) string { return titleLine.ReplaceAllString(x, "") + "\nbio: Une bio changée.\n" })
			return []string{"content/members/membre-001.yaml"}
		}, true, nil},
	}
	// Body edits of published articles patch the last model in place.
	patched := map[string]bool{"edit body": true, "edit two bodies": true}
	for _, st := range steps {
		changed := st.do()
		u := s.rebuild(t, changed)
		if u.Full != st.full {
			t.Errorf("%s: full rebuild = %v, want %v", st.name, u.Full, st.full)
		}
		if u.Patched != patched[st.name] {
			t.Errorf("%s: patched = %v, want %v", st.name, u.Patched, patched[st.name])
		}
		if !st.full && len(u.Files) >= u.Total {
			t.Errorf("%s: rendered all %d files, want only the touched ones", st.name, u.Total)
		}
		for _, p := range st.rendered {
			if _, ok := u.Files[p]; !ok {
				t.Errorf("%s: %s was not rendered again", st.name, p)
			}
		}
		s.same(t)
		if t.Failed() {
			t.Fatalf("after %q the incremental site differs from a full build", st.name)
		}
	}
}

func TestIncrementalBodyEditLeavesOtherArticles(t *testing.T) {
	s, o := newIncSite(t)
	p := synth.ArticlePaths(o)[5]
	s.edit(t, p, func(x string) string { return x + "\nEncore un mot.\n" })
	u := s.rebuild(t, []string{p})
	var articles []string
	for f := range u.Files {
		if strings.HasPrefix(f, "articles/") {
			articles = append(articles, f)
		}
	}
	sort.Strings(articles)
	// The article itself and those that show it (neighbours, related).
	if len(articles) == 0 || len(articles) > 12 {
		t.Errorf("re-rendered %d article pages after a body edit: %v", len(articles), articles)
	}
	s.same(t)
}

func TestIncrementalKeepsChangesAcrossAFailedBuild(t *testing.T) {
	s, o := newIncSite(t)
	arts := synth.ArticlePaths(o)
	a, b := arts[3], arts[4]
	s.edit(t, a, func(x string) string { return titleLine.ReplaceAllString(x, `title: "Changé pendant la panne"`) })
	s.edit(t, b, func(x string) string { return strings.Replace(x, "date: ", "date: [cassée", 1) })
	if _, err := s.inc.Build(context.Background(), []string{a, b}); err == nil {
		t.Fatal("a broken front matter built without error")
	} else if !strings.Contains(err.Error(), b) {
		t.Errorf("error does not name %s: %v", b, err)
	}
	s.edit(t, b, func(x string) string { return strings.Replace(x, "date: [cassée", "date: ", 1) })
	// Only b is reported now: a's change must still be rendered.
	s.rebuild(t, []string{b})
	s.same(t)
	if !bytes.Contains(s.files["articles/"+slugOf(a)+"/index.html"], []byte("Changé pendant la panne")) {
		t.Error("the change made before the failed build was lost")
	}
}

// A rebuild lists the content files from the changes it is told of:
// folders added, removed or hidden must come out as a full walk would
// find them.
func TestIncrementalFolderChanges(t *testing.T) {
	s, o := newIncSite(t)
	article := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2026-11-18T08:00:00Z\n---\n\nTexte.\n"), Mode: 0o644}
	}
	year := path.Dir(synth.ArticlePaths(o)[0]) // content/articles/<year>
	steps := []struct {
		name    string
		do      func() []string
		present []string // article pages that must exist after the step
		absent  []string
	}{
		{"add a folder", func() []string {
			s.fsys["content/articles/serie/un.md"] = article("Un")
			s.fsys["content/articles/serie/deux.md"] = article("Deux")
			return []string{"content/articles/serie"}
		}, []string{"articles/un/index.html", "articles/deux/index.html"}, nil},
		{"a folder and a file in it, both told", func() []string {
			s.fsys["content/articles/serie/cinq.md"] = article("Cinq")
			return []string{"content/articles/serie", "content/articles/serie/cinq.md"}
		}, []string{"articles/cinq/index.html", "articles/un/index.html"}, nil},
		{"a sibling that sorts inside the folder's run", func() []string {
			s.fsys[year+"-bis.md"] = article("Bis")
			return []string{year + "-bis.md"}
		}, []string{"articles/" + path.Base(year) + "-bis/index.html"}, nil},
		{"remove a folder", func() []string {
			for p := range s.fsys {
				if strings.HasPrefix(p, year+"/") {
					delete(s.fsys, p)
				}
			}
			return []string{year}
		}, []string{"articles/" + path.Base(year) + "-bis/index.html"}, []string{"articles/" + slugOf(synth.ArticlePaths(o)[0]) + "/index.html"}},
		{"a hidden folder", func() []string {
			s.fsys["content/articles/.brouillons/cache.md"] = article("Caché")
			return []string{"content/articles/.brouillons/cache.md"}
		}, nil, []string{"articles/cache/index.html"}},
		{"lost events: the whole site", func() []string {
			s.edit(t, synth.ArticlePaths(o)[40], func(x string) string { return x + "\nUn ajout que personne n'a signalé.\n" })
			s.fsys["content/articles/serie/quatre.md"] = article("Quatre")
			return []string{"."}
		}, []string{"articles/quatre/index.html"}, nil},
		{"the content folder itself", func() []string {
			s.fsys["content/articles/serie/trois.md"] = article("Trois")
			return []string{"content"}
		}, []string{"articles/trois/index.html"}, nil},
	}
	for _, st := range steps {
		s.rebuild(t, st.do())
		for _, p := range st.present {
			if _, ok := s.files[p]; !ok {
				t.Errorf("%s: no %s", st.name, p)
			}
		}
		for _, p := range st.absent {
			if _, ok := s.files[p]; ok {
				t.Errorf("%s: %s is still there", st.name, p)
			}
		}
		s.same(t)
		if t.Failed() {
			t.Fatalf("after %q the incremental site differs from a full build", st.name)
		}
	}
}

// A server gets the pages of a body edit before the search index is made
// again; together they are the files Build would have given.
func TestIncrementalPagesFirst(t *testing.T) {
	s, o := newIncSite(t)
	rebuild := func(changed []string) (early, u *build.Update) {
		t.Helper()
		u, err := s.inc.BuildPagesFirst(context.Background(), changed, func(e *build.Update) { early = e })
		if err != nil {
			t.Fatal(err)
		}
		if early != nil {
			s.apply(early)
		}
		s.apply(u)
		return early, u
	}
	p := synth.ArticlePaths(o)[7]
	s.edit(t, p, func(x string) string { return x + "\nUn mot de plus pour l'index : paratonnerre.\n" })
	early, u := rebuild([]string{p})
	if early == nil || !u.Patched {
		t.Fatalf("a body edit: pages given first = %v, patched = %v", early != nil, u.Patched)
	}
	if _, ok := early.Files["articles/"+slugOf(p)+"/index.html"]; !ok {
		t.Error("the edited article's page did not come first")
	}
	for f := range early.Files {
		if strings.HasPrefix(f, "search/") {
			t.Errorf("%s came with the pages", f)
		}
	}
	if len(u.Files) == 0 {
		t.Error("no search index file after the pages")
	}
	for f := range u.Files {
		if !strings.HasPrefix(f, "search/") {
			t.Errorf("%s came after the pages", f)
		}
	}
	s.same(t)

	s.edit(t, p, func(x string) string { return titleLine.ReplaceAllString(x, `title: "Un autre titre"`) })
	if early, u := rebuild([]string{p}); early != nil || u.Patched {
		t.Errorf("a title edit: pages given first = %v, patched = %v", early != nil, u.Patched)
	}
	s.same(t)
}
