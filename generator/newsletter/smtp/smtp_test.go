package smtp_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/newsletter"
	"github.com/foyerhub/foyer/generator/newsletter/smtp"
	"github.com/foyerhub/foyer/generator/subscribers"
)

var (
	now    = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	secret = []byte("test secret, long enough to be a real one")
)

const config = `title: "Le Foyer"
base_url: "https://hub.example.org/"
language: fr
newsletter:
  from: "Le Foyer <lettre@hub.example.org>"
  subscribers: subscribers.csv
  period: 30d
  concurrency: 4
`

func article(title, date, extra string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nauthor: camille\n" + extra + "---\n\nCorps de l’article " + title + ".\n"
}

// newSite writes a small hub and its subscribers file into a fresh
// folder.
func newSite(t testing.TB, csv string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"foyer.yaml":                          config,
		"content/members/camille.yaml":        "name: Camille\nemail: camille@private.example\n",
		"content/articles/ancien.md":          article("Un ancien article", "2026-09-01", ""),
		"content/articles/premier.md":         article("Premier article", "2026-11-10", ""),
		"content/articles/second.md":          article("Second article", "2026-11-15", ""),
		"content/articles/futur.md":           article("Article du futur", "2026-12-25", ""),
		"content/articles/brouillon.md":       article("Brouillon secret", "2026-11-12", "draft: true\n"),
		"content/articles/propose.md":         article("Proposition en attente", "2026-11-13", "status: pending\n"),
		"content/contributions/premier/c1.md": "---\nmember: camille\nemail: camille@private.example\nip: 203.0.113.9\ndate: 2026-11-16T10:00:00Z\nstatus: approved\nkind: comment\n---\nTrès juste.\n",
		"content/contributions/premier/c2.md": "---\nauthor: Spammeur\nemail: spam@spam.example\ndate: 2026-11-17T10:00:00Z\nstatus: spam\nkind: comment\n---\nACHETEZ MAINTENANT\n",
		"subscribers.csv":                     csv,
	}
	sitetest.WriteDir(t, dir, files)
	return dir
}

// readers makes a subscribers file of n readers, plus extra rows.
func readers(n int, extra ...string) string {
	var b strings.Builder
	b.WriteString("email,name,status,city\n")
	for i := range n {
		fmt.Fprintf(&b, "reader%05d@example.net,Lecteur %d,subscribed,Lyon\n", i, i)
	}
	for _, row := range extra {
		b.WriteString(row + "\n")
	}
	return b.String()
}

func options(t testing.TB, ctx context.Context, dir string, at time.Time, snd newsletter.Sender) newsletter.Options {
	t.Helper()
	m, err := build.Load(ctx, build.Options{Site: dir, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	return newsletter.Options{Dir: dir, Site: m.Site, Theme: m.Theme, Secret: secret, Now: at, Sender: snd, Backoff: time.Millisecond}
}

func sender(t testing.TB, s *sink, concurrency int, key *rsa.PrivateKey) *smtp.Sender {
	t.Helper()
	o := smtp.Options{Host: "127.0.0.1", Port: s.port, TLS: "none", Concurrency: concurrency}
	if key != nil {
		o.DKIM = &smtp.DKIM{Domain: "hub.example.org", Selector: "foyer", Key: key}
	}
	snd, err := smtp.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { snd.Close() })
	return snd
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// parsed is a received message, read back.
type parsed struct {
	header     mail.Header
	raw        []byte
	text, html string
}

func parse(t testing.TB, r received) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(r.data))
	if err != nil {
		t.Fatalf("message to %v: %v", r.to, err)
	}
	p := parsed{header: m.Header, raw: r.data}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: expected multipart/alternative (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = part
		switch strings.ToLower(part.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body = quotedprintable.NewReader(part)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, part)
		}
		data, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.text = string(data)
		case "text/html":
			p.html = string(data)
		}
	}
	if p.text == "" || p.html == "" {
		t.Fatalf("message to %v: expected a text and an HTML part", r.to)
	}
	return p
}

// byRecipient groups received messages by envelope recipient.
func byRecipient(msgs []received) map[string][]received {
	m := make(map[string][]received)
	for _, r := range msgs {
		for _, to := range r.to {
			m[strings.ToLower(to)] = append(m[strings.ToLower(to)], r)
		}
	}
	return m
}

