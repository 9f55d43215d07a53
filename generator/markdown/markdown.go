// Package markdown is Foyer's only goldmark importer. A Converter is built
// once per build with the site's language and options, and is safe for
// concurrent use. Authors' documents get GFM, footnotes, heading ids,
// chroma highlighting with CSS classes and the language's typography;
// contributions get the same Markdown rendered safely: raw HTML escaped,
// dangerous links dropped, every link marked rel="ugc nofollow", images
// shown as links unless allowed.
package markdown

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/foyerhub/foyer/generator/slug"
)

// Options configure a Converter.
type Options struct {
	Lang        string // "fr" or "en": typography
	UnsafeHTML  bool   // authors' raw HTML passes through
	AllowImages bool   // contributions may load images
}

// Converter turns Markdown into HTML. It is safe for concurrent use.
type Converter struct {
	opts    Options
	authors goldmark.Markdown
	guests  goldmark.Markdown
	// authorsNoLinks and guestsNoLinks parse like authors and guests
	// without GFM's bare links (linkify), for the documents that cannot
	// hold one: see mayLinkify.
	authorsNoLinks parser.Parser
	guestsNoLinks  parser.Parser
	pool           sync.Pool // of *scratch
}

// scratch is where a Converter renders: goldmark wraps any writer that
// is not buffered in a new bufio.Writer for every document, so the
// buffered writer comes with the buffer, from the Converter's pool.
type scratch struct {
	buf bytes.Buffer
	w   *bufio.Writer // into buf
}

// render renders n, a node of the document src, with r.
func (s *scratch) render(r renderer.Renderer, src []byte, n ast.Node) (string, error) {
	b, err := s.renderBytes(r, src, n)
	return string(b), err
}

// renderBytes is render into the scratch buffer, whose bytes are good
// until the next render.
func (s *scratch) renderBytes(r renderer.Renderer, src []byte, n ast.Node) ([]byte, error) {
	s.buf.Reset()
	s.w.Reset(&s.buf)
	err := r.Render(s.w, src, n)
	if err == nil {
		err = s.w.Flush()
	}
	return s.buf.Bytes(), err
}

// Heading is one entry of a table of contents; level 3 headings nest
// under the level 2 heading before them.
type Heading struct {
	Level    int
	ID       string
	Text     string
	Children []Heading
}

// Document is the result of converting an author's Markdown.
type Document struct {
	HTML        string
	SummaryHTML string    // before <!--more-->, else the first paragraph
	SummaryText string    // SummaryHTML without markup, for descriptions
	Truncated   bool      // the summary is shorter than the document
	TOC         []Heading // level 2 headings, level 3 nested
	Headings    int       // how many level 2 and 3 headings in all
	Words       int
}

// MoreMarker splits a summary from the rest of an article.
const MoreMarker = "<!--more-->"

// New returns a Converter configured once for the whole build.
func New(opts Options) *Converter {
	c := &Converter{opts: opts}
	code := util.Prioritized(codeRenderer{}, 100)
	authorHTML := []renderer.Option{html.WithXHTML()}
	if opts.UnsafeHTML {
		authorHTML = append(authorHTML, html.WithUnsafe())
	}
	authorHTML = append(authorHTML, renderer.WithNodeRenderers(
		util.Prioritized(&textRenderer{lang: opts.Lang, escapeRaw: !opts.UnsafeHTML}, 100), code))
	authors := func(linkify bool) goldmark.Markdown {
		// GFM, in its order: linkify, tables, strikethrough, task lists.
		var ext []goldmark.Extender
		if linkify {
			ext = append(ext, extension.Linkify)
		}
		ext = append(ext, extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote)
		return goldmark.New(
			goldmark.WithExtensions(ext...),
			goldmark.WithParserOptions(parser.WithAutoHeadingID(),
				parser.WithASTTransformers(util.Prioritized(mergeText{}, 999))),
			goldmark.WithRendererOptions(authorHTML...),
		)
	}
	guests := func(linkify bool) goldmark.Markdown {
		ext := []goldmark.Extender{extension.Table, extension.Strikethrough}
		if linkify {
			ext = append(ext, extension.Linkify)
		}
		return goldmark.New(
			goldmark.WithExtensions(ext...),
			goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(mergeText{}, 999))),
			goldmark.WithRendererOptions(html.WithXHTML(), html.WithHardWraps(), renderer.WithNodeRenderers(
				util.Prioritized(&textRenderer{lang: opts.Lang, escapeRaw: true}, 100),
				util.Prioritized(&guestRenderer{allowImages: opts.AllowImages}, 100), code)),
		)
	}
	c.authors, c.authorsNoLinks = authors(true), authors(false).Parser()
	c.guests, c.guestsNoLinks = guests(true), guests(false).Parser()
	c.pool.New = func() any {
		s := new(scratch)
		s.w = bufio.NewWriter(&s.buf)
		return s
	}
	return c
}

// Convert renders an author's document: an article, a page, a newsletter.
func (c *Converter) Convert(src []byte) (Document, error) {
	var html string
	doc, err := c.ConvertTo(src, func(b []byte) { html = string(b) })
	doc.HTML = html
	return doc, err
}

