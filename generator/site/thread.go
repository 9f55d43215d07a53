package site

import (
	"bytes"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/internal/par"
	"github.com/foyerhub/foyer/generator/source"
)

// Thread holds an article's published contributions.
type Thread struct {
	Comments []*Contribution // top-level comments, oldest first, replies nested
	Count    int             // approved comments, replies included
	Mentions []*Contribution // approved pingbacks and webmentions, oldest first
	Flat     []*Contribution // approved comments, oldest first, for feeds and pagination
	// Pages split Comments for display: the first page is shown under
	// the article, the others at <article URL>comments/page/N/. A page
	// holds whole threads and closes once it has comments.per_page
	// comments, so a reply is always on its parent's page.
	Pages []*CommentPage
}

// CommentPage is one page of an article's comments.
type CommentPage struct {
	Number, Total int
	URL           string // site-relative; the article's URL for page 1
	Comments      []*Contribution
	Prev, Next    *CommentPage
	Article       *Article
}

// FirstPage is the page shown under the article.
func (t *Thread) FirstPage() *CommentPage {
	if len(t.Pages) == 0 {
		return &CommentPage{Number: 1, Total: 1}
	}
	return t.Pages[0]
}

// Contribution is a member's comment or another site's mention.
type Contribution struct {
	ID         string
	Source     string // content path
	Article    *Article
	Kind       string // comment, pingback or webmention
	AuthorName string
	Member     *Member // nil for non-members
	Website    string
	Date       time.Time
	Status     string
	Body       Markup // the converted content: see Content
	SourceURL  string // mentions: the page that mentions the article
	Title      string // mentions: that page's title
	ReplyTo    string
	Parent     *Contribution
	Replies    []*Contribution
	Depth      int  // 0 for top-level comments
	Removed    bool // a placeholder for an unpublished parent of published replies
	// Nested are the replies shown inside this comment's element: its
	// own replies, or, at comments.max_depth, all its descendants in date
	// order, each marked Capped, so that nesting stops there.
	Nested    []*Contribution
	Capped    bool   // shown flat under an ancestor: say whom it answers
	Level     int    // display depth: Depth, at most comments.max_depth
	Avatar    string // the member's avatar, a Gravatar URL if the site opts in, or ""
	Anchor    string
	URL       string
	Permalink string

	email, ip string
	doc       *source.Document
}

// Content is the contribution's converted content.
func (c *Contribution) Content() template.HTML { return c.Body.HTML() }

// WriteContent writes what Content returns into b, as Page.WriteContent.
func (c *Contribution) WriteContent(b *bytes.Buffer) { c.Body.WriteInto(b) }

// IsMention reports whether c is a pingback or a webmention.
func (c *Contribution) IsMention() bool { return c.Kind == "pingback" || c.Kind == "webmention" }

// ContributorEmail returns the private address of a contribution's
// author. It is a function so that templates cannot print it.
func ContributorEmail(c *Contribution) string {
	if c.email == "" && c.Member != nil {
		return c.Member.email
	}
	return c.email
}

// threads attaches contributions to their articles and threads them.
func (b *builder) threads(docs []*source.Document, bodies func() []Markup) {
	s := b.site
	byArticle := make(map[string][]int) // indices in docs
	var order []string
	for i, d := range docs {
		slug := d.Folder()
		if _, seen := byArticle[slug]; !seen {
			order = append(order, slug)
		}
		byArticle[slug] = append(byArticle[slug], i)
	}
	var published []*Contribution
	made := make([]*Contribution, len(docs)) // by index in docs: nil for one left out
	for _, slug := range order {
		a := s.articleBySl[slug]
		group := byArticle[slug]
		if a == nil {
			if !b.slugs[slug] {
				b.warnings.Add(docs[group[0]].Errorf("date", "contributions for %q: no article has this slug (expected content/contributions/<article-slug>/): left out", slug))
			}
			continue
		}
		all := make(map[string]*Contribution, len(group))
		list := make([]*Contribution, 0, len(group))
		for _, i := range group {
			d := docs[i]
			if d.Meta.Date.IsZero() {
				b.warnings.Add(diag.Errorf(d.Path, 1, 0, "front matter: missing required field \"date\": contribution left out"))
				continue
			}
			c := b.contribution(a, d)
			made[i] = c
			all[c.ID] = c
			list = append(list, c)
		}
		sort.SliceStable(list, func(i, j int) bool { return list[i].Date.Before(list[j].Date) })
		b.link(list, all)
		for _, c := range list {
			if c.Status == "approved" {
				published = append(published, c)
			}
		}
		a.Thread = build(list)
		b.paginate(a)
	}
	for i, body := range bodies() {
		if c := made[i]; c != nil && c.Status == "approved" {
			c.Body = body
		}
	}
	// The model keeps what it shows, not the files it was made from.
	for _, c := range made {
		if c != nil {
			b.release(c.doc)
			c.doc = nil
		}
	}
	sort.SliceStable(published, func(i, j int) bool { return published[i].Date.After(published[j].Date) })
	s.Contributions = published
	b.rank()
}

