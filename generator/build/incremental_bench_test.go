package build_test

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

// BenchmarkIncrementalBodyEdit rebuilds a 10,000-article hub in memory
// after a body edit of one article.
func BenchmarkIncrementalBodyEdit(b *testing.B) {
	o := synth.Options{Articles: 10000, Contributions: 20000}
	fsys := synth.MapFS(o)
	inc := build.NewIncremental(fsys, build.Options{})
	if _, err := inc.Build(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	p := synth.ArticlePaths(o)[5000]
	orig := fsys[p].Data
	var load, model, render time.Duration
	for i := 0; b.Loop(); i++ {
		fsys[p] = &fstest.MapFile{Data: append(append([]byte{}, orig...), byte('a'+i%26)), Mode: 0o644}
		start := time.Now()
		u, err := inc.Build(context.Background(), []string{p})
		if err != nil {
			b.Fatal(err)
		}
		load += u.Timings.Load
		model += u.Timings.Model
		render += time.Since(start) - u.Timings.Load - u.Timings.Model
		b.ReportMetric(float64(len(u.Files)), "files")
	}
	n := float64(b.N)
	b.ReportMetric(float64(load.Milliseconds())/n, "load-ms")
	b.ReportMetric(float64(model.Milliseconds())/n, "model-ms")
	b.ReportMetric(float64(render.Milliseconds())/n, "plan+render-ms")
}
