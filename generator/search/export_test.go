package search

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// The tables, for the parity test in package search_test (which imports
// the test kit, and through it render, which imports search).
var (
	Folds     = folds
	StopWords = stopWords
	Elisions  = elisions
)

// Query ranks idx's documents for q as search.js does for a finished
// query (exact terms, no prefix): by terms matched, then summed score,
// then the highest id. It returns document URLs.
func Query(idx *Index, q string) []string {
	chunks := map[string]map[string][]int{}
	docs := map[int]string{}
	for _, f := range idx.Files {
		switch {
		case len(f.Path) > 2 && f.Path[:2] == "t/":
			var c map[string][]int
			if err := json.Unmarshal(f.Data, &c); err != nil {
				panic(err)
			}
			chunks[f.Path] = c
		case len(f.Path) > 2 && f.Path[:2] == "d/":
			var d DocFile
			if err := json.Unmarshal(f.Data, &d); err != nil {
				panic(err)
			}
			id, _ := strconv.Atoi(strings.TrimSuffix(f.Path[2:], ".json"))
			docs[id] = d.URL
		}
	}
	type hit struct{ id, hits, score int }
	// Scores are compared as integers idf×tf, as search.js compares
	// their exact float products.
	byID := map[int]*hit{}
	seen := map[string]bool{}
	for _, term := range NewAnalyser(idx.Manifest.Lang).Analyse(q) {
		if seen[term] {
			continue
		}
		seen[term] = true
		ci := sort.Search(len(idx.Manifest.Chunks), func(i int) bool { return idx.Manifest.Chunks[i] > term }) - 1
		p := chunks["t/"+strconv.Itoa(ci)+".json"][term]
		if len(p) == 0 {
			continue
		}
		id, idf := 0, p[0]
		p = p[1:]
		for i := 0; i+1 < len(p); i += 2 {
			id += p[i]
			h := byID[id]
			if h == nil {
				h = &hit{id: id}
				byID[id] = h
			}
			h.hits++
			h.score += idf * p[i+1]
		}
	}
	var hits []*hit
	for _, h := range byID {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.hits != b.hits {
			return a.hits > b.hits
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.id > b.id
	})
	var out []string
	for _, h := range hits {
		out = append(out, docs[h.id])
	}
	return out
}
