package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
)

// lexGo appends the tokens of the Go code to toks, coalesced as lex
// coalesces them: the very tokens lex gives with chroma's Go lexer
// (lexers.Go, chroma v2.27.0), found without regular expressions and
// without allocating more than toks. Token values are substrings of
// code, and never merge into the tokens toks held already.
//
// It reports false, and returns toks as given with nothing of code in
// its spare capacity, for code it leaves to chroma:
//   - code with a carriage return, which chroma turns into a newline, so
//     that its tokens are no substrings of code;
//   - code that is not UTF-8, whose bytes chroma replaces;
//   - a raw string, whose content chroma lexes with its Go template
//     lexer;
//   - a character other than ASCII outside comments, strings and runes:
//     chroma's \s, \w, \d and \b are Unicode's there;
//   - a string without its closing quote that holds \": chroma's
//     regular expression backtracks into it (see str).
func lexGo(code string, toks []chroma.Token) ([]chroma.Token, bool) {
	if strings.IndexByte(code, '\r') >= 0 || !utf8.ValidString(code) {
		return toks, false
	}
	g := goLexer{tokenRun: newTokenRun(code, toks), noClose: len(code)}
	return g.run(toks, g.step)
}

// goLexer is the state of lexGo: the tokens so far, where the next one
// starts, and the offset past which no block comment closes.
type goLexer struct {
	tokenRun
	noClose int
}

// step emits the tokens of the rule of chroma's Go lexer that matches
// at g.pos, or reports false if lexGo leaves code to chroma. Chroma
// tries its rules in order and takes the first that matches, not the
// longest: the scanners below try them in the same order, each starting
// from the first byte it can start with.
func (g *goLexer) step() bool {
	switch c := g.code[g.pos]; {
	case isSpace(c):
		g.spaces(spaceEnd(g.code, g.pos))
	case c == '/':
		g.slash()
	case isLetter(c):
		g.word()
	case isDigit(c):
		g.number()
	case c == '.':
		g.dot()
	case c == '\'':
		g.char()
	case c == '"':
		return g.str()
	case c == '`' || c >= utf8.RuneSelf:
		return false
	default:
		g.symbol()
	}
	return true
}

// spaces emits the white space up to end as chroma does: a newline
// alone where one starts the run, the rest in one token. The run is cut
// as chroma cuts it, so that long runs coalesce the same.
func (g *goLexer) spaces(end int) {
	for g.pos < end {
		if g.code[g.pos] == '\n' {
			g.emit(chroma.TextWhitespace, g.pos+1)
		} else {
			g.emit(chroma.TextWhitespace, end)
		}
	}
}

// slash lexes a line comment, which chroma calls a preprocessor comment
// when a character other than white space follows the slashes, a block
// comment, or an operator.
func (g *goLexer) slash() {
	s, i := g.code, g.pos
	if byteAt(s, i+1) != '/' {
		if end := g.commentEnd(); end >= 0 {
			g.emit(chroma.CommentMultiline, end)
		} else {
			g.symbol()
		}
		return
	}
	end := lineEnd(s, i+2)
	t := chroma.CommentSingle
	// regexp2 tells white space for \s with unicode.IsSpace.
	if r, _ := utf8.DecodeRuneInString(s[i+2 : end]); end > i+2 && !unicode.IsSpace(r) {
		t = chroma.CommentPreproc
	}
	g.emit(t, end)
}

// commentEnd is the end of the block comment at g.pos, or -1 if none
// closes. Chroma's rule lets a backslash and a newline stand between
// the slash and the star at each end; it closes the comment at the
// first star that can.
func (g *goLexer) commentEnd() int {
	s, q := g.code, g.pos+1
	switch {
	case strings.HasPrefix(s[q:], "\\\n*"):
		q += 3
	case byteAt(s, q) == '*':
		q++
	default:
		return -1
	}
	from := q
	for q < g.noClose {
		n := strings.IndexByte(s[q:g.noClose], '*')
		if n < 0 {
			break
		}
		q += n + 1
		if strings.HasPrefix(s[q:], "\\\n/") {
			return q + 3
		}
		if byteAt(s, q) == '/' {
			return q + 1
		}
	}
	// No comment closes past from either: unclosed comments do not
	// scan the rest of the code again and again.
	g.noClose = min(g.noClose, from)
	return -1
}

