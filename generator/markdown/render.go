package markdown

import (
	"bytes"
	"html"
	"net/url"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/foyerhub/foyer/generator/internal/bufpool"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// textRenderer writes text with the language's typography and, when
// escapeRaw is set, shows raw HTML as text instead of passing it through.
type textRenderer struct {
	lang      string
	escapeRaw bool
}

func (r *textRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, r.text)
	if r.escapeRaw {
		reg.Register(ast.KindRawHTML, r.rawInline)
		reg.Register(ast.KindHTMLBlock, r.rawBlock)
	}
}

// typesetBufs hold the typeset text of a node while it is written.
var typesetBufs = bufpool.Pool{Max: 1 << 16}

func (r *textRenderer) text(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	value := n.Segment.Value(src)
	if n.IsRaw() {
		_, _ = w.Write(value)
		return ast.WalkContinue, nil
	}
	prev := ' '
	if start := n.Segment.Start; start > 0 && start <= len(src) {
		prev, _ = utf8.DecodeLastRune(src[:start])
	}
	if hasTypography(value) {
		buf := typesetBufs.Get()
		typeset := appendTypeset(*buf, r.lang, util.BytesToReadOnlyString(value), prev)
		gmhtml.DefaultWriter.Write(w, typeset)
		typesetBufs.Put(buf, typeset)
	} else {
		gmhtml.DefaultWriter.Write(w, value)
	}
	switch {
	case n.HardLineBreak():
		_, _ = w.WriteString("<br />\n")
	case n.SoftLineBreak():
		_ = w.WriteByte('\n')
	}
	return ast.WalkContinue, nil
}

func (r *textRenderer) rawInline(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		_, _ = w.WriteString(html.EscapeString(string(seg.Value(src))))
	}
	return ast.WalkSkipChildren, nil
}

func (r *textRenderer) rawBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if !entering || n.HTMLBlockType == ast.HTMLBlockType2 {
		// Comments, <!--more--> among them, are left out.
		return ast.WalkContinue, nil
	}
	var b bytes.Buffer
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(src))
	}
	_, _ = w.WriteString("<p>")
	_, _ = w.WriteString(html.EscapeString(strings.TrimSpace(b.String())))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

// guestRenderer renders the links and images of contributions.
type guestRenderer struct{ allowImages bool }

func (r *guestRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, r.link)
	reg.Register(ast.KindAutoLink, r.autoLink)
	reg.Register(ast.KindImage, r.image)
}

// SafeURL reports whether u may be a link target in contributed content:
// http, https and mailto URLs, and relative ones.
func SafeURL(u string) bool {
	u = strings.TrimSpace(u)
	parsed, err := url.Parse(u)
	if err != nil || strings.ContainsAny(u, "\x00\r\n\t") {
		return false
	}
	switch strings.ToLower(parsed.Scheme) {
	case "http", "https", "mailto":
		return true
	case "":
		// "javascript:…" hidden behind entities or odd spacing parses
		// with an empty scheme only when it holds no colon before a slash.
		before, _, _ := strings.Cut(u, "/")
		return !strings.Contains(before, ":")
	}
	return false
}

func openLink(w util.BufWriter, dest []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	_, _ = w.WriteString(`" rel="ugc nofollow">`)
}

func (r *guestRenderer) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !SafeURL(string(n.Destination)) {
		return ast.WalkContinue, nil // children render as plain text
	}
	if entering {
		openLink(w, n.Destination)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func (r *guestRenderer) autoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest := n.URL(src)
	label := n.Label(src)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	if !SafeURL(string(dest)) {
		_, _ = w.Write(util.EscapeHTML(label))
		return ast.WalkContinue, nil
	}
	openLink(w, dest)
	_, _ = w.Write(util.EscapeHTML(label))
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

func (r *guestRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := util.EscapeHTML([]byte(nodeText(n, src)))
	dest := string(n.Destination)
	isHTTP := strings.HasPrefix(strings.ToLower(dest), "https://") || strings.HasPrefix(strings.ToLower(dest), "http://")
	switch {
	case r.allowImages && isHTTP && SafeURL(dest):
		_, _ = w.WriteString(`<img src="`)
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(n.Destination, true)))
		_, _ = w.WriteString(`" alt="`)
		_, _ = w.Write(alt)
		_, _ = w.WriteString(`" loading="lazy" referrerpolicy="no-referrer" />`)
	case isHTTP && SafeURL(dest):
		openLink(w, n.Destination)
		if len(alt) == 0 {
			alt = []byte("image")
		}
		_, _ = w.Write(alt)
		_, _ = w.WriteString("</a>")
	default:
		_, _ = w.Write(alt)
	}
	return ast.WalkSkipChildren, nil
}

