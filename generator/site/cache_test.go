package site_test

import (
	"testing"
	"unsafe"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/site"
)

// The plain text of a document is extracted once and kept with its
// conversion, across builds and through the cache's file.
func TestCacheKeepsPlainText(t *testing.T) {
	fsys := synth.MapFS(synth.Options{Articles: 5, Contributions: 20, Members: 3, Seed: 2})
	cache := site.NewCache()
	first := sitetest.Build(t, fsys, build.Options{Cache: cache}).Model.Site
	a := first.Articles[0]
	text := first.PlainText(&a.Page)
	if want := markdown.PlainText(string(a.Content())); text != want || text == "" {
		t.Fatalf("PlainText = %q, want %q", text, want)
	}
	if again := first.PlainText(&a.Page); unsafe.StringData(again) != unsafe.StringData(text) {
		t.Error("the text was extracted again")
	}
	c := first.Contributions[0]
	if got, want := first.CommentText(c), markdown.PlainText(string(c.Content())); got != want || got == "" {
		t.Errorf("CommentText = %q, want %q", got, want)
	}

	dir := t.TempDir()
	if err := cache.Save(dir, nil); err != nil {
		t.Fatal(err)
	}
	read, sp, err := site.OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	second := sitetest.Build(t, fsys, build.Options{Cache: read}).Model.Site
	b := second.Article(a.Slug)
	if got := second.PlainText(&b.Page); got != text {
		t.Errorf("after the cache's file, PlainText = %q, want %q", got, text)
	}
	if read.Stale() {
		t.Error("a build of the same files changed the cache read back")
	}

	// Other HTML for the same file is converted to text again.
	b.Body = site.HTML("<p>Tout autre chose.</p>")
	if got := second.PlainText(&b.Page); got != "Tout autre chose." {
		t.Errorf("PlainText of changed HTML = %q", got)
	}
}
