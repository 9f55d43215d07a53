package markdown

import (
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// chromaYAML is chroma's YAML lexer, which lexYAML stands in for.
var chromaYAML = lexers.Get("yaml")

// fastLex lexes code with Foyer's own lexer for l, if there is one and
// it takes code: it appends to toks the very tokens lex appends, without
// chroma's regular expressions, which cost a hub's build more than any
// other part of its Markdown. It reports false, with toks as given, for
// every other lexer and code, which lex lexes. Only chroma's own Go and
// YAML lexers qualify: the lexers of other packages or tests, whatever
// their name, have rules of their own.
func fastLex(l chroma.Lexer, code string, toks []chroma.Token) ([]chroma.Token, bool) {
	switch l {
	case lexers.Go:
		return lexGo(code, toks)
	case chromaYAML:
		return lexYAML(code, toks)
	}
	return toks, false
}

// tokenRun is what Foyer's own lexers share: the code, the tokens so
// far and where the next one starts.
type tokenRun struct {
	code  string
	toks  []chroma.Token
	first int // the first token of code in toks
	pos   int
}

func newTokenRun(code string, toks []chroma.Token) tokenRun {
	return tokenRun{code: code, toks: toks, first: len(toks)}
}

// emit appends the token of type t from r.pos to end, merged into the
// token before it as lex merges them: a substring of the code, without
// allocating. An empty token is dropped, as lex drops it.
func (r *tokenRun) emit(t chroma.TokenType, end int) {
	if end == r.pos {
		return
	}
	if n := len(r.toks) - 1; n >= r.first && r.toks[n].Type == t && len(r.toks[n].Value) < maxCoalesced {
		r.toks[n].Value = r.code[r.pos-len(r.toks[n].Value) : end]
	} else {
		r.toks = append(r.toks, chroma.Token{Type: t, Value: r.code[r.pos:end]})
	}
	r.pos = end
}

// run calls step until the code is lexed, and returns the tokens. If
// step reports false, the lexer leaves the code to chroma: run returns
// toks as given, and clears what step appended in its spare capacity
// (appends past it went to another array), since highlight pools toks
// and the pool keeps no code alive.
func (r *tokenRun) run(toks []chroma.Token, step func() bool) ([]chroma.Token, bool) {
	for r.pos < len(r.code) {
		if !step() {
			clear(toks[len(toks):cap(toks)])
			return toks, false
		}
	}
	return r.toks, true
}
