package build_test

import (
	"context"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

// repoRoot is the demo hub: the repository itself is a site.
const repoRoot = "../.."

// TestDemoPagesPassTidy builds the demo hub as a newcomer would and runs
// Debian's tidy on every page: no errors allowed (warnings about
// attributes newer than tidy's HTML tables are fine).
func TestDemoPagesPassTidy(t *testing.T) {
	tidy := sitetest.NeedTool(t, "tidy", "tidy")
	dest := t.TempDir()
	res, err := build.Build(context.Background(), build.Options{Site: repoRoot, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("demo warning: %v", w)
	}
	if len(res.Site.Articles) < 6 || len(res.Site.Members) < 3 || len(res.Site.Pages) < 1 {
		t.Errorf("demo too small: %d articles, %d members, %d pages", len(res.Site.Articles), len(res.Site.Members), len(res.Site.Pages))
	}
	pages := 0
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		out, _ := exec.Command(tidy, "-q", "-e", "-utf8", p).CombinedOutput()
		for _, line := range strings.Split(string(out), "\n") {
			if strings.Contains(line, "Error:") {
				rel, _ := filepath.Rel(dest, p)
				t.Errorf("%s: %s", rel, line)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 30 {
		t.Errorf("only %d pages checked", pages)
	}
}
