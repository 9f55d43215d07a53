// Package site is Foyer's model: articles, pages, members, contributions,
// taxonomies and archives, built once from source documents and then only
// read. New does no I/O; the model is safe to share across goroutines as
// long as nobody writes to it, and nobody does after New returns.
//
// Private fields of the sources (e-mail addresses, IP addresses) are kept
// in unexported fields that templates cannot reach.
package site

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"html/template"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/markdown"
)

// Site is the whole model of a hub.
type Site struct {
	Config      *config.Config
	Articles    []*Article // published, newest first
	Pages       []*Page    // standalone pages, by title
	Newsletters []*Page    // archived issues, newest first
	Members     []*Member  // by name, in the site language's order
	Categories  *Taxonomy
	Tags        *Taxonomy
	Years       []*Year // archives, newest first
	Aliases     []Alias

	Contributions []*Contribution // approved comments and mentions, newest first
	MostDiscussed []*Article      // by approved comment count, then date
	Contributors  []*Member       // members with approved contributions, most first

	Now time.Time // the build's reference time for publish dates

	memberByID  map[string]*Member
	articleBySl map[string]*Article
	pageByURL   map[string]*Page
	lastmod     time.Time // set by New: feeds ask for it once per article
	cache       *Cache    // the conversions, for PlainText; may be nil
}

// Page is a document rendered on its own URL: a standalone page, an
// article (embedded in Article) or an archived newsletter issue.
type Page struct {
	Section     string // "articles", "pages" or "newsletters"
	Source      string // content path, e.g. content/articles/x.md
	Slug        string
	Title       string
	URL         string // site-relative, starting and ending with "/"
	Permalink   string // absolute, on base_url
	Date        time.Time
	Updated     time.Time // zero when never updated
	Summary     template.HTML
	Description string // plain-text summary for meta tags and feeds
	Truncated   bool   // the summary is shorter than the content
	Body        Markup // the converted content: see Content
	TOC         []markdown.Heading
	Headings    int // headings in the table of contents, nested ones included
	Words       int
	Canonical   string
	Aliases     []string
	Draft       bool
	Status      string
	Issue       int // newsletter issue number
	Params      map[string]any
}

// Content is the page's converted content.
func (p *Page) Content() template.HTML { return p.Body.HTML() }

// WriteContent writes what Content returns into b, without a string of
// its own: templates print the content this way (theme's fast executor).
func (p *Page) WriteContent(b *bytes.Buffer) { p.Body.WriteInto(b) }

// Lastmod is Updated when set, else Date.
func (p *Page) Lastmod() time.Time {
	if p.Updated.After(p.Date) {
		return p.Updated
	}
	return p.Date
}

// ReadingTime is the reading time in whole minutes, at least one.
func (p *Page) ReadingTime() int { return max(1, (p.Words+219)/220) }

// Article is a dated, authored page filed under categories and tags.
type Article struct {
	Page
	Author     *Member // nil when the author is not a member
	AuthorName string
	Categories []*Term
	Tags       []*Term
	Prev       *Article // the next older article
	Next       *Article // the next newer article
	Related    []*Article
	Thread     *Thread
}

// Member is a profile from content/members.
type Member struct {
	ID            string
	Name          string
	Bio           string
	Website       string
	Avatar        string // URL or site path; empty when none
	Role          string // member, moderator or admin
	URL           string
	Permalink     string
	Source        string
	Articles      []*Article      // newest first
	Contributions []*Contribution // approved, newest first

	email string
}

// GravatarHash is the MD5 of the member's trimmed, lower-cased e-mail
// address, as Gravatar wants it, or "" when there is none.
func (m *Member) GravatarHash() string { return gravatarHash(m.email) }

// Initials are up to two letters for a generated avatar.
func (m *Member) Initials() string { return Initials(m.Name) }

// Email returns a member's private address. It is a function, not a
// method, so that templates cannot print it.
func Email(m *Member) string { return m.email }

func gravatarHash(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return ""
	}
	sum := md5.Sum([]byte(email))
	return hex.EncodeToString(sum[:])
}

// Initials returns up to two upper-case initials of a display name.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			if len(out) < 2 && (r >= '0' && r <= '9' || strings.ToUpper(string(r)) != strings.ToLower(string(r))) {
				out = append(out, []rune(strings.ToUpper(string(r)))...)
			}
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

// Taxonomy is the set of categories or of tags.
type Taxonomy struct {
	Name  string // "categories" or "tags"
	URL   string
	Terms []*Term // in the site language's alphabetical order
}

// Term is one category or tag.
type Term struct {
	Taxonomy  string
	Name      string
	Slug      string
	URL       string
	Permalink string
	Articles  []*Article // newest first
}

// Year is an archive year, with its months.
type Year struct {
	Year     int
	URL      string
	Months   []*Month // newest first
	Articles []*Article
}

// Month is an archive month.
type Month struct {
	Year     int
	Month    time.Month
	URL      string
	Articles []*Article
}

// Alias is an old URL that redirects to a page.
type Alias struct {
	URL    string // site-relative old path
	Target *Page
	Source string // content path that declared it
}

// Member returns the member with the given id, or nil.
func (s *Site) Member(id string) *Member { return s.memberByID[id] }

// Article returns the published article with the given slug, or nil.
func (s *Site) Article(slug string) *Article { return s.articleBySl[slug] }

// Lastmod is the newest date of any published article, page or
// contribution: the date of the site's feeds. New computes it once, so
// that asking for it costs nothing.
func (s *Site) Lastmod() time.Time { return s.lastmod }

// PlainText is a page's content without markup, for the search index.
func (s *Site) PlainText(p *Page) string { return s.cache.text(p.Source, p.Body) }

// CommentText is a contribution's content without markup.
func (s *Site) CommentText(c *Contribution) string {
	return s.cache.text(contributionKey(c.Source), c.Body)
}

func (s *Site) newestDate() time.Time {
	var t time.Time
	for _, a := range s.Articles {
		if m := a.Lastmod(); m.After(t) {
			t = m
		}
	}
	if len(s.Contributions) > 0 && s.Contributions[0].Date.After(t) {
		t = s.Contributions[0].Date
	}
	return t
}
