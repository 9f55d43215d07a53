package site

import (
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
	slugs := make(map[string]string) // a few dozen names, tens of thousands of uses
	for _, a := range b.site.Articles {
		for _, n := range names[a] {
			s, ok := slugs[n]
			if !ok {
				s = slug.Make(n)
				slugs[n] = s
			}
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
	// Articles and terms by number, so that the loops below index slices
	// rather than hash pointers.
	pos := make(map[*Article]int32, len(articles))
	for i, a := range articles {
		pos[a] = int32(i)
	}
	type termList struct {
		members []int32 // positions of the term's articles, in its order
		at      []int32 // article position → index in members, or -1
	}
	lists := make(map[*Term]*termList)
	listOf := func(t *Term) *termList {
		l := lists[t]
		if l == nil {
			l = &termList{members: make([]int32, len(t.Articles)), at: make([]int32, len(articles))}
			for i := range l.at {
				l.at[i] = -1
			}
			for i, x := range t.Articles {
				if p, ok := pos[x]; ok {
					l.members[i], l.at[p] = p, int32(i)
				} else {
					l.members[i] = -1
				}
			}
			lists[t] = l
		}
		return l
	}
	scores := make([]int32, len(articles))
	var touched []int32
	for ai, a := range articles {
		self := int32(ai)
		add := func(terms []*Term, weight int32) {
			for _, t := range terms {
				l := listOf(t)
				i := int(l.at[self])
				if i < 0 {
					continue
				}
				lo, hi := max(0, i-relatedWindow), min(len(l.members), i+relatedWindow+1)
				for _, o := range l.members[lo:hi] {
					if o >= 0 && o != self {
						if scores[o] == 0 {
							touched = append(touched, o)
						}
						scores[o] += weight
					}
				}
			}
		}
		add(a.Tags, 2)
		add(a.Categories, 1)
		// The best three, in one pass: most shared terms, then closest
		// in date, then newest. The order is total, so this is the
		// head of a sort of every candidate.
		better := func(c, d int32) bool {
			if scores[c] != scores[d] {
				return scores[c] > scores[d]
			}
			if dc, dd := abs(int(c-self)), abs(int(d-self)); dc != dd {
				return dc < dd
			}
			return c < d
		}
		var top [3]int32
		n := 0
		for _, c := range touched {
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
		if n > 0 {
			a.Related = make([]*Article, n)
			for i, c := range top[:n] {
				a.Related[i] = articles[c]
			}
		}
		for _, c := range touched {
			scores[c] = 0
		}
		touched = touched[:0]
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
