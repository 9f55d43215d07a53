package site

import (
	"slices"
	"sort"
	"strconv"

	"golang.org/x/text/collate"

	"github.com/foyerhub/foyer/generator/slug"
	"github.com/foyerhub/foyer/generator/source"
)

type pendingTerms struct {
	article    *Article
	categories []string
	tags       []string
	doc        *source.Document
}

// taxonomy groups the published articles by term. Names that fold to
// the same slug (« Éthique », « éthique ») are one term, named as first
// seen in date order.
func (b *builder) taxonomy(name string, field func(*Article) *[]*Term, col *collate.Collator) *Taxonomy {
	tax := &Taxonomy{Name: name, URL: "/" + name + "/"}
	bySlug := make(map[string]*Term)
	// b.pending follows document order; walk articles newest first so
	// that each term's list is sorted without another sort.
	names := make(map[*Article][]string, len(b.pending))
	docs := make(map[*Article]*source.Document, len(b.pending))
	for _, p := range b.pending {
		if name == "categories" {
			names[p.article] = p.categories
		} else {
			names[p.article] = p.tags
		}
		docs[p.article] = p.doc
	}
	for _, a := range b.site.Articles {
		for _, n := range names[a] {
			s := slug.Make(n)
			if s == "" {
				b.warnings.Add(docs[a].Errorf(name, "front matter: %s %q has no letter or digit: ignored", name, n))
				continue
			}
			t := bySlug[s]
			if t == nil {
				t = &Term{Taxonomy: name, Name: n, Slug: s, URL: tax.URL + s + "/"}
				t.Permalink = b.cfg.URL(t.URL)
				bySlug[s] = t
				tax.Terms = append(tax.Terms, t)
			}
			if len(t.Articles) > 0 && t.Articles[len(t.Articles)-1] == a {
				continue // the same term twice in one article
			}
			t.Articles = append(t.Articles, a)
			*field(a) = append(*field(a), t)
		}
	}
	sort.SliceStable(tax.Terms, func(i, j int) bool {
		if c := col.CompareString(tax.Terms[i].Name, tax.Terms[j].Name); c != 0 {
			return c < 0
		}
		return tax.Terms[i].Slug < tax.Terms[j].Slug
	})
	return tax
}

// archives groups articles by year and month, newest first.
func archives(articles []*Article) []*Year {
	var years []*Year
	for _, a := range articles {
		y, m := a.Date.Year(), a.Date.Month()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, &Year{Year: y, URL: "/archives/" + strconv.Itoa(y) + "/"})
		}
		year := years[len(years)-1]
		year.Articles = append(year.Articles, a)
		if len(year.Months) == 0 || year.Months[len(year.Months)-1].Month != m {
			year.Months = append(year.Months, &Month{Year: y, Month: m, URL: year.URL + twoDigits(int(m)) + "/"})
		}
		month := year.Months[len(year.Months)-1]
		month.Articles = append(month.Articles, a)
	}
	return years
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// relatedWindow bounds how many neighbours in each term's date-ordered
// list an article looks at, so related articles cost O(articles × terms)
// and never all pairs.
const relatedWindow = 40

// relate gives each article up to three related articles: most shared
// tags (weight 2) and categories (weight 1), then the closest in date.
func relate(articles []*Article) {
	pos := make(map[*Article]int, len(articles))
	for i, a := range articles {
		pos[a] = i
	}
	index := make(map[*Term]map[*Article]int) // article → index in term list
	indexOf := func(t *Term, a *Article) int {
		m := index[t]
		if m == nil {
			m = make(map[*Article]int, len(t.Articles))
			for i, x := range t.Articles {
				m[x] = i
			}
			index[t] = m
		}
		return m[a]
	}
	scores := make(map[*Article]int)
	for _, a := range articles {
		clear(scores)
		add := func(terms []*Term, weight int) {
			for _, t := range terms {
				i := indexOf(t, a)
				lo, hi := max(0, i-relatedWindow), min(len(t.Articles), i+relatedWindow+1)
				for _, other := range t.Articles[lo:hi] {
					if other != a {
						scores[other] += weight
					}
				}
			}
		}
		add(a.Tags, 2)
		add(a.Categories, 1)
		if len(scores) == 0 {
			continue
		}
		// The best three, in one pass: most shared terms, then closest
		// in date, then newest. The order is total, so this is the
		// head of a sort of every candidate.
		better := func(c, d *Article) bool {
			if sc, sd := scores[c], scores[d]; sc != sd {
				return sc > sd
			}
			if dc, dd := abs(pos[c]-pos[a]), abs(pos[d]-pos[a]); dc != dd {
				return dc < dd
			}
			return pos[c] < pos[d]
		}
		var top [3]*Article
		n := 0
		for c := range scores {
			i := n
			switch {
			case n < len(top):
				n++
			case better(c, top[n-1]):
				i = n - 1
			default:
				continue
			}
			for ; i > 0 && better(c, top[i-1]); i-- {
				top[i] = top[i-1]
			}
			top[i] = c
		}
		a.Related = slices.Clone(top[:n])
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
