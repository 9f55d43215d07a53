package smtp_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/newsletter"
	"github.com/foyerhub/foyer/generator/newsletter/smtp"
)

// TestMain lets the test binary act as a sending child process: the
// killed-process test re-executes itself with FOYER_TEST_CHILD_SITE set.
func TestMain(m *testing.M) {
	if dir := os.Getenv("FOYER_TEST_CHILD_SITE"); dir != "" {
		os.Exit(childSend(dir))
	}
	os.Exit(m.Run())
}

func childSend(dir string) int {
	port, _ := strconv.Atoi(os.Getenv("FOYER_TEST_CHILD_PORT"))
	snd, err := smtp.New(smtp.Options{Host: "127.0.0.1", Port: port, TLS: "none", Concurrency: 3})
	if err != nil {
		return 3
	}
	m, err := build.Load(context.Background(), build.Options{Site: dir, Now: now})
	if err != nil {
		return 3
	}
	o := newsletter.Options{Dir: dir, Site: m.Site, Theme: m.Theme, Secret: secret, Now: now, Sender: snd, Backoff: time.Millisecond}
	if _, err := newsletter.Send(context.Background(), o); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	return 0
}

func TestKilledProcessResumesExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	ctx := testContext(t)
	const n, killAt = 400, 120
	dir := newSite(t, readers(n))
	s := newSink(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FOYER_TEST_CHILD_SITE="+dir, "FOYER_TEST_CHILD_PORT="+strconv.Itoa(s.port))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	s.waitFor(t, ctx, killAt)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code runs
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != -1 {
			t.Fatalf("child ended with %v before the kill: the send was not interrupted midway", err)
		}
	case <-ctx.Done():
		t.Fatal("child did not die")
	}
	before := len(s.messages())
	if before >= n {
		t.Fatalf("the child sent all %d messages before the kill", before)
	}
	o := options(t, ctx, dir, now.Add(time.Hour), sender(t, s, 3, nil))
	rep, err := newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || rep.Issue.Number != 1 || rep.Sent+rep.Already != n {
		t.Fatalf("resume: resumed %v, issue %d, %d sent + %d earlier; expected issue 1, %d in all", rep.Resumed, rep.Issue.Number, rep.Sent, rep.Already, n)
	}
	dupes := exactlyOnce(t, s, addresses(n))
	if dupes > rep.Resent {
		t.Errorf("%d duplicate deliveries but only %d reported as resent", dupes, rep.Resent)
	}
	t.Logf("killed after %d messages; resumed: %d sent, %d earlier, %d resent, %d duplicates (same Message-ID)", before, rep.Sent, rep.Already, rep.Resent, dupes)
	if _, err := newsletter.Send(ctx, o); !errors.Is(err, newsletter.ErrNothingNew) {
		t.Errorf("a send after the completed issue: %v, expected ErrNothingNew", err)
	}
}