// convertContributions starts converting the bodies of the approved
// contributions among docs, the ones a thread may publish, on every
// core, and returns what waits for them: their HTML by index in docs
// (empty for the others, and for one that failed to convert, which is
// shown without a body). Converting needs nothing of the model, and
// takes most of the work on contributions: it runs while the model is
// made.
func (b *builder) convertContributions(docs []*source.Document) (wait func() []Markup) {
	var todo []int
	for i, d := range docs {
		if d.Meta.Status == "approved" {
			todo = append(todo, i)
		}
	}
	bodies := make([]Markup, len(docs))
	done := make(chan struct{})
	go func() {
		defer close(done)
		par.Each(len(todo), func(k int) {
			i := todo[k]
			if body, err := b.opts.Cache.contribution(b.conv, docs[i], b.opts.Spool); err == nil {
				bodies[i] = body
			}
		})
	}()
	return func() []Markup {
		<-done
		return bodies
	}
}

func (b *builder) contribution(a *Article, d *source.Document) *Contribution {
	m := d.Meta
	c := &Contribution{
		ID: d.ID(), Source: d.Path, Article: a,
		Kind: nonEmpty(m.Kind, "comment"), Status: nonEmpty(m.Status, "pending"),
		AuthorName: m.Author, Website: m.Website, Date: m.Date, ReplyTo: m.ReplyTo,
		SourceURL: m.Source, Title: m.Title, email: m.Email, ip: m.IP, doc: d,
	}
	if m.Member != "" {
		if mem := b.site.memberByID[m.Member]; mem != nil {
			c.Member, c.AuthorName = mem, mem.Name
		} else {
			b.warnings.Add(d.Errorf("member", "unknown member %q (expected an id from content/members/): shown as a plain name", m.Member))
			c.AuthorName = nonEmpty(c.AuthorName, m.Member)
		}
	}
	if strings.TrimSpace(c.AuthorName) == "" {
		c.AuthorName = "Anonyme"
	}
	c.Anchor = "c-" + c.ID
	c.URL = a.URL + "#" + c.Anchor
	c.Permalink = b.cfg.URL(c.URL)
	switch {
	case c.Member != nil && c.Member.Avatar != "":
		c.Avatar = c.Member.Avatar
	case b.cfg.Comments.Gravatar:
		if h := gravatarHash(ContributorEmail(c)); h != "" {
			c.Avatar = "https://www.gravatar.com/avatar/" + h + "?s=72&d=identicon"
		}
	}
	return c
}

// link resolves reply_to, dropping unknown targets and loops with a
// warning. It runs in linear time: each chain is walked once.
func (b *builder) link(list []*Contribution, all map[string]*Contribution) {
	for _, c := range list {
		if c.ReplyTo == "" || c.IsMention() {
			continue
		}
		p := all[c.ReplyTo]
		if p == nil || p.IsMention() {
			b.warnings.Add(c.doc.Errorf("reply_to", "reply_to %q: no comment with this id on this article: shown as a top-level comment", c.ReplyTo))
			continue
		}
		c.Parent = p
	}
	const (
		unseen = iota
		walking
		done
	)
	state := make(map[*Contribution]int, len(list))
	for _, c := range list {
		var path []*Contribution
		for x := c; x != nil && state[x] == unseen; x = x.Parent {
			state[x] = walking
			path = append(path, x)
			if x.Parent != nil && state[x.Parent] == walking {
				b.warnings.Add(x.doc.Errorf("reply_to", "reply_to %q forms a loop: shown as a top-level comment", x.ReplyTo))
				x.Parent = nil
			}
		}
		for _, x := range path {
			state[x] = done
		}
	}
}

