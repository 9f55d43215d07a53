package markdown

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// lexYAML appends the tokens of the YAML code to toks, coalesced as lex
// coalesces them: the very tokens lex gives with chroma's YAML lexer
// (lexers.Get("yaml"), chroma v2.27.0), found without regular
// expressions and without allocating more than toks. Token values are
// substrings of code, and never merge into the tokens toks held already.
//
// Chroma's YAML lexer has one state, whose rules it tries in order at
// each position, taking the first that matches. step tries them in the
// same order; the comments number them as the lexer lists them, its
// included states inlined.
//
// lexYAML reports false, and returns toks as given with nothing of code
// in its spare capacity, for code it leaves to chroma:
//   - code with a byte that is not ASCII: chroma's \s, \w, \d and \b are
//     Unicode's;
//   - code with a carriage return, which chroma turns into a newline, so
//     that its tokens are no substrings of code;
//   - a block scalar's | or >, whose rule has a back-reference, and a
//     %include line;
//   - a quoted string without its closing quote: chroma's regular
//     expression backtracks into it.
func lexYAML(code string, toks []chroma.Token) ([]chroma.Token, bool) {
	for i := 0; i < len(code); i++ {
		if code[i] >= 0x80 || code[i] == '\r' {
			return toks, false
		}
	}
	y := yamlLexer{newTokenRun(code, toks)}
	return y.run(toks, y.step)
}

// yamlLexer is the state of lexYAML.
type yamlLexer struct{ tokenRun }

// step emits the tokens of the rule that matches at y.pos, or reports
// false if lexYAML leaves the code to chroma.
func (y *yamlLexer) step() bool {
	s, i := y.code, y.pos
	c := s[i]
	lineStart := i == 0 || s[i-1] == '\n'
	switch {
	case isSpace(c): // 1: \s+ (2, \n+, never matches after it)
		y.emit(chroma.TextWhitespace, spaceEnd(s, i))
	case lineStart && (strings.HasPrefix(s[i:], "---") || strings.HasPrefix(s[i:], "...")): // 3, 4
		y.emit(chroma.NameNamespace, i+3)
	case y.take(chroma.Text, yamlDashEnd(s, i)): // 5
	case c == '#' || c == '/' && byteAt(s, i+1) == '/': // 6, 7
		y.emit(chroma.Comment, lineEnd(s, i))
	case y.take(chroma.CommentPreproc, yamlAnchorEnd(s, i)): // 8, 9, 10
	case lineStart && strings.HasPrefix(s[i:], "%include"): // 11
		return false
	default:
		return y.keyOrValue()
	}
	return true
}

// take emits the token of type t up to end, the end of a rule's match
// at y.pos, and reports whether there was one: end is y.pos when the
// rule does not match. Each rule's match is found once, in the case
// that tries it.
func (y *yamlLexer) take(t chroma.TokenType, end int) bool {
	if end == y.pos {
		return false
	}
	y.emit(t, end)
	return true
}

// keyOrValue tries the rules of the included states key (12 to 15) and
// value (16 to 24), then the last two.
func (y *yamlLexer) keyOrValue() bool {
	s, i := y.code, y.pos
	if y.take(chroma.NameTag, yamlQuotedKeyEnd(s, i)) { // 12
		return true
	}
	// 13, (-)( )(key)(:)( ), never matches: 5 takes every "- " first.
	for _, after := range []byte{' ', '\n'} { // 14, 15
		if colon := yamlKeyColon(s, i, after); colon >= 0 {
			y.emit(chroma.NameTag, colon)
			y.emit(chroma.Punctuation, colon+1)
			y.emit(chroma.TextWhitespace, colon+2)
			return true
		}
	}
	switch c := s[i]; {
	case c == '>' || c == '|': // 16, the block scalar
		return false
	case y.take(chroma.KeywordConstant, yamlConstantEnd(s, i)): // 17
	case c == '"' || c == '\'': // 18, 19
		end := yamlQuotedEnd(s, i)
		if end < 0 {
			return false
		}
		t := chroma.LiteralStringDouble
		if c == '\'' {
			t = chroma.LiteralStringSingle
		}
		y.emit(t, end)
	case y.take(chroma.LiteralDate, yamlDateEnd(s, i)): // 20
	case y.take(chroma.LiteralNumber, yamlNumberEnd(s, i)): // 21
	case !strings.ContainsRune(`{}[]?,:!-*&@`, rune(c)): // 22, 23, 24
		y.literal()
	case strings.IndexByte(`?:,[]`, c) >= 0: // 25
		y.emit(chroma.Punctuation, i+1)
	default: // 26: ., one character, never a newline here
		y.emit(chroma.Text, i+1)
	}
	return true
}

