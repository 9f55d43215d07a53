package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/search"
)

// searchSite has one word per thing that must or must not be indexed.
const searchSite = `
-- foyer.yaml --
title: "Essai"
base_url: "https://example.org/hub/"
language: fr
search:
  enabled: true
  comments: COMMENTS
-- content/members/ana.yaml --
name: "Ana Lyse"
email: "ana.secret@example.com"
-- content/articles/visible.md --
---
title: "Le zèbre visible"
date: 2026-03-01
author: ana
tags: ["rayures"]
---
Un article publié sur les zèbres.
-- content/articles/brouillon.md --
---
title: "Brouillon"
date: 2026-03-02
draft: true
---
Le mot brouillonmot.
-- content/articles/futur.md --
---
title: "Futur"
date: 2027-05-01
---
Le mot futurmot.
-- content/articles/expire.md --
---
title: "Expiré"
date: 2025-01-01
expiryDate: 2026-01-01
---
Le mot expiremot.
-- content/articles/attente.md --
---
title: "En attente"
date: 2026-02-01
status: pending
---
Le mot attentemot.
-- content/pages/apropos.md --
---
title: "À propos"
---
Le mot pagemot.
-- content/contributions/visible/c-1.md --
---
author: "Bea"
email: "bea.secret@example.com"
ip: "203.0.113.9"
date: 2026-03-03T10:00:00Z
status: approved
---
Le mot approuvemot.
-- content/contributions/visible/c-2.md --
---
author: "Cy"
email: "cy.secret@example.com"
ip: "198.51.100.7"
date: 2026-03-03T11:00:00Z
status: pending
---
Un pamplemousse en attente.
-- content/contributions/visible/c-3.md --
---
author: "Spam"
date: 2026-03-03T12:00:00Z
status: spam
---
Le mot spammot.
-- content/contributions/visible/c-4.md --
---
author: "Dee"
date: 2026-03-03T13:00:00Z
status: rejected
---
Le mot rejetmot.
`

func buildSearchSite(t *testing.T, comments string) *sitetest.Output {
	t.Helper()
	return sitetest.Build(t, sitetest.FS(strings.Replace(searchSite, "COMMENTS", comments, 1)), build.Options{})
}

// indexed returns every search file's text and the set of terms in the
// term chunks.
func indexed(t *testing.T, out *sitetest.Output) (text string, terms map[string]bool) {
	t.Helper()
	terms = map[string]bool{}
	var all strings.Builder
	n := 0
	for _, p := range out.Paths() {
		if !strings.HasPrefix(p, "search/") || p == "search/index.html" {
			continue
		}
		n++
		all.Write(out.Files[p])
		if strings.HasPrefix(p, "search/t/") {
			var c map[string][]int
			if err := json.Unmarshal(out.Files[p], &c); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for term := range c {
				terms[term] = true
			}
		}
	}
	if n < 3 {
		t.Fatalf("%d search files: want a manifest, chunks and documents", n)
	}
	return all.String(), terms
}

func term(t *testing.T, word string) string {
	t.Helper()
	got := search.NewAnalyser("fr").Analyse(word)
	if len(got) != 1 {
		t.Fatalf("%q analyses to %q", word, got)
	}
	return got[0]
}

func TestSearchIndexesOnlyPublished(t *testing.T) {
	for _, comments := range []string{"false", "true"} {
		t.Run("comments="+comments, func(t *testing.T) {
			out := buildSearchSite(t, comments)
			text, terms := indexed(t, out)
			for _, w := range []string{"zèbres", "rayures", "pagemot", "Ana Lyse"} {
				if !terms[term(t, strings.Fields(w)[0])] {
					t.Errorf("%q is not indexed", w)
				}
			}
			for _, w := range []string{"brouillonmot", "futurmot", "expiremot", "attentemot", "pamplemousse", "spammot", "rejetmot"} {
				if terms[term(t, w)] || strings.Contains(text, w) {
					t.Errorf("unpublished %q reached the index", w)
				}
			}
			for _, private := range []string{"secret@", "example.com", "203.0.113.9", "198.51.100.7"} {
				if strings.Contains(text, private) {
					t.Errorf("private %q reached the index", private)
				}
			}
			if got, want := terms[term(t, "approuvemot")], comments == "true"; got != want {
				t.Errorf("approved comment indexed: %v, want %v", got, want)
			}
			var m search.Manifest
			if err := json.Unmarshal(out.Files["search/manifest.json"], &m); err != nil {
				t.Fatal(err)
			}
			if m.Docs != 2 || m.Lang != "fr" {
				t.Errorf("manifest: %d docs in %q, want 2 (the article and the page) in fr", m.Docs, m.Lang)
			}
			// Links in doc files respect base_url's sub-folder.
			if !strings.Contains(text, `"u":"/hub/articles/visible/"`) {
				t.Errorf("doc files lack the article's link under /hub/")
			}
		})
	}
}

func TestSearchPageAndBox(t *testing.T) {
	out := buildSearchSite(t, "false")
	out.Contains(t, "search/index.html",
		`<script src="/hub/js/search.js" defer></script>`,
		`data-index="/hub/search/"`, `role="status"`, `aria-live="polite"`,
		`data-count-one="%d résultat"`, `data-count-other="%d résultats"`,
		`<input type="search" id="search-q" name="q"`)
	out.Lacks(t, "search/index.html", `class="site-search"`)
	out.Contains(t, "js/search.js", "function analyse(")
	for _, page := range []string{"index.html", "articles/visible/index.html", "apropos/index.html"} {
		out.Contains(t, page, `<form class="site-search" role="search" action="/hub/search/" method="get">`, `<label for="site-search-q"`)
		out.Lacks(t, page, "search.js")
	}
}

func TestSearchDisabled(t *testing.T) {
	site := strings.Replace(searchSite, "enabled: true", "enabled: false", 1)
	out := sitetest.Build(t, sitetest.FS(strings.Replace(site, "COMMENTS", "false", 1)), build.Options{})
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "search/") {
			t.Errorf("search is off but %s was written", p)
		}
	}
	out.Lacks(t, "index.html", `class="site-search"`)
}
