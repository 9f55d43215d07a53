package markdown

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

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
var typesetBufs = sync.Pool{New: func() any { return new([]byte) }}

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
		buf := typesetBufs.Get().(*[]byte)
		*buf = appendTypeset((*buf)[:0], r.lang, util.BytesToReadOnlyString(value), prev)
		gmhtml.DefaultWriter.Write(w, *buf)
		typesetBufs.Put(buf)
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
type mergeText struct{}

func (mergeText) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
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
		return ast.WalkContinue, nil
	})
}

var (
	tags      = regexp.MustCompile(`<[^>]*>`)
	blockTags = regexp.MustCompile(`(?i)<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|figure|figcaption)\b[^>]*|br\s*/?)>`)
)

// PlainText strips tags from HTML and unescapes entities, folding runs of
// white space into one space.
func PlainText(h string) string {
	return collapseSpace(html.UnescapeString(stripTags(spaceBlockTags(h))))
}

// collapseSpace turns every run of ASCII white space and control
// characters (bytes up to ' ') in s into one space and trims both ends.
// No-break spaces are typography and stay. It is
// strings.Join(strings.FieldsFunc(s, r <= ' '), " ") in one pass.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		for i < len(s) && s[i] <= ' ' {
			i++
		}
		j := i
		for j < len(s) && s[j] > ' ' {
			j++
		}
		if i == j {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:j])
		i = j
	}
	return b.String()
}

// spaceBlockTags is blockTags.ReplaceAllString(h, " ") without the
// regular expression, which was the slowest part of indexing a site for
// search.
func spaceBlockTags(h string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(h); {
		j := strings.IndexByte(h[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if n := blockTagLen(h[i:]); n > 0 {
			if b.Len() == 0 {
				b.Grow(len(h))
			}
			b.WriteString(h[last:i])
			b.WriteByte(' ')
			i += n
			last = i
			continue
		}
		i++
	}
	if last == 0 {
		return h
	}
	b.WriteString(h[last:])
	return b.String()
}

var blockNames = []string{"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th", "table", "figure", "figcaption"}

// blockTagLen is the length of the blockTags match at the start of s,
// which starts with '<', or 0.
func blockTagLen(s string) int {
	rest := s[1:]
	// <br>, <br/>, <br />
	if len(rest) >= 2 && strings.EqualFold(rest[:2], "br") {
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
	name := rest[:w]
	found := false
	for _, n := range blockNames {
		if strings.EqualFold(name, n) {
			found = true
			break
		}
	}
	if !found {
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

// stripTags is tags.ReplaceAllString(s, "") without the regular
// expression: every '<' up to the next '>' goes.
func stripTags(s string) string {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i+end+1:]
		i = strings.IndexByte(s, '<')
	}
	b.WriteString(s)
	return b.String()
}
