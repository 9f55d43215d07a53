package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/theme"
	"github.com/foyerhub/foyer/themes"
)

// searchCacheSite is a site of n articles with comments and two pages,
// made by hand: only what the search index reads.
func searchCacheSite(t *testing.T, n int) *Renderer {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL = "https://example.org/hub/"
	cfg.Search = config.Search{Enabled: true, Comments: true}
	th, err := theme.Load(theme.Sources{Theme: themes.Default(), ThemePath: "themes/default", Lang: cfg.Language, BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	s := &site.Site{Config: cfg}
	outils := &site.Term{Name: "Outils"}
	for i := range n {
		s.Articles = append(s.Articles, searchCacheArticle(fmt.Sprintf("a%02d", i), time.Date(2026, 1, 1+i, 9, 0, 0, 0, time.UTC), outils))
	}
	for _, p := range []string{"apropos", "charte"} {
		s.Pages = append(s.Pages, &site.Page{Section: "pages", Source: "content/pages/" + p + ".md", Slug: p, Title: "Page " + p, URL: "/" + p + "/",
			Body: site.HTML("<h2>La page " + p + "</h2><p>Une page &amp; son texte.</p>")})
	}
	return &Renderer{Site: s, Theme: th}
}

func searchCacheArticle(slug string, date time.Time, term *site.Term) *site.Article {
	a := &site.Article{
		Page: site.Page{Section: "articles", Source: "content/articles/" + slug + ".md", Slug: slug, Title: "L’article " + slug,
			URL: "/articles/" + slug + "/", Date: date, Description: "Le résumé de " + slug,
			Body: site.HTML("<p>La modération de la communauté " + slug + ".</p><ul><li>réunion</li><li>vote</li></ul>")},
		AuthorName: "Ana Lyse",
		Categories: []*site.Term{term},
	}
	a.Thread = &site.Thread{Flat: []*site.Contribution{
		{Source: "content/contributions/" + slug + "/c-1.md", Body: site.HTML("<p>Merci pour <em>" + slug + "</em> !</p>")},
		{Source: "content/contributions/" + slug + "/c-2.md", Body: site.HTML("<p>D’accord &lt;vraiment&gt;.</p>")},
	}}
	return a
}

// searchFiles runs the search jobs, in their order, into files by path
// and Deps by path.
func searchFiles(t *testing.T, r *Renderer, c *search.Cache) (files map[string][]byte, deps map[string][]string, order []string) {
	t.Helper()
	files, deps = map[string][]byte{}, map[string][]string{}
	for _, j := range r.searchJobsCached(c) {
		data, err := j.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		files[j.Path], deps[j.Path] = data, j.Deps
		order = append(order, j.Path)
	}
	return files, deps, order
}

// A search.Cache gives the files and Deps a build without one gives, as
// articles, comments and pages change, come and go.
func TestSearchCacheGivesAFreshBuildsFiles(t *testing.T) {
	r := searchCacheSite(t, 30)
	s := r.Site
	c := search.NewCache()
	steps := []struct {
		name string
		edit func()
	}{
		{"first build", func() {}},
		{"nothing changed", func() {}},
		{"article body", func() {
			s.Articles[3].Body = site.HTML(string(s.Articles[3].Content()) + "<p>Un paragraphe ajouté sur les pamplemousses.</p>")
		}},
		{"article title", func() { s.Articles[4].Title = "Un titre neuf" }},
		{"comment", func() { s.Articles[5].Thread.Flat[1].Body = site.HTML("<p>Un commentaire corrigé : kiwis.</p>") }},
		{"comment added", func() {
			a := s.Articles[6]
			a.Thread.Flat = append(a.Thread.Flat, &site.Contribution{Source: "content/contributions/a06/c-3.md", Body: site.HTML("<p>Encore des mangues.</p>")})
		}},
		{"page", func() { s.Pages[1].Body = site.HTML("<p>La charte a changé : bienveillance.</p>") }},
		{"article added", func() {
			s.Articles = slices.Insert(s.Articles, 10, searchCacheArticle("neuf", s.Articles[10].Date.Add(time.Hour), s.Articles[0].Categories[0]))
		}},
		{"article removed", func() { s.Articles = slices.Delete(s.Articles, 2, 3) }},
		{"article moved by its date", func() { s.Articles[7].Date = s.Articles[7].Date.AddDate(1, 0, 0) }},
		{"comments no longer indexed", func() { s.Config.Search.Comments = false }},
	}
	for _, st := range steps {
		st.edit()
		got, gotDeps, order := searchFiles(t, r, c)
		want, wantDeps, wantOrder := searchFiles(t, r, nil)
		if !slices.Equal(order, wantOrder) {
			t.Fatalf("%s: files %q, a build without cache has %q", st.name, order, wantOrder)
		}
		for p, data := range want {
			if !bytes.Equal(got[p], data) || !slices.Equal(gotDeps[p], wantDeps[p]) {
				t.Fatalf("%s: %s (Deps %q) differs from a build without cache (Deps %q):\n%.200s\n%.200s", st.name, p, gotDeps[p], wantDeps[p], got[p], data)
			}
		}
		if order[len(order)-1] != SearchDir+"manifest.json" {
			t.Errorf("%s: the manifest is not the last job, %s is", st.name, order[len(order)-1])
		}
		checkDocDeps(t, st.name, r.Site, got, gotDeps)
	}
}

// checkDocDeps fails unless each document's file depends on its own
// article's slug and the names of its terms, or its page, and nothing
// else.
func checkDocDeps(t *testing.T, step string, s *site.Site, files map[string][]byte, deps map[string][]string) {
	t.Helper()
	want := map[string][]string{}
	for _, a := range s.Articles {
		want[underHub(a.URL)] = []string{a.Slug, termNames([]*site.Article{a})}
	}
	for _, p := range s.Pages {
		want[underHub(p.URL)] = []string{"page:" + p.Source}
	}
	n := 0
	for p, data := range files {
		if !strings.HasPrefix(p, SearchDir+"d/") {
			if !slices.Equal(deps[p], []string{"*"}) {
				t.Errorf("%s: %s depends on %q, want everything", step, p, deps[p])
			}
			continue
		}
		var f search.DocFile
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(deps[p], want[f.URL]) {
			t.Errorf("%s: %s shows %s and depends on %q, want %q", step, p, f.URL, deps[p], want[f.URL])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%s: %d document files, want %d", step, n, len(want))
	}
}

// underHub is a site path under the test site's base_url.
func underHub(path string) string { return "/hub" + path }
