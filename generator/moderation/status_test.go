package moderation

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestWithStatus(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"replace", "---\nauthor: A\nstatus: pending\ndate: 2026-01-02\n---\nTexte\nstatus: pending\n",
			"---\nauthor: A\nstatus: approved\ndate: 2026-01-02\n---\nTexte\nstatus: pending\n"},
		{"keep quotes and comment", "---\n# set by intake\nstatus:   \"pending\"   # à revoir\ndate: 2026-01-02\n---\n",
			"---\n# set by intake\nstatus:   \"approved\"   # à revoir\ndate: 2026-01-02\n---\n"},
		{"single quotes", "---\nstatus: 'pending'\n---\n", "---\nstatus: 'approved'\n---\n"},
		{"crlf", "---\r\nauthor: A\r\nstatus: pending\r\n---\r\nTexte\r\n", "---\r\nauthor: A\r\nstatus: approved\r\n---\r\nTexte\r\n"},
		{"insert after last field", "---\nauthor: A\ndate: 2026-01-02\n\n# fin\n---\nTexte\n",
			"---\nauthor: A\ndate: 2026-01-02\nstatus: approved\n\n# fin\n---\nTexte\n"},
		{"insert after block scalar", "---\nauthor: A\nnote: |\n  status: pending\n  ligne\n---\n",
			"---\nauthor: A\nnote: |\n  status: pending\n  ligne\nstatus: approved\n---\n"},
		{"insert crlf", "---\r\nauthor: A\r\n---\r\n", "---\r\nauthor: A\r\nstatus: approved\r\n---\r\n"},
		{"empty front matter", "---\n---\nTexte", "---\nstatus: approved\n---\nTexte"},
		{"nested key untouched", "---\nextra:\n  status: pending\n---\n", "---\nextra:\n  status: pending\nstatus: approved\n---\n"},
		{"bom", "\ufeff---\nstatus: pending\n---\n", "\ufeff---\nstatus: approved\n---\n"},
		{"empty value", "---\nstatus:\nauthor: A\n---\n", "---\nstatus: approved\nauthor: A\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := withStatus([]byte(tt.in), "approved")
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestWithStatusRejectsFilesWithoutFrontMatter(t *testing.T) {
	for _, in := range []string{"", "Texte seul\n", "---\nauthor: A\n", "status: pending\n"} {
		if _, err := withStatus([]byte(in), "spam"); !errors.Is(err, ErrNoFrontMatter) {
			t.Errorf("%q: got %v, want ErrNoFrontMatter", in, err)
		}
	}
}

func TestSetStatusFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c-1.md")
	orig := "---\nauthor: \"Zoé\"\nemail: z@example.org\ndate: 2026-01-02\nstatus: pending # intake\n---\n\nBonjour <b>!</b>\n"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := SetStatus(path, "spam"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "---\nauthor: \"Zoé\"\nemail: z@example.org\ndate: 2026-01-02\nstatus: spam # intake\n---\n\nBonjour <b>!</b>\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	if err := SetStatus(path, "deleted"); err == nil {
		t.Error("SetStatus accepted status deleted")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left %d files in the folder, want only the contribution", len(entries))
	}
}

// Moderators acting on one file at once each leave it whole: the file
// always parses with one of the statuses and its text intact.
func TestSetStatusConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c-1.md")
	if err := os.WriteFile(path, []byte("---\ndate: 2026-01-02\n---\nTexte\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if err := SetStatus(path, []string{"approved", "spam"}[i%2]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, _ := os.ReadFile(path)
	if s := string(got); s != "---\ndate: 2026-01-02\nstatus: approved\n---\nTexte\n" && s != "---\ndate: 2026-01-02\nstatus: spam\n---\nTexte\n" {
		t.Errorf("file after concurrent edits: %q", got)
	}
}
