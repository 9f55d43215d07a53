package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
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

type analysed struct {
	tf  map[string]int // weighted term frequency
	len int            // weighted length
}

// Build indexes docs. Document ids go from oldest to newest (undated
// pages first), so that adding an article leaves the other documents'
// files unchanged and a higher id wins a tie. Build is pure: it does
// no I/O, and uses every core to analyse.
func Build(docs []Doc, opts Options) *Index {
	opts = opts.withDefaults()
	docs = sortedDocs(docs)
	an := NewAnalyser(opts.Lang)
	res := analyseAll(an, docs)

	n := len(docs)
	var total float64
	postings := make(map[string][]int32)
	for id, r := range res {
		total += float64(r.len)
		for t := range r.tf {
			postings[t] = append(postings[t], int32(id))
		}
	}
	avg := 1.0
	if n > 0 && total > 0 {
		avg = total / float64(n)
	}
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	sort.Strings(terms) // byte order of UTF-8 is code-point order

	idx := &Index{}
	var chunks []File
	var starts []string
	var buf bytes.Buffer
	first := ""
	flush := func() {
		if buf.Len() == 0 {
			return
		}
		buf.WriteByte('}')
		starts = append(starts, first)
		chunks = append(chunks, File{Path: "t/" + strconv.Itoa(len(chunks)) + ".json", Data: bytes.Clone(buf.Bytes())})
		buf.Reset()
	}
	for _, t := range terms {
		if buf.Len() >= opts.ChunkBytes {
			flush()
		}
		if buf.Len() == 0 {
			first = t
			buf.WriteByte('{')
		} else {
			buf.WriteByte(',')
		}
		writePosting(&buf, t, postings[t], res, n, avg)
	}
	flush()
	if len(starts) > 0 {
		starts[0] = ""
	}

	files := chunks
	for id, d := range docs {
		files = append(files, File{Path: "d/" + strconv.Itoa(id) + ".json", Data: docFile(d, opts.ExcerptRunes)})
	}
	h := sha256.New()
	for _, f := range files {
		h.Write([]byte(f.Path))
		h.Write(f.Data)
	}
	idx.Manifest = Manifest{Format: Format, Analyser: AnalyserVersion, Lang: an.Lang(), Docs: n,
		Version: hex.EncodeToString(h.Sum(nil))[:12], Chunks: starts, AvgLen: math.Round(avg*10) / 10}
	if idx.Manifest.Chunks == nil {
		idx.Manifest.Chunks = []string{}
	}
	man, _ := json.Marshal(idx.Manifest) // plain strings and numbers: cannot fail
	idx.Files = append([]File{{Path: "manifest.json", Data: man}}, files...)
	return idx
}

// writePosting writes "term":[idf,gap,tf,gap,tf…]: the term's BM25
// inverse document frequency times IDFScale, then for each document the
// gap from the previous id and its BM25 term-frequency part (which holds
// the field weights and length normalisation) times TFScale, at least 1.
// A document's score for the term is idf×tf/(IDFScale×TFScale).
func writePosting(buf *bytes.Buffer, term string, ids []int32, res []analysed, n int, avg float64) {
	key, _ := json.Marshal(term)
	buf.Write(key)
	buf.WriteString(":[")
	df := float64(len(ids))
	idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
	buf.WriteString(strconv.Itoa(max(1, int(math.Round(idf*IDFScale)))))
	prev := int32(0)
	for _, id := range ids {
		r := res[id]
		tf := float64(r.tf[term])
		part := tf * (K1 + 1) / (tf + K1*(1-B+B*float64(r.len)/avg))
		buf.WriteByte(',')
		buf.WriteString(strconv.Itoa(int(id - prev)))
		buf.WriteByte(',')
		buf.WriteString(strconv.Itoa(max(1, int(math.Round(part*TFScale)))))
		prev = id
	}
	buf.WriteByte(']')
}

func sortedDocs(docs []Doc) []Doc {
	out := append([]Doc(nil), docs...)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].URL < out[j].URL
	})
	return out
}

// analyseAll analyses every document on every core.
func analyseAll(an *Analyser, docs []Doc) []analysed {
	res := make([]analysed, len(docs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(docs))) {
		wg.Go(func() {
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= len(docs) {
					return
				}
				res[j] = analyseDoc(an, &docs[j])
			}
		})
	}
	wg.Wait()
	return res
}

func analyseDoc(an *Analyser, d *Doc) analysed {
	r := analysed{tf: make(map[string]int)}
	add := func(text string, w int) {
		an.each(text, func(t string) {
			r.tf[t] += w
			r.len += w
		})
	}
	add(d.Title, WeightTitle)
	for _, t := range d.Terms {
		add(t, WeightTerms)
	}
	add(d.Author, WeightAuthor)
	add(d.Summary, WeightBody)
	add(d.Body, WeightBody)
	for _, c := range d.Comments {
		add(c, WeightBody)
	}
	return r
}

func docFile(d Doc, excerpt int) []byte {
	f := DocFile{URL: d.URL, Title: d.Title, Date: d.DateText, Author: d.Author, Summary: d.Summary, Text: truncate(d.Body, excerpt)}
	if !d.Date.IsZero() {
		f.ISO = d.Date.Format(time.DateOnly)
	}
	data, _ := json.Marshal(f) // strings only: cannot fail
	return data
}

// truncate cuts s to at most n runes, at a space when there is one
// near the end, so that an excerpt never ends inside a word.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return s + " …"
}
