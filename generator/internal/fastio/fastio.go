// Package fastio reads and writes whole files with a third of the system
// calls of package os, for the build's tens of thousands of small files.
//
// os.Open and os.OpenFile register every file with the runtime's network
// poller: two fcntl calls to make it non-blocking, an epoll_ctl that fails
// for a regular file, two fcntl calls to make it blocking again; and
// os.ReadFile reads once more to see the end. Here a file is opened, read
// or written in full, and closed, with nothing else. Where that is not
// possible (not Unix), the functions are those of package os.
package fastio

import (
	"io/fs"
	"os"
)

// A Stamp tells a file's version apart without reading it: its size and
// modification time, which a hard link keeps.
type Stamp struct {
	Size    int64
	ModTime int64 // nanoseconds since 1970
}

// DirFS is os.DirFS(dir) whose ReadFile is ReadFile.
func DirFS(dir string) fs.FS { return dirFS{FS: os.DirFS(dir), dir: dir} }

type dirFS struct {
	fs.FS
	dir string
}

// ReadFile reads name in the directory. Like os.DirFS's, an error names
// the file by name, not by its path on disk.
func (d dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) || d.dir == "" {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	b, err := ReadFile(d.dir + string(os.PathSeparator) + name)
	if err != nil {
		if e, ok := err.(*fs.PathError); ok {
			e.Path = name
		}
		return nil, err
	}
	return b, nil
}

// ReadDir and Stat keep os.DirFS's, which fs.FS embedding alone would hide
// from fs.ReadDir and fs.Stat.
func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.FS, name) }
func (d dirFS) Stat(name string) (fs.FileInfo, error)      { return fs.Stat(d.FS, name) }
