package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

// benchDocs returns the bodies of a few synthetic articles and
// contributions.
func benchDocs(b *testing.B) (articles, contributions [][]byte) {
	b.Helper()
	fsys := synth.MapFS(synth.Options{Articles: 20, Contributions: 100, Members: 10})
	for p, f := range fsys {
		body := f.Data
		if _, rest, ok := strings.Cut(string(body), "\n---\n"); ok {
			body = []byte(rest)
		}
		switch {
		case strings.HasPrefix(p, "content/articles/"):
			articles = append(articles, body)
		case strings.HasPrefix(p, "content/contributions/"):
			contributions = append(contributions, body)
		}
	}
	return articles, contributions
}

func BenchmarkConvertArticle(b *testing.B) {
	docs, _ := benchDocs(b)
	c := New(Options{Lang: "fr"})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Convert(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkConvertContribution(b *testing.B) {
	_, docs := benchDocs(b)
	c := New(Options{Lang: "fr"})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := c.Contribution(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkTypography(b *testing.B) {
	text := strings.Repeat(`Il a dit "bonjour" : c’est l'heure, 12:30 ! Voir https://example.org/a?b=c; puis... rien ? `, 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Typography("fr", text)
	}
}

// BenchmarkConvertCodeHeavy converts an article made mostly of code
// blocks in ten languages, where highlighting dominates.
func BenchmarkConvertCodeHeavy(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "code-heavy.md"))
	if err != nil {
		b.Fatal(err)
	}
	src := []byte(stripFrontMatter(string(data)))
	c := New(Options{Lang: "fr"})
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := c.Convert(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountWords counts the words of the synthetic articles'
// Markdown, accented French with some code and tables.
func BenchmarkCountWords(b *testing.B) {
	articles, _ := benchDocs(b)
	text := bytes.Join(articles, nil)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		countWords(text)
	}
}
