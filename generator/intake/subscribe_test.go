package intake

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/subscribers"
)

var linkPattern = regexp.MustCompile(`https?://\S+`)

// parseMail reads a received message and returns its header and the
// first link of its body.
func parseMail(t *testing.T, r received) (mail.Header, string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return m.Header, linkPattern.FindString(string(body))
}

// clock is a settable time for the one-hour rule.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestDoubleOptInAndOneClickLoop(t *testing.T) {
	clk := &clock{t: time.Now()}
	ts := start(t, "", "", func(o *Options) { o.Now = clk.now })
	form := url.Values{"email": {"reader@example.org"}, "name": {"Réa Der"}}

	resp := ts.postForm(t, "/_foyer/subscribe", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("subscribe: %d %s", resp.StatusCode, readBody(t, resp))
	}
	first := readBody(t, resp)
	if s := readList(t, ts).Find("reader@example.org"); s == nil || s.Status != subscribers.Pending || s.Name != "Réa Der" {
		t.Fatalf("row after subscribe: %+v", s)
	}
	msgs := ts.Mail.waitFor(t, 1)
	if msgs[0].To[0] != "reader@example.org" {
		t.Fatalf("mail to %v", msgs[0].To)
	}
	header, confirm := parseMail(t, msgs[0])
	if !strings.HasPrefix(confirm, ts.URL+"/_foyer/confirm?t=") {
		t.Fatalf("confirmation link %q", confirm)
	}
	dec := new(mime.WordDecoder)
	if subj, _ := dec.DecodeHeader(header.Get("Subject")); !strings.Contains(subj, "Le Foyer") {
		t.Errorf("subject %q", subj)
	}

	// A second request within the hour: same answer, no mail.
	again := ts.postForm(t, "/_foyer/subscribe", form)
	if again.StatusCode != http.StatusOK || readBody(t, again) != first {
		t.Fatalf("second subscribe answered differently")
	}
	if n := ts.Mail.count(); n != 1 {
		t.Fatalf("%d mails after a second subscribe within the hour, want 1", n)
	}

	// Follow the link from the mail.
	got, err := client.Get(confirm)
	if err != nil {
		t.Fatal(err)
	}
	got.Body.Close()
	if got.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", got.StatusCode)
	}
	if s := readList(t, ts).Find("reader@example.org"); s.Status != subscribers.Subscribed {
		t.Fatalf("status after confirm %q", s.Status)
	}

	// Subscribed, an hour later: still the same answer and no mail.
	clk.add(2 * time.Hour)
	if r := ts.postForm(t, "/_foyer/subscribe", form); readBody(t, r) != first {
		t.Fatal("subscribing a subscribed address answered differently")
	}
	if n := ts.Mail.count(); n != 1 {
		t.Fatalf("%d mails, want 1: a subscribed address gets no mail", n)
	}

	// The mail's List-Unsubscribe link: GET changes nothing.
	unsub := strings.Trim(header.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(unsub, ts.URL+"/_foyer/unsubscribe?t=") || header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Fatalf("List-Unsubscribe %q", header.Get("List-Unsubscribe"))
	}
	page, err := client.Get(unsub)
	if err != nil {
		t.Fatal(err)
	}
	html := readBody(t, page)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(html, `method="post"`) || !strings.Contains(html, `value="One-Click"`) {
		t.Fatalf("unsubscribe page %d: %s", page.StatusCode, html)
	}
	if s := readList(t, ts).Find("reader@example.org"); s.Status != subscribers.Subscribed {
		t.Fatalf("a GET unsubscribed: %q", s.Status)
	}
	// RFC 8058: the provider POSTs from its own servers, without Origin.
	one := ts.post(t, strings.TrimPrefix(unsub, ts.URL), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click", "Origin", "")
	if one.StatusCode != http.StatusOK {
		t.Fatalf("one-click: %d %s", one.StatusCode, readBody(t, one))
	}
	if s := readList(t, ts).Find("reader@example.org"); s.Status != subscribers.Unsubscribed {
		t.Fatalf("status after one-click %q", s.Status)
	}
	// Twice is harmless.
	if r := ts.post(t, strings.TrimPrefix(unsub, ts.URL), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click", "Origin", ""); r.StatusCode != 200 {
		t.Fatalf("second one-click: %d", r.StatusCode)
	}
}

