package build_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/mmcdole/gofeed"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

func TestHubEndToEnd(t *testing.T) {
	out := sitetest.Build(t, sitetest.Load(t, "hub"), build.Options{})
	s := out.Model.Site

	// Only approved, non-draft, current articles are published.
	var titles []string
	for _, a := range s.Articles {
		titles = append(titles, a.Title)
	}
	if got := strings.Join(titles, "|"); got != "Second|Premier article : bienvenue !|Ancien" {
		t.Errorf("published articles, newest first: %s", got)
	}
	for _, p := range out.Paths() {
		for _, secret := range []string{"Secret draft", "Future text", "Expired text", "Pending guest text", "private@example.org"} {
			if strings.Contains(string(out.Files[p]), secret) {
				t.Errorf("%s contains %q", p, secret)
			}
		}
	}

	// Taxonomies fold accents and case, and sort as a French reader expects.
	var cats []string
	for _, c := range s.Categories.Terms {
		cats = append(cats, c.Slug+"="+strconv.Itoa(len(c.Articles)))
	}
	if got := strings.Join(cats, " "); got != "animation=1 ethique=2 medias-sociaux=1" {
		t.Errorf("categories: %s", got)
	}
	var tags []string
	for _, tg := range s.Tags.Terms {
		tags = append(tags, tg.Name)
	}
	if got := strings.Join(tags, " "); got != "accueil zèbre" {
		t.Errorf("tags: %s", got)
	}

	premier := "articles/premier/index.html"
	out.Contains(t, premier,
		"<h1 class=\"p-name\">Premier article\u202f: bienvenue\u202f!</h1>",
		`<a class="author" href="/members/ann/">`,
		`<time datetime="2026-01-10T00:00:00Z">10`+"\u00a0"+`janvier 2026</time>`,
		"«\u202fPetit Foyer\u202f»",
		"à 12:30",
		`<nav class="toc"`,
		`<a href="#pourquoi">Pourquoi</a>`,
		`<link rel="canonical" href="https://hub.example.org/articles/premier/">`,
		`<meta property="og:title" content="Premier article : bienvenue !">`,
		`<link rel="alternate" type="application/rss+xml"`,
		`<link rel="alternate" type="application/atom+xml"`,
		`<link rel="alternate" type="application/feed+json"`,
		`<a href="/categories/ethique/">Éthique</a>`,
		`rel="next" href="/articles/second/"`,
		`rel="prev" href="/articles/ancien/"`,
		`min de lecture`,
	)
	out.Lacks(t, premier, "livereload", "<script")
	out.Contains(t, "articles/second/index.html",
		`<link rel="canonical" href="https://blog.example.net/second">`,
		`<span>Invitée Zoé</span>`,
		`Mis à jour le`,
	)
	out.Contains(t, "articles/ancien/index.html", "Avant.", "Après.")
	out.Contains(t, "index.html", "Un résumé écrit à la main.", `rel="next" href="/page/2/"`)
	out.Contains(t, "page/2/index.html", "Ancien", "Avant.", `rel="prev" href="/"`)
	out.Lacks(t, "page/2/index.html", "Après.")
	out.Contains(t, "categories/ethique/index.html", "Premier article", "Ancien")
	out.Contains(t, "categories/index.html", `<a href="/categories/ethique/">Éthique</a>`)
	out.Contains(t, "archives/index.html", `href="/archives/2026/"`, `href="/archives/2025/06/"`)
	out.Contains(t, "archives/2026/02/index.html", "Second")
	out.Contains(t, "members/index.html", "Ann Élodie", "Bob")
	out.Contains(t, "members/ann/index.html", "Anime la communauté depuis 2020\u202f!", "Premier article")
	out.Contains(t, "a-propos/index.html", "<h1>À propos</h1>")
	out.Contains(t, "old/premier/index.html", `<meta http-equiv="refresh" content="0; url=https://hub.example.org/articles/premier/">`)
	out.Contains(t, "robots.txt", "Sitemap: https://hub.example.org/sitemap.xml")
	out.Contains(t, "sitemap.xml", "<loc>https://hub.example.org/articles/premier/</loc>", "<lastmod>2026-02-12</lastmod>")
	out.Lacks(t, "sitemap.xml", "old/premier", "404")
	out.Contains(t, "404.html", "Page introuvable")
	out.Contains(t, "images/logo.svg", "<svg")
	out.Contains(t, "css/foyer.css", "prefers-color-scheme: dark")
	out.Contains(t, "css/syntax.css", ".chroma")
	out.Contains(t, "categories/ethique/index.xml", "<title>Le Petit Foyer – Éthique</title>")

	sitetest.Golden(t, "hub/premier.html", out.Files[premier])
	sitetest.Golden(t, "hub/index.xml", out.Files["index.xml"])
	sitetest.Golden(t, "hub/atom.xml", out.Files["atom.xml"])
	sitetest.Golden(t, "hub/feed.json", out.Files["feed.json"])
}

