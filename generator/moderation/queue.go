package moderation

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/source"
)

// Item is one contribution or guest article as a moderator sees it.
type Item struct {
	// ID is "article-slug/contribution-id" for a contribution and the
	// bare slug for a guest article.
	ID      string
	Path    string // file path on disk
	Kind    string // comment, pingback, webmention or article
	Author  string
	Date    time.Time
	Status  string // approved, pending, spam or rejected
	Excerpt string // the first words of the body, on one line
	Known   bool
	Result  Result
}

// Queue is a site's contributions and guest articles, screened.
type Queue struct {
	Config   *config.Config
	Items    []*Item // by date, oldest first
	Warnings []error // files that could not be read: left out
	byID     map[string]*Item
}

// ErrUnknownID is returned by Queue.Find for an id that names no
// contribution or article.
var ErrUnknownID = errors.New("no contribution or article with this id")

// recentLimit bounds how many other contributions screening compares a
// body with, newest first.
const recentLimit = 500

// Load reads the site at dir and screens every contribution and pending
// article with the site's rules. Files that cannot be read are warnings,
// not errors, so that one broken file does not block the queue.
func Load(ctx context.Context, dir string) (*Queue, error) {
	fsys := os.DirFS(dir)
	cfg, warnings, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	docs, err := source.Load(ctx, fsys)
	var list diag.List
	if err != nil && !errors.As(err, &list) {
		return nil, err
	}
	q := &Queue{Config: cfg, Warnings: append(warnings, list...), byID: make(map[string]*Item)}
	members := make(map[string]bool)
	for _, d := range docs {
		if d.Kind == source.Member {
			members[d.ID()] = true
		}
	}
	s := NewScreener(cfg.Moderation)
	var contributions []*source.Document
	for _, d := range docs {
		switch {
		case d.Kind == source.Contribution:
			contributions = append(contributions, d)
		case d.Kind == source.Article && d.Meta.Status != "" && d.Meta.Status != "approved":
			// A guest article: its author is a member, or a guest.
			known := members[d.Meta.Author]
			it := q.add(dir, d, "article", nonEmpty(d.Meta.Slug, d.ID()), known)
			it.Result = s.Screen(Input{Author: d.Meta.Author, Body: d.Meta.Title + "\n\n" + string(d.Body), Known: known})
		}
	}
	sort.SliceStable(contributions, func(i, j int) bool { return contributions[i].Meta.Date.After(contributions[j].Meta.Date) })
	known := knownAuthors(contributions)
	for i, d := range contributions {
		m := d.Meta
		isKnown := members[m.Member] || known[authorKey(m)]
		it := q.add(dir, d, nonEmpty(m.Kind, "comment"), d.Folder()+"/"+d.ID(), isKnown)
		in := Input{Author: m.Author, Member: m.Member, Email: m.Email, IP: m.IP, Website: m.Website, Body: string(d.Body), Known: isKnown}
		for _, o := range contributions[max(0, i-recentLimit/2):min(len(contributions), i+recentLimit/2)] {
			if o != d {
				in.Recent = append(in.Recent, string(o.Body))
			}
		}
		it.Result = s.Screen(in)
	}
	sort.SliceStable(q.Items, func(i, j int) bool {
		if !q.Items[i].Date.Equal(q.Items[j].Date) {
			return q.Items[i].Date.Before(q.Items[j].Date)
		}
		return q.Items[i].ID < q.Items[j].ID
	})
	return q, nil
}

func (q *Queue) add(dir string, d *source.Document, kind, id string, known bool) *Item {
	m := d.Meta
	it := &Item{
		ID: id, Path: filepath.Join(dir, filepath.FromSlash(d.Path)), Kind: kind,
		Author: Printable(nonEmpty(m.Author, m.Member)), Date: m.Date,
		Status: nonEmpty(m.Status, "pending"), Excerpt: excerpt(string(d.Body), 12), Known: known,
	}
	if kind == "article" {
		it.Excerpt = Printable(m.Title) + " — " + it.Excerpt
	}
	q.Items = append(q.Items, it)
	q.byID[id] = it
	return it
}

// Pending returns the items waiting for a moderator, oldest first.
func (q *Queue) Pending() []*Item {
	var out []*Item
	for _, it := range q.Items {
		if it.Status == "pending" {
			out = append(out, it)
		}
	}
	return out
}

// Flagged returns the pending items whose screening verdict is v: what
// `foyer moderate spam --all-flagged` acts on for v = Spam.
func (q *Queue) Flagged(v Verdict) []*Item {
	var out []*Item
	for _, it := range q.Pending() {
		if it.Result.Verdict == v {
			out = append(out, it)
		}
	}
	return out
}

// Find returns the item with the given id.
func (q *Queue) Find(id string) (*Item, error) {
	if it, ok := q.byID[strings.Trim(id, "/")]; ok {
		return it, nil
	}
	return nil, fmt.Errorf("%s: %w (expected article-slug/contribution-id, or a pending article's slug)", id, ErrUnknownID)
}

// knownAuthors are the authors of approved contributions, by authorKey.
func knownAuthors(docs []*source.Document) map[string]bool {
	known := make(map[string]bool)
	for _, d := range docs {
		if d.Meta.Status == "approved" {
			known[authorKey(d.Meta)] = true
		}
	}
	delete(known, "")
	return known
}

// authorKey identifies an author across contributions: the e-mail
// address when given, else the display name.
func authorKey(m source.Meta) string {
	if e := strings.ToLower(strings.TrimSpace(m.Email)); e != "" {
		return "email:" + e
	}
	if n := strings.ToLower(strings.TrimSpace(m.Author)); n != "" {
		return "name:" + n
	}
	return ""
}

// excerpt returns the first n words of text on one line, printable.
func excerpt(text string, n int) string {
	words := strings.Fields(Printable(text))
	if len(words) > n {
		return strings.Join(words[:n], " ") + "…"
	}
	return strings.Join(words, " ")
}

// Printable replaces control characters (terminal escapes, new lines,
// bidirectional overrides) by spaces, so that a hostile contribution
// cannot rewrite a moderator's terminal.
func Printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// Decision is a status that screening gives a pending contribution.
type Decision struct {
	Item   *Item
	Status string
}

// Decide applies auto_approve and the rules to every pending
// contribution (guest articles always wait for a moderator) and returns
// those whose status would change.
func (q *Queue) Decide() []Decision {
	var out []Decision
	for _, it := range q.Pending() {
		if it.Kind == "article" {
			continue
		}
		if st := Status(q.Config.Moderation.AutoApprove, it.Result, it.Known); st != "pending" {
			out = append(out, Decision{Item: it, Status: st})
		}
	}
	return out
}

// Set changes an item's status in its file (see SetStatus).
func (q *Queue) Set(it *Item, status string) error {
	if err := SetStatus(it.Path, status); err != nil {
		return err
	}
	it.Status = status
	return nil
}