func TestNewsletterTokensUnsubscribe(t *testing.T) {
	ts := start(t, "", "")
	err := subscribers.Update(context.Background(), ts.subscribersPath(), func(l *subscribers.List) error {
		_, err := l.Add("old@example.org", "Old", subscribers.Subscribed)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Exactly the link the newsletter makes.
	link := ts.Config().UnsubscribeURL() + "?t=" + subscribers.Token(testSecret, "unsubscribe", "old@example.org")
	r := ts.post(t, strings.TrimPrefix(link, ts.URL), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click", "Origin", "")
	if r.StatusCode != 200 {
		t.Fatalf("one-click: %d", r.StatusCode)
	}
	if s := readList(t, ts).Find("old@example.org"); s.Status != subscribers.Unsubscribed {
		t.Fatalf("status %q", s.Status)
	}
}

func TestPendingResentAfterAnHour(t *testing.T) {
	clk := &clock{t: time.Now()}
	ts := start(t, "", "", func(o *Options) { o.Now = clk.now })
	form := url.Values{"email": {"late@example.org"}}
	ts.postForm(t, "/_foyer/subscribe", form)
	ts.Mail.waitFor(t, 1)
	clk.add(59 * time.Minute)
	ts.postForm(t, "/_foyer/subscribe", form)
	if n := ts.Mail.count(); n != 1 {
		t.Fatalf("%d mails within the hour", n)
	}
	clk.add(2 * time.Minute)
	ts.postForm(t, "/_foyer/subscribe", form)
	ts.Mail.waitFor(t, 2)
}

func TestResendRuleSurvivesRestart(t *testing.T) {
	ts := start(t, "", "")
	form := url.Values{"email": {"restart@example.org"}}
	ts.postForm(t, "/_foyer/subscribe", form)
	ts.Mail.waitFor(t, 1)
	// A second server on the same site: no memory shared but the files.
	s2, err := New(context.Background(), Options{Site: ts.Dir, Secret: testSecret, Mailer: smtpMailer{ts.Mail.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptestPost(s2, "/_foyer/subscribe", form)
	if rec.Code != 200 {
		t.Fatalf("second instance: %d", rec.Code)
	}
	if n := ts.Mail.count(); n != 1 {
		t.Fatalf("%d mails: a restarted instance sent again within the hour", n)
	}
}

func TestSubscribeRefusals(t *testing.T) {
	ts := start(t, "", "")
	for name, form := range map[string]url.Values{
		"no email":         {"name": {"x"}},
		"bad email":        {"email": {"not-an-address"}},
		"header injection": {"email": {"a@example.org\r\nBcc: b@example.org"}},
		"injected name":    {"email": {"a@example.org"}, "name": {"A\r\nBcc: b@example.org"}},
		"comma list":       {"email": {"a@example.org,b@example.org"}},
		"too long name":    {"email": {"a@example.org"}, "name": {strings.Repeat("n", 101)}},
	} {
		resp := ts.postForm(t, "/_foyer/subscribe", form)
		if resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
	}
	if resp := ts.postForm(t, "/_foyer/subscribe", url.Values{"email": {"a@example.org"}}, "Origin", "https://evil.example"); resp.StatusCode != 403 {
		t.Errorf("foreign origin: %d", resp.StatusCode)
	}
	if resp := ts.postForm(t, "/_foyer/subscribe", url.Values{"email": {"bot@example.org"}, "homepage": {"x"}}); resp.StatusCode != 200 {
		t.Errorf("honeypot: %d, want the usual 200", resp.StatusCode)
	}
	if l := readList(t, ts); len(l.Subscribers) != 0 {
		t.Errorf("%d rows after refusals", len(l.Subscribers))
	}
	if n := ts.Mail.count(); n != 0 {
		t.Errorf("%d mails after refusals", n)
	}
	for name, body := range map[string]string{"no body": "", "other value": "List-Unsubscribe=Yes"} {
		tok := subscribers.Token(testSecret, "unsubscribe", "a@example.org")
		if r := ts.post(t, "/_foyer/unsubscribe?t="+tok, "application/x-www-form-urlencoded", body); r.StatusCode != 400 {
			t.Errorf("unsubscribe with %s: %d", name, r.StatusCode)
		}
	}
	// A token made with another secret is refused.
	ts.postForm(t, "/_foyer/subscribe", url.Values{"email": {"c@example.org"}})
	forged := subscribers.Token([]byte("another secret, long enough!"), "confirm", "c@example.org")
	if r, _ := client.Get(ts.URL + "/_foyer/confirm?t=" + forged); r.StatusCode != 404 {
		t.Errorf("forged confirm: %d", r.StatusCode)
	}
	// A confirm token does not unsubscribe, nor the reverse.
	cross := subscribers.Token(testSecret, "unsubscribe", "c@example.org")
	if r, _ := client.Get(ts.URL + "/_foyer/confirm?t=" + cross); r.StatusCode != 404 {
		t.Errorf("unsubscribe token confirmed: %d", r.StatusCode)
	}
	if s := readList(t, ts).Find("c@example.org"); s.Status != subscribers.Pending {
		t.Errorf("status %q", s.Status)
	}
}

func TestNoSecret(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, "")
	_, err := New(context.Background(), Options{Site: dir})
	if err != ErrNoSecret || !strings.Contains(err.Error(), "openssl rand -hex 32") {
		t.Fatalf("err = %v", err)
	}
	if _, err := New(context.Background(), Options{Site: dir, Secret: []byte("short")}); err == nil {
		t.Fatal("a 5-byte secret was accepted")
	}
}
