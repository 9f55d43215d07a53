package intake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func commentForm(kv ...string) url.Values {
	v := url.Values{"article": {"bonjour"}, "author": {"Alix"}, "email": {"alix@example.org"}, "body": {"Très juste, merci."}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

func TestCommentFormWritesPendingFile(t *testing.T) {
	ts := start(t, "", "")
	before := contributions(t, ts.Dir, "bonjour")
	resp := ts.postForm(t, "/_foyer/comment", commentForm("website", "https://alix.example.net/", "reply_to", "c-2026-01-12-aaaa"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", resp.StatusCode, readBody(t, resp))
	}
	if loc := resp.Header.Get("Location"); loc != "https://hub.example.org/articles/bonjour/#comment-pending" {
		t.Errorf("Location %q", loc)
	}
	after := contributions(t, ts.Dir, "bonjour")
	if len(after) != len(before)+1 {
		t.Fatalf("%d contributions, want %d", len(after), len(before)+1)
	}
	for id, doc := range after {
		if before[id] != nil {
			continue
		}
		m := doc.Meta
		if m.Status != "pending" || m.Author != "Alix" || m.Email != "alix@example.org" || m.IP != "127.0.0.1" ||
			m.Website != "https://alix.example.net/" || m.ReplyTo != "c-2026-01-12-aaaa" || m.Kind != "comment" || m.Date.IsZero() {
			t.Errorf("meta %+v", m)
		}
		if strings.TrimSpace(string(doc.Body)) != "Très juste, merci." {
			t.Errorf("body %q", doc.Body)
		}
		if !idPattern.MatchString(id) || !strings.HasPrefix(id, "c-") {
			t.Errorf("id %q", id)
		}
	}
}

func TestCommentJSON(t *testing.T) {
	ts := start(t, "", "")
	body := `{"article":"bonjour","author":"Sam","body":"En JSON.","email":null}`
	resp := ts.post(t, "/_foyer/comment", "application/json", body, "Accept", "application/json")
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("status %d: %s", resp.StatusCode, readBody(t, resp))
	}
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["status"] != "pending" || got["article"] != "bonjour" {
		t.Errorf("answer %v", got)
	}
	doc := contributions(t, ts.Dir, "bonjour")[got["id"]]
	if doc == nil || doc.Meta.Author != "Sam" || doc.Meta.Email != "" {
		t.Fatalf("file for id %q: %+v", got["id"], doc)
	}
}

func TestKnownAuthorApprovedUnderKnown(t *testing.T) {
	ts := start(t, "", "")
	resp := ts.postForm(t, "/_foyer/comment", commentForm("email", "camille@example.org", "author", "Camille"),
		"Accept", "application/json")
	var got map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got["status"] != "approved" {
		t.Fatalf("a member's comment: %v", got)
	}
	if doc := contributions(t, ts.Dir, "bonjour")[got["id"]]; doc == nil || doc.Meta.Status != "approved" {
		t.Fatalf("file: %+v", doc)
	}
}

func TestHoneypotSameAnswerKeptAsSpam(t *testing.T) {
	ts := start(t, "", "")
	human := ts.postForm(t, "/_foyer/comment", commentForm())
	bot := ts.postForm(t, "/_foyer/comment", commentForm("homepage", "http://spam.example/"))
	if bot.StatusCode != human.StatusCode || bot.Header.Get("Location") != human.Header.Get("Location") {
		t.Fatalf("bot answer %d %q differs from %d %q", bot.StatusCode, bot.Header.Get("Location"), human.StatusCode, human.Header.Get("Location"))
	}
	var spam, pending int
	for _, doc := range contributions(t, ts.Dir, "bonjour") {
		switch doc.Meta.Status {
		case "spam":
			spam++
		case "pending":
			pending++
		}
	}
	if spam != 1 || pending != 1 {
		t.Fatalf("spam %d, pending %d; want 1 and 1", spam, pending)
	}
}

func TestCommentRefusals(t *testing.T) {
	ts := start(t, "  max_body: 2kB\n", "")
	long := strings.Repeat("a", 3000)
	tests := []struct {
		name   string
		ctype  string
		body   string
		header []string
		status int
	}{
		{"unknown article", "", commentForm("article", "inconnu").Encode(), nil, 400},
		{"traversal in article", "", commentForm("article", "../../etc").Encode(), nil, 400},
		{"absolute article", "", commentForm("article", "/etc/passwd").Encode(), nil, 400},
		{"traversal in reply_to", "", commentForm("reply_to", "../ferme/x").Encode(), nil, 400},
		{"dotted reply_to", "", commentForm("reply_to", "..").Encode(), nil, 400},
		{"unknown reply_to", "", commentForm("reply_to", "c-2099-01-01-ffff").Encode(), nil, 400},
		{"comments closed", "", commentForm("article", "ferme").Encode(), nil, 400},
		{"empty body", "", commentForm("body", "   ").Encode(), nil, 400},
		{"header injection in email", "", commentForm("email", "a@example.org\r\nBcc: all@example.org").Encode(), nil, 400},
		{"display name as email", "", commentForm("email", "Alix <alix@example.org>").Encode(), nil, 400},
		{"newline in author", "", commentForm("author", "Alix\r\nBcc: x@example.org").Encode(), nil, 400},
		{"javascript website", "", commentForm("website", "javascript:alert(1)").Encode(), nil, 400},
		{"data website", "", commentForm("website", "data:text/html,<script>alert(1)</script>").Encode(), nil, 400},
		{"credentials in website", "", commentForm("website", "https://user:pw@example.org/").Encode(), nil, 400},
		{"invalid UTF-8", "", "article=bonjour&body=%ff%fe", nil, 400},
		{"NUL byte", "", "article=bonjour&body=a%00b", nil, 400},
		{"repeated field", "", "article=bonjour&article=ferme&body=x", nil, 400},
		{"too long author", "", commentForm("author", strings.Repeat("é", 81)).Encode(), nil, 400},
		{"JSON array", "application/json", `["bonjour"]`, nil, 400},
		{"JSON number field", "application/json", `{"article":"bonjour","body":7}`, nil, 400},
		{"malformed JSON", "application/json", `{"article":`, nil, 400},
		{"oversized", "", commentForm("body", long).Encode(), nil, 413},
		{"oversized, chunked", "chunked", commentForm("body", long).Encode(), nil, 413},
		{"plain text", "text/plain", "article=bonjour&body=x", nil, 415},
		{"multipart", "multipart/form-data; boundary=x", "--x--", nil, 415},
		{"no content type", "none", "article=bonjour&body=x", nil, 415},
		{"foreign origin", "", commentForm().Encode(), []string{"Origin", "https://evil.example"}, 403},
		{"no origin nor referer", "", commentForm().Encode(), []string{"Origin", ""}, 403},
		{"foreign referer", "", commentForm().Encode(), []string{"Origin", "", "Referer", "https://evil.example/page"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctype := tt.ctype
			switch ctype {
			case "", "chunked":
				ctype = "application/x-www-form-urlencoded"
			case "none":
				ctype = ""
			}
			var resp *http.Response
			if tt.ctype == "chunked" {
				resp = ts.postChunked(t, "/_foyer/comment", ctype, tt.body)
			} else {
				resp = ts.post(t, "/_foyer/comment", ctype, tt.body, tt.header...)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tt.status, readBody(t, resp))
			}
		})
	}
	if got := contributions(t, ts.Dir, "bonjour"); len(got) != 1 {
		t.Errorf("%d contributions on bonjour after refusals, want the 1 of the fixture", len(got))
	}
	for _, dir := range []string{"ferme", "inconnu", "etc"} {
		if _, err := os.Stat(filepath.Join(ts.Dir, "content", "contributions", dir)); err == nil {
			t.Errorf("folder %s was made", dir)
		}
	}
}

func TestRefererFromSiteAccepted(t *testing.T) {
	ts := start(t, "", "")
	resp := ts.postForm(t, "/_foyer/comment", commentForm(), "Origin", "", "Referer", "https://hub.example.org/articles/bonjour/")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestMethodsAndUnknownPaths(t *testing.T) {
	ts := start(t, "", "")
	for path, want := range map[string]int{
		"/_foyer/healthz":           200,
		"/_foyer/comment":           405,
		"/_foyer/../etc/passwd":     307, // the mux cleans the path: to /etc/passwd, a 404
		"/_foyer/nothing":           404,
		"/":                         404,
		"/_foyer/confirm?t=bad":     404,
		"/_foyer/unsubscribe?t=bad": 404,
	} {
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readBody(t, resp)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
		if path == "/_foyer/healthz" && body != "ok\n" {
			t.Errorf("healthz says %q", body)
		}
	}
}
