package intake

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/build"
)

// TestMain turns the test binary into an intake server when asked, so
// that a test can kill a real process with SIGKILL.
func TestMain(m *testing.M) {
	if dir := os.Getenv("FOYER_INTAKE_CHILD_SITE"); dir != "" {
		os.Exit(child(dir, os.Getenv("FOYER_INTAKE_CHILD_SMTP")))
	}
	os.Exit(m.Run())
}

func child(dir, smtpAddr string) int {
	s, err := New(context.Background(), Options{Site: dir, Secret: testSecret, Mailer: smtpMailer{smtpAddr}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("listening %s\n", ln.Addr())
	if err := s.Serve(context.Background(), ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// spawn starts the test binary as an intake server on dir and returns
// its process and base URL.
func spawn(t *testing.T, dir, smtpAddr string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FOYER_INTAKE_CHILD_SITE="+dir, "FOYER_INTAKE_CHILD_SMTP="+smtpAddr)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if !ok {
		t.Fatalf("child said %q", line)
	}
	return cmd, "http://" + addr
}

// TestKilledServerLeavesFilesWhole kills a loaded server with SIGKILL,
// restarts it on the same folder, and checks every file.
func TestKilledServerLeavesFilesWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns server processes")
	}
	dir := t.TempDir()
	writeSite(t, dir, "intake:\n  rate_limit: 100000/s\n")
	mb := newMailbox(t)
	cmd, base := spawn(t, dir, mb.Addr)

	var (
		mu     sync.Mutex
		ids    []string // acknowledged comments
		emails []string // acknowledged subscriptions
		done   atomic.Int64
		stop   = make(chan struct{})
		loaded = make(chan struct{})
		wg     sync.WaitGroup
	)
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if i%2 == 0 {
					body := fmt.Sprintf(`{"article":"bonjour","author":"W%d","body":"Message %d de %d, assez long pour peser un peu."}`, w, i, w)
					resp, err := postRaw(base+"/_foyer/comment", "application/json", body, true)
					if err != nil {
						continue // the server died mid-request
					}
					var got map[string]string
					if resp.StatusCode == 202 && json.NewDecoder(resp.Body).Decode(&got) == nil {
						mu.Lock()
						ids = append(ids, got["id"])
						mu.Unlock()
					}
					resp.Body.Close()
				} else {
					e := fmt.Sprintf("w%d-%d@example.org", w, i)
					resp, err := postRaw(base+"/_foyer/subscribe", "application/x-www-form-urlencoded", url.Values{"email": {e}}.Encode(), true)
					if err != nil {
						continue
					}
					if resp.StatusCode == 202 {
						mu.Lock()
						emails = append(emails, e)
						mu.Unlock()
					}
					resp.Body.Close()
				}
				if done.Add(1) == 150 {
					close(loaded)
				}
			}
		})
	}
	// Kill once the load is well under way, mid-stream.
	select {
	case <-loaded:
	case <-time.After(60 * time.Second):
		t.Fatalf("only %d requests done in a minute", done.Load())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	wg.Wait()

	// Restart on the same folder: it must start and take requests.
	_, base = spawn(t, dir, mb.Addr)
	resp, err := postRaw(base+"/_foyer/comment", "application/json", `{"article":"bonjour","body":"Après le redémarrage."}`, true)
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("after restart: %v %v", err, resp)
	}
	resp.Body.Close()

	files := contributions(t, dir, "bonjour") // fails on any unparsable file
	for _, id := range ids {
		if files[id] == nil {
			t.Errorf("acknowledged comment %s lost", id)
		}
	}
	for id, doc := range files {
		if id != "c-2026-01-12-aaaa" && !strings.Contains(string(doc.Body), "Message") && !strings.Contains(string(doc.Body), "redémarrage") {
			t.Errorf("%s: truncated body %q", id, doc.Body)
		}
	}
	ts := &testServer{Server: &Server{opts: Options{Site: dir}, cfg: mustConfig(t, dir)}}
	l := readList(t, ts) // fails on any unparsable or skipped row
	for _, e := range emails {
		if l.Find(e) == nil {
			t.Errorf("acknowledged subscription %s lost", e)
		}
	}
	if data, err := os.ReadFile(ts.sentPath()); err == nil && !json.Valid(data) {
		t.Errorf("state file corrupted: %q", data)
	}
	// The site still builds with everything the intake wrote.
	if _, err := build.Load(context.Background(), build.Options{Site: dir}); err != nil {
		t.Fatalf("site after the crash: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "content", "contributions", "bonjour", "*"))
	t.Logf("%d comments and %d subscriptions acknowledged before the kill; %d entries in the folder", len(ids), len(emails), len(leftovers))
	if len(ids) == 0 || len(emails) == 0 {
		t.Fatal("the load acknowledged nothing: the test proved nothing")
	}
}
