package intake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/moderation"
	"github.com/foyerhub/foyer/generator/source"
	"github.com/foyerhub/foyer/generator/subscribers"
)

// Comment is a validated comment, ready to be written.
type Comment struct {
	Article string // slug of a known article
	ReplyTo string // id of an existing contribution of that article, or ""
	Author  string
	Email   string
	Website string
	Body    string
	IP      string
	Spam    bool // the honeypot was filled
}

// Limits on comment fields, in characters.
const (
	maxAuthor  = 80
	maxWebsite = 300
	maxBody    = 10000
)

// idPattern is what a contribution id may look like; it is checked
// before reply_to is used to name a file.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$`)

// fieldError is a refusal naming the field, answered with 400.
type fieldError struct{ Field, Msg string }

func (e *fieldError) Error() string { return e.Field + ": " + e.Msg }

func (s *Server) comment(w http.ResponseWriter, r *http.Request) {
	fields, err := s.readFields(w, r)
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	snap := s.model.get(r.Context())
	c, err := s.parseComment(fields, snap)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	c.IP = s.clientIP(r)
	status := "spam"
	if !c.Spam {
		known := c.Email != "" && snap.known[strings.ToLower(c.Email)]
		res := s.screen.Screen(moderation.Input{Author: c.Author, Email: c.Email, IP: c.IP, Website: c.Website,
			Body: c.Body, Known: known, Recent: s.recent.list()})
		status = moderation.Status(s.cfg.Moderation.AutoApprove, res, known)
	}
	// The write must not be cut short by a client that goes away, nor
	// by shutdown: Wait waits for it.
	s.writes.Add(1)
	id, err := s.writeComment(context.WithoutCancel(r.Context()), c, status)
	s.writes.Done()
	if err != nil {
		s.log.Error("intake: writing a comment", "article", c.Article, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "server_error")
		return
	}
	if !c.Spam {
		s.recent.add(c.Body)
	}
	s.log.Info("intake: comment", "article", c.Article, "id", id, "status", status)
	if status == "pending" && s.cfg.Intake.Notify != "" && s.opts.Mailer != nil {
		s.writes.Add(1)
		go func(ctx context.Context) {
			defer s.writes.Done()
			s.notifyModerator(ctx, c, id)
		}(context.WithoutCancel(r.Context()))
	}
	// A spammer gets the answer everyone gets: the honeypot stays secret.
	shown := status
	if status == "spam" || status == "rejected" {
		shown = "pending"
	}
	art := snap.bySlug[c.Article]
	if wantsJSON(r) {
		writeJSON(w, http.StatusAccepted, map[string]string{"status": shown, "id": id, "article": c.Article})
		return
	}
	anchor := "#comment-pending"
	if shown == "approved" {
		anchor = "#comment-approved"
	}
	http.Redirect(w, r, s.cfg.URL(art.URL)+anchor, http.StatusSeeOther)
}

