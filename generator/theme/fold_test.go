package theme

import (
	htmltemplate "html/template"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFoldStrings checks that a layout whose {{t "key"}} calls are folded
// into constants renders exactly what the same text does with the calls,
// in every context html/template escapes for, and that the calls are
// gone from the parsed layout.
func TestFoldStrings(t *testing.T) {
	const strs = "hello: Hello\nquote: 'Il a dit \"oui\" & <b>non</b> ; ok'\ncount:\n  one: \"%d message\"\n  other: \"%d messages\"\n"
	const text = `{{define "p"}}[{{.}}]{{end}}<p title="{{t "quote"}}">{{t "quote"}}</p>` +
		`<script>var s = {{t "quote"}};</script><a href="/x?q={{t "quote"}}" style="content: '{{t "quote"}}'">` +
		`{{t "count" 2}} {{t "count" 1}} {{"hello" | t}} {{t "missing"}} {{with t "hello"}}{{.}}{{end}} {{template "p" (t "hello")}}` +
		`{{if eq (t "hello") "Hello"}}yes{{end}} {{slice (t "hello") 1 3}}={{len (t "hello")}} {{$x := t "quote"}}{{$x}} {{printf "%s!" (t "hello")}}</a>`
	fsys := fstest.MapFS{
		"i18n/en.yaml":      {Data: []byte(strs)},
		"layouts/page.html": {Data: []byte(text)},
	}
	th, err := Load(Sources{Theme: fsys, ThemePath: "themes/test", Lang: "en", BaseURL: "https://example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	if tree := th.layouts["page"].tpl.Tree.Root.String(); strings.Contains(tree, `t "quote"`) || strings.Contains(tree, `t "hello"`) {
		t.Errorf("calls of t left in the parsed layout: %s", tree)
	}
	got := render(t, th, "page", nil)

	plain := htmltemplate.Must(htmltemplate.New("page").Funcs(th.funcs.Map()).Parse(text))
	var want strings.Builder
	if err := plain.Execute(&want, nil); err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("folded layout renders\n%s\nwant\n%s", got, want.String())
	}
	for _, s := range []string{"2 messages", "1 message", "[missing]", "[Hello]", "yes", "el=5", "Hello!", "Il a dit &#34;oui&#34; &amp; &lt;b&gt;non&lt;/b&gt;"} {
		if !strings.Contains(got, s) {
			t.Errorf("output lacks %q: %s", s, got)
		}
	}
}
