package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

// moderateSite writes a small site with one article and contributions of
// every screening outcome, and returns its folder.
func moderateSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"foyer.yaml":                       "title: T\nmoderation:\n  blocked: [\"troll@example.com\"]\n",
		"content/members/amina.yaml":       "name: Amina\n",
		"content/articles/sujet.md":        "---\ntitle: Sujet\ndate: 2026-01-01\n---\nTexte.\n",
		"content/articles/invite.md":       "---\ntitle: Article invité\ndate: 2026-01-05\nauthor: amina\nstatus: pending\n---\nProposé par Amina.\n",
		"content/contributions/sujet/a.md": "---\nauthor: Zoé\nemail: zoe@example.org\ndate: 2026-01-02\nstatus: approved\n---\nPremier message de Zoé.\n",
		"content/contributions/sujet/b.md": "---\n# relu par personne\nauthor: Zoé\nemail: zoe@example.org\ndate: 2026-01-03\n---\nUn second message, sans statut.\n",
		"content/contributions/sujet/c.md": "---\nauthor: Inconnu\nemail: x@example.net\ndate: 2026-01-03\nstatus: pending\n---\nBonjour à toutes et à tous.\n",
		"content/contributions/sujet/d.md": "---\nauthor: Troll\nemail: troll@example.com\nip: 192.0.2.1\ndate: 2026-01-04\nstatus: pending\n---\nQuel connard, \x1b[31mcet auteur.\n",
		"content/contributions/sujet/e.md": "---\nmember: amina\ndate: 2026-01-04\nstatus: pending\n---\nMerci !\n",
	}
	sitetest.WriteDir(t, dir, files)
	return dir
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	code := RunEnv(context.Background(), env, args)
	return code, out.String(), errb.String()
}

type listed struct {
	ID      string   `json:"id"`
	Author  string   `json:"author"`
	Date    string   `json:"date"`
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
}

func listJSON(t *testing.T, dir string) map[string]listed {
	t.Helper()
	code, out, errs := runCLI(t, "moderate", "list", "-s", dir, "--json")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errs)
	}
	got := make(map[string]listed)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var l listed
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		got[l.ID] = l
	}
	return got
}

func TestModerateList(t *testing.T) {
	dir := moderateSite(t)
	got := listJSON(t, dir)
	want := map[string]string{"invite": "approve", "sujet/b": "approve", "sujet/c": "hold", "sujet/d": "spam", "sujet/e": "approve"}
	if len(got) != len(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	for id, v := range want {
		if got[id].Verdict != v {
			t.Errorf("%s: verdict %q %v, want %q", id, got[id].Verdict, got[id].Reasons, v)
		}
	}
	if d := got["sujet/d"]; strings.Join(d.Reasons, ",") != "blocked_author,banned_word,first_time_author" {
		t.Errorf("sujet/d reasons %v", d.Reasons)
	}
	code, out, _ := runCLI(t, "moderate", "list", "-s", dir)
	if code != 0 || !strings.Contains(out, "sujet/c\tInconnu\t2026-01-03 00:00\thold (first_time_author)\tBonjour à toutes et à tous.") {
		t.Errorf("text list: exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, "troll@example.com") || strings.Contains(out, "192.0.2.1") {
		t.Errorf("text list leaks a terminal escape or private data:\n%q", out)
	}
}

func TestModerateSetChangesOnlyStatus(t *testing.T) {
	dir := moderateSite(t)
	path := filepath.Join(dir, "content/contributions/sujet/b.md")
	code, _, errs := runCLI(t, "moderate", "approve", "-s", dir, "sujet/b", "invite")
	if code != 0 {
		t.Fatalf("approve: exit %d: %s", code, errs)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "---\n# relu par personne\nauthor: Zoé\nemail: zoe@example.org\ndate: 2026-01-03\nstatus: approved\n---\nUn second message, sans statut.\n" {
		t.Errorf("b.md after approve:\n%s", data)
	}
	art, _ := os.ReadFile(filepath.Join(dir, "content/articles/invite.md"))
	if !strings.Contains(string(art), "\nstatus: approved\n") {
		t.Errorf("guest article not approved:\n%s", art)
	}
	code, _, errs = runCLI(t, "moderate", "reject", "-s", dir, "sujet/nope")
	if code != 1 || !strings.Contains(errs, "sujet/nope") {
		t.Errorf("unknown id: exit %d, stderr %q", code, errs)
	}
	for _, args := range [][]string{{"moderate", "spam", "-s", dir}, {"moderate", "spam", "-s", dir, "--all-flagged", "sujet/c"}, {"moderate", "delete", "x"}, {"moderate"}} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestModerateAllFlaggedAndScreen(t *testing.T) {
	dir := moderateSite(t)
	if code, out, errs := runCLI(t, "moderate", "spam", "-s", dir, "--all-flagged"); code != 0 || !strings.Contains(out, "sujet/d\tspam") || strings.Contains(out, "sujet/c") {
		t.Fatalf("spam --all-flagged: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := runCLI(t, "moderate", "screen", "-s", dir)
	if code != 0 {
		t.Fatalf("screen: exit %d: %s", code, errs)
	}
	// Known authors with clean text are approved (auto_approve: known);
	// the first-timer waits; guest articles always wait.
	got := listJSON(t, dir)
	if _, ok := got["sujet/c"]; !ok || len(got) != 2 || got["invite"].ID == "" {
		t.Errorf("after screen, pending = %v\n%s", got, out)
	}
	for _, f := range []string{"a", "b", "c", "d", "e"} {
		if _, err := os.Stat(filepath.Join(dir, "content/contributions/sujet", f+".md")); err != nil {
			t.Errorf("moderation removed a file: %v", err)
		}
	}
}
