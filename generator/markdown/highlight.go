package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// codeRenderer renders fenced code blocks: highlighted with chroma's CSS
// classes when chroma has a lexer for the block's language, escaped as
// they are otherwise. Its output is what goldmark-highlighting wrote
// with chromahtml.WithClasses(true) and WithGuessLanguage(false), but it
// writes the tokens straight into goldmark's writer instead of building
// a chroma formatter, and its style sheet maps, for every block.
type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderFencedCode)
}

// lightStyle is the chroma style of the light theme. With CSS classes
// the markup does not depend on the style, only the style sheet does.
const lightStyle = "github"

func renderFencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	var info []byte
	if n.Info != nil {
		info = n.Info.Segment.Value(src)
	}
	opts, nohl := infoOptions(info)
	var lexer chroma.Lexer
	if lang != nil && !nohl {
		lexer = lexerFor(lang)
	}
	if lexer != nil && highlight(w, lexer, codeText(n, src), opts) {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<pre><code")
	if lang != nil {
		_, _ = w.WriteString(` class="language-`)
		gmhtml.DefaultWriter.Write(w, lang)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		gmhtml.DefaultWriter.RawWrite(w, seg.Value(src))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}

// codeText is the text of a code block.
func codeText(n *ast.FencedCodeBlock, src []byte) string {
	lines := n.Lines()
	var b strings.Builder
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// The lexers found for the languages of code blocks, nil for languages
// chroma does not know. Contributions can name any language:
// past maxLexerCache names, new ones are looked up every time instead of
// growing the cache.
var lexerCache = struct {
	sync.RWMutex
	m map[string]chroma.Lexer
}{m: map[string]chroma.Lexer{}}

const maxLexerCache = 512

func lexerFor(lang []byte) chroma.Lexer {
	lexerCache.RLock()
	l, ok := lexerCache.m[string(lang)]
	lexerCache.RUnlock()
	if ok {
		return l
	}
	l = lexers.Get(string(lang))
	lexerCache.Lock()
	if len(lexerCache.m) < maxLexerCache {
		lexerCache.m[string(lang)] = l
	}
	lexerCache.Unlock()
	return l
}

// highlight writes code highlighted by lexer l: as writeHighlighted
// does, or with chroma's formatter and the options opts if there are any.
// If the lexer fails on code (see lex) it writes nothing and reports
// false: the caller writes the plain block, as for an unknown language.
func highlight(w util.BufWriter, l chroma.Lexer, code string, opts []chromahtml.Option) bool {
	buf := tokenPool.Get().(*[]chroma.Token)
	toks, ok := fastLex(l, code, (*buf)[:0])
	if !ok {
		toks, ok = lex(l, code, toks)
	}
	if ok {
		if opts == nil {
			writeHighlighted(w, toks)
		} else {
			// Line numbers or highlighted lines, asked for in the info
			// string: rare enough to leave to chroma's formatter.
			f := chromahtml.New(append([]chromahtml.Option{chromahtml.WithClasses(true)}, opts...)...)
			_ = f.Format(w, styles.Get(lightStyle), chroma.Literator(toks...))
		}
	}
	if cap(toks) <= maxPooledTokens {
		clear(toks) // the pool keeps no code alive
		*buf = toks[:0]
		tokenPool.Put(buf)
	}
	return ok
}

// The token slices of highlight, kept for the next blocks unless a
// block needed more than maxPooledTokens.
var tokenPool = sync.Pool{New: func() any { return new([]chroma.Token) }}

const maxPooledTokens = 1 << 14

// Some of chroma's lexers never finish on some input: JSONata and Jungle
// (chroma v2.27.0) match the empty string without moving on and yield
// empty tokens without end, which chroma.Coalesce loops over. A lexer
// that yields more than maxEmptyRun empty tokens in a row, or more than
// tokensPerByte tokens per byte of code (plus extraTokens), is taken to
// be such a lexer. Well-behaved lexers are far from both: at most 7
// empty tokens in a row and 4.5 tokens per byte (BlitzBasic on
// "x(x(x(…") over the samples of the tests, the golden corpus and
// repeated ASCII characters.
const (
	maxEmptyRun   = 64
	tokensPerByte = 16
	extraTokens   = 64
)

// maxCoalesced is the length past which chroma.Coalesce starts a new
// token of the same type.
const maxCoalesced = 8192

// lex appends the tokens of code to toks, coalesced as chroma.Coalesce
// coalesces them: without empty tokens, a token merged into the one
// before it when both have the same type and the one before is shorter
// than maxCoalesced bytes. It reports false if the lexer fails: returns
// an error, panics, or yields too many tokens (see maxEmptyRun).
func lex(l chroma.Lexer, code string, toks []chroma.Token) (_ []chroma.Token, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	it, err := l.Tokenise(nil, code)
	if err != nil {
		return toks, false
	}
	budget := tokensPerByte*len(code) + extraTokens
	empty := 0
	for t := it(); t != chroma.EOF; t = it() {
		if budget--; budget < 0 {
			return toks, false
		}
		if t.Value == "" {
			if empty++; empty > maxEmptyRun {
				return toks, false
			}
			continue
		}
		empty = 0
		if last := len(toks) - 1; last >= 0 && toks[last].Type == t.Type && len(toks[last].Value) < maxCoalesced {
			toks[last].Value += t.Value
		} else {
			toks = append(toks, t)
		}
	}
	return toks, true
}

// The fixed markup around highlighted code, with chroma's class names.
var (
	preOpen   = "<pre" + classAttr(chroma.PreWrapper) + "><code>"
	preClose  = "</code></pre>"
	lineOpen  = "<span" + classAttr(chroma.Line) + "><span" + classAttr(chroma.CodeLine) + ">"
	lineClose = "</span></span>"
)

func classAttr(t chroma.TokenType) string {
	if c := tokenClass(t); c != "" {
		return ` class="` + c + `"`
	}
	return ""
}

// tokenClass is the CSS class chroma's formatter gives tokens of type t
// (without a class prefix): that of t or of its nearest parent type
// that has one.
func tokenClass(t chroma.TokenType) string {
	for ; t != 0; t = t.Parent() {
		if c, ok := chroma.StandardTypes[t]; ok {
			return c
		}
	}
	return chroma.StandardTypes[0]
}

// writeHighlighted writes toks as chroma's HTML formatter does with CSS
// classes: each line in a line span and a code line span, each token in
// a span of its class if it has one, its text escaped as
// html.EscapeString does.
//
// The tokens are coalesced by lex, which drops empty tokens: the
// formatter's dropping of a last line made of one empty token has no
// case to handle here.
func writeHighlighted(w util.BufWriter, toks []chroma.Token) {
	_, _ = w.WriteString(preOpen)
	open := false // inside a line
	for _, t := range toks {
		class := tokenClass(t.Type)
		v := t.Value
		for {
			i := strings.IndexByte(v, '\n')
			if i < 0 {
				break
			}
			if !open {
				_, _ = w.WriteString(lineOpen)
			}
			writeToken(w, class, v[:i+1])
			_, _ = w.WriteString(lineClose)
			open = false
			v = v[i+1:]
		}
		if v == "" && len(t.Value) > 0 {
			continue // the token ended a line
		}
		if !open {
			_, _ = w.WriteString(lineOpen)
			open = true
		}
		writeToken(w, class, v)
	}
	if open {
		_, _ = w.WriteString(lineClose)
	}
	_, _ = w.WriteString(preClose)
}

func writeToken(w util.BufWriter, class, v string) {
	if class == "" {
		writeEscaped(w, v)
		return
	}
	_, _ = w.WriteString(`<span class="`)
	_, _ = w.WriteString(class)
	_, _ = w.WriteString(`">`)
	writeEscaped(w, v)
	_, _ = w.WriteString("</span>")
}

// writeEscaped writes s escaped as html.EscapeString escapes it.
func writeEscaped(w util.BufWriter, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		_, _ = w.WriteString(s[last:i])
		_, _ = w.WriteString(esc)
		last = i + 1
	}
	_, _ = w.WriteString(s[last:])
}

// infoOptions reads the attributes goldmark-highlighting took from an
// info string such as `go {linenos=table, hl_lines=[2,"4-6"]}`: the
// formatter options they ask for (nil if none) and whether highlighting
// is off (nohl).
func infoOptions(info []byte) (opts []chromahtml.Option, nohl bool) {
	start := bytes.IndexByte(info, '{')
	if start <= 0 {
		return nil, false
	}
	attrs, ok := parser.ParseAttributes(text.NewReader(info[start:]))
	if !ok {
		return nil, false
	}
	get := func(name string) (any, bool) {
		for i := len(attrs) - 1; i >= 0; i-- { // the last one wins
			if string(attrs[i].Name) == name {
				return attrs[i].Value, true
			}
		}
		return nil, false
	}
	base := 1
	if v, ok := get("linenostart"); ok {
		if f, ok := v.(float64); ok {
			base = int(f)
			opts = append(opts, chromahtml.BaseLineNumber(base))
		}
	}
	if v, ok := get("hl_lines"); ok {
		if list, ok := v.([]any); ok {
			opts = append(opts, chromahtml.HighlightLines(lineRanges(list, base)))
		}
	}
	_, nohl = get("nohl")
	if v, ok := get("linenos"); ok {
		switch v := v.(type) {
		case bool:
			opts = append(opts, chromahtml.WithLineNumbers(v))
		case []byte:
			if v != nil {
				opts = append(opts, chromahtml.WithLineNumbers(true))
			}
			switch string(v) {
			case "table":
				opts = append(opts, chromahtml.LineNumbersInTable(true))
			case "inline":
				opts = append(opts, chromahtml.LineNumbersInTable(false))
			}
		}
	}
	return opts, nohl
}

// lineRanges turns hl_lines items, line numbers and "from-to" strings
// counted from 1, into ranges of line numbers counted from base.
func lineRanges(list []any, base int) [][2]int {
	var ranges [][2]int
	for _, item := range list {
		switch item := item.(type) {
		case float64:
			ranges = append(ranges, [2]int{int(item) + base - 1, int(item) + base - 1})
		case []byte:
			parts := strings.Split(string(item), "-")
			from, err := strconv.Atoi(parts[0])
			if err != nil {
				continue
			}
			to := from
			if len(parts) > 1 {
				if to, err = strconv.Atoi(parts[1]); err != nil {
					continue
				}
			}
			ranges = append(ranges, [2]int{from + base - 1, to + base - 1})
		}
	}
	return ranges
}
