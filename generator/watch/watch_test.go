package watch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/watch"
)

// harness runs Watch on a temp site and collects its change sets.
type harness struct {
	root string
	sets chan []string
}

func start(t *testing.T) *harness {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"content/articles", "layouts", "public", "static/css"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h := &harness{root: root, sets: make(chan []string, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- watch.Watch(ctx, watch.Options{
			Root: root, Debounce: 150 * time.Millisecond,
			Started: func() { close(started) },
			Errors:  func(err error) { t.Errorf("watch error: %v", err) },
		}, func(set []string) { h.sets <- set })
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("watch stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("watch: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("watch did not stop after cancel")
		}
	})
	return h
}

func (h *harness) path(rel string) string { return filepath.Join(h.root, filepath.FromSlash(rel)) }

func (h *harness) write(t *testing.T, rel, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(h.path(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.path(rel), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// next waits for the next change set.
func (h *harness) next(t *testing.T) []string {
	t.Helper()
	select {
	case set := <-h.sets:
		return set
	case <-time.After(10 * time.Second):
		t.Fatal("no change set within 10s")
		return nil
	}
}

// expect waits for the next change set and compares it with want.
func (h *harness) expect(t *testing.T, want ...string) {
	t.Helper()
	got := h.next(t)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("change set %q, want %q", got, want)
	}
}

// sentinel proves no other change set came before it: sets arrive in
// order, so the next one must be exactly the sentinel's.
func (h *harness) sentinel(t *testing.T) {
	t.Helper()
	h.write(t, "content/sentinel.md", time.Now().String())
	h.expect(t, "content/sentinel.md")
}

func TestWriteInPlace(t *testing.T) {
	h := start(t)
	h.write(t, "content/articles/a.md", "one")
	h.expect(t, "content/articles/a.md")
	f, err := os.OpenFile(h.path("content/articles/a.md"), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Truncate, then write in two pieces: one save, one set.
	fmt.Fprint(f, "two ")
	fmt.Fprint(f, "parts")
	f.Close()
	h.expect(t, "content/articles/a.md")
	h.sentinel(t)
}

func TestAtomicSaveByRename(t *testing.T) {
	h := start(t)
	h.write(t, "content/articles/a.md", "one")
	h.expect(t, "content/articles/a.md")
	// Vim: write test file 4913, a backup, a swap file; then the editor
	// writes a temp file and renames it over the original.
	h.write(t, "content/articles/4913", "")
	os.Remove(h.path("content/articles/4913"))
	h.write(t, "content/articles/.a.md.swp", "swap")
	h.write(t, "content/articles/a.md~", "backup")
	h.write(t, "content/articles/.a.md.tmp-123", "new")
	if err := os.Rename(h.path("content/articles/.a.md.tmp-123"), h.path("content/articles/a.md")); err != nil {
		t.Fatal(err)
	}
	h.expect(t, "content/articles/a.md")
	h.sentinel(t)
}

func TestDeleteAndRecreate(t *testing.T) {
	h := start(t)
	h.write(t, "content/articles/a.md", "one")
	h.expect(t, "content/articles/a.md")
	os.Remove(h.path("content/articles/a.md"))
	h.write(t, "content/articles/a.md", "two")
	h.expect(t, "content/articles/a.md")
	h.sentinel(t)
}

func TestRenameFile(t *testing.T) {
	h := start(t)
	h.write(t, "content/articles/a.md", "one")
	h.expect(t, "content/articles/a.md")
	if err := os.Rename(h.path("content/articles/a.md"), h.path("content/articles/b.md")); err != nil {
		t.Fatal(err)
	}
	h.expect(t, "content/articles/a.md", "content/articles/b.md")
}

func TestBurstIsOneSet(t *testing.T) {
	h := start(t)
	var want []string
	for i := range 200 {
		rel := fmt.Sprintf("content/articles/lot/%03d.md", i)
		h.write(t, rel, "x")
		want = append(want, rel)
	}
	got := h.next(t)
	for _, w := range append(want, "content/articles/lot") {
		if !slices.Contains(got, w) {
			t.Errorf("burst set lacks %s", w)
		}
	}
	if len(got) != len(want)+1 {
		t.Errorf("burst set has %d paths, want %d", len(got), len(want)+1)
	}
	h.sentinel(t)
}

func TestNewFoldersAreWatched(t *testing.T) {
	h := start(t)
	if err := os.MkdirAll(h.path("content/articles/2027/06"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.write(t, "content/articles/2027/06/a.md", "one")
	got := h.next(t)
	if !slices.Contains(got, "content/articles/2027/06/a.md") {
		t.Fatalf("set %q lacks the file written into a new folder", got)
	}
	h.write(t, "content/articles/2027/06/a.md", "two")
	h.expect(t, "content/articles/2027/06/a.md")
	// A top-level folder created after start: i18n/.
	if err := os.Mkdir(h.path("i18n"), 0o755); err != nil {
		t.Fatal(err)
	}
	h.expect(t, "i18n")
	h.write(t, "i18n/fr.yaml", "a: b")
	h.expect(t, "i18n/fr.yaml")
}

func TestRenamedFolderFollowsNewName(t *testing.T) {
	h := start(t)
	h.write(t, "content/articles/old/a.md", "one")
	h.next(t)
	if err := os.Rename(h.path("content/articles/old"), h.path("content/articles/new")); err != nil {
		t.Fatal(err)
	}
	got := h.next(t)
	for _, w := range []string{"content/articles/old", "content/articles/new", "content/articles/new/a.md"} {
		if !slices.Contains(got, w) {
			t.Errorf("set %q lacks %s", got, w)
		}
	}
	h.write(t, "content/articles/new/a.md", "two")
	h.expect(t, "content/articles/new/a.md")
}

func TestIgnoresOutputAndNoise(t *testing.T) {
	h := start(t)
	h.write(t, "public/index.html", "built")
	h.write(t, "README.md", "not the site")
	h.write(t, "content/.git/HEAD", "ref")
	h.write(t, "content/articles/#a.md#", "emacs")
	h.write(t, "content/articles/.#a.md", "emacs lock")
	h.write(t, "foyer.yaml", "title: x")
	h.expect(t, "foyer.yaml")
	h.sentinel(t)
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": false, "fr.yaml": false, "style.css": false, "4913.md": false,
		".a.md.swp": true, "a.md~": true, "4913": true, ".#a.md": true, "#a.md#": true,
		".DS_Store": true, "a.md.tmp": true, "a.md___jb_tmp___": true, "": true,
	} {
		if got := watch.Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestStopLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	started := make(chan struct{})
	go func() {
		done <- watch.Watch(ctx, watch.Options{Root: t.TempDir(), Started: func() { close(started) }}, func([]string) {})
	}()
	<-started
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after stop, %d before:\n%s", runtime.NumGoroutine(), before, strings.TrimSpace(string(buf[:runtime.Stack(buf, true)])))
		}
		runtime.Gosched()
	}
}

func TestMissingRoot(t *testing.T) {
	err := watch.Watch(context.Background(), watch.Options{Root: filepath.Join(t.TempDir(), "nope")}, func([]string) {})
	if err == nil {
		t.Fatal("watching a missing folder succeeded")
	}
}
