package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	netsmtp "net/smtp"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/source"
	"github.com/foyerhub/foyer/generator/subscribers"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

const siteOrigin = "https://hub.example.org"

// writeSite writes a small hub into dir; extra is appended to foyer.yaml.
func writeSite(t testing.TB, dir, extra string) {
	t.Helper()
	files := map[string]string{
		"foyer.yaml": "title: \"Le Foyer\"\nbase_url: \"https://hub.example.org/\"\nlanguage: fr\n" +
			"newsletter:\n  from: \"Le Foyer <lettre@hub.example.org>\"\n" + extra,
		"content/articles/bonjour.md":                        "---\ntitle: \"Bonjour\"\ndate: 2026-01-10\n---\n\nPremier article.\n",
		"content/articles/ferme.md":                          "---\ntitle: \"Fermé\"\ndate: 2026-01-11\ncomments: false\n---\n\nPas de commentaires ici.\n",
		"content/members/camille.yaml":                       "name: \"Camille\"\nemail: \"camille@example.org\"\n",
		"content/contributions/bonjour/c-2026-01-12-aaaa.md": "---\nauthor: \"Lou\"\nemail: \"lou@example.org\"\ndate: 2026-01-12\nstatus: approved\n---\n\nMerci !\n",
	}
	sitetest.WriteDir(t, dir, files)
}

// received is one message the test SMTP server accepted.
type received struct {
	From string
	To   []string
	Data string
}

// mailbox is an SMTP server in process on 127.0.0.1.
type mailbox struct {
	Addr string
	mu   sync.Mutex
	msgs []received
	cond *sync.Cond
}

func newMailbox(t testing.TB) *mailbox {
	t.Helper()
	mb := &mailbox{}
	mb.cond = sync.NewCond(&mb.mu)
	srv := gosmtp.NewServer(mb)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

func (mb *mailbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &session{mb: mb}, nil }

type session struct {
	mb  *mailbox
	cur received
}

func (s *session) Reset()        { s.cur = received{} }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *gosmtp.MailOptions) error {
	s.cur.From = from
	return nil
}
func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = string(data)
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, s.cur)
	s.mb.cond.Broadcast()
	s.mb.mu.Unlock()
	return nil
}

func (mb *mailbox) count() int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return len(mb.msgs)
}

// waitFor waits until n messages arrived, or fails after a deadline.
func (mb *mailbox) waitFor(t testing.TB, n int) []received {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	timer := time.AfterFunc(20*time.Second, func() {
		mb.mu.Lock()
		mb.cond.Broadcast()
		mb.mu.Unlock()
	})
	defer timer.Stop()
	mb.mu.Lock()
	defer mb.mu.Unlock()
	for len(mb.msgs) < n {
		if time.Now().After(deadline) {
			t.Fatalf("got %d mails, want %d", len(mb.msgs), n)
		}
		mb.cond.Wait()
	}
	return append([]received(nil), mb.msgs...)
}

// smtpMailer sends through a real SMTP exchange with net/smtp, so that
// tests see what a mail server sees.
type smtpMailer struct{ addr string }

func (m smtpMailer) Send(ctx context.Context, im Mail) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Le Foyer <lettre@hub.example.org>\r\nTo: <%s>\r\nSubject: %s\r\n", im.To, mime.QEncoding.Encode("utf-8", im.Subject))
	fmt.Fprintf(&b, "Date: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n", time.Now().Format(time.RFC1123Z))
	if im.Unsubscribe != "" {
		fmt.Fprintf(&b, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", im.Unsubscribe)
	}
	b.WriteString("\r\n" + strings.ReplaceAll(im.Text, "\n", "\r\n"))
	return netsmtp.SendMail(m.addr, nil, "lettre@hub.example.org", []string{im.To}, b.Bytes())
}

// testServer is an intake on 127.0.0.1 over a fresh site.
type testServer struct {
	*Server
	URL  string // http://127.0.0.1:port
	Dir  string
	Mail *mailbox
	stop func() error
}

type serverOption func(*Options)

// start writes a site whose intake.url points at the listener, then
// serves it. intakeKeys are more lines of the intake block, indented by
// two spaces; top is more top-level foyer.yaml.
func start(t testing.TB, intakeKeys, top string, opts ...serverOption) *testServer {
	t.Helper()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	if !strings.Contains(intakeKeys, "rate_limit") {
		intakeKeys += "  rate_limit: 100000/s\n"
	}
	yaml := "intake:\n  url: \"" + base + "/_foyer/\"\n" + intakeKeys + top
	writeSite(t, dir, yaml)
	mb := newMailbox(t)
	o := Options{Site: dir, Secret: testSecret, Mailer: smtpMailer{mb.Addr}}
	for _, f := range opts {
		f(&o)
	}
	s, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	ts := &testServer{Server: s, URL: base, Dir: dir, Mail: mb}
	ts.stop = func() error { cancel(); return <-done }
	t.Cleanup(func() {
		if err := ts.stop(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return ts
}

var client = &http.Client{
	Timeout:       30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// post sends a form from the site's own origin unless headers say
// otherwise.
func (ts *testServer) post(t testing.TB, path, contentType, body string, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", siteOrigin)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (ts *testServer) postForm(t testing.TB, path string, v url.Values, headers ...string) *http.Response {
	t.Helper()
	return ts.post(t, path, "application/x-www-form-urlencoded", v.Encode(), headers...)
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// contributions lists the .md files written for an article, by id.
func contributions(t testing.TB, dir, article string) map[string]*source.Document {
	t.Helper()
	root := filepath.Join(dir, "content", "contributions", article)
	entries, err := os.ReadDir(root)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]*source.Document{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := source.Parse("content/contributions/"+article+"/"+e.Name(), data)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out[strings.TrimSuffix(e.Name(), ".md")] = doc
	}
	return out
}

func readList(t testing.TB, ts *testServer) *subscribers.List {
	t.Helper()
	l, problems, err := subscribers.Read(ts.subscribersPath())
	if err != nil || len(problems) > 0 {
		t.Fatalf("subscribers file: %v %v", err, problems)
	}
	return l
}

// postChunked sends a body without Content-Length, so that only the
// reading limit can stop it.
func (ts *testServer) postChunked(t testing.TB, path, contentType, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", ts.URL+path, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", siteOrigin)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// httptestPost serves one same-origin form POST without a network.
func httptestPost(h http.Handler, path string, v url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", siteOrigin)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func mustConfig(t testing.TB, dir string) *config.Config {
	t.Helper()
	cfg, _, err := config.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