func TestSendEveryHeaderDKIMAndArchive(t *testing.T) {
	ctx := testContext(t)
	csv := readers(12,
		"alice@example.org,Alice Martin,,Paris",
		`eve@example.org,"Eve`+"\r\n"+`Bcc: victim@attacker.example",subscribed,`,
		"parti@example.org,Parti,unsubscribed,",
		"attente@example.org,Attente,pending,",
		"rebond@example.org,Rebond,bounced,",
		"pas-une-adresse,Personne,,",
		"ALICE@example.org,Doublon,,",
	)
	dir := newSite(t, csv)
	s := newSink(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o := options(t, ctx, dir, now, sender(t, s, 3, key))
	rep, err := newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recipients != 14 || rep.Sent != 14 || len(rep.Failures) != 0 || len(rep.Warnings) != 2 {
		t.Fatalf("report: %d recipients, %d sent, failures %v, warnings %v; expected 14, 14, none and 2 (invalid, duplicate)", rep.Recipients, rep.Sent, rep.Failures, rep.Warnings)
	}
	msgs := s.messages()
	groups := byRecipient(msgs)
	if len(msgs) != 14 || len(groups) != 14 {
		t.Fatalf("%d messages to %d addresses, expected 14 to 14", len(msgs), len(groups))
	}
	for _, never := range []string{"parti@example.org", "attente@example.org", "rebond@example.org", "victim@attacker.example"} {
		if len(groups[never]) > 0 {
			t.Errorf("%s received the issue", never)
		}
	}
	pub := x509.MarshalPKCS1PublicKey(&key.PublicKey)
	lookup := func(domain string) ([]string, error) {
		if domain != "foyer._domainkey.hub.example.org" {
			return nil, fmt.Errorf("unexpected DKIM lookup %q", domain)
		}
		return []string{"v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
	}
	ids := map[string]bool{}
	for addr, rs := range groups {
		p := parse(t, rs[0])
		for _, h := range []string{"From", "To", "Subject", "Date", "Message-Id", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Dkim-Signature"} {
			if n := len(p.header[h]); n != 1 {
				t.Errorf("%s: %d %s headers, expected 1", addr, n, h)
			}
		}
		if got := p.header.Get("From"); got != `"Le Foyer" <lettre@hub.example.org>` && got != "Le Foyer <lettre@hub.example.org>" {
			t.Errorf("%s: From %q", addr, got)
		}
		to, err := mail.ParseAddress(p.header.Get("To"))
		if err != nil || !strings.EqualFold(to.Address, addr) {
			t.Errorf("%s: To %q (%v)", addr, p.header.Get("To"), err)
		}
		if len(p.header["Bcc"]) > 0 || strings.Contains(string(p.raw), "\nBcc:") {
			t.Errorf("%s: a Bcc header was injected", addr)
		}
		subj, _ := new(mime.WordDecoder).DecodeHeader(p.header.Get("Subject"))
		if subj != "Le Foyer · lettre n° 1 : Second article" {
			t.Errorf("%s: Subject %q", addr, subj)
		}
		if d, err := p.header.Date(); err != nil || !d.Equal(now) {
			t.Errorf("%s: Date %q (%v), expected the issue's date", addr, p.header.Get("Date"), err)
		}
		id := p.header.Get("Message-Id")
		if !strings.HasPrefix(id, "<issue-1.") || !strings.HasSuffix(id, "@hub.example.org>") || strings.Contains(id, strings.Split(addr, "@")[0]) || ids[id] {
			t.Errorf("%s: Message-ID %q: expected <issue-1.HASH@hub.example.org>, unique, without the address", addr, id)
		}
		ids[id] = true
		if got := p.header.Get("List-Id"); !strings.HasSuffix(got, "<newsletter.hub.example.org>") {
			t.Errorf("%s: List-Id %q", addr, got)
		}
		link := "https://hub.example.org/_foyer/unsubscribe?t=" + subscribers.Token(secret, "unsubscribe", addr)
		if got := p.header.Get("List-Unsubscribe"); got != "<"+link+">" {
			t.Errorf("%s: List-Unsubscribe %q, expected <%s>", addr, got, link)
		}
		if strings.Contains(p.header.Get("List-Unsubscribe"), strings.Split(addr, "@")[0]) {
			t.Errorf("%s: the address is in clear in List-Unsubscribe", addr)
		}
		if got := p.header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Errorf("%s: List-Unsubscribe-Post %q", addr, got)
		}
		for kind, body := range map[string]string{"text": p.text, "html": p.html} {
			if !strings.Contains(body, link) {
				t.Errorf("%s: the %s body lacks the unsubscribe link", addr, kind)
			}
			for _, want := range []string{"Premier article", "Second article", "https://hub.example.org/articles/premier/", "https://hub.example.org/newsletters/2026-11-20-1/"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the %s body lacks %q", addr, kind, want)
				}
			}
			for _, never := range []string{"Un ancien article", "Article du futur", "Brouillon secret", "Proposition en attente", "ACHETEZ", "camille@private.example", "203.0.113.9"} {
				if strings.Contains(body, never) {
					t.Errorf("%s: the %s body holds %q", addr, kind, never)
				}
			}
		}
		switch addr {
		case "alice@example.org":
			if !strings.Contains(p.text, "Bonjour Alice Martin,") || !strings.Contains(p.html, "Bonjour Alice Martin,") {
				t.Errorf("alice: not greeted by name in both bodies")
			}
		case "eve@example.org":
			if strings.Contains(p.html, "<script") || !strings.Contains(p.text, "Bonjour Eve Bcc: victim@attacker.example,") {
				t.Errorf("eve: hostile name not made harmless:\n%s", p.text)
			}
		}
		vs, err := dkim.VerifyWithOptions(bytes.NewReader(p.raw), &dkim.VerifyOptions{LookupTXT: lookup})
		if err != nil || len(vs) != 1 || vs[0].Err != nil {
			t.Fatalf("%s: DKIM: %v %+v %v\n%s", addr, err, vs, vs[0].Err, p.raw[:min(len(p.raw), 1500)])
		}
		signed := strings.ToLower(strings.Join(vs[0].HeaderKeys, ":"))
		for _, h := range []string{"from", "list-unsubscribe", "list-unsubscribe-post", "message-id"} {
			if !strings.Contains(":"+signed+":", ":"+h+":") {
				t.Errorf("%s: DKIM does not cover %s (h=%s)", addr, h, signed)
			}
		}
	}

	// The archive page: the issue's articles, no subscriber data.
	arch, err := os.ReadFile(filepath.Join(dir, "content/newsletters/2026-11-20-1.md"))
	if err != nil {
		t.Fatalf("archive page: %v", err)
	}
	for _, want := range []string{"issue: 1", "Premier article", "https://hub.example.org/articles/second/"} {
		if !strings.Contains(string(arch), want) {
			t.Errorf("archive lacks %q:\n%s", want, arch)
		}
	}
	for _, never := range []string{"@example", "Alice", "Lecteur", "Lyon", "Token", "?t="} {
		if strings.Contains(string(arch), never) {
			t.Errorf("archive holds subscriber data %q:\n%s", never, arch)
		}
	}
	// The next build publishes it, and the public site holds no subscriber data.
	res, err := build.Build(ctx, build.Options{Site: dir, Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(res.Dest, "newsletters/2026-11-20-1/index.html"))
	if err != nil || !strings.Contains(string(page), "Premier article") {
		t.Errorf("archive not published: %v", err)
	}
	feed, err := os.ReadFile(filepath.Join(res.Dest, "newsletters/atom.xml"))
	var atom struct {
		Entries []struct {
			Title string `xml:"title"`
			ID    string `xml:"id"`
		} `xml:"entry"`
	}
	if err != nil || xml.Unmarshal(feed, &atom) != nil || len(atom.Entries) != 1 || atom.Entries[0].ID != "https://hub.example.org/newsletters/2026-11-20-1/" || atom.Entries[0].Title != "Lettre n° 1" {
		t.Errorf("newsletters feed: %v %+v\n%s", err, atom, feed)
	}
	_ = filepath.WalkDir(res.Dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			if bytes.Contains(data, []byte("alice@example.org")) || bytes.Contains(data, []byte(".foyer")) {
				t.Errorf("%s holds subscriber or state data", p)
			}
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(res.Dest, ".foyer")); err == nil {
		t.Errorf("the newsletter state was published")
	}

	// Nothing new: nothing sent.
	o = options(t, ctx, dir, now.Add(2*time.Hour), sender(t, s, 3, nil))
	if _, err := newsletter.Send(ctx, o); !errors.Is(err, newsletter.ErrNothingNew) {
		t.Fatalf("second send: %v, expected ErrNothingNew", err)
	}
	if n := len(s.messages()); n != 14 {
		t.Fatalf("%d messages after a send with nothing new, expected 14", n)
	}

	// An older-dated article added later goes out once; a re-dated one never again.
	write(t, dir, "content/articles/tardif.md", article("Article tardif", "2026-11-05", ""))
	write(t, dir, "content/articles/premier.md", article("Premier article", "2026-11-19", ""))
	o = options(t, ctx, dir, now.Add(3*time.Hour), sender(t, s, 3, nil))
	rep, err = newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issue.Number != 2 || strings.Join(rep.Issue.Articles, ",") != "tardif" || rep.Sent != 14 {
		t.Fatalf("issue %d with %v sent to %d: expected issue 2 with only tardif, to 14", rep.Issue.Number, rep.Issue.Articles, rep.Sent)
	}
	second := s.messages()[14:]
	for _, r := range second {
		p := parse(t, r)
		if !strings.Contains(p.text, "Article tardif") || strings.Contains(p.text, "Second article") || strings.Contains(p.text, "* Premier article") {
			t.Fatalf("issue 2 to %v holds the wrong articles:\n%s", r.to, p.text)
		}
	}
	o = options(t, ctx, dir, now.Add(4*time.Hour), sender(t, s, 3, nil))
	if _, err := newsletter.Send(ctx, o); !errors.Is(err, newsletter.ErrNothingNew) {
		t.Fatalf("third send: %v, expected ErrNothingNew", err)
	}
}

func write(t testing.TB, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// exactlyOnce checks that every reader got one copy of issue 1 and
// returns how many got a second, identical one.
func exactlyOnce(t testing.TB, s *sink, addrs []string) (dupes int) {
	t.Helper()
	groups := byRecipient(s.messages())
	for _, a := range addrs {
		rs := groups[strings.ToLower(a)]
		if len(rs) == 0 {
			t.Errorf("%s never received the issue", a)
			continue
		}
		first := parse(t, rs[0]).header.Get("Message-Id")
		for _, r := range rs[1:] {
			if id := parse(t, r).header.Get("Message-Id"); id != first {
				t.Errorf("%s received two different messages: %s and %s", a, first, id)
			}
			dupes++
		}
	}
	if len(groups) != len(addrs) {
		t.Errorf("%d addresses received mail, expected %d", len(groups), len(addrs))
	}
	return dupes
}

func addresses(n int, extra ...string) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("reader%05d@example.net", i))
	}
	return append(out, extra...)
}

