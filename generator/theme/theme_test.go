package theme

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func loadTest(t *testing.T, files map[string]string) *Theme {
	t.Helper()
	fsys := fstest.MapFS{"i18n/en.yaml": {Data: []byte("hello: Hello\n")}}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	th, err := Load(Sources{Theme: fsys, ThemePath: "themes/test", Lang: "en", BaseURL: "https://example.org/sub/"})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func render(t *testing.T, th *Theme, layout string, data any) string {
	t.Helper()
	out, err := th.Render(layout, data)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

type item struct {
	Name string
	URL  string
}

// TestCached checks that {{cached "p" x}} prints what {{template "p" x}}
// does, escaped the same way, and renders it only once for a pointer or
// a plain value, but every time for a value that cannot be a map key.
func TestCached(t *testing.T) {
	th := loadTest(t, map[string]string{
		"partials/item.html":  `{{define "item"}}<a href="{{rel .URL}}" title="{{.Name}}">{{.Name}} {{t "hello"}}</a>{{end}}`,
		"layouts/direct.html": `{{range .}}{{template "item" .}}{{end}}`,
		"layouts/cached.html": `{{range .}}{{cached "item" .}}{{end}}`,
		"layouts/value.html":  `{{cached "item" .}}`,
		"layouts/map.html":    `{{cached "item" (dict "Name" .Name "URL" .URL)}}`,
	})
	it := &item{Name: `<Tom & "Jo">`, URL: "/a b/"}
	items := []*item{it, {Name: "B", URL: "/b/"}, it}
	want := render(t, th, "direct", items)
	if !strings.Contains(want, `href="/sub/a%20b/" title="&lt;Tom &amp; &#34;Jo&#34;&gt;">&lt;Tom &amp; &#34;Jo&#34;&gt; Hello</a>`) {
		t.Fatalf("direct rendering = %s", want)
	}
	if got := render(t, th, "cached", items); got != want {
		t.Fatalf("cached rendering = %s, want %s", got, want)
	}

	// The same pointer gives what it gave the first time, whatever it
	// points to now: it was rendered once.
	it.Name = "changed"
	if got := render(t, th, "cached", items); got != want {
		t.Errorf("after a change behind the pointer: %s, want the first rendering %s", got, want)
	}
	// A plain value is its own key.
	first := render(t, th, "value", item{Name: "V", URL: "/v/"})
	if got := render(t, th, "value", item{Name: "W", URL: "/v/"}); got == first || !strings.Contains(got, "W Hello") {
		t.Errorf("another value gave %s (the first gave %s)", got, first)
	}
	// A map is rendered each time.
	if got := render(t, th, "map", item{Name: "M", URL: "/m/"}); !strings.Contains(got, "M Hello") {
		t.Errorf("map: %s", got)
	}
	if got := render(t, th, "map", item{Name: "N", URL: "/m/"}); !strings.Contains(got, "N Hello") {
		t.Errorf("map, second time: %s", got)
	}
	// A fresh theme starts empty.
	if got := render(t, loadTest(t, map[string]string{
		"partials/item.html":  `{{define "item"}}{{.Name}}{{end}}`,
		"layouts/cached.html": `{{range .}}{{cached "item" .}}{{end}}`,
	}), "cached", []*item{it}); got != "changed" {
		t.Errorf("fresh theme: %q, want %q", got, "changed")
	}
}

// TestCachedConcurrent renders pages that share fragments from several
// goroutines at once, as a build does (run it with -race).
func TestCachedConcurrent(t *testing.T) {
	th := loadTest(t, map[string]string{
		"partials/item.html":  `{{define "item"}}<a href="{{rel .URL}}">{{.Name}}</a>{{cached "avatar" (avatar .Name "" 20)}}{{end}}`,
		"partials/face.html":  `{{define "avatar"}}{{initials .Name}}{{.Size}}{{end}}`,
		"layouts/direct.html": `{{range .}}{{template "item" .}}{{end}}`,
		"layouts/cached.html": `{{range .}}{{cached "item" .}}{{end}}`,
	})
	var items []*item
	for i := range 50 {
		items = append(items, &item{Name: "Name " + strconv.Itoa(i%7), URL: "/x/" + strconv.Itoa(i) + "/"})
	}
	want := render(t, th, "direct", items)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				out, err := th.Render("cached", items)
				if err != nil || string(out) != want {
					t.Errorf("concurrent rendering: %v, %q, want %q", err, out, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestCachedErrors(t *testing.T) {
	th := loadTest(t, map[string]string{
		"partials/item.html":   `{{define "item"}}{{.Missing}}{{end}}`,
		"layouts/missing.html": `{{cached "nope" .}}`,
		"layouts/failing.html": `{{cached "item" .}}`,
	})
	for layout, want := range map[string]string{"missing": `"nope" is undefined`, "failing": "Missing"} {
		_, err := th.Render(layout, &item{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %s", layout, err, want)
		}
	}
}

// TestAvatar checks that the avatar partial prints the same from an
// avatar value as from the dict it used to get.
func TestAvatar(t *testing.T) {
	th := loadTest(t, map[string]string{
		"partials/avatar.html": `{{define "avatar"}}{{.Name}}|{{.Avatar}}|{{.Size}}{{end}}`,
		"layouts/dict.html":    `{{template "avatar" (dict "Name" .Name "Avatar" .URL "Size" 40)}}`,
		"layouts/value.html":   `{{cached "avatar" (avatar .Name .URL 40)}}`,
	})
	it := &item{Name: "Zoé <b>", URL: "/img/z.png"}
	want := render(t, th, "dict", it)
	if got := render(t, th, "value", it); got != want {
		t.Errorf("avatar value: %q, want %q", got, want)
	}
}

// TestCachedLayoutDefinitions checks that a layout file that defines a
// partial again, or a template of its own, gets them through cached as
// through template, while other layouts keep the partials.
func TestCachedLayoutDefinitions(t *testing.T) {
	th := loadTest(t, map[string]string{
		"partials/item.html":   `{{define "item"}}partial {{.Name}}{{end}}`,
		"partials/list.html":   `{{define "list"}}{{range .}}[{{cached "item" .}}]{{end}}{{end}}`,
		"layouts/plain.html":   `{{template "list" .}}`,
		"layouts/redef.html":   `{{define "item"}}layout {{.Name}}{{end}}{{template "list" .}}|{{template "item" index . 0}}`,
		"layouts/own.html":     `{{define "extra"}}extra {{.Name}}{{end}}{{range .}}{{cached "extra" .}} {{cached "item" .}}{{end}}`,
		"layouts/comment.html": `{{/* no definitions */}}{{template "list" .}}`,
	})
	items := []*item{{Name: "A"}}
	for layout, want := range map[string]string{
		"plain":   "[partial A]",
		"redef":   "[layout A]|layout A",
		"own":     "extra A partial A",
		"comment": "[partial A]",
	} {
		// Twice, so that the second rendering comes from the cache.
		for range 2 {
			if got := render(t, th, layout, items); got != want {
				t.Errorf("%s: %q, want %q", layout, got, want)
			}
		}
	}
	if got := render(t, th, "plain", items); got != "[partial A]" {
		t.Errorf("plain after the others: %q", got)
	}
}

// TestSum checks that Sum changes with every file Load reads, in the theme
// or in the site's overrides, and with nothing else.
func TestSum(t *testing.T) {
	base := func() (theme, site fstest.MapFS) {
		theme = fstest.MapFS{
			"i18n/en.yaml":         {Data: []byte("hello: Hello\n")},
			"i18n/fr.yaml":         {Data: []byte("hello: Bonjour\n")},
			"layouts/home.html":    {Data: []byte(`{{t "hello"}}`)},
			"partials/item.html":   {Data: []byte(`{{define "item"}}{{.}}{{end}}`)},
			"email/digest.html":    {Data: []byte(`<p>{{.}}</p>`)},
			"email/digest.txt":     {Data: []byte(`{{.}}`)},
			"static/style.css":     {Data: []byte("p{}")},
			"README.md":            {Data: []byte("A theme.")},
			"layouts/sub/x.html":   {Data: []byte(`not read`)},
			"layouts/notes.txt":    {Data: []byte(`not read`)},
			"partials/old/y.html":  {Data: []byte(`not read`)},
			"i18n/de.yaml":         {Data: []byte("hello: Hallo\n")},
			"email/digest.html.sw": {Data: []byte(`not read`)},
		}
		site = fstest.MapFS{"content/articles/a.md": {Data: []byte("---\ntitle: A\n---\n")}}
		return theme, site
	}
	sum := func(theme, site fstest.MapFS) [16]byte {
		t.Helper()
		th, err := Load(Sources{Theme: theme, ThemePath: "themes/test", Site: site, Lang: "en", BaseURL: "https://example.org/"})
		if err != nil {
			t.Fatal(err)
		}
		return th.Sum()
	}
	theme, site := base()
	want := sum(theme, site)
	if got := sum(base()); got != want {
		t.Fatal("two loads of the same files differ")
	}
	same := map[string]func(theme, site fstest.MapFS){
		"a static file":        func(theme, _ fstest.MapFS) { theme["static/style.css"].Data = []byte("a{}") },
		"another language":     func(theme, _ fstest.MapFS) { theme["i18n/fr.yaml"].Data = []byte("hello: Salut\n") },
		"a layout in a folder": func(theme, _ fstest.MapFS) { theme["layouts/sub/x.html"].Data = []byte("x") },
		"a file of no kind":    func(theme, _ fstest.MapFS) { theme["layouts/notes.txt"].Data = []byte("x") },
		"the theme's README":   func(theme, _ fstest.MapFS) { delete(theme, "README.md") },
		"content": func(_, site fstest.MapFS) {
			site["content/articles/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\n---\n")}
		},
	}
	for name, change := range same {
		theme, site := base()
		change(theme, site)
		if sum(theme, site) != want {
			t.Errorf("%s changed the sum", name)
		}
	}
	differ := map[string]func(theme, site fstest.MapFS){
		"a layout":           func(theme, _ fstest.MapFS) { theme["layouts/home.html"].Data = []byte(`{{t "hello"}}!`) },
		"a new layout":       func(theme, _ fstest.MapFS) { theme["layouts/page.html"] = &fstest.MapFile{Data: []byte(`p`)} },
		"a removed partial":  func(theme, _ fstest.MapFS) { delete(theme, "partials/item.html") },
		"the strings":        func(theme, _ fstest.MapFS) { theme["i18n/en.yaml"].Data = []byte("hello: Hi\n") },
		"an e-mail template": func(theme, _ fstest.MapFS) { theme["email/digest.txt"].Data = []byte(`- {{.}}`) },
		"a site layout":      func(_, site fstest.MapFS) { site["layouts/home.html"] = &fstest.MapFile{Data: []byte(`{{t "hello"}}`)} },
		"a site partial": func(_, site fstest.MapFS) {
			site["partials/item.html"] = &fstest.MapFile{Data: []byte(`{{define "item"}}{{.}}{{end}}`)}
		},
		"the site's strings": func(_, site fstest.MapFS) { site["i18n/en.yaml"] = &fstest.MapFile{Data: []byte("hello: Hello\n")} },
		"a site e-mail":      func(_, site fstest.MapFS) { site["email/digest.txt"] = &fstest.MapFile{Data: []byte(`{{.}}`)} },
		"a file moved to site": func(theme, site fstest.MapFS) {
			site["layouts/home.html"] = theme["layouts/home.html"]
			delete(theme, "layouts/home.html")
		},
	}
	for name, change := range differ {
		theme, site := base()
		change(theme, site)
		if sum(theme, site) == want {
			t.Errorf("%s left the sum as it was", name)
		}
	}
}
