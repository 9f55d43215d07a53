package markdown

import (
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

func TestMayLinkify(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"Du texte, rien d’autre : voilà.", false},
		{"Source : <https://example.org/a>.", false},
		{"<http://a> et <ftp://b> et <www.c>", false},
		{"[un lien](/articles/x/) et `code`", false},
		{"http://example.org au début", true},
		{"voir https://example.org", true},
		{"voir (www.example.org)", true},
		{"**gras**www.example.org", true},
		{"`code`http://example.org", true},
		{"<span>http://example.org</span>", true},
		{"<https://a> puis ftp://b", true},
		{"écrire à ann@example.org", true},
		{"un @ seul", true},
		{"HTTP://EXAMPLE.ORG", false}, // linkify wants the prefixes in lower case
	} {
		if got := mayLinkify([]byte(tc.src)); got != tc.want {
			t.Errorf("mayLinkify(%q) = %v, want %v", tc.src, got, tc.want)
		}
	}
}

// sameWithoutLinkify checks that src, if mayLinkify says it can hold no
// bare link, renders the same with linkify and without, as an author's
// document and as a contribution. It reports whether src was checked.
func sameWithoutLinkify(t *testing.T, c *Converter, src []byte) bool {
	t.Helper()
	if mayLinkify(src) {
		return false
	}
	same := func(what string, with, without parser.Parser, render func(*scratch, parser.Parser) (string, error)) {
		s := c.pool.Get().(*scratch)
		defer c.pool.Put(s)
		a, err := render(s, with)
		if err != nil {
			t.Fatal(err)
		}
		b, err := render(s, without)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%s of %q differs without linkify:\n with:    %q\n without: %q", what, src, a, b)
		}
	}
	same("author's HTML", c.authors.Parser(), c.authorsNoLinks, func(s *scratch, p parser.Parser) (string, error) {
		root := p.Parse(text.NewReader(src), parser.WithContext(parser.NewContext(parser.WithIDs(newIDs()))))
		return s.render(c.authors.Renderer(), src, root)
	})
	same("contribution", c.guests.Parser(), c.guestsNoLinks, func(s *scratch, p parser.Parser) (string, error) {
		return s.render(c.guests.Renderer(), src, p.Parse(text.NewReader(src)))
	})
	return true
}

var linkifySeeds = []string{
	"Source : <https://example.org/a>.\n",
	"a <https://x> b <www.y> c <ftp://z>\n",
	"**gras**<https://a> _it_<www.b>\n",
	"`code`<http://a> ~~barré~~<www.b>\n",
	"| a | b |\n|---|---|\n|<http://a>|<www.b>|\n",
	"> <https://a>\n>\n> - <www.b>\n",
	"\\<http://a et <http://b c>\n",
	"(<http://a>) [x](<http://b>)\n",
	"fin de ligne  \n<http://a>\n",
	"« guillemets » : <https://a> ?\n",
	"Texte sans lien, juste des mots : voilà !\n\nDeuxième paragraphe.\n",
	// White space before a line's break, which linkify's stops used to keep.
	"0    \n0\n", "a \t\nb\n", "a \t  \nb\n", "a  \t\\\nb\n",
}

func TestNoLinkifyParsesTheSame(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		c := New(Options{Lang: lang})
		checked := 0
		for _, in := range goldenInputs(t) {
			if sameWithoutLinkify(t, c, []byte(in.src)) {
				checked++
			}
		}
		for _, s := range linkifySeeds {
			if !sameWithoutLinkify(t, c, []byte(s)) {
				t.Errorf("mayLinkify(%q): true, want false", s)
			}
		}
		// The synthetic articles and contributions of the benchmark, like
		// most documents, have no bare link: they must skip linkify.
		if checked < 6 {
			t.Errorf("%s: only %d documents of the corpus skip linkify", lang, checked)
		}
	}
}

func FuzzNoLinkifyParsesTheSame(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	c := New(Options{Lang: "fr"})
	f.Fuzz(func(t *testing.T, src string) {
		sameWithoutLinkify(t, c, []byte(src))
	})
}
