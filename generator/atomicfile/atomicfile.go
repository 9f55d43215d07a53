// Package atomicfile writes files so that a killed process or a power
// cut leaves either the old file or the new one, never half of either:
// data goes to a temporary file in the same folder, is synced, and is
// renamed (or, for Create, linked) into place. Every package that
// writes a user's file goes through here.
package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// tempMarker is in the name of every temporary file, so that a clean-up
// can find those a killed process left (see IsTemp).
const tempMarker = ".foyer-tmp-"

// IsTemp reports whether a file name is one of this package's temporary
// files. They start with a dot, so the site loader never reads them.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker)
}

// Write replaces path with data, durably: temporary file, fsync, rename,
// fsync of the folder. Missing folders are made.
func Write(path string, data []byte, perm os.FileMode) error {
	return write(path, bytesOf(data), perm, true, os.Rename)
}

// WriteNoSync is Write without the fsyncs: a killed process still leaves
// whole files, but a power cut may lose the newest ones. For bulk
// writers (an import of thousands of files) that can simply run again.
func WriteNoSync(path string, data []byte, perm os.FileMode) error {
	return write(path, bytesOf(data), perm, false, os.Rename)
}

// StreamNoSync is WriteNoSync for content too big to hold twice: fill
// writes it through a buffer, and the file appears only if fill
// succeeds. For caches that a build can make again.
func StreamNoSync(path string, perm os.FileMode, fill func(io.Writer) error) error {
	return write(path, func(f *os.File) error {
		b := bufio.NewWriterSize(f, 256<<10)
		if err := fill(b); err != nil {
			return err
		}
		return b.Flush()
	}, perm, false, os.Rename)
}

func bytesOf(data []byte) func(*os.File) error {
	return func(f *os.File) error {
		_, err := f.Write(data)
		return err
	}
}

// Create writes a new file at path, durably, and fails with an error
// matching fs.ErrExist when path exists: nothing is ever overwritten,
// even by a concurrent writer.
func Create(path string, data []byte, perm os.FileMode) error {
	return write(path, bytesOf(data), perm, true, func(tmp, path string) error {
		err := os.Link(tmp, path)
		var le *os.LinkError
		if errors.As(err, &le) && errors.Is(le.Err, fs.ErrExist) {
			return fs.ErrExist
		}
		return err
	})
}

func write(path string, fill func(*os.File) error, perm os.FileMode, durable bool, place func(tmp, path string) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+tempMarker+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = fill(tmp)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil && durable {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = place(tmp.Name(), path)
	}
	if err == nil && durable {
		err = syncDir(dir)
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
