//go:build unix

package build

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockCache takes the lock of the build cache in dir without waiting,
// and returns what releases it, or nil when another build holds it.
func lockCache(dir string) (unlock func()) {
	f, err := os.OpenFile(filepath.Join(dir, cacheLock), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil
	}
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		f.Close()
		return nil
	}
	return func() { f.Close() } // closing releases the lock
}
