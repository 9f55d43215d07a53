// Package publish writes a build's files into its destination folder as
// one atomic step. Files go into a staging folder beside the destination;
// a file whose bytes equal the one already published is hard-linked
// rather than rewritten, so its inode and modification time stay and
// rsync or an object-storage sync uploads only the difference. Commit
// swaps the staging folder in for the destination in one rename: a
// failed or killed build leaves the previous site whole.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// Stats counts what a publication did.
type Stats struct {
	Written   int // new or changed files
	Unchanged int // files whose bytes were already published
	Removed   int // published files no longer part of the site
}

// Writer stages files for one publication. Its methods are safe for
// concurrent use.
type Writer struct {
	dest  string
	stage string
	dirs  sync.Map // staged folders already made
	seen  sync.Map // staged paths, to refuse duplicates
	w, u  atomic.Int64

	cleared chan error // the removal of the folder before this one's staging
}

const (
	stageSuffix = ".foyer-staging"
	oldSuffix   = ".foyer-old"
)

// Begin starts a publication into dest. The staging folder holds the
// site the last Commit replaced, or what a killed build staged: it is
// moved aside and removed in the background while this publication is
// staged, since unlinking tens of thousands of files takes a while.
func Begin(dest string) (*Writer, error) {
	dest = filepath.Clean(dest)
	dir, base := filepath.Dir(dest), filepath.Base(dest)
	w := &Writer{dest: dest, stage: filepath.Join(dir, "."+base+stageSuffix), cleared: make(chan error, 1)}
	old := filepath.Join(dir, "."+base+oldSuffix)
	if err := os.RemoveAll(old); err != nil { // only left by a killed build
		return nil, fmt.Errorf("publish: clearing %s: %w", old, err)
	}
	switch err := os.Rename(w.stage, old); {
	case err == nil:
		go func() { w.cleared <- os.RemoveAll(old) }()
	case errors.Is(err, fs.ErrNotExist):
		w.cleared <- nil
	default:
		return nil, fmt.Errorf("publish: clearing %s: %w", w.stage, err)
	}
	if err := os.MkdirAll(w.stage, 0o755); err != nil {
		<-w.cleared
		return nil, fmt.Errorf("publish: %w", err)
	}
	return w, nil
}

// Dest is the destination folder.
func (w *Writer) Dest() string { return w.dest }

func (w *Writer) target(rel string) (string, error) {
	clean := path.Clean("/" + rel)[1:]
	if clean == "" || clean != rel || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("publish: refusing output path %q", rel)
	}
	if _, dup := w.seen.LoadOrStore(clean, true); dup {
		return "", fmt.Errorf("publish: two files for %s", clean)
	}
	full := filepath.Join(w.stage, filepath.FromSlash(clean))
	dir := filepath.Dir(full)
	if err := w.mkdir(dir); err != nil {
		return "", err
	}
	return full, nil
}

// mkdir makes the staged folder dir and its parents, once: a folder
// whose parent this Writer made is made with one system call.
func (w *Writer) mkdir(dir string) error {
	if _, made := w.dirs.Load(dir); made {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != w.stage && len(parent) > len(w.stage) {
		if err := w.mkdir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("publish: %w", err)
	}
	w.dirs.Store(dir, true)
	return nil
}

// Write stages a file. rel is slash-separated and relative to dest.
func (w *Writer) Write(rel string, data []byte) error {
	full, err := w.target(rel)
	if err != nil {
		return err
	}
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	if same(old, data) && os.Link(old, full) == nil {
		w.u.Add(1)
		return nil
	}
	w.w.Add(1)
	return os.WriteFile(full, data, 0o644)
}

// A FileID tells a published file's version apart without reading it:
// its size and modification time, which a hard link keeps.
type FileID struct {
	Size    int64
	ModTime int64 // nanoseconds since 1970
}

// Stat returns the FileID of the file staged as rel.
func (w *Writer) Stat(rel string) (FileID, error) {
	info, err := os.Lstat(filepath.Join(w.stage, filepath.FromSlash(rel)))
	if err != nil {
		return FileID{}, fmt.Errorf("publish: %w", err)
	}
	return FileID{Size: info.Size(), ModTime: info.ModTime().UnixNano()}, nil
}

// Keep stages the published file rel as it is, when it is still the
// version id, and reports whether it did: the caller knows its bytes
// would be the same and need not make them. A file edited or removed
// since is not kept.
func (w *Writer) Keep(rel string, id FileID) (bool, error) {
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	info, err := os.Lstat(old)
	if err != nil || !info.Mode().IsRegular() || info.Size() != id.Size || info.ModTime().UnixNano() != id.ModTime {
		return false, nil
	}
	full, err := w.target(rel)
	if err != nil {
		return false, err
	}
	if err := os.Link(old, full); err != nil {
		w.seen.Delete(rel)
		return false, nil
	}
	w.u.Add(1)
	return true, nil
}

// Copy stages the file name of fsys as rel.
func (w *Writer) Copy(rel string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return w.Write(rel, data)
}

// same reports whether the file at p holds exactly data.
func same(p string, data []byte) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false
	}
	buf := make([]byte, min(len(data), 64<<10))
	for off := 0; off < len(data); {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data)-off)])
		if err != nil || !bytes.Equal(buf[:n], data[off:off+n]) {
			return false
		}
		off += n
	}
	return true
}

// Abort drops the staged files; the destination is untouched.
func (w *Writer) Abort() error {
	return errors.Join(os.RemoveAll(w.stage), w.wait())
}

// wait waits for Begin's removal of the folder before, once.
func (w *Writer) wait() error {
	if w.cleared == nil {
		return nil
	}
	err := <-w.cleared
	w.cleared = nil
	if err != nil {
		return fmt.Errorf("publish: clearing an earlier site: %w", err)
	}
	return nil
}

// Commit puts the staged folder in place of the destination atomically.
// The previous site takes the staging folder's place, where the next
// Begin removes it.
func (w *Writer) Commit() (Stats, error) {
	st := Stats{Written: int(w.w.Load()), Unchanged: int(w.u.Load())}
	st.Removed = countRemoved(w.dest, &w.seen)
	if err := syncDir(w.stage); err != nil {
		return st, err
	}
	_, err := os.Lstat(w.dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Rename(w.stage, w.dest); err != nil {
			return st, fmt.Errorf("publish: %w", err)
		}
	case err != nil:
		return st, fmt.Errorf("publish: %w", err)
	default:
		if err := exchange(w.stage, w.dest); err != nil {
			return st, fmt.Errorf("publish: replacing %s: %w", w.dest, err)
		}
	}
	if err := syncDir(filepath.Dir(w.dest)); err != nil {
		return st, err
	}
	// The replaced site waits for the next Begin. Its folder sits beside
	// the destination, perhaps inside a served folder: shut it to every
	// other user, so that a web server cannot read what this build
	// removed (a comment taken down, say) meanwhile.
	if err := os.Chmod(w.stage, 0o700); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, fmt.Errorf("publish: %w", err)
	}
	return st, w.wait()
}

func countRemoved(dest string, seen *sync.Map) int {
	n := 0
	_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dest, p)
		if err == nil {
			if _, ok := seen.Load(filepath.ToSlash(rel)); !ok {
				n++
			}
		}
		return nil
	})
	return n
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("publish: sync %s: %w", dir, err)
	}
	return nil
}
