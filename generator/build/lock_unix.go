//go:build unix

package build

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockCache takes the lock of the build cache in dir without waiting,
// and returns what releases it. It fails with errBusy when another build
// holds it, and with the system's error where there is no such lock (on
// some network file systems).
func lockCache(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, cacheLock), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errBusy
		}
		return nil, err
	}
	return func() { f.Close() }, nil // closing releases the lock
}
