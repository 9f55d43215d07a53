package markdown

import (
	"bytes"
	"strings"
	"testing"
)

const nn = "\u202f"

func TestFrenchTypography(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Bonjour !", "Bonjour" + nn + "!"},
		{"Vraiment?", "Vraiment" + nn + "?"},
		{"Quoi ?!", "Quoi" + nn + "?!"},
		{"Note : voir ; puis", "Note" + nn + ": voir" + nn + "; puis"},
		{"Il est 12:30.", "Il est 12:30."},
		{"voir https://exemple.fr/a:b?c=d!", "voir https://exemple.fr/a:b?c=d!"},
		{"écrire à ann@exemple.fr ?", "écrire à ann@exemple.fr" + nn + "?"},
		// URL-like words after other ':' and '@', and without either.
		{"Source : https://exemple.fr/a ?", "Source" + nn + ": https://exemple.fr/a" + nn + "?"},
		{"x@y : puis https://a.fr/b:c ! et www.b.fr ?", "x@y" + nn + ": puis https://a.fr/b:c" + nn + "! et www.b.fr" + nn + "?"},
		{"voir www.exemple.fr !", "voir www.exemple.fr" + nn + "!"},
		{`il dit "bonjour" puis`, "il dit «" + nn + "bonjour" + nn + "» puis"},
		{"« déjà »", "«" + nn + "déjà" + nn + "»"},
		{"«serré»", "«" + nn + "serré" + nn + "»"},
		{"l'été", "l’été"},
		{"Et puis...", "Et puis…"},
		{"(?)", "(?)"},
	} {
		if got := Typography("fr", tc.in); got != tc.want {
			t.Errorf("fr %q = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Typography("en", `He said "hi": it's 12:30!`); got != "He said “hi”: it’s 12:30!" {
		t.Errorf("en: %q", got)
	}
}

func TestConvert(t *testing.T) {
	c := New(Options{Lang: "fr"})
	src := "Premier paragraphe : **gras**.\n\n## Écrire une charte\n\nTexte avec `code : x` et <b>html</b>.\n\n### Détails\n\n## Écrire une charte\n\n```go\nfunc main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n\nNote[^1].\n\n[^1]: La note.\n"
	doc, err := c.Convert([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<p>Premier paragraphe" + nn + ": <strong>gras</strong>.</p>",
		`<h2 id="ecrire-une-charte">Écrire une charte</h2>`,
		`<h2 id="ecrire-une-charte-1">`,
		"<code>code : x</code>",
		"&lt;b&gt;html&lt;/b&gt;",
		`<span class="kd">func</span>`,
		"<table>",
		`<input checked="" disabled="" type="checkbox"`,
		`class="footnote-ref"`,
	} {
		if !strings.Contains(doc.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, doc.HTML)
		}
	}
	if strings.Contains(doc.HTML, "style=") {
		t.Error("highlighting must use classes, not inline styles")
	}
	if len(doc.TOC) != 2 || doc.Headings != 3 || len(doc.TOC[0].Children) != 1 || doc.TOC[0].Children[0].ID != "details" {
		t.Errorf("TOC: %+v", doc.TOC)
	}
	if doc.SummaryText != "Premier paragraphe"+nn+": gras." || !doc.Truncated {
		t.Errorf("summary: %q", doc.SummaryText)
	}
	more, _ := c.Convert([]byte("Avant.\n\nEncore.\n\n<!--more-->\n\nAprès.\n"))
	if strings.Contains(more.SummaryHTML, "Après") || !strings.Contains(more.SummaryHTML, "Encore") || strings.Contains(more.HTML, "more--") {
		t.Errorf("more marker: summary %q html %q", more.SummaryHTML, more.HTML)
	}
	unsafe := New(Options{Lang: "fr", UnsafeHTML: true})
	doc, _ = unsafe.Convert([]byte("<b>html</b>\n"))
	if !strings.Contains(doc.HTML, "<b>html</b>") {
		t.Errorf("unsafe_html should pass authors' HTML: %s", doc.HTML)
	}
}

func TestContributionIsSafe(t *testing.T) {
	c := New(Options{Lang: "fr", UnsafeHTML: true}) // never applies to contributions
	for _, tc := range []struct{ in, bad, want string }{
		{"<script>alert(1)</script>", "<script", "&lt;script&gt;"},
		{"[x](javascript:alert(1))", "javascript:", "x"},
		{"[x](JaVaScRiPt:alert(1))", "alert(1)\"", "x"},
		{"[x](data:text/html;base64,PHNjcmlwdD4=)", "data:", "x"},
		{"[x](vbscript:msgbox)", "vbscript", "x"},
		{"<img src=x onerror=alert(1)>", "<img", "&lt;img"},
		{"![chat](https://ex.org/c.png)", "<img", `<a href="https://ex.org/c.png" rel="ugc nofollow">chat</a>`},
		{"[site](https://ex.org)", `href="https://ex.org">`, `<a href="https://ex.org" rel="ugc nofollow">site</a>`},
		{"voir https://ex.org/x", "zzz", `<a href="https://ex.org/x" rel="ugc nofollow">`},
	} {
		got, err := c.Contribution([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got, tc.bad) || !strings.Contains(got, tc.want) {
			t.Errorf("%q → %q (must not contain %q, must contain %q)", tc.in, got, tc.bad, tc.want)
		}
	}
	withImages := New(Options{Lang: "fr", AllowImages: true})
	got, _ := withImages.Contribution([]byte("![chat](https://ex.org/c.png) ![x](javascript:alert(1))"))
	if !strings.Contains(got, `<img src="https://ex.org/c.png" alt="chat"`) || strings.Contains(got, "javascript") {
		t.Errorf("allowed images: %q", got)
	}
}

func TestPlainTextKeepsNarrowSpaces(t *testing.T) {
	if got := PlainText("<p>Oui" + nn + "!</p>\n<p>a &amp; b</p>"); got != "Oui"+nn+"! a & b" {
		t.Errorf("PlainText = %q", got)
	}
}

var countWordsCases = []string{
	"", " ", "a", " a ", "a b", "a  b\tc\nd\re\vf\fg", "l’été « là »", "a\u00a0b", "a\u202fb", "a\u0085b", "a\u2003b",
	"\xff \xfe\xfd", "é", "\u3000x\u3000", "un deux  trois ", "\xe2\u00a0x\xc2", "a\u2028b\u205fc\u1680d", "\xe2\x80",
}

func TestCountWordsMatchesFields(t *testing.T) {
	for _, s := range countWordsCases {
		if got, want := countWords([]byte(s)), len(bytes.Fields([]byte(s))); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	for _, s := range countWordsCases {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := countWords(b), len(bytes.Fields(b)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", b, got, want)
		}
	})
}
