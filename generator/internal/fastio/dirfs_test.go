package fastio_test

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/foyerhub/foyer/generator/internal/fastio"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

// TestDirFS checks DirFS against testing/fstest, which compares ReadFile
// with Open and read, and ReadDir and Stat with the files themselves.
func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteDir(t, dir, map[string]string{"a.md": "un", "sous/b.md": "deux\n", "sous/vide": ""})
	fsys := fastio.DirFS(dir)
	if err := fstest.TestFS(fsys, "a.md", "sous/b.md", "sous/vide"); err != nil {
		t.Fatal(err)
	}
	if _, ok := fsys.(fs.ReadFileFS); !ok {
		t.Fatal("DirFS is no fs.ReadFileFS")
	}
}
