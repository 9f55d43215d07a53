package site

import (
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/internal/par"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/slug"
	"github.com/foyerhub/foyer/generator/source"
)

// Options choose what a build publishes.
type Options struct {
	Drafts bool      // include drafts and non-approved articles
	Future bool      // include articles whose publish date has not come
	Now    time.Time // reference time; zero means time.Now()
	Cache  *Cache    // converted Markdown reused across builds; may be nil

	// Release makes New forget each document's Markdown once it is
	// converted, so that a one-shot build does not hold the bytes of
	// every content file until the last one is converted. The documents
	// cannot be given to New again.
	Release bool

	// Spool, when not nil, keeps converted HTML out of memory until a
	// page asks for it (see Spool), and the plain text Cache keeps
	// with it. It must stay open as long as the model is used.
	Spool *Spool
}

// New builds the model from documents. Warnings are problems that leave
// something out (an unknown reply_to, say) but do not stop the build;
// the error lists every problem that does, each with its position.
func New(cfg *config.Config, docs []*source.Document, conv *markdown.Converter, opts Options) (*Site, []error, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	b := &builder{
		site: &Site{
			Config:      cfg,
			Now:         opts.Now,
			memberByID:  make(map[string]*Member),
			articleBySl: make(map[string]*Article),
			pageByURL:   make(map[string]*Page),
			cache:       opts.Cache,
		},
		cfg:   cfg,
		opts:  opts,
		conv:  conv,
		slugs: make(map[string]bool),
		docs:  make(map[string]*source.Document, len(docs)),
	}
	var contributions []*source.Document
	var authored []*source.Document
	for _, d := range docs {
		b.docs[d.Path] = d
		switch d.Kind {
		case source.Member:
			b.member(d)
		case source.Contribution:
			contributions = append(contributions, d)
		case source.Article, source.Page, source.Newsletter:
			if d.Kind == source.Article {
				b.slugs[nonEmpty(d.Meta.Slug, d.ID())] = true
			}
			if b.published(d) {
				authored = append(authored, d)
			}
		}
	}
	b.convertAll(authored)
	bodies := b.convertContributions(contributions)
	for i, d := range authored {
		if b.converted[i].err != nil {
			b.errs.Add(d.Errorf("title", "markdown: %v", b.converted[i].err))
			continue
		}
		b.page(d, b.converted[i].doc, b.converted[i].html)
	}
	s := b.site
	sortArticles(s.Articles)
	sort.SliceStable(s.Newsletters, func(i, j int) bool { return s.Newsletters[i].Date.After(s.Newsletters[j].Date) })
	col := collate.New(language.Make(cfg.Language), collate.Loose)
	sort.SliceStable(s.Pages, func(i, j int) bool { return col.CompareString(s.Pages[i].Title, s.Pages[j].Title) < 0 })
	sort.SliceStable(s.Members, func(i, j int) bool { return col.CompareString(s.Members[i].Name, s.Members[j].Name) < 0 })
	for i, a := range s.Articles {
		if i > 0 {
			a.Next = s.Articles[i-1]
		}
		if i+1 < len(s.Articles) {
			a.Prev = s.Articles[i+1]
		}
		if a.Author != nil {
			a.Author.Articles = append(a.Author.Articles, a)
		}
	}
	s.Categories = b.taxonomy("categories", func(a *Article) *[]*Term { return &a.Categories }, col)
	s.Tags = b.taxonomy("tags", func(a *Article) *[]*Term { return &a.Tags }, col)
	s.Years = archives(s.Articles)
	relate(s.Articles)
	b.threads(contributions, bodies)
	b.aliases()
	s.lastmod = s.newestDate()
	return s, b.warnings, b.errs.Err()
}

type converted struct {
	doc  markdown.Document // without its HTML, which is in html
	html Markup
	err  error
}

