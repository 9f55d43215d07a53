package publish

import "golang.org/x/sys/unix"

// exchange swaps two folders in one atomic rename, so that there is no
// instant with no site at all.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == unix.ENOSYS || err == unix.EINVAL {
		return swap(a, b)
	}
	return err
}
