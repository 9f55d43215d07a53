package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	code = RunEnv(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	if code, _, stderr := run(t); code != 2 || !strings.Contains(stderr, "usage: foyer COMMAND") {
		t.Errorf("no args: %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
	if code, _, stderr := run(t, "build", "--no-such-flag"); code != 2 || !strings.Contains(stderr, "flag provided but not defined") {
		t.Errorf("bad flag: %d %q", code, stderr)
	}
	if code, stdout, _ := run(t, "help"); code != 0 || !strings.Contains(stdout, "build") {
		t.Errorf("help: %d %q", code, stdout)
	}
	if code, stdout, _ := run(t, "help", "build"); code != 0 || !strings.Contains(stdout, "-base-url") {
		t.Errorf("help build: %d %q", code, stdout)
	}
	if code, stdout, _ := run(t, "version"); code != 0 || !strings.HasPrefix(stdout, "foyer ") {
		t.Errorf("version: %d %q", code, stdout)
	}
}

func TestNewSiteThenBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mon-foyer")
	if code, _, stderr := run(t, "new", "site", dir); code != 0 {
		t.Fatalf("new site: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "new", "article", "-s", dir, "Écrire : la suite !"); code != 0 {
		t.Fatalf("new article: %d %s", code, stderr)
	}
	article := filepath.Join(dir, "content", "articles", "ecrire-la-suite.md")
	data, err := os.ReadFile(article)
	if err != nil || !strings.Contains(string(data), `title: "Écrire : la suite !"`) || !strings.Contains(string(data), "draft: true") {
		t.Fatalf("new article file: %v %q", err, data)
	}
	// foyer new never overwrites.
	if code, _, stderr := run(t, "new", "article", "-s", dir, "Écrire : la suite !"); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second new article: %d %q", code, stderr)
	}
	code, stdout, stderr := run(t, "build", "-s", dir, "-v")
	if code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	if !strings.Contains(stdout, "Built 1 articles") || !strings.Contains(stdout, "render ") ||
		!strings.Contains(stdout, " into "+filepath.Join(dir, "public")+" in ") {
		t.Errorf("build output: %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "articles", "bienvenue", "index.html")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "articles", "ecrire-la-suite")); !os.IsNotExist(err) {
		t.Error("a draft was published")
	}
	code, stdout, _ = run(t, "build", "-s", dir, "--drafts")
	if code != 0 || !strings.Contains(stdout, "Built 2 articles") {
		t.Errorf("build --drafts: %d %q", code, stdout)
	}
}

func TestBuildErrorsExitOne(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content", "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "articles", "x.md"), []byte("---\ntitle: X\ndate: 2012-13-45\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "foyer.yaml"), []byte("colour: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "build", "-s", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		`warning: foyer.yaml:1:1: unknown key "colour" ignored`,
		"content/articles/x.md:3:7: front matter: date:",
		"the previous site, if any, is untouched",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("a failed build wrote public/")
	}
}

// TestBuildProfiles checks that --cpuprofile, --memprofile and --trace
// each write their file: pprof's gzip-compressed profiles and a Go
// execution trace, whose header names the trace format.
func TestBuildProfiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run(t, "new", "site", dir); code != 0 {
		t.Fatalf("new site: %d %s", code, stderr)
	}
	out := t.TempDir()
	cpu, mem, tr := filepath.Join(out, "cpu.pprof"), filepath.Join(out, "mem.pprof"), filepath.Join(out, "build.trace")
	if code, _, stderr := run(t, "build", "-s", dir, "--cpuprofile", cpu, "--memprofile", mem, "--trace", tr); code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	for _, p := range []string{cpu, mem} {
		if data, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: %v, %d bytes, not gzip-compressed", p, err, len(data))
		}
	}
	if data, err := os.ReadFile(tr); err != nil || len(data) < 16 || !bytes.HasPrefix(data, []byte("go 1.")) || !bytes.Contains(data[:16], []byte(" trace\x00")) {
		t.Errorf("%s: %v, does not start as a Go execution trace: %q", tr, err, data[:min(len(data), 16)])
	}
	missing := filepath.Join(out, "absent", "build.trace")
	if code, _, stderr := run(t, "build", "-s", dir, "--trace", missing); code != 1 || !strings.Contains(stderr, missing) {
		t.Errorf("trace into a missing folder: %d %q", code, stderr)
	}
}
