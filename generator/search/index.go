package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/foyerhub/foyer/generator/internal/bufpool"
	"github.com/foyerhub/foyer/generator/internal/par"
)

// Format is the version of the index files' layout, checked by
// search.js together with AnalyserVersion.
const Format = 1

// Field weights: a word in the title counts as five in the body, a
// category or tag as three. They multiply term frequencies before BM25
// (a simplified BM25F), so a title match outranks a body match.
const (
	WeightTitle  = 5
	WeightTerms  = 3
	WeightAuthor = 2
	WeightBody   = 1
)

// BM25 parameters, the usual ones.
const (
	K1 = 1.2
	B  = 0.75
)

// IDFScale and TFScale turn the two factors of a BM25 term score into
// the integers stored in a chunk: three digits each keep the ranking
// exact enough while the numbers stay short.
const (
	IDFScale = 1000
	TFScale  = 100
)

// Doc is one published page to index. Every field is public text: the
// caller passes only what the site shows.
type Doc struct {
	URL      string
	Title    string
	Author   string
	Date     time.Time // zero for undated pages
	DateText string    // the date as the theme prints it
	Terms    []string  // category and tag names
	Summary  string    // plain text
	Body     string    // plain text
	Comments []string  // plain text of approved comments, when indexed
}

// Options tune the index.
type Options struct {
	Lang         string // site language: "fr" (default) or "en"
	ChunkBytes   int    // target size of a term chunk before gzip; default 40 KiB
	ExcerptRunes int    // text kept per document for excerpts; default 4000
	Cache        *Cache // analysed documents reused across builds; may be nil

	// Text, when set, gives the Body of docs[i], which is then left
	// empty: it is asked for while analysing, and again when the
	// document's file is made, so that without a Cache no document's
	// text stays in memory longer than it takes to use it.
	Text func(i int) string
}

func (o Options) withDefaults() Options {
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = 40 << 10
	}
	if o.ExcerptRunes <= 0 {
		o.ExcerptRunes = 4000
	}
	return o
}

// File is one index file, its path relative to the index folder.
type File struct {
	Path string
	Data []byte
}

// Manifest is manifest.json: what a query needs to know before it
// fetches anything else.
type Manifest struct {
	Format   int      `json:"format"`
	Analyser int      `json:"analyser"`
	Lang     string   `json:"lang"`
	Docs     int      `json:"docs"`
	Version  string   `json:"version"` // hash of every other file, appended to their URLs to bust caches
	Chunks   []string `json:"chunks"`  // first term of each chunk t/<i>.json, in code-point order; the first is ""
	AvgLen   float64  `json:"avglen"`  // mean weighted document length, for reference
}

// DocFile is d/<id>.json: what a result shows.
type DocFile struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Date    string `json:"d,omitempty"` // as printed
	ISO     string `json:"i,omitempty"` // YYYY-MM-DD, for <time datetime>
	Author  string `json:"a,omitempty"`
	Summary string `json:"s,omitempty"`
	Text    string `json:"x,omitempty"`
}

// Index is a built index: the manifest first, then term chunks, then
// one file per document.
type Index struct {
	Manifest Manifest
	Files    []File
}

// Build indexes docs. Document ids go from oldest to newest (undated
// pages first), so that adding an article leaves the other documents'
// files unchanged and a higher id wins a tie. Build is pure: it does
// no I/O, and uses every core to analyse.
func Build(docs []Doc, opts Options) *Index {
	return Prepare(docs, opts).Index()
}

// Prepared is an index whose files are listed and whose term chunks are
// made. The documents' files, and the manifest, which holds a hash of
// every other file, are made on first use: a build that does not write
// them does not pay for them. A Prepared is safe for concurrent use.
//
// File i is the manifest for i = 0, then the term chunks, then the
// documents' files by id, as in Index.Files.
type Prepared struct {
	*layout
	source []int // by document id: the document's index in Prepare's docs
}

// layout is what a Prepared holds that does not depend on the order of
// the docs given: a Cache hands it to every build with the same
// documents.
type layout struct {
	lang   string
	chunk  int      // ChunkBytes it was made with
	docs   []*entry // by id
	chunks []File
	starts []string
	avg    float64

	manifest struct {
		once sync.Once
		m    Manifest
		data []byte
	}
}

// Prepare analyses docs, reusing what opts.Cache holds of them, and
// makes the term chunks, as Build does, leaving the other files for
// later.
func Prepare(docs []Doc, opts Options) *Prepared {
	opts = opts.withDefaults()
	c := opts.Cache
	if c == nil {
		c = NewCache()
	}
	an := NewAnalyser(opts.Lang)
	order := sortedOrder(docs)
	// Without the caller's Cache, no later build compares documents
	// against the entries: they need not keep their text.
	entries := c.analyse(an, docs, order, opts.ExcerptRunes, opts.Text, opts.Cache == nil)
	return &Prepared{layout: c.layout(an.Lang(), entries, opts.ChunkBytes), source: order}
}

// Len is the number of files.
func (p *Prepared) Len() int { return 1 + len(p.chunks) + len(p.docs) }