// build nests approved comments under their parents, keeping placeholders
// for unpublished parents that have published replies.
func build(list []*Contribution) *Thread {
	t := &Thread{}
	visible := make(map[*Contribution]bool)
	for _, c := range list {
		if c.Status != "approved" {
			continue
		}
		if c.IsMention() {
			t.Mentions = append(t.Mentions, c)
			continue
		}
		t.Count++
		t.Flat = append(t.Flat, c)
		for x := c; x != nil && !visible[x]; x = x.Parent {
			visible[x] = true
		}
	}
	for _, c := range list { // oldest first, so replies come in date order
		if !visible[c] {
			continue
		}
		c.Removed = c.Status != "approved"
		if c.Removed {
			c.AuthorName, c.Website, c.Member, c.Body = "", "", nil, Markup{}
		}
		if c.Parent == nil {
			t.Comments = append(t.Comments, c)
		} else {
			c.Parent.Replies = append(c.Parent.Replies, c)
		}
	}
	// Depths go top-down in date order: a parent is older than its
	// replies only by convention, so walk the tree, not the list. The
	// walk uses a stack, not recursion: a chain of 10,000 replies is
	// hostile input, not a reason to crash.
	stack := append([]*Contribution(nil), t.Comments...)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, r := range c.Replies {
			r.Depth = c.Depth + 1
			stack = append(stack, r)
		}
	}
	return t
}

// nest fills Nested, Level and Capped under a comments.max_depth cap.
func nest(t *Thread, maxDepth int) {
	var flat func(c *Contribution, into *[]*Contribution)
	flat = func(c *Contribution, into *[]*Contribution) {
		// Iterative preorder, then a date sort: replies at any depth
		// read as one conversation, oldest first.
		stack := append([]*Contribution(nil), c.Replies...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x.Capped, x.Level = true, maxDepth
			*into = append(*into, x)
			stack = append(stack, x.Replies...)
		}
		sort.SliceStable(*into, func(i, j int) bool { return (*into)[i].Date.Before((*into)[j].Date) })
	}
	stack := append([]*Contribution(nil), t.Comments...)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.Capped {
			continue
		}
		c.Level = c.Depth
		if c.Depth+1 < maxDepth {
			c.Nested = c.Replies
			stack = append(stack, c.Replies...)
		} else {
			flat(c, &c.Nested)
		}
	}
}

// paginate splits an article's thread into pages and points each
// comment's URL at the page that shows it.
func (b *builder) paginate(a *Article) {
	t := a.Thread
	nest(t, b.cfg.Comments.MaxDepth)
	per := b.cfg.Comments.PerPage
	page := &CommentPage{Number: 1, URL: a.URL, Article: a}
	t.Pages = []*CommentPage{page}
	n := 0
	for _, c := range t.Comments {
		if n >= per {
			next := &CommentPage{Number: page.Number + 1, URL: a.URL + "comments/page/" + strconv.Itoa(page.Number+1) + "/", Article: a, Prev: page}
			page.Next = next
			page = next
			t.Pages = append(t.Pages, page)
			n = 0
		}
		page.Comments = append(page.Comments, c)
		stack := []*Contribution{c}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x.URL = page.URL + "#" + x.Anchor
			x.Permalink = b.cfg.URL(x.URL)
			stack = append(stack, x.Replies...)
		}
	}
	for _, p := range t.Pages {
		p.Total = len(t.Pages)
	}
}

// rank fills the most discussed articles, members' contributions and
// the contributors ranking.
func (b *builder) rank() {
	s := b.site
	for _, a := range s.Articles {
		if a.Thread.Count > 0 {
			s.MostDiscussed = append(s.MostDiscussed, a)
		}
	}
	sort.SliceStable(s.MostDiscussed, func(i, j int) bool {
		return s.MostDiscussed[i].Thread.Count > s.MostDiscussed[j].Thread.Count
	})
	for _, c := range s.Contributions {
		if c.Member != nil {
			c.Member.Contributions = append(c.Member.Contributions, c)
		}
	}
	for _, m := range s.Members {
		if len(m.Contributions) > 0 {
			s.Contributors = append(s.Contributors, m)
		}
	}
	sort.SliceStable(s.Contributors, func(i, j int) bool {
		return len(s.Contributors[i].Contributions) > len(s.Contributors[j].Contributions)
	})
}
