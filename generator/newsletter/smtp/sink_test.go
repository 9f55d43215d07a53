package smtp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
)

// received is one message the sink accepted.
type received struct {
	from string
	to   []string
	data []byte
}

// sink is an SMTP server in the test process, on 127.0.0.1, that keeps
// what it accepts and can be told to fail.
type sink struct {
	port int
	srv  *gosmtp.Server

	mu     sync.Mutex
	cond   *sync.Cond
	msgs   []received
	refuse map[string][]int // address → codes for its next RCPTs, then accepted
	down   bool             // every MAIL gets 421
	onData func(n int)      // called with the count after each acceptance, before the reply
}

func newSink(t testing.TB) *sink {
	t.Helper()
	s := &sink{refuse: map[string][]int{}}
	s.cond = sync.NewCond(&s.mu)
	s.srv = gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "127.0.0.1"
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	s.port, _ = strconv.Atoi(port)
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

func (s *sink) setDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *sink) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// waitFor waits until the sink holds at least n messages, or fails the
// test at the deadline.
func (s *sink) waitFor(t testing.TB, ctx context.Context, n int) {
	t.Helper()
	stop := context.AfterFunc(ctx, func() { s.mu.Lock(); s.cond.Broadcast(); s.mu.Unlock() })
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.msgs) < n {
		if ctx.Err() != nil {
			t.Fatalf("sink: %d messages received, waited for %d: %v", len(s.msgs), n, ctx.Err())
		}
		s.cond.Wait()
	}
}

type session struct {
	s    *sink
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *gosmtp.MailOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.down {
		return &gosmtp.SMTPError{Code: 421, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "sink is down for the test"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if codes := ss.s.refuse[to]; len(codes) > 0 {
		code := codes[0]
		if code < 500 { // a temporary refusal is used up; a permanent one stays
			ss.s.refuse[to] = codes[1:]
		}
		return &gosmtp.SMTPError{Code: code, EnhancedCode: gosmtp.EnhancedCode{code / 100, 1, 1}, Message: "refused for the test"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, received{from: ss.from, to: ss.to, data: b.Bytes()})
	n := len(ss.s.msgs)
	hook := ss.s.onData
	ss.s.cond.Broadcast()
	ss.s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}
