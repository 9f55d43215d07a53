package wordpress

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// moreMarker is WordPress's "read more" cut, which Foyer reads too.
const moreMarker = "<!--more-->"

// morePlaceholder stands for <!--more--> while the HTML is converted,
// since the converter drops comments.
const morePlaceholder = "FOYERMOREMARKER7d1c"

// converter turns WordPress post HTML into Markdown. One converter is
// used for a whole import, from a single goroutine.
type htmlConverter struct {
	conv *converter.Converter
	// link rewrites an image or link URL (uploads); nil keeps it.
	link func(string) string
}

func newHTMLConverter(link func(string) string) *htmlConverter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
	return &htmlConverter{conv: conv, link: link}
}

// Markdown converts a post or comment body: shortcodes first, then
// WordPress's paragraphs by blank lines, then HTML to Markdown. It
// returns the names of the shortcodes it kept as they were.
func (h *htmlConverter) Markdown(content string) (string, []string, error) {
	content = strings.ReplaceAll(content, "\r\n", "\n")
	content, kept := shortcodes(content)
	if !strings.Contains(content, "<!-- wp:") {
		content = autop(content)
	}
	content = strings.ReplaceAll(content, moreMarker, "<p>"+morePlaceholder+"</p>")
	doc, err := html.Parse(strings.NewReader(content))
	if err != nil {
		return "", kept, err
	}
	h.clean(doc)
	out, err := h.conv.ConvertNode(doc)
	if err != nil {
		return "", kept, err
	}
	out = bytes.ReplaceAll(out, []byte(morePlaceholder), []byte(moreMarker))
	return strings.TrimSpace(string(out)), kept, nil
}

// clean rewrites what the converter would drop or keep unsafely:
// embeds become links, script links lose their href, figure captions
// become paragraphs, upload URLs are rewritten.
func (h *htmlConverter) clean(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Iframe, atom.Embed, atom.Video, atom.Audio, atom.Object:
				if src := attrOf(c, "src", "data"); src != "" {
					n.InsertBefore(linkNode(h.rewrite(src)), c)
				}
				n.RemoveChild(c)
				c = next
				continue
			case atom.A:
				href := h.rewrite(attrOf(c, "href"))
				if href == "" {
					// A script link keeps its words, not its action.
					for gc := c.FirstChild; gc != nil; {
						gnext := gc.NextSibling
						c.RemoveChild(gc)
						n.InsertBefore(gc, c)
						gc = gnext
					}
					n.RemoveChild(c)
					c = next
					continue
				}
				setAttr(c, "href", href)
			case atom.Img, atom.Source:
				setAttr(c, "src", h.rewrite(attrOf(c, "src")))
			case atom.Figcaption:
				c.DataAtom, c.Data = atom.P, "p"
			}
		}
		h.clean(c)
		c = next
	}
}

func (h *htmlConverter) rewrite(u string) string {
	t := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(t, "javascript:") || strings.HasPrefix(t, "vbscript:") || strings.HasPrefix(t, "data:text") {
		return ""
	}
	if h.link != nil && u != "" {
		return h.link(u)
	}
	return u
}

func linkNode(src string) *html.Node {
	p := &html.Node{Type: html.ElementNode, DataAtom: atom.P, Data: "p"}
	a := &html.Node{Type: html.ElementNode, DataAtom: atom.A, Data: "a", Attr: []html.Attribute{{Key: "href", Val: src}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: src})
	p.AppendChild(a)
	return p
}

func attrOf(n *html.Node, keys ...string) string {
	for _, k := range keys {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
		}
	}
}

// blockTags are the elements wpautop does not wrap in <p>.
const blockTags = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|object|embed|script)`

var (
	blockOpen  = regexp.MustCompile(`(?i)(<` + blockTags + `[\s/>])`)
	blockClose = regexp.MustCompile(`(?i)(</` + blockTags + `>)`)
	startBlock = regexp.MustCompile(`(?i)^(?:<` + blockTags + `[\s/>]|</` + blockTags + `>|<!--)`)
	preBlock   = regexp.MustCompile(`(?is)<pre[\s>].*?</pre>`)
	blankLines = regexp.MustCompile(`\n[ \t]*\n\s*`)
)

// autop is WordPress's wpautop in short: text separated by blank lines
// becomes paragraphs, single line breaks inside them become <br>, and
// block elements and <pre> are left alone.
func autop(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	var pres []string
	s = preBlock.ReplaceAllStringFunc(s, func(m string) string {
		pres = append(pres, m)
		return "\n\n<pre foyer-pre=\"" + strconv.Itoa(len(pres)-1) + "\"></pre>\n\n"
	})
	s = blockOpen.ReplaceAllString(s, "\n\n$1")
	s = blockClose.ReplaceAllString(s, "$1\n\n")
	var b strings.Builder
	for _, chunk := range blankLines.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		if startBlock.MatchString(chunk) {
			b.WriteString(chunk)
		} else {
			b.WriteString("<p>")
			b.WriteString(strings.ReplaceAll(chunk, "\n", "<br />\n"))
			b.WriteString("</p>")
		}
		b.WriteString("\n")
	}
	out := b.String()
	for i, p := range pres {
		out = strings.Replace(out, "<pre foyer-pre=\""+strconv.Itoa(i)+"\"></pre>", p, 1)
	}
	return out
}