// ConvertTo is Convert that hands the document's HTML to keep, which
// must not hold on to the bytes, rather than in the Document: a caller
// that stores the HTML elsewhere saves a copy.
func (c *Converter) ConvertTo(src []byte, keep func(html []byte)) (Document, error) {
	var doc Document
	p := c.authors.Parser()
	if !mayLinkify(src) {
		p = c.authorsNoLinks
	}
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	root := p.Parse(text.NewReader(src), parser.WithContext(ctx))
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	html, err := s.renderBytes(c.authors.Renderer(), src, root)
	if err != nil {
		return doc, err
	}
	keep(html)
	var flat []Heading
	flat, doc.Words = outline(root, src, c.opts.Lang)
	doc.TOC, doc.Headings = nest(flat), len(flat)

	if before, _, found := bytes.Cut(src, []byte(MoreMarker)); found {
		sumRoot := p.Parse(text.NewReader(before), parser.WithContext(parser.NewContext(parser.WithIDs(newIDs()))))
		if doc.SummaryHTML, err = s.render(c.authors.Renderer(), before, sumRoot); err != nil {
			return doc, err
		}
		doc.Truncated = true
	} else if p := firstParagraph(root); p != nil {
		if doc.SummaryHTML, err = s.render(c.authors.Renderer(), src, p); err != nil {
			return doc, err
		}
		doc.Truncated = p.NextSibling() != nil || p.Parent() != root
	}
	doc.SummaryText = PlainText(doc.SummaryHTML)
	return doc, nil
}

// Contribution renders a member's contribution safely.
func (c *Converter) Contribution(src []byte) (string, error) {
	var html string
	err := c.ContributionTo(src, func(b []byte) { html = string(b) })
	return html, err
}

// ContributionTo is Contribution that hands the HTML to keep, which must
// not hold on to the bytes.
func (c *Converter) ContributionTo(src []byte, keep func(html []byte)) error {
	s := c.pool.Get().(*scratch)
	defer c.pool.Put(s)
	var root ast.Node
	if mayLinkify(src) {
		root = c.guests.Parser().Parse(text.NewReader(src))
	} else if doc, ok := parsePlain(src); ok {
		root = doc
	} else {
		root = c.guestsNoLinks.Parse(text.NewReader(src))
	}
	html, err := s.renderBytes(c.guests.Renderer(), src, root)
	if err == nil {
		keep(html)
	}
	return err
}

// mayLinkify reports whether GFM's bare links (linkify) could find a link
// in src. They cost a quarter of a parse, as they try every space, and
// most documents have none.
//
// A bare link starts with "http:", "https:", "ftp:" or "www." (the
// only prefixes goldmark's linkify accepts, case included) right after a
// space, '*', '_', '~' or '(', or where inline parsing starts again: a
// line's start, or the end of an inline node such as a code span or an
// emphasis. None of these is a '<': "<https://…>", the common explicit
// link, cannot start one. An e-mail address needs '@'. So a document
// without '@' whose prefixes all follow '<' has no bare link, and parses
// the same without linkify (mergeText joins the text nodes that linkify's
// stops would have split).
func mayLinkify(src []byte) bool {
	if bytes.IndexByte(src, '@') >= 0 {
		return true
	}
	for _, prefix := range linkPrefixes {
		for at := 0; ; at += len(prefix) {
			i := bytes.Index(src[at:], prefix)
			if i < 0 {
				break
			}
			if at += i; at == 0 || src[at-1] != '<' {
				return true
			}
		}
	}
	return false
}

// linkPrefixes are the starts of bare links.
var linkPrefixes = [][]byte{[]byte("http:"), []byte("https:"), []byte("ftp:"), []byte("www.")}

// Typography applies the converter's language conventions to plain text.
func (c *Converter) Typography(s string) string { return Typography(c.opts.Lang, s) }

func firstParagraph(root ast.Node) ast.Node {
	var found ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || found != nil {
			return ast.WalkStop, nil
		}
		if n.Kind() == ast.KindParagraph {
			found = n
			return ast.WalkStop, nil
		}
		if n.Kind() == ast.KindHeading || n.Kind() == ast.KindFencedCodeBlock {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// outline collects level 2–3 headings and counts words.
func outline(root ast.Node, src []byte, lang string) ([]Heading, int) {
	var toc []Heading
	words := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				idBytes, _ := id.([]byte)
				toc = append(toc, Heading{Level: n.Level, ID: string(idBytes), Text: Typography(lang, nodeText(n, src))})
			}
		case *ast.Text:
			words += countWords(n.Segment.Value(src))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return toc, words
}

// nest puts each level 3 heading under the level 2 heading before it.
func nest(flat []Heading) []Heading {
	var toc []Heading
	for _, h := range flat {
		if h.Level == 3 && len(toc) > 0 {
			parent := &toc[len(toc)-1]
			parent.Children = append(parent.Children, h)
			continue
		}
		toc = append(toc, h)
	}
	return toc
}

// countWords is len(bytes.Fields(b)), without making the fields. It
// goes byte by byte through spaceKinds, decoding a rune only where it may
// be a space: any other byte from 0x80 up, valid or not, belongs to a
// word, as DecodeRune's rune would.
func countWords(b []byte) int {
	n, prev := 0, byte(0) // prev is 1 in a word
	for i := 0; i < len(b); {
		k := spaceKinds[b[i]]
		i++
		if k == mayBeSpace {
			r, size := utf8.DecodeRune(b[i-1:])
			i += size - 1
			if k = 1; unicode.IsSpace(r) {
				k = 0
			}
		}
		n += int(k &^ prev) // a word starts here
		prev = k
	}
	return n
}

func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(src))
			case *ast.String:
				b.Write(t.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// ids gives headings slugs of their text, made unique per document.
type ids struct{ used map[string]bool }

func newIDs() *ids { return &ids{used: make(map[string]bool)} }

func (s *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := slug.Make(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.used[string(value)] = true }
