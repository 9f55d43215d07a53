//go:build unix

package build_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

// A build that finds another one using the markdown cache builds the
// same site with a spool of its own, and leaves the cache's files alone.
func TestBuildBesideAnotherBuild(t *testing.T) {
	s, o := newDiskSite(t)
	s.build(t)
	cache := filepath.Join(s.dir, ".foyer", "cache")
	files := func() []byte {
		var all []byte
		for _, name := range []string{"markdown.gob", "markdown.spool"} {
			data, err := os.ReadFile(filepath.Join(cache, name))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, data...)
		}
		return all
	}
	before := files()
	lock, err := os.OpenFile(filepath.Join(cache, "lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	s.edit(t, synth.ArticlePaths(o)[3], func(x string) string { return x + "\nUne phrase de plus.\n" })
	s.build(t)
	s.same(t)
	if !bytes.Equal(files(), before) {
		t.Error("a build changed the markdown cache while another held its lock")
	}
	lock.Close()
	s.build(t)
	s.same(t)
	if bytes.Equal(files(), before) {
		t.Error("the build after did not update the markdown cache")
	}
}
