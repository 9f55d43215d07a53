// Package publish writes a build's files into its destination folder as
// one atomic step. Files go into a staging folder beside the destination;
// a file whose bytes equal the one already published is hard-linked
// rather than rewritten, so its inode and modification time stay and
// rsync or an object-storage sync uploads only the difference. Commit
// swaps the staging folder in for the destination in one rename: a
// failed or killed build leaves the previous site whole.
//
// The staging folder is recycled. The swap leaves the replaced site in
// the staging folder's place, and the next publication stages into that
// tree instead of deleting it and making a new one: an entry that already
// is the published file stays as it is, a folder that exists is kept, a
// changed file is rewritten in its own inode when that inode has no
// other name, and Commit removes only what the new site no longer has.
// A build thus allocates an inode only for a file that is new, or that
// changed after a build that left it the same (its inode is then shared
// with the published site), and frees one only for what the site no
// longer has, instead of freeing and allocating one for every file and
// folder of the site. That is less work, and it matters on file systems
// such as ext4, where allocating an inode takes longer for every inode
// freed in the last minutes: deleting one site and creating the next
// made every following build slower.
//
// A file is only ever rewritten in place when it has exactly one name,
// in the staging folder: it is then no file of the published site, which
// shares an unchanged file's inode through a hard link, and no file
// anybody linked elsewhere. A published file is never written to.
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
	"syscall"

	"github.com/foyerhub/foyer/generator/internal/fastio"
)

// Stats counts what a publication did.
type Stats struct {
	Written   int // new or changed files
	Unchanged int // files whose bytes were already published
	Removed   int // published files no longer part of the site
}

// Writer stages files for one publication. Its methods are safe for
// concurrent use, Commit and Abort excepted.
type Writer struct {
	dest  string
	stage string
	seen  sync.Map // relative path → kind: the staged files and their folders
	dirs  sync.Map // relative path → *dirState: folders made or being made
	w, u  atomic.Int64

	// listing delivers the inventory of the recycled staging folder,
	// made in the background while files are staged. It is nil when
	// Begin made the staging folder, empty: the folder then holds
	// nothing but what this Writer stages.
	listing chan inventory
	once    sync.Once
	inv     inventory

	// noDest is set when the destination did not exist at Begin: there
	// is no published file to compare a staged one with.
	noDest bool
}

// A kind tells what a staged path is.
type kind uint8

const (
	fileKind kind = iota + 1
	dirKind
)

// dirState makes a staged folder once, however many files want it.
type dirState struct {
	once sync.Once
	err  error
}

// An inventory lists a staging folder: every entry's relative,
// slash-separated path, each folder before what it holds.
type inventory struct {
	entries []entry
	err     error
}

type entry struct {
	rel string
	dir bool
}

const (
	stageSuffix = ".foyer-staging"
	oldSuffix   = ".foyer-old" // where earlier versions deleted the replaced site
)

