package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/foyerhub/foyer/generator/internal/par"
)

// Cache keeps analysed documents between builds of one process (foyer
// serve), by URL, with every field they were analysed from, so that a
// rebuild analyses only the documents that changed, then merges. A
// document is unchanged when each field is equal to the cached one:
// strings a rebuild reuses share their bytes and compare at once, others
// compare as fast as they would hash.
// It is safe for concurrent use. Build and Prepare with a nil *Cache
// analyse every document.
type Cache struct {
	dict dict

	mu   sync.Mutex
	gen  uint64            // builds so far
	miss int               // documents the last build analysed
	docs map[string]*entry // by URL
	last *layout           // the last build's, reused while no document changes
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{dict: dict{ids: make(map[string]uint32)}, docs: make(map[string]*entry)}
}

// entry is one analysed document.
type entry struct {
	doc     Doc           // as analysed, with slices of its own; Body is empty when text is set
	text    func() string // gives the Body, when the entry does not keep it
	lang    string        // of the analyser
	excerpt int           // ExcerptRunes of its file
	gen     atomic.Uint64 // the last build that used it

	post []posting // its terms, each once
	len  int       // weighted length

	once sync.Once // makes sum
	sum  [sha256.Size]byte
}

// posting is a term of a document: its id in the Cache's dict and its
// weighted frequency.
type posting struct {
	term uint32
	tf   int32
}

// docFile makes the document's file. Files are made again on each use
// rather than kept: a build writes each once, and holding them all
// until the last is written would cost as much memory as the text of
// every document.
func (e *entry) docFile() []byte {
	var b bytes.Buffer
	e.writeDocFile(&b)
	return b.Bytes()
}

// writeDocFile is docFile, written into b.
func (e *entry) writeDocFile(b *bytes.Buffer) {
	start := b.Len()
	writeDocFile(b, &e.doc, e.body(), e.excerpt)
	e.once.Do(func() { e.sum = sha256.Sum256(b.Bytes()[start:]) })
}

// digest is a hash of the document's file, for the manifest's version.
func (e *entry) digest() []byte {
	e.once.Do(func() { e.sum = sha256.Sum256(docFile(&e.doc, e.body(), e.excerpt)) })
	return e.sum[:]
}

// body is the document's text.
func (e *entry) body() string {
	if e.text != nil {
		return e.text()
	}
	return e.doc.Body
}

// holds reports whether e is d analysed in lang, with a file of excerpt
// runes of text.
func (e *entry) holds(d *Doc, lang string, excerpt int) bool {
	a := &e.doc
	if e.lang != lang || e.excerpt != excerpt || a.URL != d.URL || a.Title != d.Title || a.Author != d.Author ||
		a.DateText != d.DateText || a.Summary != d.Summary || a.Body != d.Body ||
		!slices.Equal(a.Terms, d.Terms) || !slices.Equal(a.Comments, d.Comments) || !a.Date.Equal(d.Date) {
		return false
	}
	_, ao := a.Date.Zone() // the printed day depends on it
	_, do := d.Date.Zone()
	return ao == do
}

// analyse returns the entries of docs, by id (order lists the docs by
// id), analysing on every core those the cache does not hold; text,
// when not nil, gives each document's Body (see Options.Text), which
// lean entries do not keep but ask text for again.
func (c *Cache) analyse(an *Analyser, docs []Doc, order []int, excerpt int, text func(int) string, lean bool) []*entry {
	c.mu.Lock()
	c.gen++
	gen := c.gen
	c.mu.Unlock()
	res := make([]*entry, len(order))
	var miss atomic.Int64
	par.Workers(len(order), func(next func() (int, bool)) {
		var w *worker
		for id, ok := next(); ok; id, ok = next() {
			i := order[id]
			d := &docs[i]
			if text != nil {
				withText := *d
				withText.Body = text(i)
				d = &withText
			}
			c.mu.Lock()
			e := c.docs[d.URL]
			c.mu.Unlock()
			if e == nil || !e.holds(d, an.Lang(), excerpt) {
				if w == nil {
					w = newWorker(an, &c.dict)
				}
				miss.Add(1)
				e = w.analyse(d)
				e.doc, e.lang, e.excerpt = *d, an.Lang(), excerpt
				e.doc.Terms, e.doc.Comments = slices.Clone(d.Terms), slices.Clone(d.Comments)
				if lean && text != nil {
					e.doc.Body, e.text = "", func() string { return text(i) }
				}
				c.mu.Lock()
				c.docs[d.URL] = e
				c.mu.Unlock()
			}
			for old := e.gen.Load(); old < gen && !e.gen.CompareAndSwap(old, gen); old = e.gen.Load() {
			}
			res[id] = e
		}
	})
	c.mu.Lock()
	c.miss = int(miss.Load())
	if len(c.docs) > len(docs) {
		for url, e := range c.docs {
			if e.gen.Load() < gen { // not in this build, nor in a later one
				delete(c.docs, url)
			}
		}
	}
	c.mu.Unlock()
	return res
}

