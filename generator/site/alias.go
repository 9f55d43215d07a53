package site

import (
	"path"
	"sort"
	"strings"
)

// aliases collects redirect pages for old URLs, refusing any that would
// replace a page of the site or another alias.
func (b *builder) aliases() {
	s := b.site
	var pages []*Page
	for _, a := range s.Articles {
		pages = append(pages, &a.Page)
	}
	pages = append(pages, s.Pages...)
	for _, p := range pages {
		for _, raw := range p.Aliases {
			u := normaliseAlias(raw)
			if u == "" {
				b.errs.Add(b.errorAt(p, "aliases", "alias %q: expected a site path such as /ancien/chemin/", raw))
				continue
			}
			if owner, taken := b.owners[u]; taken {
				b.errs.Add(b.errorAt(p, "aliases", "alias %s collides with %s (expected an old URL that no page uses)", u, owner))
				continue
			}
			b.owners[u] = p.Source
			s.Aliases = append(s.Aliases, Alias{URL: u, Target: p, Source: p.Source})
		}
	}
	sort.Slice(s.Aliases, func(i, j int) bool { return s.Aliases[i].URL < s.Aliases[j].URL })
}

// normaliseAlias turns an old URL into a clean site path; "" when it
// leaves the site or is not a path.
func normaliseAlias(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.Contains(raw, "://") || strings.ContainsAny(raw, "?#\\\x00") {
		return ""
	}
	clean := path.Clean("/" + raw)
	if strings.Contains(clean, "..") || clean == "/" {
		return ""
	}
	if path.Ext(clean) == "" {
		clean += "/"
	}
	return clean
}

func (b *builder) errorAt(p *Page, key, format string, args ...any) error {
	return b.docs[p.Source].Errorf(key, format, args...)
}
