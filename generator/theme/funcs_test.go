package theme

import (
	"net/url"
	"strings"
	"testing"
)

// TestRel checks Rel against its definition: base_url's path, without its
// final "/", then "/", then the site path without its first "/"; and the
// path unchanged when base_url does not parse.
func TestRel(t *testing.T) {
	bases := []string{"https://example.org/", "https://example.org", "https://example.org/sub/", "https://example.org/a/b/", "/", "", "http://[::1", "https://example.org/%zz/"}
	paths := []string{"/", "", "/articles/x/", "articles/x/", "//double/", "/index.xml", "/a%20b/", "#top"}
	for _, base := range bases {
		f := newFuncs("fr", base, nil)
		for _, p := range paths {
			want := p
			if u, err := url.Parse(base); err == nil {
				want = strings.TrimSuffix(u.Path, "/") + "/" + strings.TrimPrefix(p, "/")
			}
			if got := f.Rel(p); got != want {
				t.Errorf("base %q: Rel(%q) = %q, want %q", base, p, got, want)
			}
		}
	}
}
