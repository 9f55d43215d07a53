package theme

import (
	"bytes"
	"errors"
	htmltemplate "html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// fastPair is the same theme loaded twice: one runs every layout on
// text/template, the other on the fast executor after the first time.
type fastPair struct {
	text, fast *Theme
}

func loadPair(t testing.TB, files map[string]string) fastPair {
	t.Helper()
	fsys := fstest.MapFS{"i18n/en.yaml": {Data: []byte("hello: Hello\ncount:\n  one: \"%d item\"\n  other: \"%d items\"\n")}}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	load := func(textOnly bool) *Theme {
		if textOnly {
			t.Setenv("FOYER_TEMPLATES", "text")
		} else {
			t.Setenv("FOYER_TEMPLATES", "")
		}
		th, err := Load(Sources{Theme: fsys, ThemePath: "themes/test", Lang: "en", BaseURL: "https://example.org/sub/"})
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	return fastPair{text: load(true), fast: load(false)}
}

func execute(th *Theme, layout string, data any) (string, error) {
	var b bytes.Buffer
	err := th.Execute(&b, layout, data)
	return b.String(), err
}

// same runs layout on data with both themes, twice on the fast one so
// that the second is the fast executor's, and wants the same output.
func (p fastPair) same(t testing.TB, layout string, data any) {
	t.Helper()
	if err := p.sameOrError(t, layout, data); err != nil {
		t.Fatalf("%s: %v", layout, err)
	}
}

// sameOrError is same, where text/template's error is also expected from
// the fast theme, and returned.
func (p fastPair) sameOrError(t testing.TB, layout string, data any) error {
	t.Helper()
	want, wantErr := execute(p.text, layout, data)
	for range 2 {
		got, err := execute(p.fast, layout, data)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("%s: error %v, text/template's %v", layout, err, wantErr)
		}
		if err == nil && got != want {
			t.Fatalf("%s:\n got %q\nwant %q", layout, got, want)
		}
	}
	return wantErr
}

// ran checks how the fast executor took the layout.
func (p fastPair) ran(t testing.TB, layout string, wantRan bool) {
	t.Helper()
	st := p.fast.FastStats()[layout]
	if ran := st.Ran > 0 && st.GaveUp == 0 && st.Refused == ""; ran != wantRan {
		t.Errorf("%s: fast executor %+v, want it to run: %v", layout, st, wantRan)
	}
}

type page struct {
	Title   string
	URL     string
	Body    htmltemplate.HTML
	Link    htmltemplate.URL
	Attr    htmltemplate.HTMLAttr
	Level   int
	Date    time.Time
	Tags    []*tag
	Meta    map[string]string
	Any     any
	Next    *page
	private string
}

type tag struct{ Name, URL string }

func (p *page) Upper() string               { return strings.ToUpper(p.Title) }
func (p page) Twice(s string, n int) string { return strings.Repeat(s, n) }
func (p *page) Fails() (string, error)      { return "", errors.New("it fails") }
func (p *page) Count() int                  { return len(p.Tags) }

// nasty holds what every escaper must treat: HTML specials, a NUL,
// quotes, "+", URL punctuation, percent signs good and bad, non-ASCII
// letters, invalid UTF-8 and schemes safe and not.
var nasty = []string{
	"",
	"plain words",
	`a&b<c>"d'e+f` + "\x00g",
	"é à – ’ « » 😀 \xff\xfe end",
	"javascript:alert(1)",
	"HTTPS://example.org/a b/?q=1&r=%zz%41#frag",
	"mailto:x@example.org",
	"/rel/path?x=[1]&y=@;$!*,'()",
	"data:text/html;base64,AAAA",
	"Tab\there\nnewline",
	"expression(alert(1))",
	"--x",
	"1.5em",
	"#abc",
	"MozBinding",
	"moz-binding",
	"-Moz-Binding",
	"expres-sion",
	"a-b_c 10%",
	`back\slash`,
}

func TestFastEscapesAsHTMLTemplate(t *testing.T) {
	p := loadPair(t, map[string]string{
		"layouts/contexts.html": `<title>{{.Title}} · {{.Body}}</title>
<p title="{{.Title}}" class="x-{{.Level}}">{{.Title}} {{.Body}} {{.Level}}</p>
<a href="{{.URL}}">1</a><a href="/search/?q={{.Title}}&amp;u={{.URL}}">2</a><a href="{{rel .URL}}x">3</a>
<a href="{{.Link}}">4</a><a href="/p/{{.Link}}">5</a><link rel="alternate" {{.Attr}}>
<span style="--v: {{.Title}}; width: {{.Level}}px">6</span>
<img alt="{{printf "%s!" .Title}}" src="{{.URL}}">`,
	})
	for _, s := range nasty {
		p.same(t, "contexts", &page{Title: s, URL: s, Body: htmltemplate.HTML("<b>" + s + "</b>"), Link: htmltemplate.URL(s), Attr: `type="text/html"`, Level: 3})
	}
	p.ran(t, "contexts", false) // the backslash gives up (CSS escapes)
	q := loadPair(t, map[string]string{
		"layouts/contexts.html": `<title>{{.Title}}</title><p title="{{.Title}}">{{.Title}}</p><a href="{{.URL}}">1</a><a href="/s/?q={{.Title}}">2</a><i style="--v: {{.Title}}">3</i>`,
	})
	for _, s := range nasty {
		if !strings.Contains(s, `\`) {
			q.same(t, "contexts", &page{Title: s, URL: s})
		}
	}
	q.ran(t, "contexts", true)
}

// FuzzFastEscapers compares the fast executor's escaping of any string
// in every context the default theme uses with html/template's.
func FuzzFastEscapers(f *testing.F) {
	for _, s := range nasty {
		f.Add(s)
	}
	p := loadPair(f, map[string]string{
		"layouts/contexts.html": `<title>{{.Title}}</title><p title="{{.Title}}">{{.Title}} {{.Body}}</p><a href="{{.URL}}">1</a><a href="/s/?q={{.Title}}&amp;u={{.URL}}">2</a><a href="{{.Link}}">3</a><i style="--v: {{.Title}}">4</i>`,
	})
	f.Fuzz(func(t *testing.T, s string) {
		p.same(t, "contexts", &page{Title: s, URL: s, Body: htmltemplate.HTML(s), Link: htmltemplate.URL(s)})
	})
}

func TestFastControlStructures(t *testing.T) {
	p := loadPair(t, map[string]string{
		"partials/tag.html":   `{{define "tag"}}<a href="{{rel .URL}}">#{{.Name}}</a>{{end}}`,
		"partials/chain.html": `{{define "chain"}}{{.Title}}{{with .Next}} → {{template "chain" .}}{{end}}{{end}}`,
		"layouts/control.html": `{{$n := len .Tags}}{{$first := ""}}
{{if eq .Level 0}}zero{{else if lt .Level 10}}small{{else}}big{{end}}
{{with .Next}}next: {{.Title}} of {{$.Title}}{{else with .Any}}any: {{.}}{{else}}none{{end}}
{{range $i, $t := .Tags}}{{if $i}}, {{end}}{{$i}}={{template "tag" $t}}{{if not $first}}{{$first = $t.Name}}{{end}}{{else}}no tags{{end}} first={{$first}} n={{$n}}
{{range .Tags}}{{$inner := .Name}}[{{$inner}}]{{end}}
{{if and .Title (or .Next .Any) (ne .Level 3)}}and-or{{end}} {{or .URL "no url"}} {{and .Title .Level}}
{{if eq .Title "a" "b" "c"}}abc{{end}} {{if ge .Level 2}}ge{{end}}{{if le .Title "m"}} le{{end}}{{if gt (len .Title) 1}} gt{{end}}
{{.Upper}} {{.Twice "ab" 3}} {{.Count}} {{t "count" .Count}} {{t "count" 1}} {{t "hello"}} {{t "missing"}}
{{template "chain" .}} {{date .Date}} {{iso .Date}} {{.Meta.key}}
{{print "a" 1 2 "b"}} {{println .Level}} {{printf "%05d|%v|%q" .Level .Any .Title}} {{if .Next}}{{(.Next).Title}}{{end}}
{{range $k := .Tags}}{{$k.Name}}{{end}} {{with $x := .Level}}{{$x}}{{end}} {{.Title | printf "%s!"}} {{.Level | printf "%d %s" 7}}
{{- /* a comment */ -}}
{{range first 1 .Tags}}{{.Name}}{{end}}
{{$y := 0}}{{if eq 1 1 ($y = 5)}}y={{end}}{{$y}}`,
		"layouts/index.html": `{{index .Meta "key"}}`,
	})
	next := &page{Title: "Next", Next: &page{Title: "After"}}
	data := []*page{
		{Title: "a", Level: 0, Meta: map[string]string{"key": "v"}, Date: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)},
		{Title: "Zed", Level: 3, Tags: []*tag{{"go", "/t/go/"}, {"web", "/t/web/"}}, Next: next, Meta: map[string]string{"key": "w"}, Any: 42},
		{Title: "mid", Level: 12, Tags: []*tag{{"x", "/x/"}}, Any: "str", Meta: map[string]string{"key": ""}},
	}
	for _, d := range data {
		p.same(t, "control", d)
	}
	p.ran(t, "control", true)
	p.same(t, "index", data[0])
	p.same(t, "index", data[1])
	if st := p.fast.FastStats()["index"]; !strings.Contains(st.Refused, "function index") {
		t.Errorf("index: %+v, want it refused", st)
	}
}

