package subscribers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestParseReportsAndKeepsBadRows(t *testing.T) {
	in := "Email,Name,Status,city\nann@example.org,Ann,,Lyon\nbad-address,X,,\nANN@example.org,Dup,,\nbob@example.org,Bob,unsubscribed,Nantes\nzed@example.org,Zed,weird,\n"
	l, problems, err := Parse("subscribers.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Subscribers) != 2 || len(l.Active()) != 1 || l.Active()[0].Attrs["city"] != "Lyon" {
		t.Fatalf("subscribers: %+v", l.Subscribers)
	}
	want := []string{"subscribers.csv:3: email \"bad-address\"", "subscribers.csv:4: email \"ANN@example.org\" already on line 2", "subscribers.csv:6: status \"weird\""}
	if len(problems) != len(want) {
		t.Fatalf("problems: %v", problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i].Error(), w) {
			t.Errorf("problem %d = %q, want prefix %q", i, problems[i], w)
		}
	}
	out, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "bad-address") || !strings.Contains(string(out), "ANN@example.org,Dup") {
		t.Errorf("skipped rows must stay in the file:\n%s", out)
	}
}

func TestValidEmailRefusesInjection(t *testing.T) {
	for _, bad := range []string{"a@b.org\r\nBcc: x@y.org", "Ann <a@b.org>", "a@b", "", "a b@c.org", "a@b.org,c@d.org"} {
		if ValidEmail(bad) == nil {
			t.Errorf("ValidEmail(%q) accepted", bad)
		}
	}
	if err := ValidEmail("léa.o'neil+news@exemple.fr"); err != nil {
		t.Errorf("valid address refused: %v", err)
	}
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subscribers.csv")
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			err := Update(context.Background(), path, func(l *List) error {
				_, err := l.Add(fmt.Sprintf("user%03d@example.org", i), "", Pending)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	l, problems, err := Read(path)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	if len(l.Subscribers) != 200 {
		t.Fatalf("have %d subscribers, want 200", len(l.Subscribers))
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("subscribers file mode %v, want 0600 (private data)", info.Mode().Perm())
	}
}

func TestTokens(t *testing.T) {
	secret := []byte("test-secret")
	l, _, _ := Parse("s.csv", strings.NewReader("email\nann@example.org\nbob@example.org\n"))
	tok := Token(secret, "unsubscribe", "Ann@Example.org")
	if strings.Contains(tok, "ann") || len(tok) != 24 {
		t.Errorf("token %q", tok)
	}
	if s := l.ByToken(secret, "unsubscribe", tok); s == nil || s.Email != "ann@example.org" {
		t.Errorf("ByToken = %v", s)
	}
	if l.ByToken(secret, "confirm", tok) != nil || l.ByToken([]byte("other"), "unsubscribe", tok) != nil {
		t.Error("token accepted for another purpose or secret")
	}
}
