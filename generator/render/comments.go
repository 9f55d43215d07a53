package render

import (
	"bytes"
	"slices"
	"unsafe"

	"github.com/foyerhub/foyer/generator/internal/bufpool"
	"github.com/foyerhub/foyer/generator/site"
)

// commentsFeed is the site-wide comments feed.
const commentsFeed = "/comments.xml"

// articleCommentsFeed is the URL of an article's comments feed.
func articleCommentsFeed(a *site.Article) string { return a.URL + "comments.xml" }

// commentFeedLinks are the alternate links an article page adds: its own
// comments feed, when it has comments.
func (r *Renderer) commentFeedLinks(a *site.Article) []Feed {
	if a.Thread == nil || a.Thread.Count == 0 {
		return nil
	}
	return []Feed{{Type: "application/atom+xml", Title: r.Theme.T("comments_feed_of", a.Title), URL: articleCommentsFeed(a)}}
}

// siteCommentsFeedLink is the site-wide comments feed, linked from every
// page.
func (r *Renderer) siteCommentsFeedLink() Feed {
	return Feed{Type: "application/atom+xml", Title: r.Site.Config.Title + " – " + r.Theme.T("comments_feed"), URL: commentsFeed}
}

// commentJobs plans the comment pages after the first (which is the
// article page) and the comment feeds.
func (r *Renderer) commentJobs() []Job {
	s := r.Site
	var jobs []Job
	for _, a := range s.Articles {
		jobs = append(jobs, r.articleCommentJobs(a)...)
	}
	jobs = append(jobs, Job{Path: outPath(commentsFeed), Deps: []string{"*"}, Write: func(b *bytes.Buffer) error {
		var comments []*site.Contribution
		for _, c := range s.Contributions {
			if !c.IsMention() {
				comments = append(comments, c)
			}
		}
		r.commentsAtom(b, s.Config.Title+" – "+r.Theme.T("comments_feed"), commentsFeed, s.Config.BaseURL, comments, false)
		return nil
	}})
	return jobs
}

// articleCommentJobs are article a's comment pages after the first
// (which is the article page) and its comments feed.
func (r *Renderer) articleCommentJobs(a *site.Article) []Job {
	if a.Thread == nil {
		return nil
	}
	var jobs []Job
	for _, p := range a.Thread.Pages[min(1, len(a.Thread.Pages)):] {
		d := Data{Kind: "comments", Title: a.Title + " – " + r.Theme.T("comments_page", p.Number, p.Total),
			Description: a.Description, Article: a, Page: &a.Page, Comments: p, Feeds: r.commentFeedLinks(a)}
		jobs = append(jobs, r.page(p.URL, "comments", []string{a.Slug}, d))
	}
	if a.Thread.Count > 0 {
		jobs = append(jobs, Job{Path: outPath(articleCommentsFeed(a)), Deps: []string{a.Slug}, Write: func(b *bytes.Buffer) error {
			r.commentsAtom(b, r.Theme.T("comments_feed_of", a.Title), articleCommentsFeed(a), a.Permalink, a.Thread.Flat, true)
			return nil
		}})
	}
	return jobs
}

// feedBodies holds buffers that commentsAtom reads the comments' HTML
// into: a feed of every article's comments would otherwise allocate
// them all, once as strings and once more for the feed.
var feedBodies = bufpool.Pool{Max: 1 << 20}

// commentsAtom writes into b an Atom feed of the newest feeds.limit
// comments; oldestFirst says the list runs oldest first (an article's
// thread), else newest first (the site's). Nothing private goes in:
// authors are a display name and, for members, their profile.
func (r *Renderer) commentsAtom(b *bytes.Buffer, title, self, alternate string, comments []*site.Contribution, oldestFirst bool) {
	cfg := r.Site.Config
	limit := cfg.Feeds.Limit
	var items []*site.Contribution
	if oldestFirst {
		for i := len(comments) - 1; i >= 0 && len(items) < limit; i-- {
			items = append(items, comments[i])
		}
	} else {
		items = comments[:min(limit, len(comments))]
	}
	f := AtomFeed{
		Lang: cfg.Language, Title: title, ID: cfg.URL(self),
		Links: []AtomLink{{Href: cfg.URL(self), Rel: "self", Type: "application/atom+xml"}, {Href: alternate, Rel: "alternate", Type: "text/html"}},
	}
	f.Updated = atomTime(r.Site.Lastmod())
	if len(items) > 0 {
		f.Updated = atomTime(items[0].Date)
	}
	// The comments' HTML, one after the other in bodies; the feed's
	// strings point into it until the feed is written.
	bp := feedBodies.Get()
	n := 0
	for _, c := range items {
		n += c.Body.Len()
	}
	bodies := slices.Grow(*bp, n)
	for _, c := range items {
		start := len(bodies)
		bodies = c.Body.AppendTo(bodies)
		var body string
		if len(bodies) > start {
			body = unsafe.String(&bodies[start], len(bodies)-start)
		}
		e := AtomEntry{
			Title:     r.Theme.T("comment_entry", c.AuthorName, c.Article.Title),
			ID:        c.Permalink,
			Links:     []AtomLink{{Href: c.Permalink, Rel: "alternate", Type: "text/html"}},
			Published: atomTime(c.Date), Updated: atomTime(c.Date),
			Author:  &AtomPerson{Name: c.AuthorName},
			Content: &AtomText{Type: "html", Value: absolutise(body, cfg.BaseURL)},
		}
		if c.Member != nil {
			e.Author.URI = c.Member.Permalink
		}
		f.Entries = append(f.Entries, e)
	}
	b.Grow(atomSize(&f))
	b.Write(appendAtom(b.AvailableBuffer(), &f))
	feedBodies.Put(bp, bodies)
}
