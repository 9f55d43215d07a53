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
func BenchmarkSaveToServed(b *testing.B) {
	dir := b.TempDir()
	o := synth.Options{Articles: 10000, Contributions: 20000}
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
	var took []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		mark := fmt.Sprintf("Modification numéro %d.", i)
		start := time.Now()
		r.write(b, article, string(orig)+"\n"+mark+"\n")
		if rep := r.next(b); rep.Err != nil {
			b.Fatal(rep.Err)
		}
		took = append(took, time.Since(start))
		b.StopTimer()
		if !strings.Contains(r.get(b, page), mark) {
			b.Fatalf("%s does not show %q after the rebuild", page, mark)
		}
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
}
