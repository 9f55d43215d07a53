package markdown

import (
	"strings"

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

// byteAt is s[i], or 0 past either end of s. Callers compare it with
// characters other than 0, or ask whether it is a word character,
// digit or space, which 0 is not: past the ends is no match.
func byteAt(s string, i int) byte {
	if 0 <= i && i < len(s) {
		return s[i]
	}
	return 0
}

// runEnd is the end of the run of bytes of set that starts at i.
func runEnd(s string, i int, set string) int {
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// spaceEnd is the end of the white space that starts at i.
func spaceEnd(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// isSpace reports whether the ASCII byte c is white space for \s,
// carriage returns aside: Foyer's own lexers leave those to chroma.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isLetter reports whether c can start a name.
func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// lineEnd is the offset of the newline that ends the line of i, or
// the end of s: where .* stops, and a line comment.
func lineEnd(s string, i int) int {
	if n := strings.IndexByte(s[i:], '\n'); n >= 0 {
		return i + n
	}
	return len(s)
}
