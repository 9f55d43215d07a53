package publish

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// A site maps a file's slash-separated path to its bytes.
type site map[string]string

// publishSite publishes s into dest with Write, and returns the stats.
func publishSite(t *testing.T, dest string, s site) Stats {
	t.Helper()
	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range s {
		if err := w.Write(rel, []byte(data)); err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// tree describes every entry under root: a file by its bytes, a folder
// as "<dir>", anything else (a symbolic link) as "<other>".
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.IsDir():
			got[rel] = "<dir>"
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			got[rel] = string(data)
		default:
			got[rel] = "<other>"
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// want is tree's description of a folder holding exactly s.
func want(s site) map[string]string {
	out := map[string]string{}
	for rel, data := range s {
		out[rel] = data
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			out[dir] = "<dir>"
		}
	}
	return out
}

// checkTree fails unless the folder root holds exactly s.
func checkTree(t *testing.T, what, root string, s site) {
	t.Helper()
	got, exp := tree(t, root), want(s)
	if maps.Equal(got, exp) {
		return
	}
	for _, rel := range slices.Sorted(maps.Keys(got)) {
		if e, ok := exp[rel]; !ok {
			t.Errorf("%s: unexpected %s (%q)", what, rel, got[rel])
		} else if e != got[rel] {
			t.Errorf("%s: %s holds %q, want %q", what, rel, got[rel], e)
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(exp)) {
		if _, ok := got[rel]; !ok {
			t.Errorf("%s: missing %s", what, rel)
		}
	}
}

func checkMode(t *testing.T, what, dir string, perm fs.FileMode) {
	t.Helper()
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() || info.Mode().Perm() != perm {
		t.Errorf("%s: %v, %v; want a folder of mode %v", what, info, err, perm)
	}
}

func stagingOf(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+stageSuffix)
}

// held is a published file held open by the test, to check its inode's
// bytes once it is no longer published.
type held struct {
	f    *os.File
	data string
}

func holdAll(t *testing.T, dest string, s site) map[string]held {
	t.Helper()
	out := map[string]held{}
	for rel, data := range s {
		f, err := os.Open(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		out[rel] = held{f, data}
	}
	return out
}

func checkHeld(t *testing.T, when string, h map[string]held) {
	t.Helper()
	for rel, x := range h {
		buf := make([]byte, len(x.data)+16)
		n, _ := x.f.ReadAt(buf, 0)
		if got := string(buf[:n]); got != x.data {
			t.Errorf("%s: the published %s was written into: its inode holds %q, want %q", when, rel, got, x.data)
		}
	}
}

// TestRecycledPublicationsAreExact publishes a site changing in every
// way: files added, removed, changed and unchanged, files becoming
// folders and folders files. Each time, the destination holds exactly
// the new site, the staging folder exactly the replaced one, unchanged
// files keep their inode and time, the published files of the replaced
// site keep their bytes, and a file changed on every build is rewritten
// in the inode it had two builds before.
func TestRecycledPublicationsAreExact(t *testing.T) {
	versions := []site{{
		"index.html": "home 0", "a/index.html": "A", "b/c/d.html": "D", "keep.css": "K",
		"x.html": "X", "dir/sub/f.html": "F", "gone.html": "G", "shared.html": "S",
	}, {
		"index.html": "home one", "a/index.html": "A", "b/c/d.html": "D", "keep.css": "K",
		"x.html/index.html": "X as a folder", "dir": "dir as a file", "new.html": "N", "shared.html": "S",
	}, {
		"index.html": "2", "a/index.html": "A", "keep.css": "K",
		"x.html": "X again", "dir/sub/f.html": "F again", "new.html": "N", "gone.html": "G", "shared.html": "S",
	}, {
		"index.html": "home three, longer than before", "a/index.html": "A changed", "keep.css": "K",
		"x.html/index.html": "X as a folder", "dir": "dir as a file", "b/c/d.html": "D", "new.html": "N2", "shared.html": "S3",
	}, {
		"index.html": "home 4", "a/index.html": "A changed", "keep.css": "K",
		"b/c/d.html": "D", "b/e.html": "E", "new.html": "N2", "shared.html": "S3",
	}, {
		"index.html": "5", "a/index.html": "A", "keep.css": "K", "b/c/d.html": "D5",
		"x.html": "X", "new.html": "N2", "dir/sub/f.html": "F",
	}}
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	stage := stagingOf(dest)
	var keepID FileID
	var homes []fs.FileInfo
	for i, v := range versions {
		var prev site
		before := map[string]fs.FileInfo{}
		var h map[string]held
		if i > 0 {
			prev = versions[i-1]
			for rel := range prev {
				before[rel], _ = os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
			}
			h = holdAll(t, dest, prev)
		}

		w, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		for rel, data := range v {
			if rel == "keep.css" && i > 0 {
				kept, err := w.Keep(rel, keepID)
				if err != nil || !kept {
					t.Fatalf("build %d: Keep(%s) = %v, %v; want it kept", i, rel, kept, err)
				}
				continue
			}
			id, err := w.WriteID(rel, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			// Written or linked, the ID is the staged file's.
			staged, err := os.Lstat(filepath.Join(stage, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			if want := (FileID{Size: staged.Size(), ModTime: staged.ModTime().UnixNano()}); id != want {
				t.Errorf("build %d: WriteID(%s) = %+v, want the staged file's %+v", i, rel, id, want)
			}
			if rel == "keep.css" {
				keepID = id
			}
		}
		st, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}

		var exp Stats
		for rel, data := range v {
			if old, ok := prev[rel]; ok && old == data {
				exp.Unchanged++
			} else {
				exp.Written++
			}
		}
		for rel := range prev {
			if _, ok := v[rel]; !ok {
				exp.Removed++
			}
		}
		if st != exp {
			t.Errorf("build %d: stats %+v, want %+v", i, st, exp)
		}
		checkTree(t, fmt.Sprintf("build %d, destination", i), dest, v)
		checkMode(t, fmt.Sprintf("build %d, destination", i), dest, 0o755)
		if i > 0 {
			checkTree(t, fmt.Sprintf("build %d, staging folder", i), stage, prev)
			checkMode(t, fmt.Sprintf("build %d, staging folder", i), stage, 0o700)
			checkHeld(t, fmt.Sprintf("build %d", i), h)
		}
		for rel, data := range v {
			if old, ok := prev[rel]; !ok || old != data {
				continue
			}
			after, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
			if err != nil || !os.SameFile(before[rel], after) || !before[rel].ModTime().Equal(after.ModTime()) {
				t.Errorf("build %d: the unchanged %s was rewritten", i, rel)
			}
		}
		home, err := os.Lstat(filepath.Join(dest, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		homes = append(homes, home)
		if i >= 1 && os.SameFile(homes[i], homes[i-1]) {
			t.Errorf("build %d: the changed index.html is the published one's inode", i)
		}
		if i >= 2 && !os.SameFile(homes[i], homes[i-2]) {
			t.Errorf("build %d: index.html is a new inode, not the one of build %d recycled", i, i-2)
		}
	}
}

// TestRewriteInPlaceReusesTheInode: a file changed on every build is
// staged, from the third build on, in the inode the recycled tree holds,
// truncated to its new bytes, and WriteID tells its new version.
func TestRewriteInPlaceReusesTheInode(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var infos []fs.FileInfo
	for i, data := range []string{"the first version, the longest", "second", "3"} {
		w, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		id, err := w.WriteID("page.html", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		staged, err := os.Lstat(filepath.Join(stagingOf(dest), "page.html"))
		if err != nil {
			t.Fatal(err)
		}
		if id != (FileID{Size: int64(len(data)), ModTime: staged.ModTime().UnixNano()}) {
			t.Errorf("build %d: WriteID = %+v, want size %d and the staged file's time", i, id, len(data))
		}
		if st, err := w.Commit(); err != nil || st != (Stats{Written: 1}) {
			t.Fatalf("build %d: %+v, %v", i, st, err)
		}
		info, err := os.Lstat(filepath.Join(dest, "page.html"))
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(info, staged) {
			t.Errorf("build %d: the published file is not the staged one", i)
		}
		infos = append(infos, info)
		if got, _ := os.ReadFile(filepath.Join(dest, "page.html")); string(got) != data {
			t.Errorf("build %d: published %q, want %q", i, got, data)
		}
	}
	if !os.SameFile(infos[2], infos[0]) {
		t.Error("build 3 did not recycle build 1's inode")
	}
	if os.SameFile(infos[1], infos[0]) {
		t.Error("build 2 wrote into the published file")
	}
}

// TestNeverWritesIntoSharedFiles: a staged file with another name, in
// the published site (an unchanged file) or anywhere else, is replaced,
// never written into.
func TestNeverWritesIntoSharedFiles(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	stage := stagingOf(dest)
	publishSite(t, dest, site{"index.html": "0", "a.html": "A"})
	publishSite(t, dest, site{"index.html": "1", "a.html": "A"})
	// The staging folder's a.html is the published one; index.html of
	// the published site gets a second name outside.
	outside := filepath.Join(root, "outside.html")
	if err := os.Link(filepath.Join(dest, "index.html"), outside); err != nil {
		t.Fatal(err)
	}
	h := holdAll(t, dest, site{"a.html": "A"})

	publishSite(t, dest, site{"index.html": "2", "a.html": "B"})
	checkHeld(t, "build 3", h)
	checkTree(t, "build 3, destination", dest, site{"index.html": "2", "a.html": "B"})
	checkTree(t, "build 3, staging folder", stage, site{"index.html": "1", "a.html": "A"})

	// The staging folder's index.html is the file linked outside.
	publishSite(t, dest, site{"index.html": "3", "a.html": "B"})
	if got, _ := os.ReadFile(outside); string(got) != "1" {
		t.Errorf("a file linked outside was written into: %q", got)
	}
	checkTree(t, "build 4, destination", dest, site{"index.html": "3", "a.html": "B"})
	checkTree(t, "build 4, staging folder", stage, site{"index.html": "2", "a.html": "B"})
}

// TestAbortThenRecycle: Abort leaves the destination as it was and the
// staging folder shut; the next publication recycles what it staged.
func TestAbortThenRecycle(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	stage := stagingOf(dest)

	// An abort before anything was published publishes nothing.
	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write("index.html", []byte("never")); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dest); !os.IsNotExist(err) {
		t.Errorf("an aborted first publication made %s: %v", dest, err)
	}
	checkMode(t, "staging folder after a first abort", stage, 0o700)

	v1 := site{"index.html": "home 1", "a/page.html": "A", "f.html": "F", "d/x.html": "X"}
	v2 := site{"index.html": "home 2", "a/page.html": "A", "f.html/index.html": "F folder", "d": "D file"}
	publishSite(t, dest, site{"index.html": "home 0", "a/page.html": "A", "old.html": "O"})
	publishSite(t, dest, v1)
	before := map[string]fs.FileInfo{}
	for rel := range v1 {
		before[rel], _ = os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
	}
	h := holdAll(t, dest, v1)

	w, err = Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"index.html", "f.html/index.html", "d", "a/page.html"} {
		if err := w.Write(rel, []byte(v2[rel]+" (aborted)")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	checkTree(t, "destination after abort", dest, v1)
	checkHeld(t, "abort", h)
	for rel, info := range before {
		after, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil || !os.SameFile(info, after) || !info.ModTime().Equal(after.ModTime()) {
			t.Errorf("abort touched the published %s", rel)
		}
	}
	checkMode(t, "staging folder after abort", stage, 0o700)
	checkMode(t, "destination after abort", dest, 0o755)

	if st := publishSite(t, dest, v2); st != (Stats{Written: 3, Unchanged: 1, Removed: 2}) {
		t.Errorf("stats after abort: %+v", st)
	}
	checkTree(t, "destination", dest, v2)
	checkTree(t, "staging folder", stage, v1)
	checkMode(t, "staging folder", stage, 0o700)
	checkHeld(t, "publication after abort", h)
}

// TestAbortShutsAnOpenedStagingFolder: a Commit that failed after
// opening the staging folder to everyone leaves it to Abort to shut.
func TestAbortShutsAnOpenedStagingFolder(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	publishSite(t, dest, site{"index.html": "0"})
	publishSite(t, dest, site{"index.html": "1"})
	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(w.stage, 0o755); err != nil { // as Commit does before the swap
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	checkMode(t, "staging folder", w.stage, 0o700)
	// And a crash leaving it open is shut by the next Begin.
	if err := os.Chmod(w.stage, 0o755); err != nil {
		t.Fatal(err)
	}
	if w, err = Begin(dest); err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	checkMode(t, "staging folder after Begin", w.stage, 0o700)
}

// TestSymlinksInStagingAreNotFollowed: symbolic links planted in the
// staging folder, in place of files, folders or the folder itself, are
// removed and never written or created through.
func TestSymlinksInStagingAreNotFollowed(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	stage := stagingOf(dest)
	outside := filepath.Join(root, "outside")
	outdir := filepath.Join(outside, "dir")
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		t.Fatal(err)
	}
	targets := site{"changed": "outside 1", "same": "outside 2", "keep": "outside 3", "extra": "outside 4", "dir/inside.html": "outside 5"}
	for rel, data := range targets {
		if err := os.WriteFile(filepath.Join(outside, rel), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	v0 := site{"index.html": "0", "same.html": "S", "keep.css": "K", "sub.html": "sub", "d/page.html": "P0", "extra.html": "E"}
	v1 := site{"index.html": "1", "same.html": "S", "keep.css": "K", "sub.html": "sub", "d/page.html": "P1", "extra.html": "E"}
	v2 := site{"index.html": "2", "same.html": "S", "keep.css": "K", "sub.html/x.html": "X", "d/page.html": "P2", "inside/inside.html": "I"}
	publishSite(t, dest, v0)
	publishSite(t, dest, v1)
	plant := map[string]string{
		"index.html":  filepath.Join(outside, "changed"), // changed: would be rewritten in place
		"same.html":   filepath.Join(outside, "same"),    // unchanged: would be linked
		"keep.css":    filepath.Join(outside, "keep"),    // kept
		"sub.html":    outdir,                            // a folder of the new site
		"inside":      outdir,                            // another
		"d/page.html": filepath.Join(outside, "changed"),
		"extra.html":  filepath.Join(outside, "extra"), // no longer part of the site
		"extradir":    outdir,
	}
	for rel, target := range plant {
		p := filepath.Join(stage, filepath.FromSlash(rel))
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	keepInfo, err := os.Lstat(filepath.Join(dest, "keep.css"))
	if err != nil {
		t.Fatal(err)
	}

	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range v2 {
		if rel == "keep.css" {
			if kept, err := w.Keep(rel, FileID{Size: keepInfo.Size(), ModTime: keepInfo.ModTime().UnixNano()}); err != nil || !kept {
				t.Fatalf("Keep: %v, %v", kept, err)
			}
			continue
		}
		if err := w.Write(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	checkTree(t, "outside", outside, targets)
	checkTree(t, "destination", dest, v2)
	checkTree(t, "staging folder", stage, v1)

	// The staging folder itself a link to a folder outside.
	if err := os.RemoveAll(stage); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outdir, stage); err != nil {
		t.Fatal(err)
	}
	v3 := site{"index.html": "3", "inside.html": "I3"}
	publishSite(t, dest, v3)
	checkTree(t, "outside", outside, targets)
	checkTree(t, "destination", dest, v3)
	checkMode(t, "staging folder", stage, 0o700)
	checkTree(t, "staging folder", stage, v2)
}

// TestFileAndFolderOfOnePathAreRefused: a path cannot be both a file and
// a folder of the site, whichever comes first.
func TestFileAndFolderOfOnePathAreRefused(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	publishSite(t, dest, site{"a/b": "folder a", "c": "file c"})
	publishSite(t, dest, site{"a": "file a", "c/d": "folder c"})
	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Write("a", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("a/b", []byte("b")); err == nil {
		t.Error("a/b staged in the file a")
	}
	if err := w.Write("c/d", []byte("d")); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("c", []byte("c")); err == nil {
		t.Error("c staged over the folder c")
	}
	if kept, err := w.Keep("c", FileID{}); kept {
		t.Errorf("c kept over the folder c: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(w.stage, "a")); string(got) != "a" {
		t.Errorf("staged a holds %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(w.stage, "c", "d")); string(got) != "d" {
		t.Errorf("staged c/d holds %q", got)
	}
}

// TestConcurrentWritesIntoARecycledTree stages from many goroutines
// into a recycled tree whose folders move between publications.
func TestConcurrentWritesIntoARecycledTree(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var prev site
	for build := range 4 {
		s := site{}
		for i := range 300 {
			rel := fmt.Sprintf("s%d/t%d/p%d.html", i%(5+build*3), i%7, i)
			if i%(build+2) == 0 {
				rel = fmt.Sprintf("s%d/p%d.html", i%11, i)
			}
			s[rel] = fmt.Sprintf("page %d", i)
			if i%3 == 0 {
				s[rel] += fmt.Sprintf(" of build %d", build)
			}
		}
		w, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		rels := slices.Collect(maps.Keys(s))
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for g := range 8 {
			wg.Go(func() {
				for i := g; i < len(rels); i += 8 {
					if err := w.Write(rels[i], []byte(s[rels[i]])); err != nil {
						errs[g] = err
						return
					}
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		checkTree(t, fmt.Sprintf("build %d, destination", build), dest, s)
		if prev != nil {
			checkTree(t, fmt.Sprintf("build %d, staging folder", build), stagingOf(dest), prev)
		}
		prev = s
	}
}
