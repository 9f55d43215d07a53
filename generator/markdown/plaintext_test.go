package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

var (
	tags      = regexp.MustCompile(`<[^>]*>`)
	blockTags = regexp.MustCompile(`(?i)<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|figure|figcaption)\b[^>]*|br\s*/?)>`)
)

// plainTextRegexp is PlainText as first written, with regular
// expressions: the hand-written scanner must give the same text.
func plainTextRegexp(h string) string {
	s := html.UnescapeString(tags.ReplaceAllString(blockTags.ReplaceAllString(h, " "), ""))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r <= ' ' }), " ")
}

var plainTextCases = []string{
	"", "plain", "<p>a</p><p>b</p>", "a<br>b", "a<BR />b", "a<br/>b", "a<br class=x>b", "a<bra>b",
	"<P CLASS=x>a</P>b", "<pre><code>x &lt; y</code></pre>z", "<h2 id=\"t\">T</h2>u", "<h7>x</h7>y",
	"<table><tr><td>1</td><th>2</th></tr></table>", "<li>a<ul><li>b</li></ul></li>", "a < b", "a <p b",
	"<a title=\"<p>\">x</a>y", "<figure><figcaption>c</figcaption></figure>d", "<pa>x</pa>y", "</p", "<p\n>x",
	"x<br\t/>y", "<div/>z", "é<p>à</p>ç", "<<p>>", "<p>a</p", "<>x<>",
	"<a <p>x", "<a <p>x>y", "<a <p title='>'>x>y", "x <b <br> y", "a<b<p>c", "<i>a</i> <p> b", "&am<b>p;", "a&#32;&#10;b",
	" &amp; ", "\t<p>\n&lt;p&gt;\n</p>", "<br>", "&#9;x&#13;", "a&nbsp;&nbsp;b", "<x", "<x <p", "<x <p>", "a <x b <br> c <p> d",
	"a b  c d", "a b \nc", "a b ", " a b", "a\x01b c", "a b<p>c d</p> e  f", "<FIGCAPTION>x</FigCaption>y", "<Br>z", "<TH>a</Td>b", "<figcaptionx>a",
	"&amp;lt;", "&quot;x&#39;&#34;&gt;", "&amp", "&lt x", "a &amp;&amp; b", "&#x27;", "&ampx;", "x&", "&&amp;", "&#39", "&amp;&nbsp;",
}

func TestPlainTextMatchesRegexp(t *testing.T) {
	inputs := append([]string(nil), plainTextCases...)
	c := New(Options{Lang: "fr"})
	fsys := synth.MapFS(synth.Options{Articles: 10, Contributions: 20, Members: 5})
	for p, f := range fsys {
		if !strings.HasSuffix(p, ".md") {
			continue
		}
		_, body, _ := strings.Cut(string(f.Data), "\n---\n")
		doc, err := c.Convert([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(doc.HTML))
	}
	for _, in := range inputs {
		if got, want := PlainText(in), plainTextRegexp(in); got != want {
			t.Errorf("PlainText(%q):\n got %q\nwant %q", in, got, want)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range plainTextCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := PlainText(in), plainTextRegexp(in); got != want {
			t.Errorf("PlainText(%q) = %q, want %q", in, got, want)
		}
	})
}

func BenchmarkPlainText(b *testing.B) {
	c := New(Options{Lang: "fr"})
	fsys := synth.MapFS(synth.Options{Articles: 1, Members: 1})
	var h string
	for p, f := range fsys {
		if strings.HasPrefix(p, "content/articles/") {
			_, body, _ := strings.Cut(string(f.Data), "\n---\n")
			doc, _ := c.Convert([]byte(body))
			h = string(doc.HTML)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(h)))
	for b.Loop() {
		PlainText(h)
	}
}
