package wordpress

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

func TestReimport(t *testing.T) {
	site := t.TempDir()
	// A file of the user's that has the slug of an imported post.
	mine := filepath.Join(site, "content/pages/a-propos.md")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	own := "---\ntitle: Mine\ndate: 2020-01-01\n---\n\nNot WordPress.\n"
	if err := os.WriteFile(mine, []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	_, first := importFile(t, "blog.xml", Options{Site: site})
	if first.Written != 18 {
		t.Fatalf("first import wrote %d files, want 18", first.Written)
	}
	if data, _ := os.ReadFile(mine); string(data) != own {
		t.Errorf("user's file rewritten:\n%s", data)
	}
	if !slices.ContainsFunc(first.Collisions, func(s string) bool { return strings.Contains(s, `"a-propos" is taken: written as a-propos-2`) }) {
		t.Errorf("collision with the user's page not reported: %v", first.Collisions)
	}
	if out := sitetest.Build(t, siteFS(t, site), build.Options{}); !strings.Contains(string(out.Files["a-propos-2/index.html"]), "Un jardin") {
		t.Errorf("renamed page not built")
	}

	_, again := importFile(t, "blog.xml", Options{Site: site})
	if again.Changed() || again.Unchanged != 18 || !strings.Contains(again.Summary(), "nothing new to write (18 files unchanged)") {
		t.Errorf("second import: %s", again.Summary())
	}

	edited := filepath.Join(site, "content/articles/semer-les-tomates.md")
	hand := []byte("---\ntitle: Edited by hand\ndate: 2024-03-09\n---\n")
	os.WriteFile(edited, hand, 0o644)
	gone := filepath.Join(site, "content/contributions/semer-les-tomates/wp-105.md")
	os.Remove(gone)
	_, third := importFile(t, "blog.xml", Options{Site: site})
	if !slices.Equal(third.Kept, []string{"content/articles/semer-les-tomates.md"}) || third.Changed() {
		t.Errorf("hand edit: kept %v, %s", third.Kept, third.Summary())
	}
	if !slices.Equal(third.Removed, []string{"content/contributions/semer-les-tomates/wp-105.md"}) {
		t.Errorf("deleted file: removed %v", third.Removed)
	}
	if data, _ := os.ReadFile(edited); string(data) != string(hand) {
		t.Errorf("hand-edited file overwritten without --force")
	}
	if _, err := os.Stat(gone); err == nil {
		t.Errorf("file deleted by hand written again without --force")
	}

	_, forced := importFile(t, "blog.xml", Options{Site: site, Force: true})
	if forced.Updated != 1 || forced.Written != 1 {
		t.Errorf("--force: %s", forced.Summary())
	}
	if data, _ := os.ReadFile(edited); !strings.Contains(string(data), "Semer les tomates") {
		t.Errorf("--force did not restore the import:\n%s", data)
	}
	if cfg, _ := os.ReadFile(filepath.Join(site, "foyer.yaml")); strings.Count(string(cfg), "title:") != 1 {
		t.Errorf("foyer.yaml keys repeated:\n%s", cfg)
	}
}

func TestConfigKeptAndCompleted(t *testing.T) {
	site := t.TempDir()
	orig := "# Mon foyer\ntitle: \"Déjà nommé\"   # gardé\n\npaginate: 5"
	os.WriteFile(filepath.Join(site, "foyer.yaml"), []byte(orig), 0o644)
	_, rep := importFile(t, "blog.xml", Options{Site: site})
	data, _ := os.ReadFile(filepath.Join(site, "foyer.yaml"))
	if !strings.HasPrefix(string(data), orig+"\n") || strings.Count(string(data), "title:") != 1 ||
		!strings.Contains(string(data), `base_url: "https://jardin.example.org/"`) || !slices.Equal(rep.Config, []string{"base_url", "language"}) {
		t.Errorf("foyer.yaml (added %v):\n%s", rep.Config, data)
	}
}