func TestFeedsParse(t *testing.T) {
	out := sitetest.Build(t, sitetest.Load(t, "hub"), build.Options{})
	p := gofeed.NewParser()
	for _, name := range []string{"index.xml", "atom.xml", "feed.json", "categories/ethique/index.xml"} {
		feed, err := p.ParseString(out.File(t, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(feed.Items) == 0 {
			t.Errorf("%s: no items", name)
			continue
		}
		first := feed.Items[0]
		if name != "categories/ethique/index.xml" {
			if first.Title != "Second" || first.Link != "https://hub.example.org/articles/second/" {
				t.Errorf("%s: first item %q %q", name, first.Title, first.Link)
			}
			if first.PublishedParsed == nil || first.PublishedParsed.UTC().Format("2006-01-02T15:04") != "2026-02-10T08:00" {
				t.Errorf("%s: published %v", name, first.PublishedParsed)
			}
			if len(feed.Items) != 3 {
				t.Errorf("%s: %d items, want 3", name, len(feed.Items))
			}
		}
		for _, it := range feed.Items {
			if it.Title == "Premier article : bienvenue !" && !strings.Contains(it.Content, "Petit Foyer") {
				t.Errorf("%s: full content missing: %q", name, it.Content)
			}
			if strings.Contains(it.Content, `href="/`) || strings.Contains(it.Content, `src="/`) {
				t.Errorf("%s: relative link in feed content", name)
			}
			if it.Title == "Second" && !strings.Contains(name, "categories") {
				// The article's root-relative link and image, made absolute.
				for _, want := range []string{`<a href="https://hub.example.org/articles/premier/">le premier</a>`, `src="https://hub.example.org/images/logo.svg"`} {
					if !strings.Contains(it.Content, want) {
						t.Errorf("%s: content of %q lacks %s: %q", name, it.Title, want, it.Content)
					}
				}
			}
		}
	}
	var jf map[string]any
	if err := json.Unmarshal(out.Files["feed.json"], &jf); err != nil || jf["version"] != "https://jsonfeed.org/version/1.1" {
		t.Errorf("JSON Feed version: %v %v", err, jf["version"])
	}
}

func TestSummariesInFeedsWhenConfigured(t *testing.T) {
	fsys := sitetest.Load(t, "hub")
	fsys["foyer.yaml"] = &fstest.MapFile{Data: []byte("base_url: https://h.example.org/\nfeeds: {full_content: false}\n")}
	out := sitetest.Build(t, fsys, build.Options{})
	out.Lacks(t, "atom.xml", "Après.")
	out.Contains(t, "atom.xml", "Avant.")
}

func TestContentErrorsAreAllReported(t *testing.T) {
	fsys := fstest.MapFS{
		"content/articles/ok.md":      {Data: []byte("---\ntitle: OK\ndate: 2026-01-01\n---\n")},
		"content/articles/x.md":       {Data: []byte("---\ntitle: X\ndate: 2012-13-45\n---\n")},
		"content/articles/notitle.md": {Data: []byte("---\ndate: 2026-01-01\n---\n")},
		"content/articles/a/dup.md":   {Data: []byte("---\ntitle: A\ndate: 2026-01-01\n---\n")},
		"content/articles/b/dup.md":   {Data: []byte("---\ntitle: B\ndate: 2026-01-02\n---\n")},
		"content/articles/alias.md":   {Data: []byte("---\ntitle: Alias\ndate: 2026-01-03\naliases: [/a-propos/]\n---\n")},
		"content/articles/latin1.md":  {Data: []byte("---\ntitle: caf\xe9\ndate: 2026-01-01\n---\n")},
		"content/articles/badslug.md": {Data: []byte("---\ntitle: S\ndate: 2026-01-01\nslug: \"Mon Slug\"\n---\n")},
		"content/articles/typed.md":   {Data: []byte("---\ntitle: T\ndate: 2026-01-01\ntags: {a: b}\n---\n")},
		"content/pages/a-propos.md":   {Data: []byte("---\ntitle: À propos\n---\n")},
	}
	_, err := sitetest.TryBuild(fsys, build.Options{})
	if err == nil {
		t.Fatal("want errors")
	}
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("want a diag.List, got %T", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`content/articles/x.md:3:7: front matter: date: date "2012-13-45": month out of range`,
		`content/articles/notitle.md:1: front matter: missing required field "title"`,
		`duplicate URL /articles/dup/: already used by content/articles/a/dup.md`,
		`content/articles/alias.md:4: alias /a-propos/ collides with content/pages/a-propos.md`,
		`content/articles/latin1.md:2:11: invalid UTF-8`,
		`content/articles/badslug.md:4: front matter: slug "Mon Slug": expected lower-case letters, digits and hyphens (try "mon-slug")`,
		`content/articles/typed.md:4:7: front matter: tags: expected a list of strings, got a mapping`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing error %q in:\n%s", want, msg)
		}
	}
}

func TestDraftsAndFutureFlags(t *testing.T) {
	out := sitetest.Build(t, sitetest.Load(t, "hub"), build.Options{Drafts: true, Future: true})
	for _, p := range []string{"articles/brouillon/index.html", "articles/futur/index.html", "articles/invite/index.html"} {
		if _, ok := out.Files[p]; !ok {
			t.Errorf("--drafts --future should publish %s", p)
		}
	}
	if _, ok := out.Files["articles/expire/index.html"]; ok {
		t.Error("an expired article stays out")
	}
}

func TestEmptySiteBuilds(t *testing.T) {
	out := sitetest.Build(t, fstest.MapFS{}, build.Options{})
	out.Contains(t, "index.html", "<h1>Foyer</h1>")
	out.Contains(t, "atom.xml", "<feed")
}

// TestBuildIsAtomicAndSkipsIdenticalFiles builds on disk twice, then
// fails a third build: the published site must stay whole and files
// whose bytes did not change keep their inode.
func TestBuildIsAtomicAndSkipsIdenticalFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, sitetest.Load(t, "hub"))
	opts := build.Options{Site: dir, Now: sitetest.Now}
	res, err := build.Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Written != res.Files || res.Stats.Unchanged != 0 {
		t.Errorf("first build: %+v of %d", res.Stats, res.Files)
	}
	page := filepath.Join(dir, "public", "articles", "premier", "index.html")
	before := inode(t, page)

	res, err = build.Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Written != 0 || res.Stats.Unchanged != res.Files {
		t.Errorf("second build rewrote files: %+v of %d", res.Stats, res.Files)
	}
	if inode(t, page) != before {
		t.Error("an identical file was rewritten")
	}

	// A broken file fails the build and leaves the site as it was.
	if err := os.WriteFile(filepath.Join(dir, "content", "articles", "casse.md"), []byte("---\ntitle: [\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build.Build(context.Background(), opts); err == nil {
		t.Fatal("want an error")
	}
	if inode(t, page) != before {
		t.Error("a failed build touched the published site")
	}
	if _, err := os.Stat(filepath.Join(dir, ".public.foyer-old")); !os.IsNotExist(err) {
		t.Error("a failed build left a folder being removed")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "public"))
	if len(entries) < 10 {
		t.Errorf("public/ has %d entries after a failed build", len(entries))
	}
}

func writeTree(t *testing.T, dir string, fsys fstest.MapFS) {
	t.Helper()
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

func TestBrokenContributionIsAWarning(t *testing.T) {
	fsys := sitetest.Load(t, "hub")
	fsys["content/contributions/premier/sans-date.md"] = &fstest.MapFile{Data: []byte("---\nauthor: Ann\nstatus: approved\n---\nSans date.\n")}
	fsys["content/contributions/premier/ok.md"] = &fstest.MapFile{Data: []byte("---\nauthor: Léa\ndate: 2026-01-11\nstatus: approved\n---\nAvec date.\n")}
	out := sitetest.Build(t, fsys, build.Options{})
	found := false
	for _, w := range out.Model.Warnings {
		if strings.Contains(w.Error(), `content/contributions/premier/sans-date.md:1: front matter: missing required field "date"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for the contribution without a date: %v", out.Model.Warnings)
	}
	out.Contains(t, "articles/premier/index.html", "Avec date.")
	out.Lacks(t, "articles/premier/index.html", "Sans date.")
}
