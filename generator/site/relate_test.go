package site

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// TestRelatedAreTheBestCandidates checks relate's one-pass selection
// against a sort of every candidate, on articles with random terms.
func TestRelatedAreTheBestCandidates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	terms := make([]*Term, 12)
	for i := range terms {
		terms[i] = &Term{Name: "t" + strconv.Itoa(i)}
	}
	articles := make([]*Article, 300)
	for i := range articles {
		a := &Article{}
		a.Slug = "a" + strconv.Itoa(i)
		for _, t := range terms {
			switch r := rng.IntN(10); {
			case r == 0:
				a.Tags = append(a.Tags, t)
				t.Articles = append(t.Articles, a)
			case r == 1 && len(a.Categories) == 0:
				a.Categories = append(a.Categories, t)
				t.Articles = append(t.Articles, a)
			}
		}
		articles[i] = a
	}
	relate(articles)
	pos := make(map[*Article]int)
	for i, a := range articles {
		pos[a] = i
	}
	some := 0
	for _, a := range articles {
		want := bestBySort(a, pos)
		if !slices.Equal(a.Related, want) {
			t.Fatalf("%s: related %v, want %v", a.Slug, slugs(a.Related), slugs(want))
		}
		if len(want) == 3 {
			some++
		}
	}
	if some == 0 {
		t.Fatal("no article has three related: the test proves nothing")
	}
}

func bestBySort(a *Article, pos map[*Article]int) []*Article {
	scores := map[*Article]int{}
	for _, w := range []struct {
		terms  []*Term
		weight int
	}{{a.Tags, 2}, {a.Categories, 1}} {
		for _, t := range w.terms {
			i := slices.Index(t.Articles, a)
			for _, o := range t.Articles[max(0, i-relatedWindow):min(len(t.Articles), i+relatedWindow+1)] {
				if o != a {
					scores[o] += w.weight
				}
			}
		}
	}
	var cands []*Article
	for c := range scores {
		cands = append(cands, c)
	}
	sort.Slice(cands, func(i, j int) bool {
		ci, cj := cands[i], cands[j]
		if scores[ci] != scores[cj] {
			return scores[ci] > scores[cj]
		}
		if di, dj := abs(pos[ci]-pos[a]), abs(pos[cj]-pos[a]); di != dj {
			return di < dj
		}
		return pos[ci] < pos[cj]
	})
	if len(cands) == 0 {
		return nil
	}
	return cands[:min(3, len(cands))]
}

func slugs(as []*Article) []string {
	var s []string
	for _, a := range as {
		s = append(s, a.Slug)
	}
	return s
}
