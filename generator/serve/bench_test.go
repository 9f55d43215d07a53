package serve_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

// BenchmarkSaveToServed measures, on a generated hub of 10,000 articles,
// the time from saving an article to its new page being served: watcher
// debounce, incremental rebuild and swap included. It reports the median.
// The search index, made again after the pages are served, is not
// counted; its time is reported apart (index-ms, median).
func BenchmarkSaveToServed(b *testing.B) {
	dir := b.TempDir()
	o := synth.Options{Articles: 10000, Contributions: 50000}
	if err := synth.Write(dir, o); err != nil {
		b.Fatal(err)
	}
	r := startDir(b, dir, 0)
	article := synth.ArticlePaths(o)[5000]
	orig, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(article)))
	if err != nil {
		b.Fatal(err)
	}
	page := "/articles/" + strings.TrimSuffix(filepath.Base(article), ".md") + "/"
	var took, index []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		mark := fmt.Sprintf("Modification numéro %d.", i)
		start := time.Now()
		r.write(b, article, string(orig)+"\n"+mark+"\n")
		rep := r.next(b)
		if rep.Err != nil {
			b.Fatal(rep.Err)
		}
		// The page was served before the rebuild ended (the search index
		// is made after the pages).
		took = append(took, time.Since(start)-(rep.Took-rep.Served))
		index = append(index, rep.Took-rep.Served)
		b.StopTimer()
		if !strings.Contains(r.get(b, page), mark) {
			b.Fatalf("%s does not show %q after the rebuild", page, mark)
		}
		b.StartTimer()
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(took), "ms-median")
	b.ReportMetric(median(index), "index-ms")
}
