package publish

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPublishSwapsAtomicallyAndKeepsIdenticalFiles(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	w, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range map[string]string{"index.html": "home", "a/index.html": "a", "gone.html": "old"} {
		if err := w.Write(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	infoBefore, _ := os.Stat(filepath.Join(dest, "a", "index.html"))

	// A build killed halfway leaves its staging folder; the site is whole.
	killed, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := killed.Write("index.html", []byte("half")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(got) != "home" {
		t.Fatalf("site changed before commit: %q", got)
	}

	// The next build recycles the leftover staging folder.
	w, err = Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range map[string]string{"index.html": "home v2", "a/index.html": "a"} {
		if err := w.Write(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Written: 1, Unchanged: 1, Removed: 1}) {
		t.Errorf("stats %+v", st)
	}
	infoAfter, _ := os.Stat(filepath.Join(dest, "a", "index.html"))
	if !os.SameFile(infoBefore, infoAfter) {
		t.Error("an identical file was rewritten")
	}
	if _, err := os.Stat(filepath.Join(dest, "gone.html")); !os.IsNotExist(err) {
		t.Error("a file no longer built is still published")
	}
	// The replaced site waits in the staging folder for the next Begin,
	// shut to other users.
	stage := filepath.Join(root, ".public"+stageSuffix)
	if info, err := os.Stat(stage); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("staging folder after commit: %v, %v; want mode 0700", info.Mode(), err)
	}
	if got, _ := os.ReadFile(filepath.Join(stage, "index.html")); string(got) != "home" {
		t.Errorf("staging folder after commit holds index.html %q, want the replaced site's", got)
	}
	w, err = Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	// Abort leaves the staging folder, shut, for the next Begin to
	// recycle, and nothing else.
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("beside public/: %v; want the staging folder only", entries)
	}
	if info, err := os.Stat(stage); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("staging folder after abort: %v, %v; want mode 0700", info.Mode(), err)
	}
}

func TestRefusesPathsOutsideDest(t *testing.T) {
	w, err := Begin(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range []string{"../evil", "/abs", "a/../../b", "", "a//b"} {
		if err := w.Write(rel, []byte("x")); err == nil {
			t.Errorf("Write(%q) accepted", rel)
		}
	}
	if err := w.Write("ok.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("ok.html", []byte("y")); err == nil {
		t.Error("two files for one path accepted")
	}
}
