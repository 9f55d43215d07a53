package site

import (
	"bufio"
	"cmp"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/internal/bufpool"
	"github.com/foyerhub/foyer/generator/internal/par"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/source"
)

// A cache on disk (OpenCache, Save) is two files in its folder:
//
//   - CacheData is the spool of the build that saved the cache: the
//     converted markup, which the next build's spool goes on appending
//     to, so that no build copies the markup it keeps;
//   - CacheIndex (gob) has the cache's key, the data file's blocks with
//     their checksums, and one entry per document, whose markup is a
//     stretch of the data file, or held in the entry when short.
//
// A build that converts documents again leaves their old markup in the
// data file; Save copies what is still used to a new data file once
// more than half of it is not.
const (
	CacheIndex = "markdown.gob"
	CacheData  = "markdown.spool"
)

// cacheFormat names the layout of an encoded cache; a cache written in
// another layout is ignored.
const cacheFormat = "foyer markdown cache 4"

// compactPattern names the new data file Save compacts into.
const compactPattern = ".markdown.spool-*"

type header struct {
	Format, Key string
	Blocks      []fileBlock
	Entries     int
}

// entry is one cached conversion on disk.
type entry struct {
	Path       string
	Sum        source.Sum
	Doc        markdown.Document // without its HTML
	HTML, Text stored
}

// stored is a Markup on disk: N bytes at Off in the data file, or S.
type stored struct {
	Off int64
	N   int
	S   string
}

// OpenCache reads the cache saved in dir, and opens its data file as the
// spool for this build's markup, which Save expects. A missing, damaged
// or foreign cache gives an empty cache (and an empty data file): it is
// only a slower build. Only a data file that cannot be opened or cut is
// an error. The caller keeps other builds out of dir meanwhile.
func OpenCache(dir string) (*Cache, *Spool, error) {
	// Left by a build killed while it compacted, or spools of builds of
	// earlier versions, which made theirs here.
	for _, pattern := range []string{compactPattern, spoolPattern} {
		stale, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, p := range stale {
			_ = os.Remove(p)
		}
	}
	var h header
	var dec *gob.Decoder
	if f, err := os.Open(filepath.Join(dir, CacheIndex)); err == nil {
		defer f.Close()
		dec = gob.NewDecoder(bufio.NewReaderSize(f, 1<<16))
		if dec.Decode(&h) != nil || h.Format != cacheFormat {
			h = header{}
		}
	}
	sp, err := openSpool(filepath.Join(dir, CacheData), h.Blocks)
	if err != nil {
		return NewCache(), nil, err
	}
	c := NewCache()
	c.file = sp
	if h.Format == "" || sp.end == 0 && len(h.Blocks) > 0 {
		return c, sp, nil
	}
	c.key = h.Key
	for range h.Entries {
		var e entry
		if err := dec.Decode(&e); err != nil {
			clear(c.docs)
			break
		}
		html, ok1 := sp.markup(e.HTML)
		text, ok2 := sp.markup(e.Text)
		if ok1 && ok2 {
			c.docs[e.Path] = cached{Sum: e.Sum, Doc: e.Doc, HTML: html, Text: text}
		}
	}
	return c, sp, nil
}

// openSpool opens the data file at path as a kept spool, which keeps the
// blocks when the file still holds them, and else starts empty.
func openSpool(path string, blocks []fileBlock) (*Spool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if !holds(f, blocks) {
		blocks = nil
	}
	end := endOf(blocks)
	// What a killed build appended after the blocks goes.
	if err := f.Truncate(end); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	s := &Spool{f: f, kept: true, start: end, end: end, blocks: blocks}
	s.flushed.Store(end)
	return s, nil
}

// blockBuffers holds buffers holds reads blocks into; one grown by a
// long markup, which made a block longer than spoolBlock, is not kept.
var blockBuffers = bufpool.Pool{Max: 2 * spoolBlock}

// holds reports whether f holds blocks, one after the other from the
// start, with their checksums.
func holds(f *os.File, blocks []fileBlock) bool {
	var end int64
	for _, b := range blocks {
		if b.Off != end || b.N <= 0 {
			return false
		}
		end += int64(b.N)
	}
	if fi, err := f.Stat(); err != nil || fi.Size() < end {
		return false
	}
	var bad atomic.Bool
	par.Each(len(blocks), func(i int) {
		b := blocks[i]
		bp := blockBuffers.Get()
		buf := slices.Grow(*bp, b.N)[:b.N]
		_, err := f.ReadAt(buf, b.Off)
		good := err == nil && crc32.Checksum(buf, castagnoli) == b.Sum
		blockBuffers.Put(bp, buf)
		if !good {
			bad.Store(true)
		}
	})
	return !bad.Load()
}

// endOf is where blocks, one after the other, end.
func endOf(blocks []fileBlock) int64 {
	if n := len(blocks); n > 0 {
		return blocks[n-1].Off + int64(blocks[n-1].N)
	}
	return 0
}