// layout returns the chunks of docs: the last build's when it had the
// very same entries, else new ones.
func (c *Cache) layout(lang string, docs []*entry, chunkBytes int) *layout {
	c.mu.Lock()
	last := c.last
	c.mu.Unlock()
	if last != nil && last.lang == lang && last.chunk == chunkBytes && slices.Equal(last.docs, docs) {
		return last
	}
	l := newLayout(lang, &c.dict, docs, chunkBytes)
	c.mu.Lock()
	c.last = l
	c.mu.Unlock()
	return l
}

// dict numbers terms, in the order they are first met: a term keeps its
// id for as long as the Cache lives. It only grows, so that the slices
// snapshot returns stay valid.
type dict struct {
	mu     sync.Mutex
	ids    map[string]uint32
	terms  []string // by id
	keys   []string // by id: the term as a JSON string
	sorted []uint32 // the ids of terms[:len(sorted)], in term order
}

// id returns the id of term t, numbering it if it is new.
func (d *dict) id(t []byte) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.ids[string(t)]; ok {
		return id
	}
	s := string(t)
	key, _ := json.Marshal(s) // a string: cannot fail
	id := uint32(len(d.terms))
	d.ids[s] = id
	d.terms = append(d.terms, s)
	d.keys = append(d.keys, string(key))
	return id
}

// snapshot returns every term and its JSON form by id, and the ids in
// term order: byte order of UTF-8, which is code-point order.
func (d *dict) snapshot() (terms, keys []string, sorted []uint32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.sorted) < len(d.terms) {
		fresh := make([]uint32, 0, len(d.terms)-len(d.sorted))
		for id := len(d.sorted); id < len(d.terms); id++ {
			fresh = append(fresh, uint32(id))
		}
		byTerm := func(a, b uint32) int { return strings.Compare(d.terms[a], d.terms[b]) }
		slices.SortFunc(fresh, byTerm)
		merged := make([]uint32, 0, len(d.terms))
		old := d.sorted
		for len(old) > 0 && len(fresh) > 0 {
			if byTerm(old[0], fresh[0]) < 0 {
				merged, old = append(merged, old[0]), old[1:]
			} else {
				merged, fresh = append(merged, fresh[0]), fresh[1:]
			}
		}
		d.sorted = append(append(merged, old...), fresh...)
	}
	return d.terms, d.keys, d.sorted
}

// worker analyses documents on one goroutine, with buffers reused from
// one document to the next.
type worker struct {
	an     *Analyser
	dict   *dict
	words  map[string]uint32 // folded words met so far: their term's id, or noTerm
	tf     []int32           // by term id: the document's weighted frequency
	seen   []uint32          // the document's terms, each once
	length int               // the document's weighted length
	weight int32             // of the field being read
	buf    []byte
	add    func([]byte, bool)
}

// noTerm is the id of a word that gives no term.
const noTerm = ^uint32(0)

func newWorker(an *Analyser, d *dict) *worker {
	w := &worker{an: an, dict: d, words: make(map[string]uint32)}
	w.add = w.word
	return w
}

// word counts a folded word's term. Words repeat: each is stemmed and
// looked up in the dict once.
func (w *worker) word(word []byte, apostrophe bool) {
	if w.an.elided(word, apostrophe) {
		return
	}
	id, ok := w.words[string(word)]
	if !ok {
		key := string(word) // before term stems word in place
		id = noTerm
		if t, ok := w.an.term(word); ok {
			id = w.dict.id(t)
		}
		w.words[key] = id
	}
	if id == noTerm {
		return
	}
	if int(id) >= len(w.tf) {
		w.tf = append(w.tf, make([]int32, max(int(id)+1, 2*len(w.tf))-len(w.tf))...)
	}
	if w.tf[id] == 0 {
		w.seen = append(w.seen, id)
	}
	w.tf[id] += w.weight
	w.length += int(w.weight)
}

func (w *worker) field(text string, weight int32) {
	w.weight = weight
	w.buf = w.an.each(text, w.buf, w.add)
}

// analyse reads d's fields with their weights.
func (w *worker) analyse(d *Doc) *entry {
	w.field(d.Title, WeightTitle)
	for _, t := range d.Terms {
		w.field(t, WeightTerms)
	}
	w.field(d.Author, WeightAuthor)
	w.field(d.Summary, WeightBody)
	w.field(d.Body, WeightBody)
	for _, c := range d.Comments {
		w.field(c, WeightBody)
	}
	e := &entry{post: make([]posting, len(w.seen)), len: w.length}
	for i, id := range w.seen {
		e.post[i] = posting{term: id, tf: w.tf[id]}
		w.tf[id] = 0
	}
	w.seen, w.length = w.seen[:0], 0
	return e
}
