package site

import (
	"hash/maphash"
	"sync"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/source"
)

// Cache keeps converted Markdown between builds of one process (foyer
// serve), keyed by path and body, so that a rebuild converts only the
// documents that changed. It is safe for concurrent use; a nil *Cache
// converts every time.
type Cache struct {
	mu   sync.Mutex
	seed maphash.Seed
	conv *markdown.Converter
	docs map[string]cached
}

type cached struct {
	sum uint64
	doc markdown.Document
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{seed: maphash.MakeSeed(), docs: make(map[string]cached)}
}

func (c *Cache) convert(conv *markdown.Converter, d *source.Document) (markdown.Document, error) {
	if c == nil {
		return conv.Convert(d.Body)
	}
	sum := maphash.Bytes(c.seed, d.Body)
	c.mu.Lock()
	if c.conv != conv {
		// Another converter means other options: nothing cached holds.
		c.conv, c.docs = conv, make(map[string]cached)
	}
	hit, ok := c.docs[d.Path]
	c.mu.Unlock()
	if ok && hit.sum == sum {
		return hit.doc, nil
	}
	doc, err := conv.Convert(d.Body)
	if err == nil {
		c.mu.Lock()
		c.docs[d.Path] = cached{sum: sum, doc: doc}
		c.mu.Unlock()
	}
	return doc, err
}

// contribution renders a contribution's body, reusing the last result
// for the same path and body.
func (c *Cache) contribution(conv *markdown.Converter, d *source.Document) (string, error) {
	if c == nil {
		return conv.Contribution(d.Body)
	}
	key := "contribution:" + d.Path
	sum := maphash.Bytes(c.seed, d.Body)
	c.mu.Lock()
	if c.conv != conv {
		c.conv, c.docs = conv, make(map[string]cached)
	}
	hit, ok := c.docs[key]
	c.mu.Unlock()
	if ok && hit.sum == sum {
		return hit.doc.HTML, nil
	}
	html, err := conv.Contribution(d.Body)
	if err == nil {
		c.mu.Lock()
		c.docs[key] = cached{sum: sum, doc: markdown.Document{HTML: html}}
		c.mu.Unlock()
	}
	return html, err
}