// word lexes what starts with a letter or an underscore: a keyword, a
// builtin called, a type, a function called, or another name. The
// keyword rules end at a word boundary, so the word is the whole run of
// word characters.
func (g *goLexer) word() {
	s := g.code
	end := g.pos + 1
	for end < len(s) && isWordByte(s[end]) {
		end++
	}
	w := s[g.pos:end]
	if t, ok := goKeyword(w); ok {
		g.emit(t, end)
		return
	}
	if byteAt(s, end) == '(' && (goType(w) || goBuiltin(w)) {
		g.emit(chroma.NameBuiltin, end)
		g.emit(chroma.Punctuation, end+1)
		return
	}
	if goType(w) || w == "any" {
		g.emit(chroma.KeywordType, end)
		return
	}
	// A name followed by a parenthesis, white space between them
	// included, is a function.
	paren := spaceEnd(s, end)
	if byteAt(s, paren) != '(' {
		g.emit(chroma.NameOther, end)
		return
	}
	g.emit(chroma.NameFunction, end)
	g.spaces(paren)
	g.emit(chroma.Punctuation, paren+1)
}

// goKeyword is the type chroma gives the keyword w, if w is one.
func goKeyword(w string) (chroma.TokenType, bool) {
	switch w {
	case "import", "package":
		return chroma.KeywordNamespace, true
	case "var", "func", "struct", "map", "chan", "type", "interface", "const":
		return chroma.KeywordDeclaration, true
	case "break", "default", "select", "case", "defer", "go", "else", "goto",
		"switch", "fallthrough", "if", "range", "continue", "for", "return":
		return chroma.Keyword, true
	case "true", "false", "iota", "nil":
		return chroma.KeywordConstant, true
	}
	return 0, false
}

// goType reports whether chroma's Go lexer takes w for a type, as its
// type rule and its builtin rule both do (with float, which Go lacks).
func goType(w string) bool {
	switch w {
	case "uint", "uint8", "uint16", "uint32", "uint64", "int", "int8",
		"int16", "int32", "int64", "float", "float32", "float64",
		"complex64", "complex128", "byte", "rune", "string", "bool",
		"error", "uintptr":
		return true
	}
	return false
}

// goBuiltin reports whether w is a builtin function for chroma's Go
// lexer.
func goBuiltin(w string) bool {
	switch w {
	case "print", "println", "panic", "recover", "close", "complex",
		"real", "imag", "len", "cap", "append", "copy", "delete", "new",
		"make", "clear", "min", "max":
		return true
	}
	return false
}

// number lexes what starts with a digit. Chroma's number rules do not
// end at a word boundary: what follows a number is lexed on its own.
func (g *goLexer) number() {
	if t, end := decimalEnd(g.code, digitsEnd(g.code, g.pos)); end >= 0 {
		g.emit(t, end)
	} else {
		g.integer()
	}
}

// decimalEnd is the type and the end of the imaginary or floating-point
// number whose leading digits end at e, in the order of chroma's rules;
// -1 if it is neither.
func decimalEnd(s string, e int) (chroma.TokenType, int) {
	if byteAt(s, e) == 'i' {
		return chroma.LiteralNumber, e + 1
	}
	if byteAt(s, e) == '.' {
		if end := imagEnd(s, digitsEnd(s, e+1)); end >= 0 {
			return chroma.LiteralNumber, end
		}
	}
	if end := exponentEnd(s, e, true); end >= 0 && byteAt(s, end) == 'i' {
		return chroma.LiteralNumber, end + 1
	}
	if byteAt(s, e) == '.' {
		return chroma.LiteralNumberFloat, fractionEnd(s, e)
	}
	if end := exponentEnd(s, e, false); end >= 0 {
		return chroma.LiteralNumberFloat, end
	}
	return 0, -1
}

// integer lexes an octal, hexadecimal, binary or decimal integer, or
// the lone 0 that starts what is none of them.
func (g *goLexer) integer() {
	s, i := g.code, g.pos
	if s[i] != '0' {
		g.emit(chroma.LiteralNumberInteger, runEnd(s, i+1, "0123456789_"))
		return
	}
	x := byteAt(s, i+1)
	switch {
	case runEnd(s, i+1, "01234567") > i+1:
		g.emit(chroma.LiteralNumberOct, runEnd(s, i+1, "01234567"))
	case (x == 'x' || x == 'X') && runEnd(s, i+2, hexDigits+"_") > i+2:
		g.emit(chroma.LiteralNumberHex, runEnd(s, i+2, hexDigits+"_"))
	case x == 'b' && runEnd(s, i+2, "01_") > i+2:
		g.emit(chroma.LiteralNumberBin, runEnd(s, i+2, "01_"))
	default:
		g.emit(chroma.LiteralNumberInteger, i+1)
	}
}

// fractionEnd is the end of the float whose point is at dot: chroma
// takes its exponent only if digits stand between the point and it.
func fractionEnd(s string, dot int) int {
	f := digitsEnd(s, dot+1)
	if f > dot+1 {
		if end := exponentEnd(s, f, false); end >= 0 {
			return end
		}
	}
	return f
}

// dot lexes a number that starts with its point, or an operator or
// punctuation.
func (g *goLexer) dot() {
	s, i := g.code, g.pos
	f := digitsEnd(s, i+1)
	switch end := imagEnd(s, f); {
	case f == i+1:
		g.symbol()
	case end >= 0:
		g.emit(chroma.LiteralNumber, end)
	default:
		g.emit(chroma.LiteralNumberFloat, fractionEnd(s, i))
	}
}