// parseComment validates every field against the site.
func (s *Server) parseComment(f map[string]string, snap *snapshot) (Comment, error) {
	c := Comment{
		Article: strings.TrimSpace(f["article"]),
		ReplyTo: strings.TrimSpace(f["reply_to"]),
		Author:  strings.TrimSpace(f["author"]),
		Email:   strings.TrimSpace(f["email"]),
		Website: strings.TrimSpace(f["website"]),
		Body:    strings.TrimSpace(strings.ReplaceAll(f["body"], "\r\n", "\n")),
		Spam:    f["homepage"] != "",
	}
	for name, v := range f {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return c, &fieldError{name, "not valid UTF-8 text"}
		}
	}
	art, ok := snap.bySlug[c.Article]
	if !ok || !idPattern.MatchString(c.Article) {
		return c, &fieldError{"article", "no such article"}
	}
	if !art.Open {
		return c, &fieldError{"article", "comments are closed"}
	}
	if c.ReplyTo != "" {
		if !idPattern.MatchString(c.ReplyTo) {
			return c, &fieldError{"reply_to", "no such comment"}
		}
		p := filepath.Join(s.opts.Site, "content", "contributions", c.Article, c.ReplyTo+".md")
		if _, err := os.Stat(p); err != nil {
			return c, &fieldError{"reply_to", "no such comment"}
		}
	}
	if utf8.RuneCountInString(c.Author) > maxAuthor || hasControl(c.Author) {
		return c, &fieldError{"author", fmt.Sprintf("at most %d characters, on one line", maxAuthor)}
	}
	if c.Email != "" {
		if err := subscribers.ValidEmail(c.Email); err != nil {
			return c, &fieldError{"email", err.Error()}
		}
	}
	if c.Website != "" {
		u, err := url.Parse(c.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			len(c.Website) > maxWebsite || hasControl(c.Website) || u.User != nil {
			return c, &fieldError{"website", "expected an http or https address"}
		}
	}
	if c.Body == "" {
		return c, &fieldError{"body", "empty comment"}
	}
	if utf8.RuneCountInString(c.Body) > maxBody {
		return c, &fieldError{"body", fmt.Sprintf("at most %d characters", maxBody)}
	}
	for _, r := range c.Body {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return c, &fieldError{"body", "control characters are not allowed"}
		}
	}
	return c, nil
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// writeComment writes content/contributions/<article>/<new id>.md and
// returns the id. The file is written to a temporary name, fsynced and
// hard-linked to its final name, which fails rather than overwrite.
func (s *Server) writeComment(ctx context.Context, c Comment, status string) (string, error) {
	now := s.opts.Now()
	meta := source.Meta{Author: c.Author, Email: c.Email, IP: c.IP, Website: c.Website, Date: now.UTC().Truncate(time.Second),
		ReplyTo: c.ReplyTo, Status: status, Kind: "comment"}
	data, err := source.Encode(source.Contribution, meta, []byte(c.Body))
	if err != nil {
		return "", err
	}
	dir := filepath.Join(s.opts.Site, "content", "contributions", c.Article)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for range 8 {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		id := newID(now)
		err := atomicfile.Create(filepath.Join(dir, id+".md"), data, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return id, err
	}
	return "", errors.New("could not find a free contribution id")
}

// newID is c-YYYY-MM-DD-<8 hex digits>, the demo hub's naming.
func newID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "c-" + t.UTC().Format("2006-01-02") + "-" + hex.EncodeToString(b[:])
}

// removeStaleTemps deletes temporary files a killed intake left behind
// more than a minute ago (younger ones may belong to a running peer).
func removeStaleTemps(root string) error {
	cutoff := time.Now().Add(-time.Minute)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.Type().IsRegular() && atomicfile.IsTemp(d.Name()) {
			if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) {
				return os.Remove(p)
			}
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// recent keeps the last bodies posted to this instance, for the
// duplicate-text rule. Losing it on restart costs nothing.
type recent struct {
	mu     sync.Mutex
	bodies []string
}

const keepRecent = 50

func (r *recent) add(body string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.bodies) == keepRecent {
		r.bodies = r.bodies[1:]
	}
	r.bodies = append(r.bodies, body)
}

func (r *recent) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

func (s *Server) notifyModerator(ctx context.Context, c Comment, id string) {
	art := s.model.get(ctx).bySlug[c.Article]
	text := fmt.Sprintf(s.msg("notify_body"), c.Article, displayName(c.Author), c.Body, id)
	text += "\n\n" + s.cfg.URL(art.URL) + "\n"
	err := s.opts.Mailer.Send(ctx, Mail{To: s.cfg.Intake.Notify, Subject: fmt.Sprintf(s.msg("notify_subject"), c.Article), Text: text})
	if err != nil {
		s.log.Error("intake: notifying the moderator", "err", err)
	}
}

func displayName(author string) string {
	if author == "" {
		return "Anonyme"
	}
	return author
}
