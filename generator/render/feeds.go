package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/site"
)

// feedItems returns at most the configured number of newest articles.
func (r *Renderer) feedItems(articles []*site.Article) []*site.Article {
	return articles[:min(len(articles), r.Site.Config.Feeds.Limit)]
}

// content is what a feed carries of an article: all of it, or its
// summary when feeds.full_content is false. Links in it are made
// absolute so that feed readers resolve them.
func (r *Renderer) content(a *site.Article) string {
	if r.Site.Config.Feeds.FullContent {
		return absolutise(a.Body.String(), r.Site.Config.BaseURL)
	}
	return absolutise(string(a.Summary), r.Site.Config.BaseURL)
}

func (r *Renderer) author(a *site.Article) string {
	if a.AuthorName != "" {
		return a.AuthorName
	}
	return r.Site.Config.Title
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Creator     string   `xml:"dc:creator"`
	Categories  []string `xml:"category"`
	Description string   `xml:"description"`
	Encoded     cdata    `xml:"content:encoded"`
}

type rssGUID struct {
	Value       string `xml:",chardata"`
	IsPermaLink bool   `xml:"isPermaLink,attr"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

// RSS renders an RSS 2.0 feed of articles; title "" is the whole site's.
func (r *Renderer) RSS(title, link string, articles []*site.Article) ([]byte, error) {
	cfg := r.Site.Config
	ch := rssChannel{
		Title: cfg.Title, Link: link, Description: cfg.Description, Language: cfg.Language,
		Self: rssSelf{Rel: "self", Type: "application/rss+xml"},
	}
	if title != "" {
		ch.Title = cfg.Title + " – " + title
	}
	ch.Self.Href = link + "index.xml"
	items := r.feedItems(articles)
	if len(items) > 0 {
		ch.LastBuildDate = items[0].Lastmod().Format(time.RFC1123Z)
	}
	for _, a := range items {
		it := rssItem{
			Title: a.Title, Link: a.Permalink, GUID: rssGUID{Value: a.Permalink, IsPermaLink: true},
			PubDate: a.Date.Format(time.RFC1123Z), Creator: r.author(a), Description: a.Description,
			Encoded: cdata{Value: escapeCDATA(r.content(a))},
		}
		for _, c := range a.Categories {
			it.Categories = append(it.Categories, c.Name)
		}
		ch.Items = append(ch.Items, it)
	}
	return marshalXML(rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/", Content: "http://purl.org/rss/1.0/modules/content/", Channel: ch})
}

// AtomFeed is an Atom document; other packages fill it for their feeds
// (comments, newsletters) through AtomXML.
type AtomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr,omitempty"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []AtomLink  `xml:"link"`
	Author  *AtomPerson `xml:"author,omitempty"`
	Entries []AtomEntry `xml:"entry"`
}

// AtomLink is a link element.
type AtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

// AtomPerson is an author.
type AtomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

// AtomText is a text construct with a type.
type AtomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// AtomEntry is one entry.
type AtomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []AtomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *AtomPerson    `xml:"author,omitempty"`
	Categories []AtomCategory `xml:"category"`
	Summary    *AtomText      `xml:"summary,omitempty"`
	Content    *AtomText      `xml:"content,omitempty"`
}

// AtomCategory is a category term.
type AtomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom renders the site's Atom feed of articles.
func (r *Renderer) Atom(articles []*site.Article) ([]byte, error) {
	cfg := r.Site.Config
	f := AtomFeed{
		Lang: cfg.Language, Title: cfg.Title, ID: cfg.BaseURL,
		Links: []AtomLink{{Href: cfg.URL("atom.xml"), Rel: "self", Type: "application/atom+xml"}, {Href: cfg.BaseURL, Rel: "alternate", Type: "text/html"}},
	}
	items := r.feedItems(articles)
	f.Updated = atomTime(r.Site.Lastmod())
	for _, a := range items {
		e := AtomEntry{
			Title: a.Title, ID: a.Permalink, Links: []AtomLink{{Href: a.Permalink, Rel: "alternate", Type: "text/html"}},
			Published: atomTime(a.Date), Updated: atomTime(a.Lastmod()), Author: &AtomPerson{Name: r.author(a)},
			Summary: &AtomText{Type: "text", Value: a.Description},
			Content: &AtomText{Type: "html", Value: r.content(a)},
		}
		if a.Author != nil {
			e.Author.URI = a.Author.Permalink
		}
		for _, c := range a.Categories {
			e.Categories = append(e.Categories, AtomCategory{Term: c.Name})
		}
		f.Entries = append(f.Entries, e)
	}
	return AtomXML(f)
}

// AtomXML marshals any Atom feed with the XML declaration.
func AtomXML(f AtomFeed) ([]byte, error) {
	return appendAtom(make([]byte, 0, atomSize(&f)), &f), nil
}

// atomSize is about the length of f as XML, a little more for most
// feeds.
func atomSize(f *AtomFeed) int {
	n := 1024
	for _, e := range f.Entries {
		n += 512 + len(e.Title) + len(e.Categories)*64
		if e.Summary != nil {
			n += len(e.Summary.Value)
		}
		if e.Content != nil {
			n += len(e.Content.Value) + len(e.Content.Value)/4
		}
	}
	return n
}

func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language"`
	Items       []jsonItem   `json:"items"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
	ExternalURL   string       `json:"external_url,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// JSONFeed renders the site's JSON Feed 1.1.
func (r *Renderer) JSONFeed(articles []*site.Article) ([]byte, error) {
	cfg := r.Site.Config
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: cfg.Title, HomePageURL: cfg.BaseURL,
		FeedURL: cfg.URL("feed.json"), Description: cfg.Description, Language: cfg.Language, Items: []jsonItem{}}
	for _, a := range r.feedItems(articles) {
		it := jsonItem{ID: a.Permalink, URL: a.Permalink, Title: a.Title, ContentHTML: r.content(a), Summary: a.Description,
			DatePublished: atomTime(a.Date), ExternalURL: a.Canonical}
		if !a.Updated.IsZero() {
			it.DateModified = atomTime(a.Updated)
		}
		au := jsonAuthor{Name: r.author(a)}
		if a.Author != nil {
			au.URL = a.Author.Permalink
		}
		it.Authors = []jsonAuthor{au}
		for _, t := range a.Tags {
			it.Tags = append(it.Tags, t.Name)
		}
		f.Items = append(f.Items, it)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// escapeCDATA keeps "]]>" inside content from closing the section.
func escapeCDATA(s string) string { return strings.ReplaceAll(s, "]]>", "]]&gt;") }

type urlset struct {
	XMLName xml.Name  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []siteURL `xml:"url"`
}

type siteURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

// Sitemap lists every page of the site that search engines should know.
func (r *Renderer) Sitemap() ([]byte, error) {
	s := r.Site
	var u urlset
	add := func(url string, t time.Time) {
		su := siteURL{Loc: s.Config.URL(url)}
		if !t.IsZero() {
			su.Lastmod = t.UTC().Format("2006-01-02")
		}
		u.URLs = append(u.URLs, su)
	}
	add("/", s.Lastmod())
	for _, a := range s.Articles {
		add(a.URL, a.Lastmod())
	}
	for _, p := range s.Pages {
		add(p.URL, p.Lastmod())
	}
	for _, tax := range []*site.Taxonomy{s.Categories, s.Tags} {
		add(tax.URL, time.Time{})
		for _, t := range tax.Terms {
			add(t.URL, t.Articles[0].Lastmod())
		}
	}
	add("/archives/", time.Time{})
	for _, y := range s.Years {
		add(y.URL, time.Time{})
	}
	add("/members/", time.Time{})
	for _, m := range s.Members {
		add(m.URL, time.Time{})
	}
	for _, n := range s.Newsletters {
		add(n.URL, n.Date)
	}
	return marshalXML(u)
}

var aliasTemplate = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<link rel="canonical" href="{{.URL}}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p><a href="{{.URL}}">{{.Title}}</a></p>
</body>
</html>
`))

func aliasPage(lang, title, url string) ([]byte, error) {
	var b bytes.Buffer
	err := aliasTemplate.Execute(&b, struct{ Lang, Title, URL string }{lang, title, url})
	return b.Bytes(), err
}

func syntaxCSS() ([]byte, error) { return markdown.SyntaxCSS() }
