package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeHugoSite writes a Hugo site whose content folder is the generated
// site's, keeping only articles, with a minimal theme: single pages,
// paginated home, section and taxonomy lists, term indexes and Hugo's
// built-in RSS and sitemap.
func writeHugoSite(dir, content string) error {
	files := map[string]string{
		"config.toml": fmt.Sprintf(`baseURL = "https://bench.example.org/"
title = "Foyer synthétique"
languageCode = "fr"
contentDir = %q
paginate = 10
ignoreFiles = ["[/\\\\]contributions[/\\\\]", "[/\\\\]members[/\\\\]", "[/\\\\]pages[/\\\\]", "[/\\\\]newsletters[/\\\\]"]
[taxonomies]
category = "categories"
tag = "tags"
[services.rss]
limit = 20
`, content),
		"layouts/_default/baseof.html": `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}</head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
`,
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.author }} · {{ .ReadingTime }} min</p>
{{ .Content }}
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
`,
		"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .RegularPages }}{{ template "items" $p }}{{ end }}
{{ define "items" }}{{ range .Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2006-01-02" }}</time>{{ .Summary }}</article>{{ end }}
<nav>{{ with .Prev }}<a href="{{ .URL }}">←</a>{{ end }} {{ .PageNumber }}/{{ .TotalPages }} {{ with .Next }}<a href="{{ .URL }}">→</a>{{ end }}</nav>{{ end }}
`,
		"layouts/index.html": `{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ $p := .Paginate site.RegularPages }}{{ template "items" $p }}{{ end }}
{{ define "items" }}{{ range .Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2006-01-02" }}</time>{{ .Summary }}</article>{{ end }}
<nav>{{ with .Prev }}<a href="{{ .URL }}">←</a>{{ end }} {{ .PageNumber }}/{{ .TotalPages }} {{ with .Next }}<a href="{{ .URL }}">→</a>{{ end }}</nav>{{ end }}
`,
		"layouts/_default/terms.html": `{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
`,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
