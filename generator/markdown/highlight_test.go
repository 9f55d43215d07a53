package markdown

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"
	"time"

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

// loopingLexers yield empty tokens without end on some input (JSONata
// on "a | b", Jungle on "a := 1"): lex gives up on them there, which
// must not happen with any other lexer. Where lex gives up, the
// comparison with chroma is left out: chroma's coalescer would loop.
var loopingLexers = map[string]bool{"JSONata": true, "Jungle": true}

// chromaTokens are the tokens of code as goldmark-highlighting had them:
// coalesced by chroma.Coalesce. Only for code the lexer finishes on.
func chromaTokens(t testing.TB, l chroma.Lexer, code string) []chroma.Token {
	t.Helper()
	toks, err := chroma.Tokenise(chroma.Coalesce(l), nil, code)
	if err != nil {
		t.Skip(err)
	}
	return toks
}

// chromaHTML is what chroma's own formatter writes for toks, with the
// options goldmark-highlighting gave it.
func chromaHTML(t testing.TB, toks []chroma.Token) string {
	t.Helper()
	var b bytes.Buffer
	if err := chromahtml.New(chromahtml.WithClasses(true)).Format(&b, styles.Get(lightStyle), chroma.Literator(toks...)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func ourHTML(t testing.TB, toks []chroma.Token) string {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeHighlighted(w, toks)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// compareWithChroma compares lex with chroma.Coalesce and
// writeHighlighted with chroma's formatter on code, unless lex gives up
// on the lexer: that is an error unless the lexer is a looping one.
func compareWithChroma(t testing.TB, name string, l chroma.Lexer, code string) {
	t.Helper()
	toks, ok := lex(l, code, nil)
	if !ok {
		if !loopingLexers[name] {
			t.Errorf("%s, %q: lex gave up on a lexer not known to loop", name, code)
		}
		return
	}
	if want := chromaTokens(t, l, code); !slices.Equal(toks, want) {
		t.Errorf("%s, %q: tokens\n got %q\nwant %q", name, code, toks, want)
		return
	}
	if got, want := ourHTML(t, toks), chromaHTML(t, toks); got != want {
		t.Errorf("%s, %q:\n%s", name, code, firstDifference(got, want))
	}
}

// TestHighlightMatchesChroma compares lex and writeHighlighted with
// chroma's coalescer and formatter for every lexer chroma has.
func TestHighlightMatchesChroma(t *testing.T) {
	names := lexers.Names(false)
	if len(names) < 100 {
		t.Fatalf("only %d lexers", len(names))
	}
	for _, name := range names {
		l := lexerFor([]byte(name))
		if l == nil {
			t.Errorf("no lexer for %q", name)
			continue
		}
		for _, code := range highlightSamples {
			compareWithChroma(t, name, l, code)
		}
	}
}

func FuzzHighlight(f *testing.F) {
	for _, code := range highlightSamples {
		f.Add("go", code)
		f.Add("html", code)
	}
	f.Add("diff", "-a\n+b\n")
	f.Add("jungle", "a := 1\n")
	f.Add("jsonata", "a | b\n")
	f.Fuzz(func(t *testing.T, lang, code string) {
		if l := lexerFor([]byte(lang)); l != nil {
			compareWithChroma(t, l.Config().Name, l, code)
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

// finishes runs f and fails the test if f has not returned by a generous
// deadline: a guard against hangs, f's speed is not measured.
func finishes(t *testing.T, what string, f func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("%s has not returned after a minute", what)
	}
}

// TestLoopingLexersFallBack converts code that chroma's JSONata and
// Jungle lexers tokenise into empty tokens without end: any author or
// guest could hang a build with one such block. They must give the
// plain block of an unknown language.
func TestLoopingLexersFallBack(t *testing.T) {
	c := New(Options{Lang: "fr"})
	convert := func(src string) (article, contribution string) {
		finishes(t, fmt.Sprintf("converting %q", src), func() {
			doc, err := c.Convert([]byte(src))
			if err != nil {
				article = err.Error()
			} else {
				article = doc.HTML
			}
			if contribution, err = c.Contribution([]byte(src)); err != nil {
				contribution = err.Error()
			}
		})
		return article, contribution
	}
	if got, _ := convert(fence("jungle", "a := 1\n")); got != "<pre><code class=\"language-jungle\">a := 1\n</code></pre>\n" {
		t.Errorf("jungle: %q", got)
	}
	for _, tc := range []struct{ info, code string }{
		{"jungle", "a := 1\n"},
		{"jungle", "x = \"<b>\" & 'c'\n\ty\n"},
		{"jsonata", "a | b\n"},
		{"jsonata", "été := 1\n"},
		{"jsonata", "\"unterminated <&>\n"},
		{"jungle {linenos=table}", "a := 1\n"},
		{"jsonata {hl_lines=[1]}", "a | b\n"},
	} {
		lang, attrs, _ := strings.Cut(tc.info, " ")
		wantArticle, wantContribution := convert(fence(strings.TrimSpace("klingon "+attrs), tc.code))
		wantArticle = strings.ReplaceAll(wantArticle, "language-klingon", "language-"+lang)
		wantContribution = strings.ReplaceAll(wantContribution, "language-klingon", "language-"+lang)
		article, contribution := convert(fence(tc.info, tc.code))
		if article != wantArticle {
			t.Errorf("%s, %q: article\n%s", tc.info, tc.code, firstDifference(article, wantArticle))
		}
		if contribution != wantContribution {
			t.Errorf("%s, %q: contribution\n%s", tc.info, tc.code, firstDifference(contribution, wantContribution))
		}
	}
	// JSONata finishes on a := 1, and is highlighted as before.
	article, contribution := convert(fence("jsonata", "a := 1\n"))
	for _, got := range []string{article, contribution} {
		if !strings.HasPrefix(got, `<pre class="chroma"><code><span class="line"><span class="cl"><span class="n">a</span>`) {
			t.Errorf("jsonata, a := 1: %q", got)
		}
	}
}

// TestHighlightFinishes highlights short code with every lexer chroma
// has, alone and with highlighted lines: it must finish, and give the
// code back once tags are stripped and entities unescaped, or write
// nothing so that the plain block is written instead. (Lexers whose
// config asks for a final newline add one to code without it.)
func TestHighlightFinishes(t *testing.T) {
	inputs := []string{"a := 1", `{"a": [1, 2]}`, `<x y="z">`, "SELECT 1;", "", "\t\n"}
	optionSets := [][]chromahtml.Option{nil, {chromahtml.HighlightLines([][2]int{{1, 1}})}}
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		name, ensureNL := l.Config().Name, l.Config().EnsureNL
		var errs, gaveUp []string
		finishes(t, "highlighting with "+name, func() {
			for _, code := range inputs {
				for _, opts := range optionSets {
					var b bytes.Buffer
					w := bufio.NewWriter(&b)
					ok := highlight(w, l, code, opts)
					_ = w.Flush()
					switch text := html.UnescapeString(tags.ReplaceAllString(b.String(), "")); {
					case !ok && b.Len() > 0:
						errs = append(errs, fmt.Sprintf("%q: gave up after writing %q", code, b.String()))
					case !ok:
						gaveUp = append(gaveUp, code)
					case text != code && !(ensureNL && text == code+"\n" && !strings.HasSuffix(code, "\n")):
						errs = append(errs, fmt.Sprintf("%q: text %q in %q", code, text, b.String()))
					}
				}
			}
		})
		for _, err := range errs {
			t.Errorf("%s, %s", name, err)
		}
		if len(gaveUp) > 0 && !loopingLexers[name] {
			t.Errorf("%s: gave up on %q, not known to loop", name, gaveUp)
		}
	}
}

// fakeLexer is a lexer whose Tokenise is tokenise.
type fakeLexer struct {
	chroma.Lexer
	tokenise func() (chroma.Iterator, error)
}

func (l fakeLexer) Tokenise(*chroma.TokeniseOptions, string) (chroma.Iterator, error) {
	return l.tokenise()
}

// tokens returns a Tokenise yielding toks, then toks again without end
// if forever.
func tokens(forever bool, toks ...chroma.Token) func() (chroma.Iterator, error) {
	return func() (chroma.Iterator, error) {
		i := 0
		return func() chroma.Token {
			if i == len(toks) {
				if !forever {
					return chroma.EOF
				}
				i = 0
			}
			i++
			return toks[i-1]
		}, nil
	}
}

// TestLexGivesUp runs lex on lexers that fail in every way it guards
// against, and on the most tokens it takes from a well-behaved one.
func TestLexGivesUp(t *testing.T) {
	const code = "a := 1\n"
	empty, x := chroma.Token{Type: chroma.Name}, chroma.Token{Type: chroma.Name, Value: "x"}
	emptyRun := slices.Repeat([]chroma.Token{empty}, maxEmptyRun)
	budget := tokensPerByte*len(code) + extraTokens
	for _, tc := range []struct {
		name     string
		tokenise func() (chroma.Iterator, error)
		ok       bool
	}{
		{"empty tokens without end", tokens(true, empty), false},
		{"tokens without end", tokens(true, x), false},
		{"empty runs between tokens without end", tokens(true, append(emptyRun, x)...), false},
		{"one empty token too many", tokens(false, append(emptyRun, empty, x)...), false},
		{"one token too many", tokens(false, slices.Repeat([]chroma.Token{x}, budget+1)...), false},
		{"the longest empty run", tokens(false, append(emptyRun, x)...), true},
		{"the most tokens", tokens(false, slices.Repeat([]chroma.Token{x}, budget)...), true},
		{"error", func() (chroma.Iterator, error) { return nil, errors.New("no") }, false},
		{"panic in Tokenise", func() (chroma.Iterator, error) { panic("no") }, false},
		{"panic in the iterator", func() (chroma.Iterator, error) {
			return func() chroma.Token { panic(errors.New("no")) }, nil
		}, false},
		{"panic(nil)", func() (chroma.Iterator, error) { panic(nil) }, false},
	} {
		var ok bool
		var b bytes.Buffer
		finishes(t, tc.name, func() {
			w := bufio.NewWriter(&b)
			ok = highlight(w, fakeLexer{tokenise: tc.tokenise}, code, nil)
			_ = w.Flush()
		})
		if ok != tc.ok || !ok && b.Len() > 0 {
			t.Errorf("%s: highlight reported %v and wrote %q", tc.name, ok, b.String())
		}
	}

	// BlitzBasic yields 4.5 tokens per byte of "x(x(x(…", finishing.
	if _, ok := lex(lexers.Get("BlitzBasic"), strings.Repeat("x(", 1000), nil); !ok {
		t.Error("lex gave up on BlitzBasic")
	}

	// In a document, a lexer that panics gives the plain block too.
	lexerCache.Lock()
	lexerCache.m["panicky"] = fakeLexer{tokenise: func() (chroma.Iterator, error) { panic("no") }}
	lexerCache.Unlock()
	t.Cleanup(func() {
		lexerCache.Lock()
		delete(lexerCache.m, "panicky")
		lexerCache.Unlock()
	})
	doc, err := New(Options{Lang: "fr"}).Convert([]byte(fence("panicky", "<x>\n")))
	if want := "<pre><code class=\"language-panicky\">&lt;x&gt;\n</code></pre>\n"; err != nil || doc.HTML != want {
		t.Errorf("panicking lexer: %q, %v; want %q", doc.HTML, err, want)
	}
}
