package site

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/slug"
)

// permalink expands placeholders as one strings.Replacer pass would.
func TestPermalinkPlaceholders(t *testing.T) {
	p := &Page{Slug: "bonjour", Date: time.Date(987, 3, 4, 0, 0, 0, 0, time.UTC)}
	cats := []string{"Vie du foyer"}
	patterns := []string{
		"/articles/:slug/", "/:year/:month/:day/:slug/", "/:category/:slug", "/blog/:section/:slug/",
		":slug::year", "/:years/:slug/", "/a:b/:slug/", "/:slug:slug/", "/:category/:slug/:", "",
	}
	for _, pattern := range patterns {
		for _, categories := range [][]string{cats, nil} {
			b := &builder{cfg: &config.Config{Permalinks: map[string]string{"articles": pattern}}}
			got := b.permalink("articles", "/x/", p, categories)
			category := ""
			if len(categories) > 0 {
				category = slug.Make(categories[0])
			}
			r := strings.NewReplacer(":year", fmt.Sprintf("%04d", p.Date.Year()), ":month", fmt.Sprintf("%02d", int(p.Date.Month())),
				":day", fmt.Sprintf("%02d", p.Date.Day()), ":slug", p.Slug, ":section", "articles", ":category", category)
			want := "/" + strings.Trim(r.Replace(pattern), "/") + "/"
			for strings.Contains(want, "//") {
				want = strings.ReplaceAll(want, "//", "/")
			}
			if got != want {
				t.Errorf("permalink(%q, %v) = %q, want %q", pattern, categories, got, want)
			}
		}
	}
}