func TestTemporaryRetriedPermanentReported(t *testing.T) {
	ctx := testContext(t)
	dir := newSite(t, readers(10, "lent@example.org,Lent,,", "parti-pour-de-bon@example.org,Parti,,"))
	s := newSink(t)
	s.refuse["lent@example.org"] = []int{450, 451}
	s.refuse["parti-pour-de-bon@example.org"] = []int{550}
	o := options(t, ctx, dir, now, sender(t, s, 2, nil))
	rep, err := newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Email != "parti-pour-de-bon@example.org" || !strings.Contains(rep.Failures[0].Detail, "550") {
		t.Fatalf("failures %+v: expected the 550 for parti-pour-de-bon", rep.Failures)
	}
	if dupes := exactlyOnce(t, s, addresses(10, "lent@example.org")); dupes != 0 {
		t.Errorf("%d duplicates", dupes)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/newsletters/2026-11-20-1.md")); err != nil {
		t.Errorf("the issue did not complete: %v", err)
	}
	journal, _ := os.ReadFile(filepath.Join(dir, newsletter.StateDir, "issue-1.journal"))
	if !bytes.Contains(journal, []byte("failed parti-pour-de-bon@example.org")) || !bytes.Contains(journal, []byte("sent lent@example.org")) {
		t.Errorf("journal:\n%s", journal)
	}
}

