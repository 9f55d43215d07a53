package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A run moves what earlier runs left (their bins, interrupted or not,
// and the last site) into its own bin, and deletes it only at the end.
func TestBinTakesOverLeftovers(t *testing.T) {
	work := filepath.Join(t.TempDir(), "run[1]") // not a pattern
	for _, d := range []string{"trash/1/page", "trash.left-5/2", "site/content"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	b := &bin{dir: filepath.Join(work, "trash")}
	if err := b.takeOver(); err != nil {
		t.Fatal(err)
	}
	if err := b.put(filepath.Join(work, "site")); err != nil {
		t.Fatal(err)
	}
	if err := b.put(filepath.Join(work, "absent")); err != nil {
		t.Fatal(err)
	}
	names := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range entries {
			n = append(n, e.Name())
		}
		return n
	}
	if got := names(work); !slices.Equal(got, []string{"trash"}) {
		t.Fatalf("work folder holds %v, want only the bin", got)
	}
	if got := names(b.dir); len(got) != 3 {
		t.Fatalf("bin holds %v, want the old bin, the interrupted one and the site", got)
	}
	b.empty()
	if got := names(work); len(got) != 0 {
		t.Fatalf("after empty, work folder holds %v", got)
	}
}
