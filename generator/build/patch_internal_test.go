package build

import (
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/source"
)

// Between two builds, time alone publishes or expires what falls
// between them; a patched model must not miss it.
func TestTimeStill(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 21, h, 0, 0, 0, time.UTC) }
	doc := func(kind source.Kind, m source.Meta) *source.Document { return &source.Document{Kind: kind, Meta: m} }
	cases := []struct {
		name string
		doc  *source.Document
		want bool
	}{
		{"published before", doc(source.Article, source.Meta{Date: at(1)}), true},
		{"dated between", doc(source.Article, source.Meta{Date: at(11)}), false},
		{"dated at the second build", doc(source.Article, source.Meta{Date: at(12)}), false},
		{"dated at the first build", doc(source.Article, source.Meta{Date: at(10)}), true},
		{"publish_date between", doc(source.Page, source.Meta{Date: at(1), PublishDate: at(11)}), false},
		{"publish_date later", doc(source.Page, source.Meta{Date: at(11), PublishDate: at(13)}), true},
		{"expires between", doc(source.Newsletter, source.Meta{Date: at(1), ExpiryDate: at(11)}), false},
		{"expires later", doc(source.Newsletter, source.Meta{Date: at(1), ExpiryDate: at(13)}), true},
		{"a contribution dated between", doc(source.Contribution, source.Meta{Date: at(11)}), true},
	}
	for _, c := range cases {
		docs := []*source.Document{doc(source.Article, source.Meta{Date: at(2)}), c.doc}
		if got := timeStill(docs, at(10), at(12)); got != c.want {
			t.Errorf("%s: timeStill = %v, want %v", c.name, got, c.want)
		}
		if got := timeStill(docs, at(12), at(10)); got != c.want {
			t.Errorf("%s, clock set back: timeStill = %v, want %v", c.name, got, c.want)
		}
	}
}
