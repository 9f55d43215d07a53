package render

import (
	"regexp"
	"strings"
	"testing"
)

// absolutiseRegexp is absolutise as first written, with a regular
// expression: the hand-written scanner must give the same HTML.
func absolutiseRegexp(html, base string) string {
	re := regexp.MustCompile(`(\s(?:href|src)=")/([^/"][^"]*|)"`)
	return re.ReplaceAllString(html, `${1}`+strings.TrimSuffix(base, "/")+`/${2}"`)
}

var absolutiseCases = []string{
	"", "plain", `<a href="/a/">a</a>`, `<img src="/i.png" alt="">`, `<a href="//cdn/x">`, `<a href="/">`,
	`<a href="/"">`, `<a  href="/x src="/y">`, `<a\thref="/x"><a` + "\n" + `src="/y">`, `<a xhref="/x">`,
	`<a href="/x`, `<a href="https://e/x">`, `<a HREF="/x">`, `href="/x"`, ` href="/x" href="/y"`,
	`<p>a ="/ b</p> <a href="/z">`, ` src="/a" src="//b" src="/c"`, ` href="/é">`, ` href=""/x"`,
}

func TestAbsolutiseMatchesRegexp(t *testing.T) {
	for _, base := range []string{"https://hub.example/", "https://example.org/hub/", ""} {
		for _, in := range absolutiseCases {
			if got, want := absolutise(in, base), absolutiseRegexp(in, base); got != want {
				t.Errorf("absolutise(%q, %q):\n got %q\nwant %q", in, base, got, want)
			}
		}
	}
}

func FuzzAbsolutise(f *testing.F) {
	for _, s := range absolutiseCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := absolutise(in, "https://hub.example/"), absolutiseRegexp(in, "https://hub.example/"); got != want {
			t.Errorf("absolutise(%q):\n got %q\nwant %q", in, got, want)
		}
	})
}