// literal emits the rest of the line from a plain scalar's first
// character: the rules ([^…].*)( )+(#.*), the same with //, and [^…].*.
// The greedy .* gives back characters from the end of the line, so the
// comment is the last one on the line that follows a space, and the
// white space token is that one space.
func (y *yamlLexer) literal() {
	s, i := y.code, y.pos
	end := lineEnd(s, i)
	for _, mark := range []string{" #", " //"} {
		if at := strings.LastIndex(s[i+1:end], mark); at >= 0 {
			at += i + 1
			y.emit(chroma.Literal, at)
			y.emit(chroma.TextWhitespace, at+1)
			y.emit(chroma.Comment, end)
			return
		}
	}
	y.emit(chroma.Literal, end)
}

// yamlDashEnd is the end of a match of [\n?]?\s*- at i, which holds no
// white space: "- ", or a question mark, white space and "- ". It is i
// if there is none.
func yamlDashEnd(s string, i int) int {
	j := i
	if s[j] == '?' {
		j = spaceEnd(s, j+1)
	}
	if byteAt(s, j) == '-' && byteAt(s, j+1) == ' ' {
		return j + 2
	}
	return i
}

// yamlAnchorEnd is the end of a match of !![^\s]+, &[^\s]+ or \*[^\s]+
// at i, or i if there is none.
func yamlAnchorEnd(s string, i int) int {
	j := i + 1
	switch {
	case s[i] == '!' && byteAt(s, i+1) == '!':
		j = i + 2
	case s[i] != '&' && s[i] != '*':
		return i
	}
	end := j
	for end < len(s) && !isSpace(s[end]) {
		end++
	}
	if end == j {
		return i
	}
	return end
}

// yamlQuotedKeyEnd is the end of a match of "[^"\n#].*":  at i, or i if
// there is none: the greedy .* makes it the line's last `": `.
func yamlQuotedKeyEnd(s string, i int) int {
	if s[i] != '"' || i+1 >= len(s) || strings.IndexByte("\"\n#", s[i+1]) >= 0 {
		return i
	}
	end := lineEnd(s, i)
	if at := strings.LastIndex(s[i+2:end], `": `); at >= 0 {
		return i + 2 + at + 3
	}
	return i
}

// yamlKeyColon is the offset of the colon of a match of
// ((?:(?!//)[^"\n{#])*?)(:)(after) at i, or -1 if there is none. The
// lazy key ends at the first colon followed by after; each of its
// characters is checked before it is taken, the colon's is not.
func yamlKeyColon(s string, i int, after byte) int {
	for j := i; j < len(s); j++ {
		if s[j] == ':' && byteAt(s, j+1) == after {
			return j
		}
		if strings.IndexByte("\"\n{#", s[j]) >= 0 || s[j] == '/' && byteAt(s, j+1) == '/' {
			return -1
		}
	}
	return -1
}

// yamlConstants are the alternatives of the constants' rule, in its
// order: the first one followed by \b wins.
var yamlConstants = [...]string{
	"false", "False", "FALSE", "true", "True", "TRUE", "null", "Off", "off",
	"yes", "Yes", "YES", "OFF", "On", "ON", "no", "No", "on", "NO",
	"n", "N", "Y", "y",
}

func yamlConstantEnd(s string, i int) int {
	for _, w := range yamlConstants {
		if strings.HasPrefix(s[i:], w) && !isWordByte(byteAt(s, i+len(w))) {
			return i + len(w)
		}
	}
	return i
}

// yamlQuotedEnd is the end of a match of "(?:\\.|[^"])*" (or the same
// with single quotes) at i, whose closing quote is the first one no
// backslash escapes, newlines included. It is -1 when no such quote
// comes: the regular expression then backtracks into the escapes, which
// lexYAML leaves to chroma.
func yamlQuotedEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == q:
			return j + 1
		case s[j] == '\\' && j+1 < len(s) && s[j+1] != '\n':
			j++
		}
	}
	return -1
}