func TestFastSameErrors(t *testing.T) {
	p := loadPair(t, map[string]string{
		"layouts/nilnext.html": `{{.Title}} {{.Next.Title}}`,
		"layouts/missing.html": `{{.Meta.nokey}}`,
		"layouts/fails.html":   `{{.Title}}{{.Fails}}`,
		"layouts/badcmp.html":  `{{.Title}}{{if lt .Title 3}}x{{end}}`,
		"layouts/any.html":     `<p>{{.Any}}</p>`,
		"layouts/private.html": `{{.Title}}{{if .Level}}{{.private}}{{end}}`,
		"layouts/eqall.html":   `{{if eq .Title "t" "u" .Next.Title}}yes{{end}}`,
	})
	ok := &page{Title: "t", Next: &page{Title: "n"}, Meta: map[string]string{"nokey": "here"}, Any: "s"}
	bad := &page{Title: "u", Meta: map[string]string{}, Level: 1, Any: []int{1}}
	for _, layout := range []string{"nilnext", "missing", "any", "private", "eqall"} {
		p.same(t, layout, ok)
		if p.sameOrError(t, layout, bad) == nil && layout != "any" {
			t.Errorf("%s: no error", layout)
		}
		p.same(t, layout, ok)
	}
	for _, layout := range []string{"fails", "badcmp"} {
		for range 2 {
			if p.sameOrError(t, layout, bad) == nil {
				t.Errorf("%s: no error", layout)
			}
		}
	}
	// Each gave up where text/template fails or prints another type,
	// and ran the rest of the time.
	for _, layout := range []string{"nilnext", "missing", "any", "private", "eqall"} {
		st := p.fast.FastStats()[layout]
		if st.Ran == 0 || st.GaveUp == 0 || st.Refused != "" {
			t.Errorf("%s: %+v", layout, st)
		}
	}
}