// Begin starts a publication into dest. The staging folder holds the
// site the last Commit replaced, or what an aborted or killed build
// staged: the publication is staged into it, and it is listed in the
// background meanwhile so that Commit can remove what this publication
// did not stage.
func Begin(dest string) (*Writer, error) {
	dest = filepath.Clean(dest)
	dir, base := filepath.Dir(dest), filepath.Base(dest)
	w := &Writer{dest: dest, stage: filepath.Join(dir, "."+base+stageSuffix)}
	if _, err := os.Stat(dest); errors.Is(err, fs.ErrNotExist) {
		w.noDest = true
	}
	old := filepath.Join(dir, "."+base+oldSuffix)
	if err := os.RemoveAll(old); err != nil {
		return nil, fmt.Errorf("publish: clearing %s: %w", old, err)
	}
	info, err := os.Lstat(w.stage)
	switch {
	case err == nil && info.IsDir():
		// Shut, like every staging folder: it may hold a mix of an old
		// site and new files (a crash during Commit may leave it open).
		if info.Mode().Perm() != 0o700 {
			if err := os.Chmod(w.stage, 0o700); err != nil {
				return nil, fmt.Errorf("publish: %w", err)
			}
		}
		w.listing = make(chan inventory, 1)
		go func() { w.listing <- list(w.stage) }()
		return w, nil
	case err == nil: // not a folder: never write through it
		if err := os.Remove(w.stage); err != nil {
			return nil, fmt.Errorf("publish: clearing %s: %w", w.stage, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Mkdir(w.stage, 0o700); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return w, nil
}

// list makes the inventory of the folder root. An entry that vanishes
// while it is listed is not an error: the Writer removes staged entries
// in the way of the files it stages.
func list(root string) inventory {
	var inv inventory
	var walk func(rel string) error
	walk = func(rel string) error {
		f, err := os.OpenFile(filepath.Join(root, filepath.FromSlash(rel)), os.O_RDONLY|noFollow, 0)
		if err != nil {
			if vanished(err) {
				return nil
			}
			return err
		}
		ents, err := f.ReadDir(-1)
		f.Close()
		if err != nil && !vanished(err) {
			return err
		}
		for _, e := range ents {
			p := e.Name()
			if rel != "" {
				p = rel + "/" + p
			}
			inv.entries = append(inv.entries, entry{rel: p, dir: e.IsDir()})
			if e.IsDir() {
				if err := walk(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	inv.err = walk("")
	return inv
}

// vanished reports whether err says that a path names nothing (any more).
func vanished(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// Dest is the destination folder.
func (w *Writer) Dest() string { return w.dest }

// target claims the file rel and its folders for this publication, makes
// the folders, and returns the file's staged path.
func (w *Writer) target(rel string) (string, error) {
	clean := path.Clean("/" + rel)[1:]
	if clean == "" || clean != rel || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("publish: refusing output path %q", rel)
	}
	if k, dup := w.seen.LoadOrStore(clean, fileKind); dup {
		if k == dirKind {
			return "", fmt.Errorf("publish: %s is both a file and a folder", clean)
		}
		return "", fmt.Errorf("publish: two files for %s", clean)
	}
	if dir := path.Dir(clean); dir != "." {
		if err := w.mkdir(dir); err != nil {
			return "", err
		}
	}
	return filepath.Join(w.stage, filepath.FromSlash(clean)), nil
}

// mkdir claims the staged folder rel and makes it and its parents, once:
// a folder the recycled tree already has costs one Lstat.
func (w *Writer) mkdir(rel string) error {
	v, ok := w.dirs.Load(rel)
	if !ok {
		if k, _ := w.seen.LoadOrStore(rel, dirKind); k != dirKind {
			return fmt.Errorf("publish: %s is both a file and a folder", rel)
		}
		v, _ = w.dirs.LoadOrStore(rel, new(dirState))
	}
	d := v.(*dirState)
	d.once.Do(func() { d.err = w.makeDir(rel) })
	return d.err
}

func (w *Writer) makeDir(rel string) error {
	if parent := path.Dir(rel); parent != "." {
		if err := w.mkdir(parent); err != nil {
			return err
		}
	}
	full := filepath.Join(w.stage, filepath.FromSlash(rel))
	if w.listing != nil {
		info, err := os.Lstat(full)
		switch {
		case err == nil && info.IsDir():
			return nil
		case err == nil: // a file or a symbolic link of the recycled tree
			if err := discard(full, info); err != nil {
				return err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("publish: %w", err)
		}
	}
	if err := os.Mkdir(full, 0o755); err != nil {
		if info, lerr := os.Lstat(full); lerr == nil && info.IsDir() {
			return nil
		}
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// lstat describes the staged entry full, or returns nil if there is none.
// A staging folder made empty has none but what this Writer staged.
func (w *Writer) lstat(full string) (fs.FileInfo, error) {
	if w.listing == nil {
		return nil, nil
	}
	info, err := os.Lstat(full)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return info, nil
}

// discard removes the staged entry full, which info describes (nil when
// there is none), to make room for another. A folder goes with all it
// holds: nothing of this publication is in it, since its path is claimed
// as a file.
func discard(full string, info fs.FileInfo) error {
	if info == nil {
		return nil
	}
	if err := remove(full, info.IsDir()); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// remove removes the entry full, a folder with all it holds; an entry
// already gone is no error.
func remove(full string, dir bool) error {
	var err error
	if dir {
		err = os.RemoveAll(full)
	} else {
		err = os.Remove(full)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Write stages a file. rel is slash-separated and relative to dest.
//
// Bytes equal to the published file's are staged as that file: a hard
// link, unless the recycled tree already links it. Other bytes are
// written into the recycled tree's file in place when that file has no
// other name, and into a new file otherwise.
func (w *Writer) Write(rel string, data []byte) error {
	_, err := w.write(rel, data)
	return err
}

// WriteID is Write that also returns the staged file's FileID, for a
// later Keep. It is read from the file as it is staged, without looking
// its path up again.
func (w *Writer) WriteID(rel string, data []byte) (FileID, error) {
	return w.write(rel, data)
}

func (w *Writer) write(rel string, data []byte) (FileID, error) {
	full, err := w.target(rel)
	if err != nil {
		return FileID{}, err
	}
	staged, err := w.lstat(full)
	if err != nil {
		return FileID{}, err
	}
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	if pub := w.same(old, data); pub != nil {
		id := FileID{Size: pub.Size(), ModTime: pub.ModTime().UnixNano()}
		if staged != nil && os.SameFile(staged, pub) {
			w.u.Add(1)
			return id, nil
		}
		if err := discard(full, staged); err != nil {
			return FileID{}, err
		}
		staged = nil
		if os.Link(old, full) == nil {
			w.u.Add(1)
			return id, nil
		}
	}
	w.w.Add(1)
	if staged != nil && staged.Mode().IsRegular() {
		// One name: the file is no published one (those the destination
		// shares have two) and nobody else's. Rewriting it reuses its
		// inode instead of freeing it and allocating another.
		if n, known := links(staged); known && n == 1 {
			var pe *fs.PathError
			id, err := fastio.WriteFileStamp(full, os.O_WRONLY|os.O_TRUNC|noFollow, 0, data)
			if !errors.As(err, &pe) || pe.Op != "open" {
				return id, wrap(err) // written, or failed once open
			}
		}
	}
	if err := discard(full, staged); err != nil {
		return FileID{}, err
	}
	id, err := fastio.WriteFileStamp(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644, data)
	return id, wrap(err)
}

// wrap says that err, if any, comes from publishing.
func wrap(err error) error {
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// A FileID tells a published file's version apart without reading it:
// its size and modification time, which a hard link keeps.
type FileID = fastio.Stamp

// Keep stages the published file rel as it is, when it is still the
// version id, and reports whether it did: the caller knows its bytes
// would be the same and need not make them. A file edited or removed
// since is not kept. Like Write, it links the published file into the
// staging folder unless the recycled tree already does.
func (w *Writer) Keep(rel string, id FileID) (bool, error) {
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	pub, err := os.Lstat(old)
	if err != nil || !pub.Mode().IsRegular() || pub.Size() != id.Size || pub.ModTime().UnixNano() != id.ModTime {
		return false, nil
	}
	full, err := w.target(rel)
	if err != nil {
		return false, err
	}
	staged, err := w.lstat(full)
	if err == nil && staged != nil && os.SameFile(staged, pub) {
		w.u.Add(1)
		return true, nil
	}
	if err != nil || discard(full, staged) != nil || os.Link(old, full) != nil {
		w.seen.Delete(rel) // for Write to stage instead
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

// same returns the FileInfo of the regular file at p if it holds exactly
// data, and nil otherwise.
func (w *Writer) same(p string, data []byte) fs.FileInfo {
	if w.noDest {
		return nil
	}
	f, err := os.OpenFile(p, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return nil
	}
	buf := make([]byte, min(len(data), 64<<10))
	for off := 0; off < len(data); {
		n, err := io.ReadFull(f, buf[:min(len(buf), len(data)-off)])
		if err != nil || !bytes.Equal(buf[:n], data[off:off+n]) {
			return nil
		}
		off += n
	}
	return info
}

// Abort gives the publication up; the destination is untouched. The
// staging folder stays, a mix of the replaced site and of staged files,
// for the next Begin to recycle; it is shut to other users meanwhile.
func (w *Writer) Abort() error {
	w.wait()
	if err := os.Chmod(w.stage, 0o700); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// wait waits for Begin's inventory of the recycled staging folder.
func (w *Writer) wait() inventory {
	w.once.Do(func() {
		if w.listing != nil {
			w.inv = <-w.listing
		}
	})
	return w.inv
}

// prune removes from the staging folder what the recycled tree held and
// this publication did not stage, so that it holds exactly the staged
// files. An unclaimed entry in a claimed folder is removed, a folder with
// all it holds; an entry in an unclaimed folder goes with that folder,
// and one in a folder that became a file went when the file was staged.
func (w *Writer) prune() error {
	inv := w.wait()
	if inv.err != nil {
		return fmt.Errorf("publish: listing %s: %w", w.stage, inv.err)
	}
	var errs []error
	for _, e := range inv.entries {
		if _, claimed := w.seen.Load(e.rel); claimed {
			continue
		}
		if dir := path.Dir(e.rel); dir != "." {
			if k, _ := w.seen.Load(dir); k != dirKind {
				continue
			}
		}
		if err := remove(filepath.Join(w.stage, filepath.FromSlash(e.rel)), e.dir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("publish: clearing %s: %w", w.stage, err)
	}
	return nil
}

// Commit puts the staged folder in place of the destination atomically.
// The previous site takes the staging folder's place, shut to other
// users, where the next Begin recycles it.
func (w *Writer) Commit() (Stats, error) {
	st := Stats{Written: int(w.w.Load()), Unchanged: int(w.u.Load())}
	if err := w.prune(); err != nil {
		return st, err
	}
	st.Removed = countRemoved(w.dest, &w.seen)
	// The staging folder was shut; the site it becomes is not. Should
	// the swap fail, Abort shuts it again.
	if err := os.Chmod(w.stage, 0o755); err != nil {
		return st, fmt.Errorf("publish: %w", err)
	}
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
	return st, nil
}

// countRemoved counts the files of dest that are not staged as files.
func countRemoved(dest string, seen *sync.Map) int {
	n := 0
	_ = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dest, p)
		if err == nil {
			if k, _ := seen.Load(filepath.ToSlash(rel)); k != fileKind {
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