// yamlDateEnd is the end of a match of
// \d\d\d\d-\d\d-\d\d([T ]\d\d:\d\d:\d\d(\.\d+)?(Z|\s+[-+]\d+)?)? at i,
// or i if there is none. Nothing after the optional parts can fail, so
// each takes all it can.
func yamlDateEnd(s string, i int) int {
	if !yamlDigitsAt(s, i, "dddd-dd-dd") {
		return i
	}
	j := i + 10
	if c := byteAt(s, j); (c == 'T' || c == ' ') && yamlDigitsAt(s, j+1, "dd:dd:dd") {
		j += 9
		if byteAt(s, j) == '.' && isDigit(byteAt(s, j+1)) {
			j = digitsEnd(s, j+1)
		}
		if byteAt(s, j) == 'Z' {
			j++
		} else if k := spaceEnd(s, j); k > j && (byteAt(s, k) == '-' || byteAt(s, k) == '+') && isDigit(byteAt(s, k+1)) {
			j = digitsEnd(s, k+1)
		}
	}
	return j
}

// yamlDigitsAt reports whether s at i has the shape of form: a digit for
// each d, the other bytes as they are.
func yamlDigitsAt(s string, i int, form string) bool {
	if len(s)-i < len(form) {
		return false
	}
	for k := range len(form) {
		if form[k] == 'd' && !isDigit(s[i+k]) || form[k] != 'd' && form[k] != s[i+k] {
			return false
		}
	}
	return true
}

// yamlNumberEnd is the end of a match of
// \b[+\-]?(0x[\da-f]+|0o[0-7]+|(\d+\.?\d*|\.?\d+)(e[\+\-]?\d+)?|\.inf|\.nan)\b
// at i, or i if there is none. The ends its parts allow are tried in the
// order the regular expression backtracks through them, and the first
// one at a word boundary wins.
func yamlNumberEnd(s string, i int) int {
	if isWordByte(byteAt(s, i-1)) == isWordByte(s[i]) {
		return i
	}
	p := i
	if s[p] == '+' || s[p] == '-' {
		p++ // without the sign, no alternative could start at it
	}
	end := i
	yamlNumberEnds(s, p, func(e int) bool {
		if isWordByte(byteAt(s, e-1)) != isWordByte(byteAt(s, e)) {
			end = e
			return true
		}
		return false
	})
	return end
}

// yamlNumberEnds calls try with each end of the number's alternatives
// at p, in backtracking order, until try returns true.
func yamlNumberEnds(s string, p int, try func(int) bool) {
	prefixed := func(prefix, digits string) bool {
		if !strings.HasPrefix(s[p:], prefix) {
			return false
		}
		start := p + len(prefix)
		for e := runEnd(s, start, digits); e > start; e-- {
			if try(e) {
				return true
			}
		}
		return false
	}
	// [\da-f]: YAML's rule has no upper-case hexadecimal digits.
	if prefixed("0x", "0123456789abcdef") || prefixed("0o", "01234567") || yamlDecimalEnds(s, p, try) {
		return
	}
	for _, w := range []string{".inf", ".nan"} {
		if strings.HasPrefix(s[p:], w) && try(p+len(w)) {
			return
		}
	}
}

// yamlDecimalEnds calls try with the ends of (\d+\.?\d*|\.?\d+) followed
// by the optional (e[\+\-]?\d+), in backtracking order, and reports
// whether try returned true.
func yamlDecimalEnds(s string, p int, try func(int) bool) bool {
	withExponent := func(g int) bool {
		if byteAt(s, g) == 'e' {
			k := g + 1
			if c := byteAt(s, k); c == '+' || c == '-' {
				k++ // without the sign, \d+ cannot start at it
			}
			for e := digitsEnd(s, k); e > k; e-- {
				if try(e) {
					return true
				}
			}
		}
		return try(g)
	}
	// \d+\.?\d*
	for q := digitsEnd(s, p); q > p; q-- {
		dots := []int{q}
		if byteAt(s, q) == '.' {
			dots = []int{q + 1, q}
		}
		for _, d := range dots {
			for g := digitsEnd(s, d); g >= d; g-- {
				if withExponent(g) {
					return true
				}
			}
		}
	}
	// \.?\d+
	starts := []int{p}
	if byteAt(s, p) == '.' {
		starts = []int{p + 1, p}
	}
	for _, d := range starts {
		for g := digitsEnd(s, d); g > d; g-- {
			if withExponent(g) {
				return true
			}
		}
	}
	return false
}