type builder struct {
	site      *Site
	cfg       *config.Config
	opts      Options
	conv      *markdown.Converter
	converted []converted
	errs      diag.List
	warnings  diag.List
	owners    map[string]string // URL → content path that claimed it
	slugs     map[string]bool   // every article slug, published or not
	docs      map[string]*source.Document
	pending   []pendingTerms // articles' categories and tags, by name
}

// convertAll renders Markdown on every core; it is most of a build's work.
func (b *builder) convertAll(docs []*source.Document) {
	b.converted = make([]converted, len(docs))
	par.Each(len(docs), func(i int) {
		c := &b.converted[i]
		c.doc, c.html, c.err = b.opts.Cache.convert(b.conv, docs[i], b.opts.Spool)
		b.release(docs[i])
	})
}

// release forgets d's Markdown when the caller asked for it.
func (b *builder) release(d *source.Document) {
	if b.opts.Release {
		d.Body = nil
	}
}

// published reports whether an authored document goes out in this build.
func (b *builder) published(d *source.Document) bool {
	m := d.Meta
	if m.Status != "" && m.Status != "approved" && !b.opts.Drafts {
		return false
	}
	if m.Draft && !b.opts.Drafts {
		return false
	}
	if !b.opts.Future && m.Publishes().After(b.opts.Now) {
		return false
	}
	return m.ExpiryDate.IsZero() || m.ExpiryDate.After(b.opts.Now)
}

func (b *builder) member(d *source.Document) {
	m := d.Meta
	id := d.ID()
	if slug.Make(id) != id {
		b.errs.Add(diag.Errorf(d.Path, 0, 0, "member id %q: expected lower-case letters, digits and hyphens (try %q)", id, slug.Make(id)))
		return
	}
	mem := &Member{
		ID: id, Name: m.Name, Bio: m.Bio, Website: m.Website, Avatar: m.Avatar,
		Role: m.Role, Source: d.Path, email: m.Email,
		URL: "/members/" + id + "/",
	}
	if mem.Role == "" {
		mem.Role = "member"
	}
	mem.Permalink = b.cfg.URL(mem.URL)
	b.site.memberByID[id] = mem
	b.site.Members = append(b.site.Members, mem)
}

func (b *builder) page(d *source.Document, md markdown.Document, html Markup) {
	m := d.Meta
	p := Page{
		Source:    d.Path,
		Slug:      m.Slug,
		Title:     m.Title,
		Date:      m.Date,
		Updated:   m.Updated,
		Canonical: m.Canonical,
		Aliases:   m.Aliases,
		Draft:     m.Draft,
		Status:    nonEmpty(m.Status, "approved"),
		Issue:     m.Issue,
		Params:    m.Params,
	}
	setBody(&p, m, md, html, b.conv)
	if p.Slug == "" {
		p.Slug = d.ID()
	} else if slug.Make(p.Slug) != p.Slug {
		b.errs.Add(d.Errorf("slug", "front matter: slug %q: expected lower-case letters, digits and hyphens (try %q)", p.Slug, slug.Make(p.Slug)))
		return
	}
	switch d.Kind {
	case source.Article:
		p.Section = "articles"
		p.URL = b.permalink("articles", "/articles/:slug/", &p, m.Categories)
	case source.Page:
		p.Section = "pages"
		p.URL = b.permalink("pages", "/:slug/", &p, nil)
		if len(m.Categories)+len(m.Tags) > 0 {
			b.warnings.Add(d.Errorf("categories", "pages have no categories or tags: ignored"))
		}
	case source.Newsletter:
		p.Section = "newsletters"
		p.URL = "/newsletters/" + p.Slug + "/"
	}
	if !b.claim(p.URL, d, "slug") {
		return
	}
	p.Permalink = b.cfg.URL(p.URL)
	switch d.Kind {
	case source.Article:
		a := &Article{Page: p, AuthorName: m.Author}
		if mem := b.site.memberByID[m.Author]; mem != nil {
			a.Author, a.AuthorName = mem, mem.Name
		}
		a.Thread = &Thread{}
		b.site.Articles = append(b.site.Articles, a)
		b.site.articleBySl[a.Slug] = a
		b.site.pageByURL[a.URL] = &a.Page
		b.pending = append(b.pending, pendingTerms{a, m.Categories, m.Tags, d})
	case source.Page:
		pg := &p
		b.site.Pages = append(b.site.Pages, pg)
		b.site.pageByURL[pg.URL] = pg
	case source.Newsletter:
		pg := &p
		b.site.Newsletters = append(b.site.Newsletters, pg)
		b.site.pageByURL[pg.URL] = pg
	}
}