// markup is the Markup of st in the spool, and whether it lies in the
// spool's file.
func (s *Spool) markup(st stored) (Markup, bool) {
	if st.N == 0 {
		return Markup{s: st.S}, true
	}
	if st.N < 0 || st.Off < 0 || st.Off > s.end-int64(st.N) {
		return Markup{}, false
	}
	return Markup{spool: s, off: st.Off, n: st.N}, true
}

// restart empties a kept spool that nothing was put into since it was
// opened: the cache it held is of no use.
func (s *Spool) restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.kept || s.end != s.start || s.start == 0 || s.f.Truncate(0) != nil {
		return
	}
	s.start, s.end, s.blocks = 0, 0, nil
	s.flushed.Store(0)
}

// Save writes the cache into dir, with the entries the builds since the
// cache was opened asked for, and only those, so that the cache on disk
// never keeps the conversions of deleted files. sp is where the cache
// keeps its markup: the spool OpenCache gave (or nil for markup in
// memory, which goes into the index). A Save that compacts leaves sp
// writing to the replaced file: it is the last Save with sp.
func (c *Cache) Save(dir string, sp *Spool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var blocks []fileBlock
	kept := sp != nil && sp.kept
	if kept {
		var err error
		if blocks, err = sp.flush(); err != nil {
			return err
		}
	}
	end := endOf(blocks)
	keep := make(map[string]cached, len(c.used))
	entries := make([]entry, 0, len(c.used))
	var live int64
	for p := range c.used {
		e := c.docs[p]
		keep[p] = e
		en := entry{Path: p, Sum: e.Sum, Doc: e.Doc, HTML: storedOf(e.HTML, sp, end), Text: storedOf(e.Text, sp, end)}
		live += int64(en.HTML.N + en.Text.N)
		entries = append(entries, en)
	}
	if err := sp.Err(); err != nil {
		return err // the spool lost markup: neither compacted nor saved
	}
	if kept && end > 2*live+spoolBlock {
		var err error
		if blocks, err = compact(dir, sp, entries); err != nil {
			return err
		}
	}
	err := atomicfile.StreamNoSync(filepath.Join(dir, CacheIndex), 0o644, func(w io.Writer) error {
		// One message per entry: gob buffers a whole message before
		// writing it.
		enc := gob.NewEncoder(w)
		if err := enc.Encode(header{Format: cacheFormat, Key: c.key, Blocks: blocks, Entries: len(entries)}); err != nil {
			return err
		}
		for i := range entries {
			if err := enc.Encode(&entries[i]); err != nil {
				return err
			}
		}
		return sp.Err()
	})
	if err != nil {
		return fmt.Errorf("markdown cache: %w", err)
	}
	c.docs, c.used, c.changed = keep, make(map[string]bool), false
	return nil
}

// storedOf is how m is saved: a stretch of the kept spool sp's file when
// m lies in its first end bytes, else the markup itself.
func storedOf(m Markup, sp *Spool, end int64) stored {
	if m.spool == nil {
		return stored{S: m.s}
	}
	if m.spool == sp && sp.kept && m.off+int64(m.n) <= end && m.n > 0 {
		return stored{Off: m.off, N: m.n}
	}
	return stored{S: m.String()}
}

// compact copies the stretches of sp's file that entries use into a new
// data file, which replaces the old one, and points entries at their new
// places; it returns the new file's blocks. The old file stays open for
// this build. A crash before the index is saved leaves an index whose
// checksums the new file fails: the next build starts afresh.
func compact(dir string, sp *Spool, entries []entry) ([]fileBlock, error) {
	var refs []*stored
	for i := range entries {
		for _, st := range []*stored{&entries[i].HTML, &entries[i].Text} {
			if st.N > 0 {
				refs = append(refs, st)
			}
		}
	}
	slices.SortFunc(refs, func(a, b *stored) int { return cmp.Compare(a.Off, b.Off) })
	f, err := os.CreateTemp(dir, compactPattern)
	if err != nil {
		return nil, fmt.Errorf("compacting the cache: %w", err)
	}
	var blocks []fileBlock
	var off int64
	buf := make([]byte, 0, 2*spoolBlock)
	write := func() error {
		if _, err := f.Write(buf); err != nil {
			return err
		}
		blocks = append(blocks, fileBlock{Off: off, N: len(buf), Sum: crc32.Checksum(buf, castagnoli)})
		off += int64(len(buf))
		buf = buf[:0]
		return nil
	}
	type stretch struct {
		off int64
		n   int
	}
	moved := make(map[stretch]int64) // the same markup used twice is copied once
	err = func() error {
		for _, st := range refs {
			from := stretch{st.Off, st.N}
			if to, ok := moved[from]; ok {
				st.Off = to
				continue
			}
			to := off + int64(len(buf))
			buf = slices.Grow(buf, st.N)
			if !sp.readAt(buf[len(buf):len(buf)+st.N], st.Off) {
				return sp.Err()
			}
			buf = buf[:len(buf)+st.N]
			moved[from], st.Off = to, to
			if len(buf) >= spoolBlock {
				if err := write(); err != nil {
					return err
				}
			}
		}
		if len(buf) > 0 {
			return write()
		}
		return nil
	}()
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, CacheData))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("compacting the cache: %w", err)
	}
	return blocks, nil
}
