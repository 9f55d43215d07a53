//go:build !unix

package fastio

import (
	"io/fs"
	"os"
)

// ReadFile is os.ReadFile.
func ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// WriteFile opens name with flag (which must allow writing) and perm,
// writes data to it and closes it.
func WriteFile(name string, flag int, perm fs.FileMode, data []byte) error {
	_, err := write(name, flag, perm, data, false)
	return err
}

// WriteFileStamp is WriteFile that also returns the written file's
// Stamp, read from the open file before it is closed.
func WriteFileStamp(name string, flag int, perm fs.FileMode, data []byte) (Stamp, error) {
	return write(name, flag, perm, data, true)
}

func write(name string, flag int, perm fs.FileMode, data []byte, stamp bool) (Stamp, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return Stamp{}, err
	}
	var s Stamp
	_, err = f.Write(data)
	if err == nil && stamp {
		var info fs.FileInfo
		if info, err = f.Stat(); err == nil {
			s = Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Stamp{}, err
	}
	return s, nil
}
