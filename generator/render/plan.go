package render

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/foyerhub/foyer/generator/site"
)

// Data is what a layout receives. Only the fields that fit the page's
// Kind are set.
type Data struct {
	Site        *site.Site
	Kind        string // home, article, page, newsletter, newsletters, terms, term, archives, year, month, members, member, contributors, search, 404
	Title       string
	Description string
	URL         string // site-relative
	Permalink   string
	Canonical   string
	Feeds       []Feed // autodiscovery links for this page
	Page        *site.Page
	Article     *site.Article
	Taxonomy    *site.Taxonomy
	Term        *site.Term
	Year        *site.Year
	Month       *site.Month
	Member      *site.Member
	Articles    []*site.Article // the list shown, this page's slice
	Pages       []*site.Page
	Pager       *Pager
	Comments    *site.CommentPage // a page of an article's comments after the first
}

// Feed is an alternate link of a page.
type Feed struct {
	Type  string // MIME type
	Title string
	URL   string // site-relative
}

// TypeAttr is the type attribute, written as is: html/template would
// otherwise escape the "+" of "application/rss+xml".
func (f Feed) TypeAttr() template.HTMLAttr {
	return template.HTMLAttr(`type="` + template.HTMLEscapeString(f.Type) + `"`)
}

// Pager describes one page of a paginated list.
type Pager struct {
	Number  int // 1-based
	Total   int
	Prev    string // site-relative URL, "" on the first page
	Next    string // "" on the last page
	BaseURL string
}

// pageURL is the URL of page n of a list at base: base itself for the
// first, base/page/n/ after.
func pageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// outPath is the file of a site-relative URL: "/a/b/" → "a/b/index.html".
func outPath(url string) string {
	p := strings.TrimPrefix(url, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html"
	}
	return p
}

// paginate splits n items into pages of size per and calls fn for each
// with its bounds and pager. An empty list still gets one page.
func paginate(base string, n, per int, fn func(lo, hi int, pg *Pager)) {
	total := max(1, (n+per-1)/per)
	for i := 1; i <= total; i++ {
		pg := &Pager{Number: i, Total: total, BaseURL: base}
		if i > 1 {
			pg.Prev = pageURL(base, i-1)
		}
		if i < total {
			pg.Next = pageURL(base, i+1)
		}
		fn((i-1)*per, min(n, i*per), pg)
	}
}

