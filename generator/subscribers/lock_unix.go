//go:build unix

package subscribers

import (
	"context"
	"errors"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive flock on path, waiting until ctx is done.
// flock serialises writers across processes; within a process the
// goroutines queue on the same lock file too, each with its own
// descriptor.
func lock(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	var once sync.Once
	go func() { done <- unix.Flock(int(f.Fd()), unix.LOCK_EX) }()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, err
		}
	case <-ctx.Done():
		// The goroutine still waits for the lock: release it when it comes.
		go func() {
			if <-done == nil {
				_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
			}
			f.Close()
		}()
		return nil, errors.Join(errors.New("waiting for the subscribers lock"), ctx.Err())
	}
	return func() {
		once.Do(func() {
			_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
			f.Close()
		})
	}, nil
}
