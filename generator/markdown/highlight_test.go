package markdown

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// highlightSamples mix the syntaxes of many languages, so that every
// lexer meets comments, strings, numbers, operators and markup.
var highlightSamples = []string{
	"",
	"\n",
	"x",
	"\n\n\n",
	"func main() {\n\tx := \"<a href='b'>&amp;</a>\" // é 🙂\n}\n",
	"# comment\nimport os, sys  \nprint(f\"{x!r}\", 'y', 0x1F, 3.5e-2)\r\nend\r\n",
	"<!doctype html>\n<p class=\"a\">x &lt; y</p>\n<script>if (a < b) alert('&');</script>\n",
	"SELECT * FROM t WHERE a = 'b''c' -- note\n/* block\n comment */ ;\n{\"k\": [1, true, null]}\n",
	"--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n  key: value # yaml\n$ echo \"$HOME\" | grep -v x > /dev/null 2>&1\n",
	"no newline at the end <>&\"'\t",
	"\"" + strings.Repeat("long string ", 20) + "\"\n",
}

// loopingLexers yield empty tokens without end on some of the samples,
// which chroma's coalescer then loops over forever: chroma's bug, with
// the old renderer as with this one.
var loopingLexers = map[string]bool{"JSONata": true, "Jungle": true}

func tokenise(t testing.TB, l chroma.Lexer, code string) chroma.Iterator {
	t.Helper()
	it, err := l.Tokenise(nil, code)
	if err != nil {
		t.Skip(err)
	}
	return it
}

// chromaHTML is what chroma's own formatter writes for code, with the
// options goldmark-highlighting gave it.
func chromaHTML(t testing.TB, l chroma.Lexer, code string) string {
	t.Helper()
	var b bytes.Buffer
	if err := chromahtml.New(chromahtml.WithClasses(true)).Format(&b, styles.Get(lightStyle), tokenise(t, l, code)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func ourHTML(t testing.TB, l chroma.Lexer, code string) string {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeHighlighted(w, tokenise(t, l, code))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHighlightMatchesChroma compares writeHighlighted with chroma's
// formatter for every lexer chroma has, on the same tokens.
func TestHighlightMatchesChroma(t *testing.T) {
	names := lexers.Names(false)
	if len(names) < 100 {
		t.Fatalf("only %d lexers", len(names))
	}
	for _, name := range names {
		if loopingLexers[name] {
			continue
		}
		l := lexerFor([]byte(name))
		if l == nil {
			t.Errorf("no lexer for %q", name)
			continue
		}
		for _, code := range highlightSamples {
			if got, want := ourHTML(t, l, code), chromaHTML(t, l, code); got != want {
				t.Errorf("%s, %q:\n%s", name, code, firstDifference(got, want))
			}
		}
	}
}

func FuzzHighlight(f *testing.F) {
	for _, code := range highlightSamples {
		f.Add("go", code)
		f.Add("html", code)
	}
	f.Add("diff", "-a\n+b\n")
	f.Fuzz(func(t *testing.T, lang, code string) {
		l := lexerFor([]byte(lang))
		if l == nil || loopingLexers[l.Config().Name] {
			return
		}
		if got, want := ourHTML(t, l, code), chromaHTML(t, l, code); got != want {
			t.Errorf("%s, %q:\n%s", lang, code, firstDifference(got, want))
		}
	})
}

func TestTokenClass(t *testing.T) {
	for _, tc := range []struct {
		t    chroma.TokenType
		want string
	}{
		{chroma.PreWrapper, "chroma"},
		{chroma.Line, "line"},
		{chroma.CodeLine, "cl"},
		{chroma.KeywordDeclaration, "kd"},
		{chroma.Text, ""},
		{chroma.Keyword + 99, "k"}, // not a standard type: its parent's
	} {
		if got := tokenClass(tc.t); got != tc.want {
			t.Errorf("tokenClass(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
}
