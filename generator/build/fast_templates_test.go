package build_test

import (
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"testing"
	"testing/fstest"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

// TestFastTemplatesMatchText builds the demo hub, the test hub and a
// generated one with the theme's fast executor and with text/template's
// alone (FOYER_TEMPLATES=text), and wants the same bytes in every file;
// the fast executor must have run every layout it was given after the
// first execution, without refusing one or giving up.
func TestFastTemplatesMatchText(t *testing.T) {
	demo := fstest.MapFS{}
	for _, dir := range []string{"content", "foyer.yaml"} {
		if err := copyInto(demo, os.DirFS(repoRoot), dir); err != nil {
			t.Fatal(err)
		}
	}
	sites := map[string]fstest.MapFS{
		"demo":  demo,
		"hub":   sitetest.Load(t, "hub"),
		"synth": synth.MapFS(synth.Options{Articles: 150, Contributions: 900, Members: 40}),
	}
	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			t.Setenv("FOYER_TEMPLATES", "text")
			want := sitetest.Build(t, fsys, build.Options{})
			t.Setenv("FOYER_TEMPLATES", "")
			// One renderer, so that every article page after the first
			// runs on the program the first one compiled: with more, on a
			// hub of a few articles, the others could all start on
			// text/template before the program was ready.
			procs := runtime.GOMAXPROCS(1)
			t.Cleanup(func() { runtime.GOMAXPROCS(procs) })
			got := sitetest.Build(t, fsys, build.Options{})
			if len(got.Files) != len(want.Files) {
				t.Errorf("%d files, text/template made %d", len(got.Files), len(want.Files))
			}
			for _, p := range want.Paths() {
				if g, w := string(got.Files[p]), string(want.Files[p]); g != w {
					t.Errorf("%s differs from text/template's:\n%s", p, firstDifference(g, w))
				}
			}
			stats := got.Model.Theme.FastStats()
			for name, st := range stats {
				if st.Refused != "" || st.GaveUp > 0 {
					t.Errorf("%s: %+v", name, st)
				}
			}
			if st := stats["article"]; st.Ran == 0 {
				t.Errorf("the fast executor ran no article page: %+v", stats)
			}
		})
	}
}

// copyInto copies the file or folder name of src into dst.
func copyInto(dst fstest.MapFS, src fs.FS, name string) error {
	return fs.WalkDir(src, name, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		dst[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
}

// firstDifference shows where two texts part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("got  …%q…\nwant …%q…", got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}
