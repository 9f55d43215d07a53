package source

import (
	"context"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

func BenchmarkParseArticle(b *testing.B) {
	fsys := synth.MapFS(synth.Options{Articles: 20, Members: 10})
	var paths []string
	for p := range fsys {
		if strings.HasPrefix(p, "content/articles/") {
			paths = append(paths, p)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := paths[i%len(paths)]
		if _, err := Parse(p, fsys[p].Data); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkLoad reads a whole synthetic site of 500 articles and 2,500
// contributions from memory.
func BenchmarkLoad(b *testing.B) {
	fsys := synth.MapFS(synth.Options{Articles: 500, Contributions: 2500})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), fsys); err != nil {
			b.Fatal(err)
		}
	}
}
