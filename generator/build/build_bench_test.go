package build_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
	"github.com/foyerhub/foyer/generator/render"
)

var benchSite = synth.Options{Articles: 500, Contributions: 2500}

func benchModel(b *testing.B) *build.Model {
	b.Helper()
	m, err := build.LoadFS(context.Background(), synth.MapFS(benchSite), build.Options{Now: sitetest.Now})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkModel is the load and model stages (source, Markdown, site)
// of 500 articles and 2,500 contributions read from memory.
func BenchmarkModel(b *testing.B) {
	fsys := synth.MapFS(benchSite)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := build.LoadFS(context.Background(), fsys, build.Options{Now: sitetest.Now}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRender renders every file of that site, discarding them.
func BenchmarkRender(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := build.Render(context.Background(), m, func(string, []byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderArticle renders one article page: the most numerous.
func BenchmarkRenderArticle(b *testing.B) {
	m := benchModel(b)
	var job render.Job
	for _, j := range render.New(m.Site, m.Theme).Plan() {
		if strings.HasPrefix(j.Path, "articles/") && strings.Contains(m.Site.Articles[0].URL, strings.TrimSuffix(j.Path, "index.html")) {
			job = j
			break
		}
	}
	if job.Make == nil {
		b.Fatal("no job for the first article")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := job.Make(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishUnchanged is a second build onto disk with nothing
// changed: everything is rendered, compared and hard-linked.
func BenchmarkPublishUnchanged(b *testing.B) {
	m := benchModel(b)
	dest := filepath.Join(b.TempDir(), "public")
	if _, err := build.Publish(context.Background(), m, dest); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := build.Publish(context.Background(), m, dest)
		if err != nil {
			b.Fatal(err)
		}
		if res.Stats.Written != 0 {
			b.Fatalf("second build wrote %d files, want 0", res.Stats.Written)
		}
	}
}