// TestFastCached checks that fragments run on the fast executor too,
// a layout's own definitions included.
func TestFastCached(t *testing.T) {
	p := loadPair(t, map[string]string{
		"partials/item.html":  `{{define "item"}}<a href="{{rel .URL}}" title="{{.Name}}">{{.Name}} {{t "hello"}}</a>{{end}}`,
		"layouts/list.html":   `{{range .}}{{cached "item" .}}{{end}}`,
		"layouts/own.html":    `{{define "item"}}<b>{{.Name}}</b>{{end}}{{range .}}{{cached "item" .}}{{end}}`,
		"layouts/values.html": `{{range .}}{{cached "item" (dict "Name" .Name "URL" .URL)}}{{end}}`,
	})
	var items []*tag
	for _, s := range nasty {
		items = append(items, &tag{Name: s, URL: "/" + s})
	}
	for _, layout := range []string{"list", "own", "values"} {
		p.same(t, layout, items)
	}
	stats := p.fast.FastStats()
	for _, name := range []string{"cached item", "cached item in own.html"} {
		if st := stats[name]; st.Ran == 0 || st.GaveUp != 0 || st.Refused != "" {
			t.Errorf("%s: %+v", name, st)
		}
	}
}

// written has a Content it can also write into a page itself; writes
// counts how often it did.
type written struct {
	html   string
	writes *int
	Inner  *written
}

func (w *written) Content() htmltemplate.HTML { return htmltemplate.HTML(w.html) }
func (w *written) WriteContent(b *bytes.Buffer) {
	*w.writes++
	b.WriteString(w.html)
}

// contentField has Content as a field, contentValue as a method on a
// value receiver, and neither can write it itself.
type contentField struct{ Content htmltemplate.HTML }
type contentValue struct{ s string }

func (c contentValue) Content() htmltemplate.HTML { return htmltemplate.HTML(c.s) }

func TestFastWritesContent(t *testing.T) {
	p := loadPair(t, map[string]string{
		"layouts/text.html":  `<main>{{.Content}}</main>{{.Inner.Content}}`,
		"layouts/attr.html":  `<p title="{{.Content}}">`,
		"layouts/piped.html": `{{.Content | printf "%s"}}`,
		"layouts/with.html":  `{{with .Content}}<div>{{.}}</div>{{end}}`,
		"layouts/field.html": `<main>{{.Content}}</main>`,
	})
	writes := 0
	w := &written{html: `<p>a &amp; <b>b</b> « c »</p>`, writes: &writes, Inner: &written{html: "<i>x</i>", writes: &writes}}
	p.same(t, "text", w)
	if writes != 2 { // .Content and .Inner.Content on the second run, the fast executor's
		t.Errorf("WriteContent ran %d times, want 2", writes)
	}
	writes = 0
	for _, layout := range []string{"piped", "with", "attr"} {
		p.same(t, layout, w)
	}
	if writes != 0 {
		t.Errorf("WriteContent ran %d times where the value goes through a pipeline", writes)
	}
	p.same(t, "field", &contentField{Content: "<em>field</em>"})
	p.same(t, "field", contentValue{"<em>value</em>"})
	p.same(t, "field", &contentValue{"<em>pointer</em>"})
	for _, layout := range []string{"text", "piped", "with", "field"} {
		p.ran(t, layout, true)
	}
	p.sameOrError(t, "text", &written{html: "<p>no inner</p>", writes: &writes}) // nil .Inner: text/template's error
	p.sameOrError(t, "field", map[string]any{})                                  // no key: text/template's output
}