// mergeText joins adjacent text nodes that are contiguous in the source,
// so that typography sees "Bonjour !" whole and not as "Bonjour " + "!".
//
// It also drops the white space at the end of a line, before its break,
// which goldmark leaves when linkify split the line at its last spaces
// ("a    \n" would keep "a "). So a document renders the same with
// linkify and without, and Converter can leave linkify out of documents
// that cannot hold a bare link (see mayLinkify).
type mergeText struct{}

func (mergeText) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		t, ok := n.(*ast.Text)
		if !ok {
			return ast.WalkContinue, nil
		}
		for {
			next, ok := t.NextSibling().(*ast.Text)
			if !ok || t.SoftLineBreak() || t.HardLineBreak() || t.IsRaw() || next.IsRaw() ||
				t.Segment.Stop != next.Segment.Start || t.Segment.Padding != 0 || next.Segment.Padding != 0 {
				break
			}
			t.Segment = t.Segment.WithStop(next.Segment.Stop)
			t.SetSoftLineBreak(next.SoftLineBreak())
			t.SetHardLineBreak(next.HardLineBreak())
			n.Parent().RemoveChild(n.Parent(), next)
		}
		// A segment that stops at white space before a break has not been
		// trimmed; one that stops at the '\\' of a visible break keeps its
		// spaces, as goldmark does.
		if stop := t.Segment.Stop; (t.SoftLineBreak() || t.HardLineBreak()) && !t.IsRaw() &&
			t.Segment.Padding == 0 && stop < len(src) && (src[stop] == ' ' || src[stop] == '\t') {
			t.Segment = t.Segment.TrimRightSpace(src)
		}
		return ast.WalkContinue, nil
	})
}

