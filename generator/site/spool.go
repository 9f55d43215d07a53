package site

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Markup is converted HTML, or its plain text, that the model holds in
// memory or in a Spool. The zero Markup is empty.
type Markup struct {
	s     string // the markup, when held in memory
	spool *Spool // else where it is
	off   int64
	n     int
}

// HTML returns markup held in memory; s is trusted HTML (or plain text).
func HTML(s string) Markup { return Markup{s: s} }

// String reads the markup back. A spool that cannot be read gives ""
// and keeps the error for Spool.Err, which the build checks before it
// publishes anything.
func (m Markup) String() string {
	if m.spool == nil {
		return m.s
	}
	return m.spool.read(m.off, m.n)
}

// AppendTo appends the markup to dst: String without a string of its
// own, for a reader that does not keep it.
func (m Markup) AppendTo(dst []byte) []byte {
	if m.spool == nil {
		return append(dst, m.s...)
	}
	dst = slices.Grow(dst, m.n)
	if !m.spool.readAt(dst[len(dst):len(dst)+m.n], m.off) {
		return dst
	}
	return dst[:len(dst)+m.n]
}

// WriteInto writes the markup into b: AppendTo into b's free space,
// without a string of its own. A spool that cannot be read writes
// nothing, as String gives "".
func (m Markup) WriteInto(b *bytes.Buffer) {
	b.Grow(m.Len())
	b.Write(m.AppendTo(b.AvailableBuffer())) // copies onto itself: b grows by what was read
}

// HTML is String as the trusted HTML it was converted to.
func (m Markup) HTML() template.HTML { return template.HTML(m.String()) }

// Len is the length of the markup in bytes.
func (m Markup) Len() int {
	if m.spool == nil {
		return len(m.s)
	}
	return m.n
}

// Spooled reports whether the markup is in a spool rather than memory.
func (m Markup) Spooled() bool { return m.spool != nil }

// same reports whether m and o are the same markup, without reading a
// spool when both are the same stretch of it.
func (m Markup) same(o Markup) bool {
	if m.spool != nil && m.spool == o.spool && m.off == o.off {
		return m.n == o.n
	}
	return m.Len() == o.Len() && m.String() == o.String()
}

// Spool is a scratch file that keeps converted markup out of memory
// during a one-shot build: a hub of 10,000 articles holds more than
// 100 MB of HTML and plain text, which each page needs once and the
// operating system's page cache serves back as fast as memory. It
// gathers markup into blocks of at least spoolBlock bytes and writes
// each with one system call; markup whose block is not written yet is
// read from memory, markup already written without taking the lock. It
// is safe for concurrent use. The file is unlinked as soon as it is made
// where the system allows it (not on Windows, where an open file keeps
// its name), so that a killed build leaves nothing behind; NewSpool
// removes what a killed build left where it could not. The build
// cache's spool (OpenCache) is the exception: its file stays, for the
// next build.
type Spool struct {
	f    *os.File
	path string // to remove on Close, where an open file cannot be unlinked
	kept bool   // the build cache's (see OpenCache): its file stays

	// flushed is how much of the markup Put is in the file; it only
	// grows, and once the file holds a stretch, reading it needs no lock.
	flushed atomic.Int64

	mu     sync.Mutex
	start  int64       // end when the spool was opened
	end    int64       // the length of all the markup Put
	buf    []byte      // the markup past flushed, to be written in one system call
	blocks []fileBlock // the file's blocks, with checksums, when kept
	broken bool        // a write failed: buf is kept, new markup stays in memory
	closed bool
	err    error // the first read that failed
}

