//go:build unix

package publish

import (
	"io/fs"
	"syscall"
)

// noFollow makes an open fail on a symbolic link instead of opening the
// file it points to.
const noFollow = syscall.O_NOFOLLOW

// links returns how many names the file described by info has, and
// whether the system told.
func links(info fs.FileInfo) (n uint64, known bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return uint64(st.Nlink), true
}
