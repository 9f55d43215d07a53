package synth_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

func TestDeterministic(t *testing.T) {
	o := synth.Options{Articles: 30, Contributions: 120, Seed: 7}
	a, b := synth.MapFS(o), synth.MapFS(o)
	if len(a) != len(b) {
		t.Fatalf("file counts differ: %d, %d", len(a), len(b))
	}
	for p, f := range a {
		if g, ok := b[p]; !ok || !bytes.Equal(f.Data, g.Data) {
			t.Fatalf("%s differs between two runs with the same seed", p)
		}
	}
	other := synth.MapFS(synth.Options{Articles: 30, Contributions: 120, Seed: 8})
	same := true
	for p, f := range a {
		if g, ok := other[p]; !ok || !bytes.Equal(f.Data, g.Data) {
			same = false
		}
	}
	if same {
		t.Fatal("seeds 7 and 8 made the same site")
	}
}

func TestBuilds(t *testing.T) {
	o := synth.Options{Articles: 40, Contributions: 200, Members: 20}
	fsys := synth.MapFS(o)
	out := sitetest.Build(t, fsys, build.Options{})
	m := out.Model
	if got := len(m.Site.Articles); got != 40 {
		t.Errorf("articles: got %d, want 40", got)
	}
	if got := len(m.Site.Members); got != 20 {
		t.Errorf("members: got %d, want 20", got)
	}
	if n := len(m.Site.Categories.Terms); n != 8 {
		t.Errorf("categories: got %d, want 8", n)
	}
	// About 90% of the contributions are approved.
	if n := len(m.Site.Contributions); n < 150 || n > 200 {
		t.Errorf("approved contributions: got %d of 200", n)
	}
	for _, w := range m.Warnings {
		t.Errorf("warning: %v", w)
	}
	replies := 0
	for _, c := range m.Site.Contributions {
		if c.Parent != nil {
			replies++
		}
	}
	if replies == 0 {
		t.Error("no threaded replies")
	}
	words := 0
	for _, a := range m.Site.Articles {
		words += a.Words
	}
	if avg := words / len(m.Site.Articles); avg < 550 || avg > 900 {
		t.Errorf("average words per article: %d, want about 700", avg)
	}
	body := out.File(t, strings.TrimPrefix(m.Site.Articles[0].URL, "/")+"index.html")
	for _, want := range []string{"<table>", "<ul>", "<h2", "<pre", "<a href"} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	o := synth.Options{Articles: 5, Contributions: 10, Members: 3}
	if err := synth.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	for _, p := range synth.ArticlePaths(o) {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "foyer.yaml")); err != nil {
		t.Error(err)
	}
}
