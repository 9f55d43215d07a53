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
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
