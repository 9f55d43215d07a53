package render

import (
	"bytes"
	"strings"
	"testing"
)

// hostileText has everything appendXMLEscaped treats apart: markup
// characters, white space, control characters, invalid UTF-8, U+FFFD
// itself, the non-characters XML refuses, and text outside the BMP.
var hostileText = []string{
	"", "plain", `a "quoted" 'word' & <tag> > x`, "tab\tnew\nline\r\nend",
	"bell\x07nul\x00del\x7f", "bad \xff\xfe utf-8 \xc3", "real \uFFFD char",
	"\uFFFE\uFFFF non-characters", "\U0001F600 outside the BMP", "« guillemets » et l’apostrophe",
	"]]> cdata end", "&amp; already escaped", "\u2028 line separator",
}

// sampleFeeds exercise every optional part of an Atom feed: language,
// author with and without URI, entries with and without links,
// categories, summary and content, and a feed without entries.
func sampleFeeds() []AtomFeed {
	var feeds []AtomFeed
	for i, s := range hostileText {
		f := AtomFeed{
			Lang: []string{"", "fr", s}[i%3], Title: s, ID: "https://ex.org/" + s, Updated: "2026-11-21T10:00:00Z",
			Links: []AtomLink{{Href: "https://ex.org/?a=1&b=" + s, Rel: "self", Type: "application/atom+xml"}, {Href: s}},
		}
		if i%2 == 0 {
			f.Author = &AtomPerson{Name: s, URI: []string{"", "https://ex.org/m/"}[i%4/2]}
		}
		for j := range i % 4 {
			e := AtomEntry{Title: s, ID: s + "#" + strings.Repeat("x", j), Published: s, Updated: "2026-11-21T10:00:00Z"}
			if j != 1 {
				e.Links = []AtomLink{{Href: s, Rel: "alternate", Type: "text/html"}}
			}
			if j != 2 {
				e.Author = &AtomPerson{Name: s}
			}
			if j == 1 {
				e.Categories = []AtomCategory{{Term: s}, {Term: "Vie du foyer"}}
				e.Summary = &AtomText{Type: "text", Value: s}
			}
			if j != 0 {
				e.Content = &AtomText{Type: []string{"html", ""}[j%2], Value: "<p>" + s + "</p>\n"}
			}
			f.Entries = append(f.Entries, e)
		}
		feeds = append(feeds, f)
	}
	return append(feeds, AtomFeed{})
}

// The Atom writer gives the bytes encoding/xml gives for the same feed.
func TestAtomMatchesEncodingXML(t *testing.T) {
	for i, f := range sampleFeeds() {
		want, err := marshalXML(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := AtomXML(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("feed %d:\ngot:\n%s\nwant:\n%s", i, got, want)
		}
	}
}

func FuzzAtom(f *testing.F) {
	for _, s := range hostileText {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, title, href, content string) {
		feed := AtomFeed{
			Lang: title, Title: title, ID: href, Updated: content,
			Links:  []AtomLink{{Href: href, Rel: title, Type: content}},
			Author: &AtomPerson{Name: title, URI: href},
			Entries: []AtomEntry{{
				Title: title, ID: href, Links: []AtomLink{{Href: href}}, Published: content, Updated: title,
				Author: &AtomPerson{Name: content}, Categories: []AtomCategory{{Term: title}},
				Summary: &AtomText{Type: title, Value: content}, Content: &AtomText{Type: "html", Value: content},
			}},
		}
		want, err := marshalXML(feed)
		if err != nil {
			t.Skip(err)
		}
		got, _ := AtomXML(feed)
		if !bytes.Equal(got, want) {
			t.Errorf("got:\n%q\nwant:\n%q", got, want)
		}
	})
}

func BenchmarkAtom(b *testing.B) {
	f := AtomFeed{Lang: "fr", Title: "Commentaires sur « Un article »", ID: "https://ex.org/a/comments.xml", Updated: "2026-11-21T10:00:00Z",
		Links: []AtomLink{{Href: "https://ex.org/a/comments.xml", Rel: "self", Type: "application/atom+xml"}, {Href: "https://ex.org/a/", Rel: "alternate", Type: "text/html"}}}
	body := strings.Repeat(`<p>Un commentaire, avec <a href="https://ex.org/b/">un lien</a> et l’apostrophe : voilà.</p>`+"\n", 6)
	for range 5 {
		f.Entries = append(f.Entries, AtomEntry{Title: "Camille sur « Un article »", ID: "https://ex.org/a/#c-1", Links: []AtomLink{{Href: "https://ex.org/a/#c-1", Rel: "alternate", Type: "text/html"}},
			Published: "2026-11-21T10:00:00Z", Updated: "2026-11-21T10:00:00Z", Author: &AtomPerson{Name: "Camille", URI: "https://ex.org/m/camille/"},
			Content: &AtomText{Type: "html", Value: body}})
	}
	b.Run("writer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = AtomXML(f)
		}
	})
	b.Run("encoding-xml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = marshalXML(f)
		}
	})
}
