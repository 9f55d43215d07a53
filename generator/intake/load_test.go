package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/subscribers"
)

func TestRateLimit(t *testing.T) {
	ts := start(t, "  rate_limit: 3/min\n  trusted_proxies: [\"127.0.0.1\"]\n", "")
	for i := range 3 {
		if r := ts.postForm(t, "/_foyer/comment", commentForm()); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i, r.StatusCode)
		}
	}
	r := ts.postForm(t, "/_foyer/comment", commentForm())
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th request: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if n := len(contributions(t, ts.Dir, "bonjour")); n != 4 {
		t.Fatalf("%d contributions, want 1 + 3", n)
	}
	// Behind the trusted proxy, another client has its own allowance…
	if r := ts.postForm(t, "/_foyer/comment", commentForm(), "X-Forwarded-For", "203.0.113.7"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other client: %d", r.StatusCode)
	}
	// …and the address recorded is the client's, not the proxy's.
	var found bool
	for _, d := range contributions(t, ts.Dir, "bonjour") {
		found = found || d.Meta.IP == "203.0.113.7"
	}
	if !found {
		t.Error("no contribution recorded the forwarded address")
	}
}

func TestForgedForwardedForIgnored(t *testing.T) {
	ts := start(t, "  rate_limit: 2/min\n", "") // no trusted proxy
	for i := range 2 {
		ts.postForm(t, "/_foyer/comment", commentForm(), "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
	}
	r := ts.postForm(t, "/_foyer/comment", commentForm(), "X-Forwarded-For", "198.51.100.99")
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a forged X-Forwarded-For escaped the limit: %d", r.StatusCode)
	}
	for _, d := range contributions(t, ts.Dir, "bonjour") {
		if strings.HasPrefix(d.Meta.IP, "198.51.100.") {
			t.Errorf("forged address %s recorded", d.Meta.IP)
		}
	}
}

func TestClientIP(t *testing.T) {
	proxies, err := parseProxies([]string{"10.0.0.0/8", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{proxies: proxies}
	tests := []struct{ remote, xff, want string }{
		{"203.0.113.5:1234", "1.2.3.4", "203.0.113.5"},
		{"192.0.2.1:80", "203.0.113.9", "203.0.113.9"},
		{"192.0.2.1:80", "6.6.6.6, 203.0.113.9, 10.1.2.3", "203.0.113.9"},
		{"192.0.2.1:80", "", "192.0.2.1"},
		{"192.0.2.1:80", "garbage, 10.0.0.2", "10.0.0.2"},
		{"[::ffff:192.0.2.1]:80", "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("%s + %q: %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	if _, err := parseProxies([]string{"not-an-ip"}); err == nil {
		t.Error("a bad trusted_proxies entry was accepted")
	}
}

func TestLimiterRefills(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	l := newLimiter(2, time.Minute, clk.now)
	for i := range 2 {
		if _, ok := l.allow("a"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	wait, ok := l.allow("a")
	if ok || wait <= 0 || wait > 30*time.Second {
		t.Fatalf("third: ok=%v wait=%v", ok, wait)
	}
	if _, ok := l.allow("b"); !ok {
		t.Fatal("another client refused")
	}
	clk.add(30 * time.Second)
	if _, ok := l.allow("a"); !ok {
		t.Fatal("no token after half a minute at 2/min")
	}
}

// TestConcurrentNothingLost sends 200 comments, 100 subscriptions and
// 100 one-click unsubscriptions at once.
func TestConcurrentNothingLost(t *testing.T) {
	ts := start(t, "", "")
	var olds []string
	err := subscribers.Update(context.Background(), ts.subscribersPath(), func(l *subscribers.List) error {
		for i := range 100 {
			e := fmt.Sprintf("old%d@example.org", i)
			olds = append(olds, e)
			if _, err := l.Add(e, "", subscribers.Subscribed); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	ids := make(chan string, 200)
	errs := make(chan error, 400)
	for i := range 200 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"article":"bonjour","author":"N%d","body":"Commentaire numéro %d."}`, i, i)
			resp, err := postRaw(ts.URL+"/_foyer/comment", "application/json", body, true)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var got map[string]string
			if resp.StatusCode != 202 || json.NewDecoder(resp.Body).Decode(&got) != nil {
				errs <- fmt.Errorf("comment %d: %d", i, resp.StatusCode)
				return
			}
			ids <- got["id"]
		})
	}
	for i := range 100 {
		wg.Go(func() {
			v := url.Values{"email": {fmt.Sprintf("new%d@example.org", i)}}
			resp, err := postRaw(ts.URL+"/_foyer/subscribe", "application/x-www-form-urlencoded", v.Encode(), true)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != 202 {
					err = fmt.Errorf("subscribe %d: %d", i, resp.StatusCode)
				}
			}
			if err != nil {
				errs <- err
			}
		})
		wg.Go(func() {
			tok := subscribers.Token(testSecret, "unsubscribe", olds[i])
			resp, err := postRaw(ts.URL+"/_foyer/unsubscribe?t="+tok, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click", false)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != 200 {
					err = fmt.Errorf("unsubscribe %d: %d", i, resp.StatusCode)
				}
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(ids)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	files := contributions(t, ts.Dir, "bonjour")
	n := 0
	for id := range ids {
		n++
		if files[id] == nil {
			t.Errorf("comment %s acknowledged but not on disk", id)
		}
	}
	if n != 200 || len(files) != 201 {
		t.Fatalf("%d acknowledged, %d files; want 200 and 201", n, len(files))
	}
	l := readList(t, ts)
	if len(l.Subscribers) != 200 {
		t.Fatalf("%d rows, want 200", len(l.Subscribers))
	}
	for i := range 100 {
		if s := l.Find(olds[i]); s == nil || s.Status != subscribers.Unsubscribed {
			t.Errorf("%s: %+v", olds[i], s)
		}
		if s := l.Find(fmt.Sprintf("new%d@example.org", i)); s == nil || s.Status != subscribers.Pending {
			t.Errorf("new%d: %+v", i, s)
		}
	}
	ts.Mail.waitFor(t, 100)
}

func postRaw(u, ctype, body string, withOrigin bool) (*http.Response, error) {
	req, err := http.NewRequest("POST", u, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	if withOrigin {
		req.Header.Set("Origin", siteOrigin)
	}
	return client.Do(req)
}
