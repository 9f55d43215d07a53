package intake

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
)

func buildSite(t *testing.T, dir string) func(rel string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(context.Background(), build.Options{Site: dir, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	return func(rel string) string {
		data, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
}

// TestPostedCommentBuildsSafely posts hostile payloads, builds the
// site, and checks what a reader gets: escaped text, no address.
func TestPostedCommentBuildsSafely(t *testing.T) {
	ts := start(t, "", "moderation:\n  auto_approve: always\n  max_links: 5\n")
	body := `{"article":"bonjour","author":"<img src=x onerror=alert(1)>","email":"secret.author@example.org",` +
		`"body":"Bonjour <script>alert('xss')</script> [clic](javascript:alert(2)) et <iframe src=//evil.example>"}`
	resp := ts.post(t, "/_foyer/comment", "application/json", body, "Accept", "application/json")
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 202 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if got["status"] != "approved" {
		t.Fatalf("status %q: the test needs a published comment", got["status"])
	}
	read := buildSite(t, ts.Dir)
	page := read("articles/bonjour/index.html")
	if !strings.Contains(page, "Bonjour") || !strings.Contains(page, `id="c-`+got["id"]+`"`) {
		t.Fatal("the posted comment is not on the page")
	}
	for _, bad := range []string{"<script>alert", "javascript:alert", "<iframe", "<img src=x", "secret.author@example.org", "127.0.0.1"} {
		// The intake's own URL is on 127.0.0.1 too: the commenter's
		// recorded address must not appear anywhere else.
		if strings.Contains(strings.ReplaceAll(page, ts.URL, ""), bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// The form posts to the intake, with the article and the honeypot.
	for _, want := range []string{`action="` + ts.URL + `/_foyer/comment"`, `name="article" value="bonjour"`, `name="homepage"`, `name="reply_to"`} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
	if home := read("index.html"); !strings.Contains(home, `action="`+ts.URL+`/_foyer/subscribe"`) {
		t.Error("no subscribe form on the home page")
	}
}

func TestFormsLeftOutWithoutIntakeURL(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, "")
	read := buildSite(t, dir)
	for _, rel := range []string{"articles/bonjour/index.html", "index.html"} {
		page := read(rel)
		if strings.Contains(page, "<form") && strings.Contains(page, "_foyer") || strings.Contains(page, `name="homepage"`) {
			t.Errorf("%s has an intake form without intake.url", rel)
		}
	}
}
