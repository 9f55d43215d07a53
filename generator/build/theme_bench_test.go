package build_test

import (
	"regexp"
	"testing"

	"github.com/foyerhub/foyer/generator/render"
)

// hotLayout is a layout that takes much of a build's template time, told
// apart by the paths of its pages.
type hotLayout struct {
	name string
	path *regexp.Regexp
}

var hotLayouts = []hotLayout{
	{"article", regexp.MustCompile(`^articles/[^/]+/index\.html$`)},
	{"term", regexp.MustCompile(`^(categories|tags)/[^/]+/(page/\d+/)?index\.html$`)},
	{"home", regexp.MustCompile(`^(page/\d+/)?index\.html$`)},
	{"member", regexp.MustCompile(`^members/[^/]+/index\.html$`)},
}

// BenchmarkLayouts renders every page of each hot layout of the bench
// site (articles with their comments and related articles, category and
// tag pages of cards, home pages, member profiles), then all of them
// together, in the order of a build, as they share what the theme keeps.
// Each iteration loads the theme again, untimed, so that whatever a theme
// keeps for the length of a build starts empty, as it does in a build.
func BenchmarkLayouts(b *testing.B) {
	m := benchModel(b)
	together := hotLayout{"together", hotLayouts[0].path}
	for _, l := range hotLayouts[1:] {
		together.path = regexp.MustCompile(together.path.String() + "|" + l.path.String())
	}
	for _, l := range append(hotLayouts, together) {
		b.Run(l.name, func(b *testing.B) {
			// The jobs call r.Theme when they run: planning once (it
			// builds the search index) and swapping the theme is a build
			// with a fresh theme.
			r := render.New(m.Site, freshTheme(b, m))
			var jobs []render.Job
			for _, j := range r.Plan() {
				if l.path.MatchString(j.Path) {
					jobs = append(jobs, j)
				}
			}
			if len(jobs) == 0 {
				b.Fatalf("no %s pages", l.name)
			}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				r.Theme = freshTheme(b, m)
				b.StartTimer()
				for _, j := range jobs {
					if _, err := j.Bytes(); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(jobs)), "ns/page")
		})
	}
}
