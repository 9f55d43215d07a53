package search_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/search"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const filler = "Un texte de remplissage sur la vie des associations, les réunions et les projets communs du quartier."

// rankingDocs: the same word in a title, a tag and bodies; two bodies
// alike but for their dates.
func rankingDocs() []search.Doc {
	return []search.Doc{
		{URL: "/body-old/", Title: "Un billet ancien", Date: day("2025-01-10"), Body: "La modération demande du temps. " + filler},
		{URL: "/title/", Title: "Modération", Date: day("2024-05-01"), Body: filler + " Rien d’autre."},
		{URL: "/body-new/", Title: "Un billet récent", Date: day("2026-02-10"), Body: "La modération demande du temps. " + filler},
		{URL: "/tag/", Title: "Des nouvelles", Date: day("2023-03-03"), Terms: []string{"modération"}, Body: filler + " Autre chose."},
		{URL: "/none/", Title: "Sans rapport", Date: day("2026-06-01"), Body: filler},
		{URL: "/both/", Title: "Crise et modération", Date: day("2022-01-01"), Body: "Une crise. " + filler},
	}
}

func TestRanking(t *testing.T) {
	idx := search.Build(rankingDocs(), search.Options{Lang: "fr"})
	tests := []struct {
		q    string
		want []string
	}{
		// Title, then tag, then bodies; equal bodies: newest first.
		{"modérations", []string{"/title/", "/both/", "/tag/", "/body-new/", "/body-old/"}},
		{"MODERATION", []string{"/title/", "/both/", "/tag/", "/body-new/", "/body-old/"}},
		// A document matching both words comes before stronger single matches.
		{"crise modération", []string{"/both/", "/title/", "/tag/", "/body-new/", "/body-old/"}},
		{"pamplemousse", nil},
		{"les de la", nil},
	}
	for _, tt := range tests {
		if got := search.Query(idx, tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("Query(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestIdsOldestFirst(t *testing.T) {
	idx := search.Build(append(rankingDocs(), search.Doc{URL: "/page/", Title: "Page sans date"}), search.Options{})
	var urls []string
	for _, f := range idx.Files {
		if strings.HasPrefix(f.Path, "d/") {
			var d search.DocFile
			if err := json.Unmarshal(f.Data, &d); err != nil {
				t.Fatal(err)
			}
			urls = append(urls, f.Path+" "+d.URL)
		}
	}
	want := []string{"d/0.json /page/", "d/1.json /both/", "d/2.json /tag/", "d/3.json /title/", "d/4.json /body-old/", "d/5.json /body-new/", "d/6.json /none/"}
	if !slices.Equal(urls, want) {
		t.Errorf("doc files:\n got %q\nwant %q", urls, want)
	}
}

func TestChunking(t *testing.T) {
	var docs []search.Doc
	for i := range 300 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/a%d/", i), Date: day("2025-01-01").AddDate(0, 0, i),
			Title: fmt.Sprintf("mot%dx commun", i), Body: fmt.Sprintf("terme%dz partagé texte%dq", i%37, i%11)})
	}
	const target = 600
	idx := search.Build(docs, search.Options{Lang: "fr", ChunkBytes: target})
	m := idx.Manifest
	if m.Docs != 300 || m.Lang != "fr" || m.Format != search.Format || m.Analyser != search.AnalyserVersion {
		t.Fatalf("manifest %+v", m)
	}
	if len(m.Chunks) < 10 || m.Chunks[0] != "" || !slices.IsSorted(m.Chunks) {
		t.Fatalf("chunk starts %q: want many, sorted, the first empty", m.Chunks)
	}
	if idx.Files[0].Path != "manifest.json" {
		t.Fatalf("first file %s, want manifest.json", idx.Files[0].Path)
	}
	seen := map[string]int{}
	for i := range m.Chunks {
		path := fmt.Sprintf("t/%d.json", i)
		f := file(t, idx, path)
		var c map[string][]int
		if err := json.Unmarshal(f, &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		largest := 0
		for term, p := range c {
			seen[term]++
			if term < m.Chunks[i] || i+1 < len(m.Chunks) && term >= m.Chunks[i+1] {
				t.Errorf("%s holds %q, outside [%q, next)", path, term, m.Chunks[i])
			}
			if len(p) < 3 || len(p)%2 != 1 || p[0] < 1 {
				t.Errorf("%s: %q has %v, want an idf then pairs", path, term, p)
			}
			for j := 2; j < len(p); j += 2 {
				if p[j] < 1 || (j > 2 && p[j-1] < 1) {
					t.Errorf("%s: %q: gap %d score %d", path, term, p[j-1], p[j])
				}
			}
			e, _ := json.Marshal(map[string][]int{term: p})
			largest = max(largest, len(e))
		}
		if len(f) > target+largest {
			t.Errorf("%s is %d bytes, over the %d target by more than one term (%d)", path, len(f), target, largest)
		}
	}
	// Every term appears in exactly one chunk: "commun" is in all 300 docs.
	for term, n := range seen {
		if n != 1 {
			t.Errorf("term %q in %d chunks", term, n)
		}
	}
	if got := search.Query(idx, "commun"); len(got) != 300 || got[0] != "/a299/" {
		t.Errorf("commun: %d results, first %v; want 300, newest first", len(got), got[:min(1, len(got))])
	}
	if got := search.Query(idx, "mot17x"); !slices.Equal(got, []string{"/a17/"}) {
		t.Errorf("mot17x: %q", got)
	}
}

func TestEmptyIndex(t *testing.T) {
	idx := search.Build(nil, search.Options{})
	if len(idx.Files) != 1 || idx.Manifest.Docs != 0 {
		t.Fatalf("files %d, docs %d; want the manifest alone", len(idx.Files), idx.Manifest.Docs)
	}
	if !strings.Contains(string(idx.Files[0].Data), `"chunks":[]`) {
		t.Errorf("manifest %s: want an empty chunk list", idx.Files[0].Data)
	}
}

// Hostile text: markup stays text in the JSON, excerpts are bounded.
func TestDocFileHostile(t *testing.T) {
	long := strings.Repeat("mot ", 5000)
	idx := search.Build([]search.Doc{{URL: "/x/", Title: `<script>alert("x")</script>`, Author: "</script><img src=x onerror=alert(1)>", Body: long}}, search.Options{ExcerptRunes: 100})
	data := file(t, idx, "d/0.json")
	if strings.Contains(string(data), "<script>") || strings.Contains(string(data), "<img") {
		t.Errorf("doc file carries raw markup: %s", data)
	}
	var d search.DocFile
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.Title != `<script>alert("x")</script>` {
		t.Errorf("title %q did not round-trip", d.Title)
	}
	if n := len([]rune(d.Text)); n > 102 || !strings.HasSuffix(d.Text, " …") {
		t.Errorf("excerpt of %d runes %q: want at most 100 and an ellipsis", n, d.Text[:min(40, len(d.Text))])
	}
}

func file(t *testing.T, idx *search.Index, path string) []byte {
	t.Helper()
	for _, f := range idx.Files {
		if f.Path == path {
			return f.Data
		}
	}
	t.Fatalf("no index file %s", path)
	return nil
}

// Text gives the same index as Bodies given at once, and is asked for
// again when a document's file is made: the index keeps no text.
func TestTextOnDemand(t *testing.T) {
	docs := rankingDocs()
	want := search.Build(docs, search.Options{Lang: "fr"})
	bare := make([]search.Doc, len(docs))
	asked := make([]int, len(docs))
	for i, d := range docs {
		d.Body = ""
		bare[i] = d
	}
	text := func(i int) string { asked[i]++; return docs[i].Body }
	got := search.Build(bare, search.Options{Lang: "fr", Text: text})
	if len(got.Files) != len(want.Files) {
		t.Fatalf("%d files, want %d", len(got.Files), len(want.Files))
	}
	for i, f := range want.Files {
		if got.Files[i].Path != f.Path || string(got.Files[i].Data) != string(f.Data) {
			t.Errorf("%s differs when the text comes from Text", f.Path)
		}
	}
	for i, n := range asked {
		if n < 2 {
			t.Errorf("document %d: text asked for %d times, want once to analyse and once for its file", i, n)
		}
	}
}
