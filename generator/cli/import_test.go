package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportWordPress(t *testing.T) {
	site := t.TempDir()
	export, _ := filepath.Abs("../wordpress/testdata/blog.xml")
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
		code := RunEnv(context.Background(), env, args)
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run("import", "wordpress", "-s", site, export)
	if code != 0 || !strings.Contains(out, "Imported ") || !strings.Contains(out, "5 articles, 2 pages, 2 members, 9 contributions: 18 files written") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "importing blog.xml") {
		t.Errorf("progress bar drawn off a terminal:\n%q", out)
	}
	if !strings.Contains(errOut, `warning: `+export+`:`) {
		t.Errorf("warnings without position:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "content/articles/semer-les-tomates.md")); err != nil {
		t.Error(err)
	}
	code, out, _ = run("import", "wordpress", "-s", site, export)
	if code != 0 || !strings.Contains(out, "nothing new to write") {
		t.Errorf("re-import: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"import"}, {"import", "joomla", "x.xml"}, {"import", "wordpress"}, {"import", "wordpress", "--nope", "x.xml"}} {
		if code, _, _ := run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte("<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>x"), 0o644)
	if code, _, errOut := run("import", "wordpress", "-s", t.TempDir(), bad); code != 1 || !strings.Contains(errOut, "bad.xml:1:") {
		t.Errorf("truncated export: exit %d\n%s", code, errOut)
	}
}