// setBody sets what p shows of its converted Markdown md, whose HTML is
// html, m being its front matter.
func setBody(p *Page, m source.Meta, md markdown.Document, html Markup, conv *markdown.Converter) {
	p.Body = html
	p.Summary = template.HTML(md.SummaryHTML)
	p.Truncated = md.Truncated
	p.TOC = md.TOC
	p.Headings = md.Headings
	p.Words = md.Words
	p.Description = md.SummaryText
	if m.Summary != "" {
		p.Summary = template.HTML(template.HTMLEscapeString(conv.Typography(m.Summary)))
		p.Description = conv.Typography(m.Summary)
		p.Truncated = true
	}
}

// SetBody gives article a, in place, the body of d, converted to md by
// conv (see Cache.Convert): d is a new version of a's file whose front
// matter is the same as the version a was made from (the caller checks
// it, see source.Document.SameMeta), so that nothing else in the site
// changes.
func (s *Site) SetBody(a *Article, d *source.Document, md markdown.Document, conv *markdown.Converter) {
	setBody(&a.Page, d.Meta, md, HTML(md.HTML), conv)
}

// claim records that url belongs to d, reporting a collision.
func (b *builder) claim(url string, d *source.Document, key string) bool {
	if b.owners == nil {
		b.owners = make(map[string]string)
	}
	if other, taken := b.owners[url]; taken {
		b.errs.Add(d.Errorf(key, "duplicate URL %s: already used by %s (expected a unique slug)", url, other))
		return false
	}
	b.owners[url] = d.Path
	return true
}

// permalink expands a permalinks pattern: :year :month :day :slug
// :section :category.
func (b *builder) permalink(section, def string, p *Page, categories []string) string {
	pattern := def
	if custom, ok := b.cfg.Permalinks[section]; ok {
		pattern = custom
	}
	// Each placeholder is replaced once, where it stands; what replaces
	// it is not read again.
	value := func(name string) string {
		switch name {
		case ":year":
			return pad(p.Date.Year(), 4)
		case ":month":
			return pad(int(p.Date.Month()), 2)
		case ":day":
			return pad(p.Date.Day(), 2)
		case ":slug":
			return p.Slug
		case ":section":
			return section
		}
		if len(categories) > 0 { // ":category"
			return slug.Make(categories[0])
		}
		return ""
	}
	var out strings.Builder
	for rest := pattern; rest != ""; {
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			out.WriteString(rest)
			break
		}
		out.WriteString(rest[:i])
		rest = rest[i:]
		name := ""
		for _, n := range permalinkPlaceholders {
			if strings.HasPrefix(rest, n) {
				name = n
				break
			}
		}
		if name == "" {
			out.WriteByte(':')
			rest = rest[1:]
			continue
		}
		out.WriteString(value(name))
		rest = rest[len(name):]
	}
	u := "/" + strings.Trim(out.String(), "/") + "/"
	for strings.Contains(u, "//") {
		u = strings.ReplaceAll(u, "//", "/")
	}
	return u
}

var permalinkPlaceholders = []string{":year", ":month", ":day", ":slug", ":section", ":category"}

// pad writes n in decimal with leading zeros to width digits.
func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

func sortArticles(as []*Article) {
	sort.SliceStable(as, func(i, j int) bool {
		if !as[i].Date.Equal(as[j].Date) {
			return as[i].Date.After(as[j].Date)
		}
		return as[i].Slug < as[j].Slug
	})
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