// imagEnd is the end of the imaginary suffix at i, an exponent with a
// sign then i, or i alone; -1 if there is none.
func imagEnd(s string, i int) int {
	if e := exponentEnd(s, i, true); e >= 0 && byteAt(s, e) == 'i' {
		return e + 1
	}
	if byteAt(s, i) == 'i' {
		return i + 1
	}
	return -1
}

// exponentEnd is the end of the exponent at i (an e or E, a sign, at
// least one digit), or -1 if there is none. The sign is optional unless
// signed.
func exponentEnd(s string, i int, signed bool) int {
	if c := byteAt(s, i); c != 'e' && c != 'E' {
		return -1
	}
	i++
	if c := byteAt(s, i); c == '+' || c == '-' {
		i++
	} else if signed {
		return -1
	}
	if e := digitsEnd(s, i); e > i {
		return e
	}
	return -1
}

// char lexes a rune literal, or an error token for a quote that starts
// none.
func (g *goLexer) char() {
	if end := charEnd(g.code, g.pos); end >= 0 {
		g.emit(chroma.LiteralStringChar, end)
	} else {
		g.emit(chroma.Error, g.pos+1)
	}
}

// charEnd is the end of the rune literal at i, or -1. Any one character
// other than a backslash stands for itself, a quote and a newline too.
func charEnd(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return -1
	}
	if s[j] != '\\' {
		_, n := utf8.DecodeRuneInString(s[j:])
		j += n
	} else if j = escapeEnd(s, j+1); j < 0 {
		return -1
	}
	if byteAt(s, j) != '\'' {
		return -1
	}
	return j + 1
}

// escapeEnd is the end of the escape that follows a backslash at i-1
// in a rune literal, or -1.
func escapeEnd(s string, i int) int {
	switch c := byteAt(s, i); {
	case strings.IndexByte(`'"\abfnrtv`, c) >= 0:
		return i + 1
	case c == 'x':
		return hexEnd(s, i+1, 2)
	case c == 'u':
		return hexEnd(s, i+1, 4)
	case c == 'U':
		return hexEnd(s, i+1, 8)
	}
	// One to three octal digits: only the longest run can be followed
	// by the closing quote.
	end := runEnd(s, i, "01234567")
	if end == i {
		return -1
	}
	return min(end, i+3)
}

// hexEnd is i+n if n hexadecimal digits start at i, or -1.
func hexEnd(s string, i, n int) int {
	if i+n > len(s) || runEnd(s[:i+n], i, hexDigits) != i+n {
		return -1
	}
	return i + n
}

// str lexes an interpreted string, or an error token for a quote that
// closes none. Chroma's rule reads a backslash with the backslash or
// quote after it, and may span lines. It reports false where the string
// does not close but holds an escaped quote: the regular expression then
// backtracks and closes the string at such a quote, in a time
// exponential in the backslashes after it, which its time limit may
// cut short.
func (g *goLexer) str() bool {
	s := g.code
	escapedQuote := false
	for j := g.pos + 1; j < len(s); j++ {
		switch s[j] {
		case '"':
			g.emit(chroma.LiteralString, j+1)
			return true
		case '\\':
			if c := byteAt(s, j+1); c == '\\' || c == '"' {
				escapedQuote = escapedQuote || c == '"'
				j++
			}
		}
	}
	if escapedQuote {
		return false
	}
	g.emit(chroma.Error, g.pos+1)
	return true
}

// symbol lexes an operator, punctuation, or an error token for a
// character that starts no token.
func (g *goLexer) symbol() {
	s := g.code[g.pos:]
	switch n := operatorLen(s); {
	case n > 0:
		g.emit(chroma.Operator, g.pos+n)
	case strings.IndexByte("|^<>=!()[]{}.,;:~", s[0]) >= 0:
		g.emit(chroma.Punctuation, g.pos+1)
	default:
		g.emit(chroma.Error, g.pos+1)
	}
}

// operatorLen is the length of the operator s starts with, 0 if none.
// The operators are tried in the order of chroma's rule, which takes
// the first that matches.
func operatorLen(s string) int {
	if strings.IndexByte("<>&+-*/%|=!:.", s[0]) < 0 {
		return 0 // most punctuation: no need to try every operator
	}
	for _, op := range [...]string{
		"<<=", ">>=", "<<", ">>", "<=", ">=", "&^=", "&^", "+=", "-=", "*=",
		"/=", "%=", "&=", "|=", "&&", "||", "<-", "++", "--", "==", "!=",
		":=", "...",
	} {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	if strings.IndexByte("+-*/%&", s[0]) >= 0 {
		return 1
	}
	return 0
}

const hexDigits = "0123456789abcdefABCDEF"
