package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func testServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := NewServer()
	s.Update(map[string][]byte{
		"index.html":            []byte("<!DOCTYPE html><html><body><h1>Accueil</h1></body></html>"),
		"articles/a/index.html": []byte("<html><body>A</body></html>"),
		"css/foyer.css":         []byte("body{}"),
		"index.xml":             []byte("<rss></rss>"),
		"404.html":              []byte("<html><body>Introuvable</body></html>"),
		".hidden":               []byte("secret"),
		"static/.env":           []byte("SECRET=1"),
	}, nil, true)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// get sends a raw request line, so that paths reach the server uncleaned.
func get(t *testing.T, hs *httptest.Server, rawPath string) (int, string, http.Header) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(hs.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET "+rawPath+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestRefusals(t *testing.T) {
	_, hs := testServer(t)
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/../foyer.yaml", 400},
		{"/articles/../../etc/passwd", 400},
		{"/%2e%2e/foyer.yaml", 400},
		{"/articles/..%2f..%2ffoyer.yaml", 400},
		{"/..\\foyer.yaml", 400},
		{"/.hidden", 404},
		{"/static/.env", 404},
		{"/%2ehidden", 404},
		{"/.git/config", 404},
		{"/articles/", 404}, // a folder without index.html: no listing
		{"/css/", 404},
		{"/nope.html", 404},
	} {
		code, body, _ := get(t, hs, tc.path)
		if code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.code)
		}
		if strings.Contains(body, "secret") || strings.Contains(body, "SECRET") || strings.Contains(body, "body{}") {
			t.Errorf("GET %s leaked a file: %q", tc.path, body)
		}
	}
	resp, err := http.Post(hs.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", resp.StatusCode)
	}
}

func TestServesFilesAndInjectsOnlyHTML(t *testing.T) {
	_, hs := testServer(t)
	code, body, h := get(t, hs, "/")
	if code != 200 || !strings.Contains(body, "<h1>Accueil</h1>") {
		t.Fatalf("GET /: %d %q", code, body)
	}
	if !strings.Contains(body, `<script src="/_foyer/live.js" data-path="/" data-version="1" data-missing="false" defer></script></body>`) {
		t.Errorf("no live script before </body>: %q", body)
	}
	if h.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", h.Get("Content-Type"))
	}
	for _, p := range []string{"/css/foyer.css", "/index.xml"} {
		_, body, _ := get(t, hs, p)
		if strings.Contains(body, "live.js") {
			t.Errorf("%s got the live script: %q", p, body)
		}
	}
	code, _, h = get(t, hs, "/articles/a")
	if code != 301 || h.Get("Location") != "/articles/a/" {
		t.Errorf("GET /articles/a: %d to %q, want 301 to /articles/a/", code, h.Get("Location"))
	}
	code, body, _ = get(t, hs, "/articles/b/")
	if code != 404 || !strings.Contains(body, "Introuvable") || !strings.Contains(body, `data-missing="true"`) {
		t.Errorf("GET missing page: %d %q", code, body)
	}
	code, body, _ = get(t, hs, "/_foyer/live.js")
	if code != 200 || !strings.Contains(body, "EventSource") {
		t.Errorf("live.js: %d", code)
	}
}

func TestUpdateReportsChangedPaths(t *testing.T) {
	s, _ := testServer(t)
	changed := s.Update(map[string][]byte{
		"index.html":    []byte("<!DOCTYPE html><html><body><h1>Accueil</h1></body></html>"), // same bytes
		"css/foyer.css": []byte("body{color:red}"),
	}, []string{"index.xml"}, false)
	if strings.Join(changed, " ") != "css/foyer.css index.xml" {
		t.Errorf("changed %q, want css/foyer.css and index.xml", changed)
	}
	if _, ok := s.Files()["index.xml"]; ok {
		t.Error("removed file still served")
	}
	if _, ok := s.Files()["articles/a/index.html"]; !ok {
		t.Error("an untouched file disappeared in an incremental update")
	}
}

func TestEventsStream(t *testing.T) {
	s, hs := testServer(t)
	resp, err := http.Get(hs.URL + "/_foyer/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				lines <- d
			}
		}
		close(lines)
	}()
	next := func() string {
		select {
		case l := <-lines:
			return l
		case <-time.After(10 * time.Second):
			t.Fatal("no event within 10s")
			return ""
		}
	}
	if l := next(); l != `{"type":"hello","version":1}` {
		t.Fatalf("hello: %s", l)
	}
	s.Fail("content/articles/a.md:3:7: front matter: <script>alert(1)</script>")
	if l := next(); !strings.Contains(l, `"type":"error"`) || !strings.Contains(l, `a.md:3:7`) || strings.Contains(l, "<script>") {
		t.Errorf("error event: %s", l)
	}
	s.Update(map[string][]byte{"articles/a/index.html": []byte("<html><body>A2</body></html>")}, nil, false)
	if l := next(); l != `{"type":"change","version":2,"paths":["/articles/a/"]}` {
		t.Errorf("change event: %s", l)
	}
}