// Plan lists every file of the site. The order is stable.
func (r *Renderer) Plan() []Job {
	s := r.Site
	// Analysing the search index's documents runs on every core, and
	// everything else planned here on one: they overlap.
	var search []Job
	var analysed sync.WaitGroup
	analysed.Go(func() { search = r.SearchIndexJobs() })
	var jobs []Job
	add := func(url, layout string, deps []string, d Data) {
		jobs = append(jobs, r.page(url, layout, deps, d))
	}
	per := s.Config.Paginate
	community := communityKey(s)

	paginate("/", len(s.Articles), per, func(lo, hi int, pg *Pager) {
		add(pageURL("/", pg.Number), "home", listDeps(s.Articles[lo:hi], pg, community), Data{Kind: "home", Title: s.Config.Title, Articles: s.Articles[lo:hi], Pager: pg})
	})
	for _, a := range s.Articles {
		jobs = append(jobs, r.articleJob(a))
	}
	for _, p := range s.Pages {
		add(p.URL, "page", pageDeps(p), Data{Kind: "page", Title: p.Title, Description: p.Description, Page: p, Canonical: p.Canonical})
	}
	for _, tax := range []*site.Taxonomy{s.Categories, s.Tags} {
		add(tax.URL, "terms", []string{taxonomyKey(tax)}, Data{Kind: "terms", Title: r.Theme.T(tax.Name), Taxonomy: tax})
		for _, t := range tax.Terms {
			feed := Feed{Type: "application/rss+xml", Title: s.Config.Title + " – " + t.Name, URL: t.URL + "index.xml"}
			paginate(t.URL, len(t.Articles), per, func(lo, hi int, pg *Pager) {
				add(pageURL(t.URL, pg.Number), "term", listDeps(t.Articles[lo:hi], pg, "count:"+strconv.Itoa(len(t.Articles))), Data{Kind: "term", Title: t.Name, Taxonomy: tax, Term: t, Articles: t.Articles[lo:hi], Pager: pg, Feeds: []Feed{feed}})
			})
			jobs = append(jobs, Job{Path: outPath(feed.URL), Deps: r.feedDeps(t.Articles), Make: func() ([]byte, error) {
				return r.RSS(t.Name, t.Permalink, t.Articles)
			}})
		}
	}
	add("/archives/", "archives", []string{archivesKey(s)}, Data{Kind: "archives", Title: r.Theme.T("archives")})
	for _, y := range s.Years {
		add(y.URL, "year", listDeps(y.Articles, nil), Data{Kind: "year", Title: strconv.Itoa(y.Year), Year: y, Articles: y.Articles})
		for _, m := range y.Months {
			title := r.Theme.Funcs().Month(m.Month) + " " + strconv.Itoa(m.Year)
			add(m.URL, "month", listDeps(m.Articles, nil), Data{Kind: "month", Title: title, Year: y, Month: m, Articles: m.Articles})
		}
	}
	add("/members/", "members", []string{membersDirectoryKey(s)}, Data{Kind: "members", Title: r.Theme.T("members")})
	for _, m := range s.Members {
		add(m.URL, "member", memberDeps(m), Data{Kind: "member", Title: m.Name, Description: m.Bio, Member: m, Articles: m.Articles})
	}
	if len(s.Newsletters) > 0 {
		nf := newslettersFeed
		nf.Title = s.Config.Title + " – " + r.Theme.T("newsletters")
		add("/newsletters/", "newsletters", []string{"newsletters"}, Data{Kind: "newsletters", Title: r.Theme.T("newsletters"), Pages: s.Newsletters, Feeds: []Feed{nf}})
		jobs = append(jobs, Job{Path: outPath(nf.URL), Deps: []string{"newsletters"}, Make: r.NewslettersAtom})
		for _, n := range s.Newsletters {
			add(n.URL, "newsletter", []string{"newsletters"}, Data{Kind: "newsletter", Title: n.Title, Description: n.Description, Page: n})
		}
	}
	if r.Theme.Has("contributors") {
		add("/contributors/", "contributors", []string{contributorsKey(s)}, Data{Kind: "contributors", Title: r.Theme.T("contributors")})
	}
	add("/404.html", "404", []string{"layout"}, Data{Kind: "404", Title: r.Theme.T("not_found")})
	for _, al := range s.Aliases {
		// A redirect shows its target's title.
		jobs = append(jobs, Job{Path: outPath(al.URL), Deps: []string{"alias", al.Target.Slug}, Make: func() ([]byte, error) {
			return aliasPage(s.Config.Language, al.Target.Title, al.Target.Permalink)
		}})
	}
	jobs = append(jobs,
		Job{Path: "index.xml", Deps: r.feedDeps(s.Articles), Make: func() ([]byte, error) { return r.RSS("", s.Config.BaseURL, s.Articles) }},
		Job{Path: "atom.xml", Deps: r.feedDeps(s.Articles), Make: func() ([]byte, error) { return r.Atom(s.Articles) }},
		Job{Path: "feed.json", Deps: r.feedDeps(s.Articles), Make: func() ([]byte, error) { return r.JSONFeed(s.Articles) }},
		Job{Path: "sitemap.xml", Deps: []string{sitemapKey(s)}, Make: r.Sitemap},
		Job{Path: "robots.txt", Deps: []string{"config"}, Make: func() ([]byte, error) {
			return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.Config.URL("sitemap.xml") + "\n"), nil
		}},
		Job{Path: "css/syntax.css", Deps: []string{"config"}, Make: func() ([]byte, error) { return syntaxCSS() }},
	)
	if s.Config.Search.Enabled && r.Theme.Has("search") {
		add("/"+SearchDir, "search", []string{"layout"}, Data{Kind: "search", Title: r.Theme.T("search")})
	}
	comments := r.commentJobs()
	analysed.Wait()
	// The search index comes first, its manifest after the files it
	// hashes, and the comment feeds last: Render's workers start at both
	// ends, one writing into search/ while the other writes into the
	// articles' folders.
	all := make([]Job, 0, len(search)+len(jobs)+len(comments))
	all = append(all, search...)
	all = append(all, jobs...)
	return append(all, comments...)
}

// page is the job of a page the theme's layout makes.
func (r *Renderer) page(url, layout string, deps []string, d Data) Job {
	s := r.Site
	d.Site, d.URL, d.Permalink = s, url, s.Config.URL(url)
	if d.Canonical == "" {
		d.Canonical = d.Permalink
	}
	if d.Description == "" {
		d.Description = s.Config.Description
	}
	d.Feeds = append(r.siteFeeds(), d.Feeds...)
	return Job{Path: outPath(url), Deps: deps, Write: func(b *bytes.Buffer) error { return r.Theme.Execute(b, layout, d) }}
}

// articleJob is the page of article a.
func (r *Renderer) articleJob(a *site.Article) Job {
	d := Data{Kind: "article", Title: a.Title, Description: a.Description, Article: a, Page: &a.Page, Canonical: a.Canonical, Feeds: r.commentFeedLinks(a)}
	return r.page(a.URL, "article", articleDeps(a), d)
}

// ArticleJobs are the jobs of Plan that copy fields of article a when
// planned: its page, its further comment pages and its comments feed.
// Every other job reads the article when it renders. So after a's body
// changes in place (site.Site.SetBody), these replace the jobs of the
// same paths in Plan's list, and the list is up to date but for the
// search index (SearchIndexJobs).
func (r *Renderer) ArticleJobs(a *site.Article) []Job {
	return append([]Job{r.articleJob(a)}, r.articleCommentJobs(a)...)
}

func articleDeps(a *site.Article) []string {
	deps := articleOwnDeps(a) // and the articles its page links to
	for _, n := range []*site.Article{a.Prev, a.Next} {
		if n != nil {
			deps = append(deps, n.Slug)
		}
	}
	for _, rel := range a.Related {
		deps = append(deps, rel.Slug)
	}
	return deps
}

func (r *Renderer) siteFeeds() []Feed {
	t := r.Site.Config.Title
	return []Feed{
		{Type: "application/rss+xml", Title: t + " (RSS)", URL: "/index.xml"},
		{Type: "application/atom+xml", Title: t + " (Atom)", URL: "/atom.xml"},
		{Type: "application/feed+json", Title: t + " (JSON Feed)", URL: "/feed.json"},
		r.siteCommentsFeedLink(),
	}
}