// PlainText strips tags from HTML and unescapes entities, folding runs of
// white space into one space. A block-level tag (a paragraph, a heading,
// a list item, a cell, a line break…) counts as white space, so that the
// words on either side stay apart.
//
// Tags go in one pass that folds white space as it writes; entities are
// decoded from the result (an entity can be cut by a tag) and spaces
// folded again, as an entity can stand for one. The text never shares
// memory with h, which the caller may reuse.
func PlainText(h string) string {
	b := stripTags(h)
	if bytes.IndexByte(b, '&') < 0 {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	if b, ok := unescapeMarkup(b); ok {
		// None of the characters it decodes is white space.
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	s := html.UnescapeString(string(b))
	if !collapsed(s) {
		s = collapseSpace(s)
	}
	return s
}

// unescapeMarkup decodes, in place, the entities goldmark and the
// typography write (&amp; &lt; &gt; &quot; &#39; &#34;), as
// html.UnescapeString does. It reports false, with b unchanged, when b
// has any other '&', which it leaves to html.UnescapeString.
func unescapeMarkup(b []byte) ([]byte, bool) {
	first := bytes.IndexByte(b, '&')
	if first < 0 {
		return b, true
	}
	for i := first; i < len(b); i++ {
		if b[i] == '&' {
			if n, _ := markupEntity(b[i:]); n == 0 {
				return b, false
			}
		}
	}
	w := first
	for r := first; r < len(b); {
		c := b[r]
		if c != '&' {
			b[w] = c
			w, r = w+1, r+1
			continue
		}
		n, decoded := markupEntity(b[r:])
		b[w] = decoded
		w, r = w+1, r+n
	}
	return b[:w], true
}

// markupEntity returns the length of the entity unescapeMarkup decodes
// at the start of b and the character it stands for, or 0.
func markupEntity(b []byte) (int, byte) {
	for _, e := range markupEntities {
		if bytes.HasPrefix(b, []byte(e.text)) {
			return len(e.text), e.char
		}
	}
	return 0, 0
}

var markupEntities = [...]struct {
	text string
	char byte
}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#34;", '"'}}

// collapsed reports whether collapseSpace(s) is s.
func collapsed(s string) bool {
	if s == "" {
		return true
	}
	if s[0] <= ' ' || s[len(s)-1] <= ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}

// collapseSpace turns every run of ASCII white space and control
// characters (bytes up to ' ') in s into one space and trims both ends.
// No-break spaces are typography and stay.
func collapseSpace(s string) string {
	c := collapser{b: make([]byte, 0, len(s))}
	c.write(s)
	return string(c.b)
}

// A collapser writes text with every run of bytes up to ' ' folded into
// one space, and none at either end.
type collapser struct {
	b     []byte
	space bool // white space since the last word
}

func (c *collapser) write(s string) {
	for i := 0; i < len(s); {
		if s[i] <= ' ' {
			c.space = true
			i++
			continue
		}
		// A word, and the words after it that one ' ' alone parts from
		// the one before, are written as they are, at once.
		j := i + 1
		for j < len(s) {
			if s[j] > ' ' {
				j++
			} else if s[j] == ' ' && j+1 < len(s) && s[j+1] > ' ' {
				j += 2
			} else {
				break
			}
		}
		if c.space && len(c.b) > 0 {
			c.b = append(c.b, ' ')
		}
		c.space = false
		c.b = append(c.b, s[i:j]...)
		i = j
	}
}

// stripTags writes h without its tags, a block-level tag (blockTagLen)
// counting as a space, with white space collapsed. It gives what
// replacing each block-level tag by a space, then removing every '<' up
// to the next '>', then collapsing white space would, in one pass: the
// '>' that ends a tag is the next one that is not inside a block-level
// tag, which the first step would have replaced.
func stripTags(h string) []byte {
	c := collapser{b: make([]byte, 0, len(h))}
	last := 0 // h[last:] is still to write
	for i := 0; i < len(h); {
		j := strings.IndexByte(h[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if n := blockTagLen(h[i:]); n > 0 {
			c.write(h[last:i])
			c.space = true
			i += n
			last = i
			continue
		}
		end := tagEnd(h, i+1)
		if end < 0 {
			// Every '>' after this '<' ends a block-level tag: those
			// are all that is left to replace.
			c.write(h[last:i])
			last = i
			for k := i + 1; k < len(h); k++ {
				if h[k] != '<' {
					continue
				}
				if n := blockTagLen(h[k:]); n > 0 {
					c.write(h[last:k])
					c.space = true
					k += n - 1
					last = k + 1
				}
			}
			break
		}
		c.write(h[last:i])
		i = end + 1
		last = i
	}
	c.write(h[last:])
	return c.b
}

// tagEnd is the index of the '>' that ends a tag whose '<' is at from-1:
// the first '>' from from on that is not part of a block-level tag
// starting after the '<', or -1.
func tagEnd(h string, from int) int {
	for {
		gt := strings.IndexByte(h[from:], '>')
		if gt < 0 {
			return -1
		}
		gt += from
		lt := strings.IndexByte(h[from:gt], '<')
		if lt < 0 {
			return gt
		}
		from += lt
		if n := blockTagLen(h[from:]); n > 0 {
			from += n
		} else {
			from++
		}
	}
}

// isBlockName reports whether name, in any case, is that of an element
// whose tags PlainText replaces by a space.
func isBlockName(name string) bool {
	var low [len("figcaption")]byte // the longest
	if name == "" || len(name) > len(low) {
		return false
	}
	for i := range len(name) {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(name)]) {
	case "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th", "table", "figure", "figcaption":
		return true
	}
	return false
}

// blockTagLen is the length of the blockTags match at the start of s,
// which starts with '<', or 0.
func blockTagLen(s string) int {
	rest := s[1:]
	// <br>, <br/>, <br />
	if len(rest) >= 2 && rest[0]|0x20 == 'b' && rest[1]|0x20 == 'r' {
		k := 2
		for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t' || rest[k] == '\n' || rest[k] == '\f' || rest[k] == '\r') {
			k++
		}
		if k < len(rest) && rest[k] == '/' {
			k++
		}
		if k < len(rest) && rest[k] == '>' {
			return k + 2
		}
	}
	rest = strings.TrimPrefix(rest, "/")
	w := 0
	for w < len(rest) && isWordByte(rest[w]) {
		w++
	}
	if !isBlockName(rest[:w]) {
		return 0
	}
	end := strings.IndexByte(rest[w:], '>')
	if end < 0 {
		return 0
	}
	return len(s) - len(rest) + w + end + 1
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}
