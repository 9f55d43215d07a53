package intake

import (
	"context"
	"net"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/subscribers"
)

// gateMailer holds every Send until released.
type gateMailer struct {
	entered chan struct{}
	release chan struct{}
}

func (g gateMailer) Send(ctx context.Context, m Mail) error {
	g.entered <- struct{}{}
	<-g.release
	return nil
}

// TestShutdownFinishesInFlight stops the server while a subscription is
// mid-request: the request completes and its row is on disk.
func TestShutdownFinishesInFlight(t *testing.T) {
	gate := gateMailer{entered: make(chan struct{}), release: make(chan struct{})}
	ts := start(t, "", "", func(o *Options) { o.Mailer = gate })
	status := make(chan int, 1)
	go func() {
		resp, err := postRaw(ts.URL+"/_foyer/subscribe", "application/x-www-form-urlencoded", url.Values{"email": {"late@example.org"}}.Encode(), true)
		if err != nil {
			status <- -1
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	select {
	case <-gate.entered:
	case <-time.After(20 * time.Second):
		t.Fatal("the request never reached the mailer")
	}
	stopped := make(chan error, 1)
	go func() { stopped <- ts.stop() }()
	// Release the mail only once shutdown has closed the listener.
	addr := strings.TrimPrefix(ts.URL, "http://")
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener stayed open")
		}
		runtime.Gosched()
	}
	close(gate.release)
	select {
	case code := <-status:
		if code != 202 {
			t.Fatalf("in-flight request answered %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the in-flight request never finished")
	}
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	ts.stop = func() error { return nil }
	if s := readList(t, ts).Find("late@example.org"); s == nil || s.Status != subscribers.Pending {
		t.Fatalf("row %+v", s)
	}
}
