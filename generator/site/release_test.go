package site_test

import (
	"context"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/internal/synth"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
)

// With Release, New forgets the Markdown it converted, and with a Spool
// it keeps the converted HTML and plain text out of memory; either way
// it builds the same site as without.
func TestNewReleasesConvertedMarkdown(t *testing.T) {
	fsys := synth.MapFS(synth.Options{Articles: 20, Contributions: 80, Members: 5, Seed: 3})
	cfg, _, err := config.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	conv := markdown.New(markdown.Options{Lang: cfg.Language})
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	build := func(release bool, sp *site.Spool, cache *site.Cache) (*site.Site, []*source.Document) {
		docs, err := source.Load(context.Background(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := site.New(cfg, docs, conv, site.Options{Now: now, Release: release, Spool: sp, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return s, docs
	}
	kept, _ := build(false, nil, nil)
	released, docs := build(true, nil, nil)
	for _, d := range docs {
		if d.Body != nil && (d.Kind == source.Article || d.Kind == source.Contribution) {
			t.Errorf("%s: the Markdown is still held", d.Path)
		}
	}
	if len(released.Articles) != len(kept.Articles) || len(released.Contributions) != len(kept.Contributions) || len(kept.Contributions) == 0 {
		t.Fatalf("%d articles and %d contributions, want %d and %d", len(released.Articles), len(released.Contributions), len(kept.Articles), len(kept.Contributions))
	}
	for i, a := range kept.Articles {
		if b := released.Articles[i]; b.Content() != a.Content() || b.Summary != a.Summary || b.Content() == "" {
			t.Errorf("article %s differs with Release", a.Slug)
		}
	}
	for i, c := range kept.Contributions {
		if d := released.Contributions[i]; d.Content() != c.Content() || d.Content() == "" {
			t.Errorf("contribution %s differs with Release", c.ID)
		}
	}

	sp, err := site.NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	for _, cache := range []*site.Cache{nil, site.NewCache()} {
		spooled, _ := build(true, sp, cache)
		for i, a := range kept.Articles {
			b := spooled.Articles[i]
			if !b.Body.Spooled() {
				t.Errorf("article %s: its HTML (%d bytes) is in memory", a.Slug, b.Body.Len())
			}
			if b.Content() != a.Content() || b.Summary != a.Summary {
				t.Errorf("article %s differs with a spool", a.Slug)
			}
			if got, want := spooled.PlainText(&b.Page), kept.PlainText(&a.Page); got != want || got == "" {
				t.Errorf("article %s: plain text differs with a spool", a.Slug)
			}
		}
		for i, c := range kept.Contributions {
			if d := spooled.Contributions[i]; d.Content() != c.Content() {
				t.Errorf("contribution %s differs with a spool", c.ID)
			}
		}
	}
	if err := sp.Err(); err != nil {
		t.Fatal(err)
	}
}
