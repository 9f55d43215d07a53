package markdown

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

// samePlain checks that src, if parsePlain takes it, renders as a
// contribution exactly as goldmark's parser makes it render, and reports
// whether parsePlain took it.
func samePlain(t *testing.T, c *Converter, src []byte) bool {
	t.Helper()
	if mayLinkify(src) {
		return false // ContributionTo leaves these to goldmark
	}
	doc, ok := parsePlain(src)
	if !ok {
		return false
	}
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	got, err := s.render(c.guests.Renderer(), src, doc)
	if err != nil {
		t.Fatal(err)
	}
	root := c.guestsNoLinks.Parse(text.NewReader(src))
	want, err := s.render(c.guests.Renderer(), src, root)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("contribution %q:\n plain:    %q\n goldmark: %q", src, got, want)
		return true
	}
	// The trees agree beyond what the renderers read today: each node's
	// position, paragraphs' lines and blank line before, texts' segments
	// and breaks, links' destinations, emphasis levels, autolinks' URLs.
	if a, b := treeOf(src, doc), treeOf(src, root); a != b {
		t.Errorf("contribution %q: trees differ:\n plain:    %s\n goldmark: %s", src, a, b)
	}
	return true
}

// treeOf describes a tree: each node's kind and position, a paragraph's
// lines and blank line before, a text's segment and breaks, a link's
// destination and title, an emphasis's level, an autolink's URL.
func treeOf(src []byte, root ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			b.WriteString(")")
			return ast.WalkContinue, nil
		}
		fmt.Fprintf(&b, "(%s@%d", n.Kind(), n.Pos())
		switch n := n.(type) {
		case *ast.Paragraph:
			fmt.Fprintf(&b, " blank-before=%v", n.HasBlankPreviousLines())
			for i := range n.Lines().Len() {
				seg := n.Lines().At(i)
				fmt.Fprintf(&b, " %q", seg.Value(src))
			}
		case *ast.Text:
			fmt.Fprintf(&b, " %q", n.Segment.Value(src))
			if n.SoftLineBreak() {
				b.WriteString(" soft")
			}
			if n.HardLineBreak() {
				b.WriteString(" hard")
			}
			if n.IsRaw() {
				b.WriteString(" raw")
			}
		case *ast.Link:
			fmt.Fprintf(&b, " %q %q", n.Destination, n.Title)
		case *ast.Emphasis:
			fmt.Fprintf(&b, " level %d", n.Level)
		case *ast.AutoLink:
			fmt.Fprintf(&b, " %q %q", n.URL(src), n.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// plainSeeds are contributions at the edges of what parsePlain takes.
var plainSeeds = []string{
	"Bonjour !\n",
	"Bonjour !",
	"Une ligne\nune autre\n\nUn second paragraphe.\n",
	"\n\nAprès des lignes vides.\n\n\n",
	"Lire aussi [cet article](/articles/x/). Merci !\n",
	"[Au début](/a/) puis du texte\n",
	"Du texte puis [à la fin](/b/)\net la suite\n",
	"Du texte puis [à la fin](/b/)\n",
	"Du texte puis [à la fin](/b/)",
	"Voir `foyer build -v`.\nEt `ceci`\n",
	"`code` au début et `à la fin`",
	"`a``b`", "`a` `b`", "``double``", "` espace`", "`espace `", "` deux `", "`", "a `b",
	"Deux [liens](/a/) et [liens](/b/) et `code` [x](/c/)`d`\n",
	"Un lien [mauvais](javascript:alert) reste du texte.\n",
	"Un lien [externe](https://example.org/a?b=c#d) !\n",
	"Un [lien vide]() et [sans fin](/a\n",
	"Un [lien] seul, [deux][ref] et [x] (y)\n",
	"Crochet ] seul", "Crochet [ seul", "Image ![x](/i.png)", "Bang! et !",
	"« Citation » : oui ; non ? Peut-être !\n",
	"\"Guillemets\" et 'apostrophes' l'été\n",
	"(parenthèse) au début\n",
	"2024 fut une année\n", "1. une liste\n", "1) une liste\n", "12345678901. pas une liste\n",
	"# Titre\n", "> citation\n", "- item\n", "* item\n", "+ item\n", "---\n", "Titre\n===\n", "Titre\n---\n",
	"    code indenté\n", "\tTab\n", "ligne avec espaces  \nsuite\n", "ligne avec barre\\\nsuite\n",
	"a | b\n--- | ---\n1 | 2\n", "<b>gras</b>\n", "a &amp; b\n", "*em* _em_ ~del~\n",
	"ligne\r\nsuite\r\n", "nul\x00\n", "\xef\xbb\xbfBOM\n", "invalide \xff\xfe\n",
	"É accent au début\n", "élan\nÉlan\n", "x\n\n\ny\n",
	"Lien [avec `code`](/a/)", "Lien [a](/b) (c)", "Lien [a](/b)(c)", "Lien [a](/b c)", "Lien [a](</b>)",
	"Lien [a](/b \"titre\")", "Lien [a]( /b)", "Lien [a](/b%20c)", "Lien [a](/é)",
	"Fin de ligne `code`\nsuite", "Fin [l](/l)\n\nNouveau",
	"Narrow: 12:30 et 10 % et 3,5 !",
}

func TestPlainParsesTheSame(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		c := New(Options{Lang: lang})
		for _, s := range plainSeeds {
			samePlain(t, c, []byte(s))
		}
		for _, in := range goldenInputs(t) {
			samePlain(t, c, []byte(in.src))
		}
	}
}

// TestPlainTakesTheCommonContribution: the synthetic contributions of
// the benchmark, written like real ones, go the fast way.
func TestPlainTakesTheCommonContribution(t *testing.T) {
	c := New(Options{Lang: "fr"})
	taken, all := 0, 0
	for p, f := range synth.MapFS(synth.Options{Articles: 20, Contributions: 300, Members: 10}) {
		if !strings.HasPrefix(p, "content/contributions/") {
			continue
		}
		_, body, _ := strings.Cut(string(f.Data), "\n---\n")
		all++
		if samePlain(t, c, []byte(body)) {
			taken++
		}
	}
	if all == 0 || taken < all*9/10 {
		t.Errorf("parsePlain took %d of %d synthetic contributions, want nine in ten", taken, all)
	}
	for _, s := range []string{"Bonjour !\n", "Lire aussi [cet article](/articles/x/).\n", "Voir `foyer build -v`.\n"} {
		if _, ok := parsePlain([]byte(s)); !ok {
			t.Errorf("parsePlain(%q) left it to goldmark", s)
		}
	}
}

// plainTokens are pieces that sequences of, at random, put every rule of
// parsePlain against its neighbours.
var plainTokens = []string{
	"a", "É", "mot", " ", "  ", "\n", "\n\n", "!", "?", ":", ";", "«", "»", "’", "'", "\"", "(", ")", ".", ",",
	"1", "1.", "1)", "#", ">", "-", "+", "=", "[", "]", "`", "``", "[x](/a/)", "[x y](https://e.org/?q=1)",
	"`c`", "` c`", "![i](/i)", "*", "_", "~", "<", "&", "\\", "|", "\t", "\r", "]( /x)", "[a]", "(/b)",
	"12:30", "…", "\u00a0", "\u202f",
}

func TestPlainRandomTokens(t *testing.T) {
	c := New(Options{Lang: "fr"})
	r := rand.New(rand.NewPCG(7, 14))
	taken := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(plainTokens[r.IntN(len(plainTokens))])
		}
		if samePlain(t, c, []byte(b.String())) {
			taken++
		}
		if t.Failed() {
			return
		}
	}
	if taken < 1000 {
		t.Errorf("parsePlain took only %d of the random sequences", taken)
	}
}

func FuzzPlainParsesTheSame(f *testing.F) {
	for _, s := range plainSeeds {
		f.Add(s)
	}
	c := New(Options{Lang: "fr"})
	f.Fuzz(func(t *testing.T, src string) {
		samePlain(t, c, []byte(src))
	})
}
