//go:build unix

package fastio

import (
	"io/fs"
	"syscall"
)

// ReadFile is os.ReadFile: it reads the whole file.
func ReadFile(name string) ([]byte, error) {
	fd, err := open(name, syscall.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := ignoringEINTR(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	// One byte more than the size lets the first read see the end of a
	// file that did not grow, without a second read.
	b := make([]byte, 0, max(int(st.Size)+1, 512))
	for {
		n, err := ignoringEINTR(func() (int, error) { return syscall.Read(fd, b[len(b):cap(b)]) })
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
		if len(b) < cap(b) && st.Mode&syscall.S_IFMT == syscall.S_IFREG && int64(len(b)) == st.Size {
			return b, nil // a regular file read to its size
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
	}
}

// WriteFile opens name with flag (which must allow writing) and perm,
// writes data to it and closes it, like os.OpenFile then Write and Close.
func WriteFile(name string, flag int, perm fs.FileMode, data []byte) error {
	_, err := write(name, flag, perm, data, false)
	return err
}

// WriteFileStamp is WriteFile that also returns the written file's
// Stamp, read from the open file before it is closed: no second lookup
// of its path.
func WriteFileStamp(name string, flag int, perm fs.FileMode, data []byte) (Stamp, error) {
	return write(name, flag, perm, data, true)
}

func write(name string, flag int, perm fs.FileMode, data []byte, stamp bool) (Stamp, error) {
	fd, err := open(name, flag, uint32(perm.Perm()))
	if err != nil {
		return Stamp{}, err
	}
	for len(data) > 0 {
		n, err := ignoringEINTR(func() (int, error) { return syscall.Write(fd, data) })
		if err != nil {
			syscall.Close(fd)
			return Stamp{}, &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	var s Stamp
	if stamp {
		var st syscall.Stat_t
		if _, err := ignoringEINTR(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
			syscall.Close(fd)
			return Stamp{}, &fs.PathError{Op: "stat", Path: name, Err: err}
		}
		s = Stamp{Size: st.Size, ModTime: st.Mtim.Nano()}
	}
	// Close is not retried on EINTR: on Linux the descriptor is gone.
	if err := syscall.Close(fd); err != nil {
		return Stamp{}, &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return s, nil
}

func open(name string, flag int, perm uint32) (int, error) {
	fd, err := ignoringEINTR(func() (int, error) { return syscall.Open(name, flag|syscall.O_CLOEXEC, perm) })
	if err != nil {
		return -1, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return fd, nil
}

// ignoringEINTR retries a call a signal interrupted: the runtime's own
// signals can interrupt a slow file system's calls.
func ignoringEINTR(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != syscall.EINTR {
			return n, err
		}
	}
}
