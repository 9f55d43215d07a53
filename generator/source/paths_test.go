package source

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"testing"
	"testing/fstest"
)

// walkPaths is Paths on one goroutine, with fs.WalkDir: the reference
// the parallel walk must agree with.
func walkPaths(fsys fs.FS, root string) ([]string, error) {
	var paths []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() && p != ContentDir && Ignored(d.Name()) {
			return fs.SkipDir
		}
		if d.Type().IsRegular() && !Ignored(d.Name()) && Classify(p) != 0 {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	return paths, err
}

func pathsFixture() fstest.MapFS {
	fsys := fstest.MapFS{
		"content/pages/a-propos.md":         {},
		"content/pages/.a-propos.md.swp":    {},
		"content/pages/notes.txt":           {},
		"content/members/alice.yaml":        {},
		"content/members/bob.yml~":          {},
		"content/newsletters/001.md":        {},
		"content/.git/config":               {},
		"content/articles/.brouillons/x.md": {},
		"content/articles/_index.md":        {},
		"content/articles/_brouillon.md":    {},
		"content/contributions/lien":        {Mode: fs.ModeSymlink},
		"content/articles/2011/ancien/a.md": {},
		"content/articles/2011-suite/b.md":  {},
		"foyer.yaml":                        {},
	}
	for i := range 300 {
		year := 2000 + i%12
		fsys[fmt.Sprintf("content/articles/%d/article-%03d.md", year, i)] = &fstest.MapFile{}
		for j := range i % 4 {
			fsys[fmt.Sprintf("content/contributions/article-%03d/c%d.md", i, j)] = &fstest.MapFile{}
		}
		fsys[fmt.Sprintf("content/contributions/article-%03d/.c.md.swp", i)] = &fstest.MapFile{}
	}
	return fsys
}

// TestPathsMatchesWalkDir checks the parallel walk against fs.WalkDir on
// a tree of hundreds of folders, from the content folder, a sub-folder,
// one file, a skipped folder and a missing one.
func TestPathsMatchesWalkDir(t *testing.T) {
	fsys := pathsFixture()
	for _, root := range []string{
		ContentDir,
		"content/articles",
		"content/contributions",
		"content/articles/2003",
		"content/articles/2003/article-003.md",
		"content/pages/notes.txt",
		"content/.git",
		"content/articles/.brouillons",
		"content/absent",
	} {
		want, err := walkPaths(fsys, root)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Paths(fsys, root)
		if err != nil {
			t.Fatalf("Paths(%s): %v", root, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Paths(%s): %d paths, fs.WalkDir finds %d\n got %q\nwant %q", root, len(got), len(want), got, want)
		}
		if root == ContentDir && len(got) < 750 {
			t.Errorf("Paths(%s) found only %d files", root, len(got))
		}
	}
}

// failingFS fails to list some folders.
type failingFS struct {
	fs.FS
	fail map[string]bool
}

func (f failingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if f.fail[name] {
		return nil, &fs.PathError{Op: "readdirent", Path: name, Err: errors.New("input/output error")}
	}
	return fs.ReadDir(f.FS, name)
}

// TestPathsFolderError checks that a folder that cannot be listed fails
// the walk, naming the first such folder in walking order whichever
// goroutine met it first; fs.WalkDir, which stops there, says which.
func TestPathsFolderError(t *testing.T) {
	for _, tc := range []struct {
		failing []string
		want    string
	}{
		{[]string{"content/contributions/article-250", "content/contributions/article-007", "content/articles/2011"}, "content/articles/2011"},
		// Walking order is not string order: "2011/ancien" is walked
		// before "2011-suite", though "-" sorts before "/".
		{[]string{"content/articles/2011-suite", "content/articles/2011/ancien", "content/contributions/article-007"}, "content/articles/2011/ancien"},
	} {
		fsys := failingFS{pathsFixture(), map[string]bool{}}
		for _, dir := range tc.failing {
			fsys.fail[dir] = true
		}
		_, want := walkPaths(fsys, ContentDir)
		var wpe *fs.PathError
		if !errors.As(want, &wpe) || wpe.Path != tc.want {
			t.Fatalf("fs.WalkDir: error %v, want the one of %s", want, tc.want)
		}
		for range 20 {
			_, err := Paths(fsys, ContentDir)
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != tc.want {
				t.Fatalf("Paths: error %v, want the one of %s", err, tc.want)
			}
		}
	}
}