func TestFaultInSinkThenResume(t *testing.T) {
	ctx := testContext(t)
	dir := newSite(t, readers(60))
	s := newSink(t)
	s.onData = func(n int) {
		if n == 20 {
			s.setDown(true)
		}
	}
	o := options(t, ctx, dir, now, sender(t, s, 3, nil))
	o.Retries = 1
	rep, err := newsletter.Send(ctx, o)
	if !errors.Is(err, newsletter.ErrIncomplete) || rep.Deferred == 0 {
		t.Fatalf("send against a failing sink: %v, %d deferred; expected ErrIncomplete", err, rep.Deferred)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/newsletters/2026-11-20-1.md")); err == nil {
		t.Fatal("an incomplete issue wrote its archive")
	}
	got := len(s.messages())
	s.setDown(false)
	s.onData = nil
	o = options(t, ctx, dir, now.Add(time.Hour), sender(t, s, 3, nil))
	rep, err = newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || rep.Already != got || rep.Sent != 60-got || rep.Issue.Number != 1 {
		t.Fatalf("resume: resumed %v, already %d, sent %d, issue %d; expected issue 1 resumed with %d already sent", rep.Resumed, rep.Already, rep.Sent, rep.Issue.Number, got)
	}
	if dupes := exactlyOnce(t, s, addresses(60)); dupes != 0 {
		t.Errorf("%d duplicates after a fault before DATA", dupes)
	}
}

func TestUnsubscribedMidIssueNeverMailed(t *testing.T) {
	ctx := testContext(t)
	dir := newSite(t, readers(10, "zz-dernier@example.org,Dernier,,"))
	s := newSink(t)
	s.onData = func(n int) {
		if n == 2 {
			if _, err := newsletter.Unsubscribe(ctx, filepath.Join(dir, "subscribers.csv"), []string{"ZZ-dernier@example.org"}); err != nil {
				t.Error(err)
			}
		}
	}
	o := options(t, ctx, dir, now, sender(t, s, 1, nil))
	rep, err := newsletter.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unsubscribed != 1 || rep.Sent != 10 {
		t.Fatalf("%d unsubscribed, %d sent; expected 1 and 10", rep.Unsubscribed, rep.Sent)
	}
	if dupes := exactlyOnce(t, s, addresses(10)); dupes != 0 {
		t.Errorf("%d duplicates", dupes)
	}
}
