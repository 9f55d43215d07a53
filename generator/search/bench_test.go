package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"sort"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/synth"
	"github.com/foyerhub/foyer/generator/render"
	"github.com/foyerhub/foyer/generator/search"
)

func gz(tb testing.TB, data []byte) int {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Len()
}

// synthDocs loads a synthetic hub of n articles and lists its search
// documents, as the build does.
func synthDocs(tb testing.TB, n int) ([]search.Doc, *build.Model) {
	tb.Helper()
	m, err := build.LoadFS(context.Background(), synth.MapFS(synth.Options{Articles: n, Contributions: n}), build.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	f := m.Theme.Funcs()
	return render.SearchDocs(m.Site, f.Date, f.Rel), m
}

// transfer is what a one-word query downloads, gzipped: the manifest,
// the script, and the largest chunk (the worst word). Result documents
// come on top: one small file per result shown.
type transfer struct {
	manifest, script, worstChunk, medianChunk, chunks, meanDoc int
}

func measure(tb testing.TB, idx *search.Index) transfer {
	tb.Helper()
	script, err := os.ReadFile(scriptPath)
	if err != nil {
		tb.Fatal(err)
	}
	tr := transfer{script: gz(tb, script)}
	var chunks []int
	docs, docBytes := 0, 0
	for _, f := range idx.Files {
		switch {
		case f.Path == "manifest.json":
			tr.manifest = gz(tb, f.Data)
		case f.Path[:2] == "t/":
			chunks = append(chunks, gz(tb, f.Data))
		case f.Path[:2] == "d/":
			docs++
			docBytes += gz(tb, f.Data)
		}
	}
	sort.Ints(chunks)
	tr.chunks = len(chunks)
	tr.worstChunk = chunks[len(chunks)-1]
	tr.medianChunk = chunks[len(chunks)/2]
	tr.meanDoc = docBytes / max(1, docs)
	return tr
}

// The one-word budget of the issue, on a hub of 1,000 articles (the
// benchmark measures 10,000): manifest + script + the largest chunk
// within 100 kB gzip.
func TestTransferBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1,000-article hub")
	}
	docs, _ := synthDocs(t, 1000)
	idx := search.Build(docs, search.Options{Lang: "fr"})
	tr := measure(t, idx)
	total := tr.manifest + tr.script + tr.worstChunk
	t.Logf("1,000 articles: %d chunks; gzip: manifest %d B, script %d B, largest chunk %d B, median chunk %d B, mean doc %d B; worst one-word query %d B",
		tr.chunks, tr.manifest, tr.script, tr.worstChunk, tr.medianChunk, tr.meanDoc, total)
	if total > 100_000 {
		t.Errorf("a one-word query downloads %d B gzip, over 100 kB", total)
	}
}

// BenchmarkIndex builds the index of the 10,000-article benchmark hub
// and reports what a one-word query transfers.
func BenchmarkIndex(b *testing.B) {
	docs, _ := synthDocs(b, 10_000)
	var idx *search.Index
	b.ResetTimer()
	for b.Loop() {
		idx = search.Build(docs, search.Options{Lang: "fr"})
	}
	b.StopTimer()
	tr := measure(b, idx)
	b.ReportMetric(float64(tr.manifest+tr.script+tr.worstChunk), "B-gzip/worst-query")
	b.ReportMetric(float64(tr.manifest), "B-gzip/manifest")
	b.ReportMetric(float64(tr.script), "B-gzip/script")
	b.ReportMetric(float64(tr.worstChunk), "B-gzip/largest-chunk")
	b.ReportMetric(float64(tr.meanDoc), "B-gzip/doc")
	b.ReportMetric(float64(tr.chunks), "chunks")
}
