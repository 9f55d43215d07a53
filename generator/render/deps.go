package render

import (
	"strconv"
	"time"

	"github.com/foyerhub/foyer/generator/site"
)

// A job's Deps name what its file shows, so that foyer serve re-renders
// a file only when one of them changes (see build.Incremental): the
// slugs of the articles it lists, and for site-wide lists a fingerprint
// of what they show. A fingerprint is one string whose value changes
// when the list does, so a changed list gives the job other Deps.

// fingerprint hashes parts into a short key named name: 64-bit FNV-1a
// of each part followed by a zero byte. The hash has no random seed: the
// same parts give the same key in every process, so that the build cache
// (build.Build) can compare keys across builds. It is computed inline,
// a byte at a time, because hash/fnv through io.WriteString copies every
// part, and planning adds hundreds of thousands of them on one core.
type fingerprint struct {
	name string
	h    uint64
}

const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

func newFingerprint(name string) *fingerprint {
	return &fingerprint{name: name, h: fnvOffset64}
}

func (f *fingerprint) add(parts ...string) *fingerprint {
	h := f.h
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= fnvPrime64
		}
		h *= fnvPrime64 // the separator, a zero byte: h ^= 0 changes nothing
	}
	f.h = h
	return f
}

func (f *fingerprint) key() string { return f.name + ":" + strconv.FormatUint(f.h, 36) }

// listDeps are the Deps of a page listing articles: their slugs, the
// pager's position, and extra keys.
func listDeps(articles []*site.Article, pg *Pager, extra ...string) []string {
	deps := make([]string, 0, len(articles)+len(extra)+1)
	for _, a := range articles {
		deps = append(deps, a.Slug)
	}
	if pg != nil {
		deps = append(deps, "pager:"+strconv.Itoa(pg.Number)+"/"+strconv.Itoa(pg.Total))
	}
	deps = append(deps, termNames(articles))
	return append(deps, extra...)
}

// pageDeps are the dependencies of what shows page p alone: its page and
// its search-index document.
func pageDeps(p *site.Page) []string { return []string{"page:" + p.Source} }

// articleOwnDeps are the dependencies of what shows article a alone (its
// search-index document): the article and the names of its terms.
func articleOwnDeps(a *site.Article) []string {
	return []string{a.Slug, termNames([]*site.Article{a})}
}

// termNames fingerprints the names of the categories and tags the
// articles show. A term takes its name from one of its articles, so an
// edit to another article can rename it on this page.
func termNames(articles []*site.Article) string {
	f := newFingerprint("terms")
	for _, a := range articles {
		for _, terms := range [][]*site.Term{a.Categories, a.Tags} {
			for _, t := range terms {
				f.add(t.Slug, t.Name)
			}
		}
	}
	return f.key()
}

// communityKey fingerprints the site-wide lists the home page's sidebar
// may show: the most discussed articles, recent contributions, the
// categories and the members.
func communityKey(s *site.Site) string {
	f := newFingerprint("community")
	for _, a := range s.MostDiscussed {
		f.add(a.Slug, a.Title, strconv.Itoa(a.Thread.Count))
	}
	for _, c := range s.Contributions {
		f.add(c.ID, c.AuthorName, c.Article.Slug, c.Article.Title, c.URL)
	}
	termsKey(f, s.Categories)
	membersKey(f, s)
	return f.key()
}

func termsKey(f *fingerprint, tax *site.Taxonomy) {
	for _, t := range tax.Terms {
		f.add(t.Slug, t.Name, strconv.Itoa(len(t.Articles)))
	}
}

func membersKey(f *fingerprint, s *site.Site) {
	for _, m := range s.Members {
		f.add(m.ID, m.Name, m.Avatar, m.Role, strconv.Itoa(len(m.Articles)), strconv.Itoa(len(m.Contributions)))
	}
}

// taxonomyKey fingerprints a taxonomy's terms and their counts.
func taxonomyKey(tax *site.Taxonomy) string {
	f := newFingerprint(tax.Name)
	termsKey(f, tax)
	return f.key()
}

// archivesKey fingerprints the years and months with their counts.
func archivesKey(s *site.Site) string {
	f := newFingerprint("archives")
	for _, y := range s.Years {
		for _, m := range y.Months {
			f.add(strconv.Itoa(y.Year), strconv.Itoa(int(m.Month)), strconv.Itoa(len(m.Articles)))
		}
	}
	return f.key()
}

// membersDirectoryKey fingerprints the members directory.
func membersDirectoryKey(s *site.Site) string {
	f := newFingerprint("members")
	membersKey(f, s)
	return f.key()
}

// memberDeps are what a member's page shows: their articles and the
// articles they contributed to.
func memberDeps(m *site.Member) []string {
	deps := listDeps(m.Articles, nil)
	f := newFingerprint("contributions")
	for _, c := range m.Contributions {
		deps = append(deps, c.Article.Slug)
		f.add(c.ID, c.URL)
	}
	return append(deps, f.key())
}

// contributorsKey fingerprints the contributors ranking.
func contributorsKey(s *site.Site) string {
	f := newFingerprint("contributors")
	for _, m := range s.Contributors {
		f.add(m.ID, m.Name, m.Avatar, strconv.Itoa(len(m.Contributions)))
	}
	return f.key()
}

// feedDeps are what a feed shows: its newest items and the site's
// last modification, its own date.
func (r *Renderer) feedDeps(articles []*site.Article) []string {
	return listDeps(r.feedItems(articles), nil, "lastmod:"+r.Site.Lastmod().Format(time.RFC3339Nano))
}

// sitemapKey fingerprints every URL of the sitemap with its date.
func sitemapKey(s *site.Site) string {
	f := newFingerprint("sitemap")
	f.add(s.Lastmod().Format(time.RFC3339))
	for _, a := range s.Articles {
		f.add(a.URL, a.Lastmod().Format(time.RFC3339))
	}
	for _, tax := range []*site.Taxonomy{s.Categories, s.Tags} {
		termsKey(f, tax)
	}
	for _, y := range s.Years {
		f.add(y.URL)
	}
	for _, m := range s.Members {
		f.add(m.URL)
	}
	for _, n := range s.Newsletters {
		f.add(n.URL, n.Date.Format(time.RFC3339))
	}
	return f.key()
}
