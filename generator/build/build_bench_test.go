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
	"github.com/foyerhub/foyer/generator/theme"
	"github.com/foyerhub/foyer/themes"
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

// freshTheme loads the default theme again: a theme keeps rendered
// fragments for the length of a build (cached), so a benchmark that
// renders the same pages again and again gives each iteration a fresh
// one, untimed, as each build has.
func freshTheme(b *testing.B, m *build.Model) *theme.Theme {
	b.Helper()
	th, err := theme.Load(theme.Sources{Theme: themes.Default(), ThemePath: "themes/default", Lang: m.Config.Language, BaseURL: m.Config.BaseURL})
	if err != nil {
		b.Fatal(err)
	}
	return th
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
		b.StopTimer()
		m.Theme = freshTheme(b, m)
		b.StartTimer()
		if err := build.Render(context.Background(), m, func(string, []byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderArticle renders one article page: the most numerous.
// Each iteration has a fresh theme that has already rendered ten other
// articles (untimed), as in a build: the templates are ready, and this
// article's own fragments (its byline, its item in others' lists) are
// not cached yet.
func BenchmarkRenderArticle(b *testing.B) {
	m := benchModel(b)
	r := render.New(m.Site, m.Theme)
	var jobs []render.Job // the first article's page, then ten others
	for _, a := range m.Site.Articles[:11] {
		for _, j := range r.Plan() {
			if j.Path == strings.TrimPrefix(a.URL, "/")+"index.html" {
				jobs = append(jobs, j)
			}
		}
	}
	if len(jobs) != 11 {
		b.Fatalf("found %d of the 11 article jobs", len(jobs))
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		r.Theme = freshTheme(b, m) // the jobs read r.Theme when they run
		for _, j := range jobs[1:] {
			if _, err := j.Bytes(); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if _, err := jobs[0].Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPublishUnchanged is a second build onto disk with nothing
// changed and no build cache: everything is rendered, compared and
// hard-linked.
func BenchmarkPublishUnchanged(b *testing.B) {
	m := benchModel(b)
	dest := filepath.Join(b.TempDir(), "public")
	if _, err := build.Publish(context.Background(), m, dest); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		m.Theme = freshTheme(b, m)
		b.StartTimer()
		res, err := build.Publish(context.Background(), m, dest)
		if err != nil {
			b.Fatal(err)
		}
		if res.Stats.Written != 0 {
			b.Fatalf("second build wrote %d files, want 0", res.Stats.Written)
		}
	}
}
