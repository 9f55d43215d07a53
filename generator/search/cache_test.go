package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// cacheDocs are n documents of varied words, dates and fields.
func cacheDocs(n int) []Doc {
	words := strings.Fields("modération communauté réunion l’association des membres forum vote rituels journaux animer écoute crise outils mesure œuvre été Ελληνικά 2026 projets quartier")
	rnd := rand.New(rand.NewPCG(7, 11))
	text := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(words[rnd.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	docs := make([]Doc, n)
	for i := range docs {
		d := Doc{
			URL: fmt.Sprintf("/articles/a%03d/", i), Title: text(4), Author: "Membre " + strconv.Itoa(i%5),
			Date:     time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i%17), // dates alike: the URL orders them
			Terms:    []string{words[i%len(words)]},
			Summary:  text(8),
			Body:     text(60 + i%40),
			Comments: []string{text(10), text(5)},
		}
		d.DateText = d.Date.Format("2 January 2006")
		if i%9 == 0 {
			d.Date, d.DateText = time.Time{}, "" // a page
		}
		docs[i] = d
	}
	return docs
}

// indexDiff tells how got differs from want, or returns "".
func indexDiff(got, want *Index) string {
	if len(got.Files) != len(want.Files) {
		return fmt.Sprintf("%d files, a fresh build has %d", len(got.Files), len(want.Files))
	}
	for i, w := range want.Files {
		switch g := got.Files[i]; {
		case g.Path != w.Path:
			return fmt.Sprintf("file %d is %s, a fresh build's is %s", i, g.Path, w.Path)
		case !bytes.Equal(g.Data, w.Data):
			return fmt.Sprintf("%s differs from a fresh build's:\n%.300s\n%.300s", g.Path, g.Data, w.Data)
		}
	}
	if gm, wm := fmt.Sprint(got.Manifest), fmt.Sprint(want.Manifest); gm != wm {
		return fmt.Sprintf("manifest %s, a fresh build has %s", gm, wm)
	}
	return ""
}

// A cache gives the index a fresh build gives, after edits of every
// field, additions, removals and reorderings, and analyses only the
// documents that changed.
func TestCacheGivesAFreshBuildsIndex(t *testing.T) {
	docs := cacheDocs(60)
	opts := Options{Lang: "fr", ChunkBytes: 2000}
	c := NewCache()
	const all = -1
	steps := []struct {
		name     string
		edit     func()
		analysed int // documents analysed again, or all
		opts     Options
	}{
		{"first build", func() {}, all, opts},
		{"nothing changed", func() {}, 0, opts},
		{"body", func() { docs[3].Body += " pamplemousse" }, 1, opts},
		{"title", func() { docs[4].Title = "Un titre neuf" }, 1, opts},
		{"author", func() { docs[5].Author = "Quelqu’un d’autre" }, 1, opts},
		{"summary", func() { docs[6].Summary = "résumé changé" }, 1, opts},
		{"terms", func() { docs[7].Terms = append(docs[7].Terms, "nouvelle étiquette") }, 1, opts},
		{"comment", func() { docs[8].Comments[1] = "un commentaire corrigé" }, 1, opts},
		{"comment added", func() { docs[8].Comments = append(docs[8].Comments, "encore un") }, 1, opts},
		{"date text", func() { docs[10].DateText = "le dix" }, 1, opts},
		{"date: the document moves", func() { docs[11].Date = docs[11].Date.AddDate(2, 0, 0) }, 1, opts},
		{"zone: the same time, another day", func() { docs[12].Date = docs[12].Date.In(time.FixedZone("UTC+13", 13*3600)) }, 1, opts},
		{"words never seen", func() { docs[13].Body += " zzzmot aaamot mmmot" }, 1, opts},
		{"url", func() { docs[14].URL = "/articles/renomme/" }, 1, opts},
		{"two added", func() {
			docs = append(docs, Doc{URL: "/articles/neuf/", Title: "Tout neuf", Date: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Body: "neuf"},
				Doc{URL: "/articles/milieu/", Title: "Au milieu", Date: docs[20].Date, Body: "milieu modération"})
		}, 2, opts},
		{"three removed", func() { docs = slices.Delete(docs, 3, 6) }, 0, opts},
		{"the only document with a term removed", func() {
			docs = slices.DeleteFunc(docs, func(d Doc) bool { return strings.Contains(d.Body, "zzzmot") })
		}, 0, opts},
		{"order given", func() { slices.Reverse(docs) }, 0, opts},
		{"chunk size", func() {}, 0, Options{Lang: "fr", ChunkBytes: 500}},
		{"excerpt length", func() {}, all, Options{Lang: "fr", ChunkBytes: 500, ExcerptRunes: 30}},
		{"language", func() {}, all, Options{Lang: "en", ChunkBytes: 500, ExcerptRunes: 30}},
		{"nothing left", func() { docs = nil }, 0, opts},
	}
	for _, st := range steps {
		st.edit()
		cached := st.opts
		cached.Cache = c
		if diff := indexDiff(Build(docs, cached), Build(docs, st.opts)); diff != "" {
			t.Fatalf("%s: %s", st.name, diff)
		}
		want := st.analysed
		if want == all {
			want = len(docs)
		}
		if c.miss != want {
			t.Errorf("%s: analysed %d documents, want %d", st.name, c.miss, want)
		}
		if len(c.docs) != len(docs) {
			t.Errorf("%s: the cache holds %d documents, the build %d", st.name, len(c.docs), len(docs))
		}
	}
}

// A build with the same documents reuses the last one's files.
func TestCacheReusesUnchangedIndex(t *testing.T) {
	docs := cacheDocs(20)
	c := NewCache()
	a := Prepare(docs, Options{Cache: c})
	b := Prepare(slices.Clone(docs), Options{Cache: c})
	if a.layout != b.layout {
		t.Error("unchanged documents were merged again")
	}
	docs[0].Body += " changé"
	if d := Prepare(docs, Options{Cache: c}); d.layout == b.layout {
		t.Error("a changed document did not change the index")
	}
}

// Prepare makes the documents' files and the manifest only when asked,
// and says which document each file shows.
func TestPreparedMakesFilesOnDemand(t *testing.T) {
	docs := cacheDocs(30)
	slices.Reverse(docs) // ids are not the order given
	want := Build(docs, Options{})
	p := Prepare(docs, Options{Cache: NewCache()})
	if p.Len() != len(want.Files) {
		t.Fatalf("%d files, want %d", p.Len(), len(want.Files))
	}
	for _, e := range p.docs {
		if e.sum != [32]byte{} {
			t.Fatal("a document's file was made before it was asked for")
		}
	}
	shown := 0
	for i := p.Len() - 1; i >= 0; i-- { // the manifest last, as render asks
		if p.Path(i) != want.Files[i].Path || !bytes.Equal(p.Data(i), want.Files[i].Data) {
			t.Fatalf("file %d: %s differs from Build's %s", i, p.Path(i), want.Files[i].Path)
		}
		if k := p.Doc(i); k >= 0 {
			var f DocFile
			if err := json.Unmarshal(p.Data(i), &f); err != nil {
				t.Fatal(err)
			}
			if f.URL != docs[k].URL {
				t.Errorf("%s shows %s, Doc says %s", p.Path(i), f.URL, docs[k].URL)
			}
			shown++
		} else if strings.HasPrefix(p.Path(i), "d/") {
			t.Errorf("%s: no document", p.Path(i))
		}
	}
	if shown != len(docs) {
		t.Errorf("%d files show a document, want %d", shown, len(docs))
	}
}

// Builds sharing a cache at the same time each get their own index.
func TestCacheConcurrentBuilds(t *testing.T) {
	all := cacheDocs(40)
	c := NewCache()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for round := range 3 {
				docs := slices.Clone(all[g*5 : 20+g*5])
				docs[round].Body += fmt.Sprintf(" tour%d groupe%d", round, g)
				got := Build(docs, Options{Cache: c, ChunkBytes: 1000})
				want := Build(docs, Options{ChunkBytes: 1000})
				if diff := indexDiff(got, want); diff != "" {
					t.Errorf("goroutine %d, round %d: %s", g, round, diff)
				}
			}
		})
	}
	wg.Wait()
}