// fileBlock is a stretch of a kept spool's file, written with one
// system call, and its checksum: a cache whose file lost or changed a
// block (a crash before the system wrote it, a build killed while it
// compacted the file) is not believed.
type fileBlock struct {
	Off int64
	N   int
	Sum uint32
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// spoolMin is the shortest markup worth a spool: shorter, its Markup
// and the system call that reads it back cost more than its bytes.
// Most comments are longer: 45,000 of them held 34 MB at the peak of
// the hub's build when only markup of 1 KiB or more went to the
// spool.
const spoolMin = 256

// spoolBlock is how much markup a spool gathers before it writes it to
// its file, in one system call: a hub's build puts 100,000 documents and
// plain texts into it, the build after reads its cache into it again.
const spoolBlock = 1 << 20

// spoolPattern names spool files (see os.CreateTemp).
const spoolPattern = ".foyer-spool-*"

// NewSpool makes a spool file in dir (the system's temporary folder when
// dir is "").
func NewSpool(dir string) (*Spool, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	// Spools of killed builds, on systems that cannot unlink an open
	// file. One still open, another build's, refuses to go.
	if stale, err := filepath.Glob(filepath.Join(dir, spoolPattern)); err == nil {
		for _, p := range stale {
			_ = os.Remove(p)
		}
	}
	f, err := os.CreateTemp(dir, spoolPattern)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	s := &Spool{f: f}
	if os.Remove(f.Name()) != nil {
		s.path = f.Name()
	}
	return s, nil
}

// Put keeps str: in the spool when s is not nil and str is long enough
// to be worth it, else in memory. A spool that fails to write keeps
// what it gathered, and from then on new markup, in memory: the build
// goes on, only with more memory.
func (s *Spool) Put(str string) Markup { return put(s, str) }

// PutBytes is Put of markup in bytes, which the spool does not hold on
// to.
func (s *Spool) PutBytes(b []byte) Markup { return put(s, b) }

func put[T string | []byte](s *Spool, str T) Markup {
	if s == nil || len(str) < spoolMin {
		return Markup{s: string(str)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken || s.closed {
		return Markup{s: string(str)}
	}
	m := Markup{spool: s, off: s.end, n: len(str)}
	s.buf = append(s.buf, str...)
	s.end += int64(len(str))
	if len(s.buf) >= spoolBlock {
		_ = s.writeLocked() // on failure, m reads from buf
	}
	return m
}

// writeLocked writes the gathered markup to the file, with s.mu held.
func (s *Spool) writeLocked() error {
	if len(s.buf) == 0 {
		return nil
	}
	off := s.flushed.Load()
	if _, err := s.f.WriteAt(s.buf, off); err != nil {
		s.broken = true
		return fmt.Errorf("spool: %w", err)
	}
	if s.kept {
		s.blocks = append(s.blocks, fileBlock{Off: off, N: len(s.buf), Sum: crc32.Checksum(s.buf, castagnoli)})
	}
	s.flushed.Store(s.end)
	if cap(s.buf) > 2*spoolBlock {
		s.buf = nil // grown by a long markup: not kept for the rest of the build
	} else {
		s.buf = s.buf[:0]
	}
	return nil
}

// flush writes what the spool gathered to its file, and returns the
// file's blocks, which then hold all the markup Put before.
func (s *Spool) flush() ([]fileBlock, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken || s.closed {
		return nil, errors.New("spool: its file is closed or failed to write")
	}
	if err := s.writeLocked(); err != nil {
		return nil, err
	}
	return slices.Clone(s.blocks), nil
}

func (s *Spool) read(off int64, n int) string {
	buf := make([]byte, n)
	if !s.readAt(buf, off) {
		return ""
	}
	return unsafe.String(unsafe.SliceData(buf), n)
}

// readAt fills dst with the markup at off, and reports whether it could:
// a failure is kept for Err.
func (s *Spool) readAt(dst []byte, off int64) bool {
	if off >= s.flushed.Load() {
		s.mu.Lock()
		if flushed := s.flushed.Load(); off >= flushed && !s.closed { // not written yet
			copy(dst, s.buf[off-flushed:])
			s.mu.Unlock()
			return true
		}
		s.mu.Unlock()
	}
	if _, err := s.f.ReadAt(dst, off); err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("spool: reading back %d bytes at %d: %w", len(dst), off, err)
		}
		s.mu.Unlock()
		return false
	}
	return true
}

// Err is the first error reading the spool back: markup that read as ""
// where it was not. A build that finds one must not publish.
func (s *Spool) Err() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close closes the spool file, and removes it unless it is kept. Markup
// in it can no longer be read, and neither can markup it gathered but
// had not written, a spool that failed to write included.
func (s *Spool) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	s.closed, s.buf = true, nil
	s.mu.Unlock()
	err := s.f.Close()
	if s.path != "" {
		err = errors.Join(err, os.Remove(s.path))
	}
	return err
}
