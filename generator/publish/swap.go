package publish

import "os"

// swap exchanges two folders with two renames where the system has no
// atomic exchange; a crash between them leaves the old site at b+".old",
// which the next Begin does not touch.
func swap(a, b string) error {
	old := b + ".old"
	if err := os.RemoveAll(old); err != nil {
		return err
	}
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(old, b)
		return err
	}
	return os.Rename(old, a)
}
