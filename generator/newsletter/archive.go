package newsletter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
	"github.com/foyerhub/foyer/generator/subscribers"
	"github.com/foyerhub/foyer/generator/theme"
)

// ArchivePath is the site-relative path of an issue's archive page.
func ArchivePath(is *Issue) string { return "content/newsletters/" + is.Slug() + ".md" }

// WriteArchive writes the issue's public page, which lists its articles
// and discussions and nothing about its recipients. An existing page is
// left as it is: a resumed send never rewrites what the user may have
// edited. It returns the page's site-relative path.
func WriteArchive(dir string, s *site.Site, th *theme.Theme, is *Issue) (string, error) {
	rel := ArchivePath(is)
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(path); err == nil {
		return rel, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var b strings.Builder
	var titles []string
	b.WriteString(th.T("newsletter_in_this_issue") + "\n\n")
	for _, slug := range is.Articles {
		a := s.Article(slug)
		if a == nil {
			continue
		}
		titles = append(titles, a.Title)
		fmt.Fprintf(&b, "- [%s](%s)", mdText(a.Title), a.Permalink)
		if a.Description != "" {
			fmt.Fprintf(&b, " — %s", mdText(a.Description))
		}
		b.WriteString("\n")
	}
	if len(is.Discussions) > 0 {
		b.WriteString("\n## " + mdText(th.T("most_discussed")) + "\n\n")
		for _, slug := range is.Discussions {
			if a := s.Article(slug); a != nil {
				fmt.Fprintf(&b, "- [%s](%s) (%s)\n", mdText(a.Title), a.Permalink+"#commentaires", th.T("comments_count", a.Thread.Count))
			}
		}
	}
	meta := source.Meta{
		Title:   th.T("newsletter_title", is.Number),
		Date:    is.Date,
		Issue:   is.Number,
		Summary: strings.Join(titles, " · "),
	}
	data, err := source.Encode(source.Newsletter, meta, []byte(b.String()))
	if err != nil {
		return "", err
	}
	return rel, atomicfile.Write(path, data, 0o644)
}

// mdText escapes the characters that Markdown would read as markup in
// link text and list items.
func mdText(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]()<>#!|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PreviewResult is a rendered issue that was not sent.
type PreviewResult struct {
	Issue      *Issue
	Resumed    bool
	Subject    string
	Articles   int
	Recipients int
	Messages   []*Message // for the first sample recipients, or a made-up one
	Warnings   []error
}

// Preview renders the next issue for up to samples recipients without
// sending or recording anything. Without FOYER_SECRET the links carry a
// placeholder token.
func Preview(ctx context.Context, o Options, samples int) (*PreviewResult, error) {
	o.defaults()
	is, _, resumed, err := Next(o)
	if err != nil {
		return nil, err
	}
	if len(o.Secret) == 0 {
		o.Secret = []byte("preview: FOYER_SECRET is not set")
	}
	c, err := NewComposer(o.Site, o.Theme, is, o.Secret)
	if err != nil {
		return nil, err
	}
	rs, problems, err := recipients(o.SubscribersPath())
	if err != nil {
		return nil, err
	}
	res := &PreviewResult{Issue: is, Resumed: resumed, Subject: c.Subject(), Articles: len(c.Articles()), Recipients: len(rs), Warnings: problems}
	sample := rs[:min(len(rs), samples)]
	if len(sample) == 0 {
		sample = []Recipient{{Email: "reader@example.org", Name: "Camille Exemple"}}
	}
	for _, rc := range sample {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := c.Compose(rc)
		if err != nil {
			return nil, err
		}
		res.Messages = append(res.Messages, m)
	}
	return res, nil
}

// SendTest sends the next issue to one address as a test copy. It
// records nothing: no journal, no state, no archive.
func SendTest(ctx context.Context, o Options, addr string) (*Message, error) {
	o.defaults()
	if len(o.Secret) == 0 {
		return nil, ErrNoSecret
	}
	is, _, _, err := Next(o)
	if err != nil {
		return nil, err
	}
	c, err := NewComposer(o.Site, o.Theme, is, o.Secret)
	if err != nil {
		return nil, err
	}
	rc := Recipient{Email: addr}
	if l, _, err := subscribers.Read(o.SubscribersPath()); err == nil {
		if s := l.Find(addr); s != nil {
			rc.Name, rc.Attrs = s.Name, s.Attrs
		}
	}
	m, err := c.Compose(rc)
	if err != nil {
		return nil, err
	}
	r := &run{o: o}
	return m, r.deliver(ctx, m)
}

// Unsubscribe marks addresses as unsubscribed in the subscribers file.
// It returns the addresses that were not on the list.
func Unsubscribe(ctx context.Context, path string, addrs []string) (unknown []string, err error) {
	err = subscribers.Update(ctx, path, func(l *subscribers.List) error {
		unknown = nil
		for _, a := range addrs {
			if !l.SetStatus(a, subscribers.Unsubscribed) {
				unknown = append(unknown, a)
			}
		}
		return nil
	})
	return unknown, err
}
