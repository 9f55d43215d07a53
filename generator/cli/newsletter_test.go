package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

func newsletterSiteDir(t *testing.T, articleDate time.Time) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"foyer.yaml":               "title: \"Le Foyer\"\nbase_url: \"https://hub.example.org/\"\nlanguage: fr\nnewsletter:\n  from: \"Le Foyer <lettre@hub.example.org>\"\n  subscribers: subscribers.csv\n  smtp: {host: 127.0.0.1, port: 1, tls: none}\n",
		"content/articles/neuf.md": "---\ntitle: \"Article neuf\"\ndate: " + articleDate.Format(time.RFC3339) + "\n---\n\nCorps.\n",
		"subscribers.csv":          "email,name\nalice@example.org,Alice\nbob@example.org,Bob\n",
	}
	sitetest.WriteDir(t, dir, files)
	return dir
}

func runNL(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Getenv: func(k string) string {
		if k == "FOYER_SECRET" {
			return "a test secret"
		}
		return ""
	}}
	code := RunEnv(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestNewsletterCommands(t *testing.T) {
	dir := newsletterSiteDir(t, time.Now().Add(-24*time.Hour))
	if code, _, stderr := runNL(t, "", "newsletter"); code != 2 || !strings.Contains(stderr, "expected preview, send or unsubscribe") {
		t.Errorf("no subcommand: %d %q", code, stderr)
	}
	// Standard input is not a terminal: refuse without --yes, send nothing.
	code, _, stderr := runNL(t, "y\n", "newsletter", "send", "-s", dir)
	if code != 2 || !strings.Contains(stderr, "add --yes") {
		t.Errorf("send without --yes: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, ".foyer/newsletter/state.json")); err == nil {
		t.Error("a refused send recorded state")
	}
	code, stdout, stderr := runNL(t, "", "newsletter", "preview", "-s", dir, "-o", filepath.Join(dir, "out"))
	if code != 0 || !strings.Contains(stdout, "1 articles, 2 recipients") {
		t.Fatalf("preview: %d %q %q", code, stdout, stderr)
	}
	eml, err := os.ReadFile(filepath.Join(dir, "out/issue-1-1.eml"))
	if err != nil || !bytes.Contains(eml, []byte("List-Unsubscribe-Post: List-Unsubscribe=One-Click")) || !bytes.Contains(eml, []byte("alice@example.org")) {
		t.Errorf("preview .eml: %v\n%s", err, eml)
	}
	if html, err := os.ReadFile(filepath.Join(dir, "out/preview.html")); err != nil || !bytes.Contains(html, []byte("Article neuf")) {
		t.Errorf("preview.html: %v", err)
	}
	code, stdout, stderr = runNL(t, "", "newsletter", "unsubscribe", "-s", dir, "BOB@example.org", "nobody@example.org")
	if code != 1 || !strings.Contains(stdout, "Unsubscribed 1 of 2") || !strings.Contains(stderr, "nobody@example.org") {
		t.Errorf("unsubscribe: %d %q %q", code, stdout, stderr)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "subscribers.csv"))
	if !strings.Contains(string(csv), "bob@example.org,Bob,unsubscribed") || !strings.Contains(string(csv), "alice@example.org,Alice") {
		t.Errorf("subscribers after unsubscribe:\n%s", csv)
	}

	// Nothing new: exit 0 with a message.
	old := newsletterSiteDir(t, time.Now().Add(-90*24*time.Hour))
	code, stdout, _ = runNL(t, "", "newsletter", "send", "-s", old, "--yes")
	if code != 0 || !strings.Contains(stdout, "Nothing new") {
		t.Errorf("nothing new: %d %q", code, stdout)
	}
}