// Path is file i's path, relative to the index folder.
func (p *Prepared) Path(i int) string {
	switch {
	case i == 0:
		return "manifest.json"
	case i <= len(p.chunks):
		return p.chunks[i-1].Path
	}
	return docPath(i - 1 - len(p.chunks))
}

// Data is file i's content, made on first use.
func (p *Prepared) Data(i int) []byte {
	switch {
	case i == 0:
		return p.manifestData()
	case i <= len(p.chunks):
		return p.chunks[i-1].Data
	}
	return p.docs[i-1-len(p.chunks)].docFile()
}

// WriteData writes file i's content into b, as Data gives it: a
// document's file is made in b rather than in a slice of its own.
func (p *Prepared) WriteData(b *bytes.Buffer, i int) {
	if i <= len(p.chunks) {
		b.Write(p.Data(i))
		return
	}
	p.docs[i-1-len(p.chunks)].writeDocFile(b)
}

// Doc is the index in Prepare's docs of the document that file i shows,
// or -1 for the manifest and the term chunks, which show every document.
func (p *Prepared) Doc(i int) int {
	if i <= len(p.chunks) {
		return -1
	}
	return p.source[i-1-len(p.chunks)]
}

// Index makes every file.
func (p *Prepared) Index() *Index {
	idx := &Index{Files: make([]File, p.Len())}
	par.Each(len(idx.Files), func(i int) {
		if i > 0 { // the manifest hashes the others: it comes last
			idx.Files[i] = File{Path: p.Path(i), Data: p.Data(i)}
		}
	})
	idx.Files[0] = File{Path: p.Path(0), Data: p.Data(0)}
	idx.Manifest = p.manifest.m
	return idx
}

func docPath(id int) string { return "d/" + strconv.Itoa(id) + ".json" }

// manifestData makes the manifest once: its version hashes every other
// file, in order (a document's file through its digest).
func (l *layout) manifestData() []byte {
	l.manifest.once.Do(func() {
		h := sha256.New()
		for _, f := range l.chunks {
			io.WriteString(h, f.Path)
			h.Write(f.Data)
		}
		for id, e := range l.docs {
			io.WriteString(h, docPath(id))
			h.Write(e.digest())
		}
		starts := l.starts
		if starts == nil {
			starts = []string{}
		}
		m := Manifest{Format: Format, Analyser: AnalyserVersion, Lang: l.lang, Docs: len(l.docs),
			Version: hex.EncodeToString(h.Sum(nil))[:12], Chunks: starts, AvgLen: math.Round(l.avg*10) / 10}
		l.manifest.m = m
		l.manifest.data, _ = json.Marshal(m) // plain strings and numbers: cannot fail
	})
	return l.manifest.data
}

// hit is one document in a term's posting list.
type hit struct{ doc, tf int32 }

// newLayout merges the analysed documents, by id, into posting lists
// and writes them into term chunks of about chunkBytes, in term order.
func newLayout(lang string, d *dict, docs []*entry, chunkBytes int) *layout {
	l := &layout{lang: lang, chunk: chunkBytes, docs: docs, avg: 1}
	var total float64
	for _, e := range docs {
		total += float64(e.len)
	}
	n := len(docs)
	if n > 0 && total > 0 {
		l.avg = total / float64(n)
	}
	terms, keys, sorted := d.snapshot()
	df := make([]int32, len(terms))
	hits := 0
	for _, e := range docs {
		for _, p := range e.post {
			df[p.term]++
		}
		hits += len(e.post)
	}
	// end[t] is where term t's hits start, then, once they are in place,
	// where they end.
	end := make([]int32, len(terms))
	live := make([]uint32, 0, len(terms))
	at := int32(0)
	for _, t := range sorted {
		if df[t] > 0 {
			end[t] = at
			at += df[t]
			live = append(live, t)
		}
	}
	all := make([]hit, hits)
	base := make([]float64, n) // each document's BM25 length normalisation
	for id, e := range docs {
		for _, p := range e.post {
			all[end[p.term]] = hit{doc: int32(id), tf: p.tf}
			end[p.term]++
		}
		base[id] = 1 - B + B*float64(e.len)/l.avg
	}

	// Each core writes the entries of a share of the terms, of about as
	// many hits; chunks are then cut from them in term order.
	shares := splitTerms(live, df, hits, runtime.GOMAXPROCS(0))
	par.Each(len(shares), func(i int) {
		sh := &shares[i]
		size := 0 // most numbers have up to three digits
		for _, t := range sh.terms {
			size += len(keys[t]) + 8 + 8*int(df[t])
		}
		sh.buf, sh.ends = make([]byte, 0, size), make([]int, 0, len(sh.terms))
		for _, t := range sh.terms {
			sh.buf = append(sh.buf, keys[t]...)
			sh.buf = appendPosting(sh.buf, all[end[t]-df[t]:end[t]], n, base)
			sh.ends = append(sh.ends, len(sh.buf))
		}
	})
	buf := make([]byte, 0, chunkBytes+chunkBytes/2)
	first := ""
	flush := func() {
		if len(buf) == 0 {
			return
		}
		buf = append(buf, '}')
		l.starts = append(l.starts, first)
		l.chunks = append(l.chunks, File{Path: "t/" + strconv.Itoa(len(l.chunks)) + ".json", Data: bytes.Clone(buf)})
		buf = buf[:0]
	}
	for _, sh := range shares {
		start := 0
		for j, t := range sh.terms {
			if len(buf) >= chunkBytes {
				flush()
			}
			if len(buf) == 0 {
				first = terms[t]
				buf = append(buf, '{')
			} else {
				buf = append(buf, ',')
			}
			buf = append(buf, sh.buf[start:sh.ends[j]]...)
			start = sh.ends[j]
		}
	}
	flush()
	if len(l.starts) > 0 {
		l.starts[0] = ""
	}
	return l
}

