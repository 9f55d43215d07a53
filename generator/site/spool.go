package site

import (
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sync"
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
// operating system's page cache serves back as fast as memory. It is
// safe for concurrent use. The file is unlinked as soon as it is made
// where the system allows it (not on Windows, where an open file keeps
// its name), so that a killed build leaves nothing behind; NewSpool
// removes what a killed build left where it could not.
type Spool struct {
	f    *os.File
	path string // to remove on Close, where an open file cannot be unlinked

	mu     sync.Mutex
	end    int64
	broken bool  // a write failed: keep markup in memory from now on
	err    error // the first read that failed
}

// spoolMin is the shortest markup worth a spool: a short comment costs
// less in memory than the system calls that would write and read it.
const spoolMin = 1024

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
// to be worth it, else in memory. A spool that fails to write keeps str
// in memory: the build goes on, only with more memory.
func (s *Spool) Put(str string) Markup {
	if s == nil || len(str) < spoolMin {
		return Markup{s: str}
	}
	s.mu.Lock()
	if s.broken {
		s.mu.Unlock()
		return Markup{s: str}
	}
	off := s.end
	s.end += int64(len(str))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(unsafe.Slice(unsafe.StringData(str), len(str)), off); err != nil {
		s.mu.Lock()
		s.broken = true
		s.mu.Unlock()
		return Markup{s: str}
	}
	return Markup{spool: s, off: off, n: len(str)}
}

func (s *Spool) read(off int64, n int) string {
	buf := make([]byte, n)
	if _, err := s.f.ReadAt(buf, off); err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("spool: reading back %d bytes at %d: %w", n, off, err)
		}
		s.mu.Unlock()
		return ""
	}
	return unsafe.String(unsafe.SliceData(buf), n)
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

// Close closes and removes the spool file. Markup in it can no longer
// be read.
func (s *Spool) Close() error {
	if s == nil {
		return nil
	}
	err := s.f.Close()
	if s.path != "" {
		err = errors.Join(err, os.Remove(s.path))
	}
	return err
}
