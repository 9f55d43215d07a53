package markdown

import (
	"bufio"
	"bytes"
	"slices"
	"testing"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// lexFunc is one of Foyer's own lexers: lexGo or lexYAML.
type lexFunc func(code string, toks []chroma.Token) ([]chroma.Token, bool)

// checkFastLexer runs fast on code after a token of its own, and fails
// the test unless fast gives after it the tokens lex gives with chroma's
// lexer l, or reports false with that token alone and nothing of code
// in the spare capacity. It reports whether fast took code.
func checkFastLexer(t testing.TB, fast lexFunc, l chroma.Lexer, code string) bool {
	t.Helper()
	own := chroma.Token{Type: chroma.NameOther, Value: "own"}
	toks := make([]chroma.Token, 1, 64)
	toks[0] = own
	got, ok := fast(code, toks)
	if !ok {
		if len(got) != 1 || got[0] != own || slices.ContainsFunc(toks[1:cap(toks)], func(t chroma.Token) bool { return t != chroma.Token{} }) {
			t.Errorf("%s, %q: reported false but changed toks: %q", l.Config().Name, code, toks[:cap(toks)])
		}
		return false
	}
	want, wok := lex(l, code, nil)
	if !wok {
		t.Fatalf("%s, %q: chroma's lexer failed", l.Config().Name, code)
	}
	if got[0] != own || !slices.Equal(got[1:], want) {
		t.Errorf("%s, %q: tokens\n got %q\nwant %q", l.Config().Name, code, got, want)
	}
	return true
}

// lexSample is a sample of code for one of Foyer's own lexers, with
// whether it takes the code (fast) or leaves it to chroma.
type lexSample struct {
	code string
	fast bool
}

// checkSamples runs checkFastLexer on each sample, and fails the test
// where fast takes a sample it should leave to chroma, or the other way.
func checkSamples(t *testing.T, fast lexFunc, l chroma.Lexer, samples []lexSample) {
	t.Helper()
	for _, s := range samples {
		if took := checkFastLexer(t, fast, l, s.code); took != s.fast {
			t.Errorf("%s, %q: taken by Foyer's own lexer: %v, want %v", l.Config().Name, s.code, took, s.fast)
		}
	}
}

// TestFastLexTakes checks that highlighting with chroma's Go and YAML
// lexers, under each of their names, goes through Foyer's own lexers,
// and with no other lexer.
func TestFastLexTakes(t *testing.T) {
	for _, c := range []struct {
		code  string
		names []string
	}{
		{bienvenue, []string{"go", "golang", "Go", "GO"}},
		{yamlSamples[0].code, []string{"yaml", "YAML", "yml"}},
	} {
		for _, name := range c.names {
			if _, ok := fastLex(lexerFor([]byte(name)), c.code, nil); !ok {
				t.Errorf("%s: not lexed by Foyer's own lexer", name)
			}
		}
		named := fakeLexer{Lexer: lexerFor([]byte(c.names[0])), tokenise: tokens(false)}
		for _, l := range []chroma.Lexer{lexers.Get("go-text-template"), lexers.Get("python"), named} {
			if _, ok := fastLex(l, c.code, nil); ok {
				t.Errorf("%s: lexed by Foyer's own lexer", l.Config().Name)
			}
		}
	}
}

// TestFastHighlightMatchesChroma compares the markup highlight writes
// for Go and YAML, with and without formatter options, with what
// chroma's coalescer and formatter write.
func TestFastHighlightMatchesChroma(t *testing.T) {
	optionSets := [][]chromahtml.Option{nil, {chromahtml.WithLineNumbers(true), chromahtml.HighlightLines([][2]int{{2, 3}})}}
	for _, c := range []struct {
		l     chroma.Lexer
		codes []string
	}{
		{lexers.Go, sampleCodes(goSamples)},
		{chromaYAML, sampleCodes(yamlSamples)},
	} {
		for _, code := range c.codes {
			toks := chromaTokens(t, c.l, code)
			for _, opts := range optionSets {
				var want, got bytes.Buffer
				f := chromahtml.New(append([]chromahtml.Option{chromahtml.WithClasses(true)}, opts...)...)
				if err := f.Format(&want, styles.Get(lightStyle), chroma.Literator(toks...)); err != nil {
					t.Fatal(err)
				}
				w := bufio.NewWriter(&got)
				if !highlight(w, c.l, code, opts) {
					t.Fatalf("%q: highlight failed", code)
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("%q, %d options:\n%s", code, len(opts), firstDifference(got.String(), want.String()))
				}
			}
		}
	}
}

// sampleCodes are the codes of samples.
func sampleCodes(samples []lexSample) []string {
	codes := make([]string, len(samples))
	for i, s := range samples {
		codes[i] = s.code
	}
	return codes
}

// benchmarkFastLexer compares fast with chroma's lexer l on code.
func benchmarkFastLexer(b *testing.B, fast lexFunc, l chroma.Lexer, code string) {
	for _, tc := range []struct {
		name string
		lex  lexFunc
	}{
		{"fast", fast},
		{"chroma", func(code string, toks []chroma.Token) ([]chroma.Token, bool) { return lex(l, code, toks) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var toks []chroma.Token
			for b.Loop() {
				var ok bool
				if toks, ok = tc.lex(code, toks[:0]); !ok {
					b.Fatal("not lexed")
				}
			}
		})
	}
}