// share is a run of terms, in term order, and their entries, each
// "term":[…], ending at ends.
type share struct {
	terms []uint32
	buf   []byte
	ends  []int
}

// splitTerms cuts terms into n runs of about as many hits.
func splitTerms(terms []uint32, df []int32, hits, n int) []share {
	shares := make([]share, 0, n)
	from, sum := 0, 0
	for i, t := range terms {
		sum += int(df[t])
		if sum*n >= hits*(len(shares)+1) || i == len(terms)-1 {
			shares = append(shares, share{terms: terms[from : i+1]})
			from = i + 1
		}
	}
	return shares
}

// appendPosting writes a term's posting list, [idf,gap,tf,gap,tf…]: the
// term's BM25 inverse document frequency times IDFScale, then for each
// document the gap from the previous id and its BM25 term-frequency part
// (which holds the field weights and length normalisation) times
// TFScale, at least 1. A document's score for the term is
// idf×tf/(IDFScale×TFScale). base holds each document's
// 1-B+B×length/average.
func appendPosting(buf []byte, hits []hit, n int, base []float64) []byte {
	df := float64(len(hits))
	idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	buf = append(buf, ':', '[')
	buf = appendInt(buf, max(1, int(math.Round(idf*IDFScale))))
	prev := int32(0)
	for _, h := range hits {
		tf := float64(h.tf)
		part := tf * (K1 + 1) / (tf + K1*base[h.doc])
		buf = append(buf, ',')
		buf = appendInt(buf, int(h.doc-prev))
		buf = append(buf, ',')
		buf = appendInt(buf, max(1, int(math.Round(part*TFScale))))
		prev = h.doc
	}
	return append(buf, ']')
}

// appendInt is strconv.AppendInt(b, v, 10), without a copy for the
// small numbers of posting lists.
func appendInt(b []byte, v int) []byte {
	switch {
	case v < 0:
	case v < 10:
		return append(b, byte('0'+v))
	case v < 100:
		return append(b, byte('0'+v/10), byte('0'+v%10))
	case v < 1000:
		return append(b, byte('0'+v/100), byte('0'+v/10%10), byte('0'+v%10))
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// sortedOrder lists the indexes of docs by id: oldest first, undated
// pages first, then by URL; documents alike keep their order.
func sortedOrder(docs []Doc) []int {
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &docs[i], &docs[j]
		if !a.Date.Equal(b.Date) {
			if a.Date.Before(b.Date) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.URL, b.URL)
	})
	return order
}

func docFile(d *Doc, body string, excerpt int) []byte {
	var b bytes.Buffer
	writeDocFile(&b, d, body, excerpt)
	return b.Bytes()
}

// excerpts holds the buffers writeDocFile makes excerpts in.
var excerpts = bufpool.Pool{Max: 1 << 16}

// writeDocFile writes the file of document d, whose text is body, into
// b: what json.Marshal makes of its DocFile.
func writeDocFile(b *bytes.Buffer, d *Doc, body string, excerpt int) {
	f := DocFile{URL: d.URL, Title: d.Title, Date: d.DateText, Author: d.Author, Summary: d.Summary}
	if !d.Date.IsZero() {
		f.ISO = d.Date.Format(time.DateOnly)
	}
	var ep *[]byte
	var withEllipsis []byte
	text, cut := cutExcerpt(body, excerpt)
	f.Text = text
	if cut { // text and an ellipsis, in a buffer of the pool's until encoded
		ep = excerpts.Get()
		withEllipsis = append(append(*ep, text...), ellipsis...)
		f.Text = unsafe.String(unsafe.SliceData(withEllipsis), len(withEllipsis))
	}
	enc := json.NewEncoder(b)
	_ = enc.Encode(f)       // strings only: cannot fail
	b.Truncate(b.Len() - 1) // the newline Encode ends with, which Marshal does not add
	if ep != nil {
		excerpts.Put(ep, withEllipsis)
	}
}

// ellipsis ends an excerpt cut short.
const ellipsis = " …"

// cutExcerpt cuts s to at most n runes, at a space when there is one
// near the end, so that an excerpt never ends inside a word, and
// reports whether it cut s: the excerpt then ends with ellipsis.
func cutExcerpt(s string, n int) (string, bool) {
	if len(s) <= n { // no more runes than bytes
		return s, false
	}
	cut := -1
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	if cut < 0 {
		return s, false
	}
	s = s[:cut]
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return s, true
}
