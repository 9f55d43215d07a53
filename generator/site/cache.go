package site

import (
	"sync"
	"unsafe"

	"github.com/foyerhub/foyer/generator/internal/bufpool"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/source"
)

// Cache keeps converted Markdown between builds, keyed by path and the
// digest of the file, so that a rebuild converts only the documents that
// changed: foyer serve keeps one in memory, and foyer build keeps one on
// disk beside the site (see OpenCache and Save). It is safe for
// concurrent use; a nil *Cache converts every time.
type Cache struct {
	mu      sync.Mutex
	conv    *markdown.Converter
	docs    map[string]cached
	used    map[string]bool // entries the current build asked for
	changed bool            // an entry was added since the cache was made or read
	key     string          // what the entries depend on besides the files
	file    *Spool          // the spool of the cache's file, when opened from disk
}

type cached struct {
	Sum  source.Sum
	Doc  markdown.Document // without its HTML, which is in HTML
	HTML Markup
	Text Markup // HTML as plain text, once asked for
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{docs: make(map[string]cached), used: make(map[string]bool)}
}

// Keyed names what the conversions depend on besides the files: the
// converter's options and the program. Entries made under another key
// are dropped.
func (c *Cache) Keyed(key string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.key != key {
		clear(c.docs)
		c.key = key
		if c.file != nil {
			c.file.restart()
		}
	}
}

// Stale reports whether Save would write something other than what
// the cache was read from: a document was converted, or one was not
// asked for.
func (c *Cache) Stale() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed || len(c.used) != len(c.docs)
}

// lookup returns the entry for key when its digest is sum, and marks
// the key used. A different converter than last time means other
// options: nothing cached holds. A cache read from disk has no
// converter yet; Keyed vouched for the options.
func (c *Cache) lookup(conv *markdown.Converter, key string, sum source.Sum) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conv != conv {
		if c.conv != nil {
			clear(c.docs)
		}
		c.conv = conv
	}
	c.used[key] = true
	hit, ok := c.docs[key]
	return hit, ok && hit.Sum == sum
}

func (c *Cache) store(key string, sum source.Sum, doc markdown.Document, html Markup) {
	c.mu.Lock()
	c.docs[key] = cached{Sum: sum, Doc: doc, HTML: html}
	c.changed = true
	c.mu.Unlock()
}

// sumOf is the document's digest; documents made by hand rather than
// read by source.Parse have none, and get one of their body.
func sumOf(d *source.Document) source.Sum {
	if d.Sum != (source.Sum{}) {
		return d.Sum
	}
	return source.SumOf(d.Body)
}

// Convert converts d's Markdown with conv, or returns the conversion the
// cache holds for the same file. A nil *Cache converts.
func (c *Cache) Convert(conv *markdown.Converter, d *source.Document) (markdown.Document, error) {
	doc, html, err := c.convert(conv, d, nil)
	doc.HTML = html.String()
	return doc, err
}

// convert is Convert that keeps the HTML in sp, or memory when sp is
// nil, and returns it apart from the rest of the document, whose HTML
// field is empty.
func (c *Cache) convert(conv *markdown.Converter, d *source.Document, sp *Spool) (markdown.Document, Markup, error) {
	return c.reuse(conv, d.Path, d, sp, conv.ConvertTo)
}

// contribution renders a contribution's body into sp (or memory when sp
// is nil), reusing the last result for the same path and file.
func (c *Cache) contribution(conv *markdown.Converter, d *source.Document, sp *Spool) (Markup, error) {
	_, html, err := c.reuse(conv, contributionKey(d.Path), d, sp, func(body []byte, keep func([]byte)) (markdown.Document, error) {
		return markdown.Document{}, conv.ContributionTo(body, keep)
	})
	return html, err
}

// reuse returns what the cache holds under key for d's bytes, or makes
// it with convert, a conversion by conv that hands its HTML to keep, and
// keeps it under key. The HTML goes into sp, or memory when sp is nil,
// and is returned apart from the rest of the document, whose HTML field
// is empty.
func (c *Cache) reuse(conv *markdown.Converter, key string, d *source.Document, sp *Spool, convert func(body []byte, keep func(html []byte)) (markdown.Document, error)) (markdown.Document, Markup, error) {
	var sum source.Sum
	if c != nil {
		sum = sumOf(d)
		if hit, ok := c.lookup(conv, key, sum); ok {
			return hit.Doc, hit.HTML, nil
		}
	}
	var html Markup // the caller keeps it instead of doc.HTML
	doc, err := convert(d.Body, func(b []byte) { html = sp.PutBytes(b) })
	if err != nil {
		return doc, Markup{}, err
	}
	if c != nil {
		c.store(key, sum, doc, html)
	}
	return doc, html, nil
}

// text is the plain text of html, the HTML converted for key, kept with
// the conversion, in the same place as the HTML, so that a later build
// (the search index reads the text of every document) need not extract
// it again.
func (c *Cache) text(key string, html Markup) string {
	if c == nil {
		return plainText(html)
	}
	c.mu.Lock()
	hit, ok := c.docs[key]
	c.mu.Unlock()
	ok = ok && hit.HTML.same(html)
	if ok && hit.Text.Len() > 0 {
		return hit.Text.String()
	}
	text := plainText(html)
	if ok && text != "" {
		kept := html.spool.Put(text)
		c.mu.Lock()
		if e := c.docs[key]; e.HTML.same(html) {
			e.Text = kept
			c.docs[key] = e
			c.changed = true
		}
		c.mu.Unlock()
	}
	return text
}

// markupBuffers holds buffers plainText reads markup back into; one
// very long document's is not kept.
var markupBuffers = bufpool.Pool{Max: spoolBlock}

// plainText is markdown.PlainText of html, read back into a pooled
// buffer rather than a string of its own: the text shares no memory with
// the HTML.
func plainText(html Markup) string {
	if !html.Spooled() {
		return markdown.PlainText(html.s)
	}
	bp := markupBuffers.Get()
	b := html.AppendTo(*bp)
	text := markdown.PlainText(unsafe.String(unsafe.SliceData(b), len(b)))
	markupBuffers.Put(bp, b)
	return text
}

// contributionKey is the cache key of the contribution at path.
func contributionKey(path string) string { return "contribution:" + path }
