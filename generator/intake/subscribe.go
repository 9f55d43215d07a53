package intake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/subscribers"
)

// resendAfter is how long an address waits for a second confirmation
// mail: repeated subscriptions cannot be used to flood a mailbox.
const resendAfter = time.Hour

// maxName bounds a subscriber's name, in characters.
const maxName = 100

func (s *Server) subscribersPath() string {
	p := s.cfg.Newsletter.Subscribers
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.opts.Site, p)
}

// sentPath is the state file of confirmation mails sent: a JSON object
// from a keyed hash of each address (never the address itself) to the
// Unix time of its last mail.
func (s *Server) sentPath() string {
	return filepath.Join(s.opts.Site, ".foyer", "intake-sent.json")
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	fields, err := s.readFields(w, r)
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	email := strings.TrimSpace(fields["email"])
	name := strings.TrimSpace(fields["name"])
	if err := subscribers.ValidEmail(email); err != nil {
		s.refuse(w, r, &fieldError{"email", err.Error()})
		return
	}
	if !utf8.ValidString(name) || hasControl(name) || utf8.RuneCountInString(name) > maxName {
		s.refuse(w, r, &fieldError{"name", fmt.Sprintf("at most %d characters, on one line", maxName)})
		return
	}
	if fields["homepage"] != "" {
		s.subscribed(w, r) // a bot: the same answer, nothing done
		return
	}
	if s.opts.Mailer == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "no_mail")
		return
	}
	s.writes.Add(1)
	defer s.writes.Done()
	ctx := context.WithoutCancel(r.Context())
	send, err := s.reserveConfirmation(ctx, email, name)
	if err != nil {
		s.log.Error("intake: subscribe", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "server_error")
		return
	}
	if send {
		if err := s.sendConfirmation(ctx, email); err != nil {
			s.log.Error("intake: sending a confirmation", "err", err)
			// Let the reader try again at once rather than in an hour.
			_ = subscribers.Update(ctx, s.subscribersPath(), func(*subscribers.List) error {
				return s.updateSent(email, time.Time{})
			})
			s.fail(w, r, http.StatusServiceUnavailable, "mail_failed")
			return
		}
	}
	// The same answer whether the address was new, pending, subscribed
	// or gone: the form never reveals who is on the list.
	s.subscribed(w, r)
}

func (s *Server) subscribed(w http.ResponseWriter, r *http.Request) {
	if wantsJSON(r) {
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "check_your_mail"})
		return
	}
	s.page(w, http.StatusOK, "check_mail_title", "check_mail", nil)
}

// reserveConfirmation adds or revives the address as pending and
// records a confirmation mail, all under the subscribers file's lock;
// it reports whether the mail is due.
func (s *Server) reserveConfirmation(ctx context.Context, email, name string) (bool, error) {
	var send bool
	err := subscribers.Update(ctx, s.subscribersPath(), func(l *subscribers.List) error {
		send = false
		sub := l.Find(email)
		switch {
		case sub == nil:
			if _, err := l.Add(email, name, subscribers.Pending); err != nil {
				return err
			}
		case sub.Status == subscribers.Unsubscribed:
			l.SetStatus(email, subscribers.Pending)
		case sub.Status != subscribers.Pending:
			return errUnchanged // subscribed or bounced: nothing to confirm
		}
		last, err := s.lastSent(email)
		if err != nil {
			return err
		}
		if !last.IsZero() && s.opts.Now().Sub(last) < resendAfter {
			return nil
		}
		send = true
		return s.updateSent(email, s.opts.Now())
	})
	if errors.Is(err, errUnchanged) {
		err = nil
	}
	return send, err
}

func (s *Server) sendConfirmation(ctx context.Context, email string) error {
	link := s.inbox + "confirm?t=" + url.QueryEscape(subscribers.Token(s.opts.Secret, "confirm", email))
	text := fmt.Sprintf(s.msg("confirm_body"), s.cfg.Title, link)
	// The one-click link lets a reader who never asked say so at once.
	unsub := s.cfg.UnsubscribeURL() + "?t=" + url.QueryEscape(subscribers.Token(s.opts.Secret, "unsubscribe", email))
	return s.opts.Mailer.Send(ctx, Mail{To: email, Subject: fmt.Sprintf(s.msg("confirm_subject"), s.cfg.Title), Text: text, Unsubscribe: unsub})
}

func (s *Server) addressKey(email string) string {
	mac := hmac.New(sha256.New, s.opts.Secret)
	mac.Write([]byte("sent\x00" + strings.ToLower(email)))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

func (s *Server) readSent() (map[string]int64, error) {
	data, err := os.ReadFile(s.sentPath())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]int64{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	if err := json.Unmarshal(data, &m); err != nil {
		// A damaged state file only costs a few early resends.
		s.log.Warn("intake: unreadable state file, starting afresh", "path", s.sentPath(), "err", err)
		return map[string]int64{}, nil
	}
	return m, nil
}

func (s *Server) lastSent(email string) (time.Time, error) {
	m, err := s.readSent()
	if err != nil {
		return time.Time{}, err
	}
	if t, ok := m[s.addressKey(email)]; ok {
		return time.Unix(t, 0), nil
	}
	return time.Time{}, nil
}

// updateSent records (or with a zero time forgets) the last mail to
// email, dropping entries past resendAfter. Callers hold the
// subscribers lock.
func (s *Server) updateSent(email string, at time.Time) error {
	m, err := s.readSent()
	if err != nil {
		return err
	}
	now := s.opts.Now()
	for k, t := range m {
		if now.Sub(time.Unix(t, 0)) >= resendAfter {
			delete(m, k)
		}
	}
	if at.IsZero() {
		delete(m, s.addressKey(email))
	} else {
		m[s.addressKey(email)] = at.Unix()
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return atomicfile.Write(s.sentPath(), data, 0o600)
}

// confirm makes a pending subscriber subscribed. Following the link
// twice is harmless.
func (s *Server) confirm(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	var found bool
	s.writes.Add(1)
	err := subscribers.Update(context.WithoutCancel(r.Context()), s.subscribersPath(), func(l *subscribers.List) error {
		sub := l.ByToken(s.opts.Secret, "confirm", token)
		if sub == nil {
			return errNoToken
		}
		found = true
		if sub.Status == subscribers.Pending {
			l.SetStatus(sub.Email, subscribers.Subscribed)
			return nil
		}
		return errUnchanged
	})
	s.writes.Done()
	switch {
	case !found:
		s.page(w, http.StatusNotFound, "bad_link_title", "bad_link", nil)
	case err != nil && !errors.Is(err, errUnchanged):
		s.log.Error("intake: confirm", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "server_error")
	default:
		s.page(w, http.StatusOK, "confirmed_title", "confirmed", nil)
	}
}

// errNoToken and errUnchanged end an Update without writing.
var (
	errNoToken   = errors.New("no subscriber for this token")
	errUnchanged = errors.New("nothing to change")
)

// unsubscribePage shows a button: GETs are prefetched by link scanners
// and must change nothing.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	l, _, err := subscribers.Read(s.subscribersPath())
	if err != nil {
		s.log.Error("intake: unsubscribe page", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "server_error")
		return
	}
	if l.ByToken(s.opts.Secret, "unsubscribe", token) == nil {
		s.page(w, http.StatusNotFound, "bad_link_title", "bad_link", nil)
		return
	}
	action := s.cfg.Intake.Prefix + "unsubscribe?t=" + url.QueryEscape(token)
	s.page(w, http.StatusOK, "unsubscribe_title", "unsubscribe_ask", &button{Action: action, Label: s.msg("unsubscribe_button")})
}

// unsubscribe is the RFC 8058 one-click endpoint: mail providers POST
// "List-Unsubscribe=One-Click" from their own servers, so no origin
// check applies; the token is the authority.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	fields, err := s.readFields(w, r)
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	if fields["List-Unsubscribe"] != "One-Click" {
		s.refuse(w, r, &fieldError{"List-Unsubscribe", `expected "One-Click"`})
		return
	}
	token := r.URL.Query().Get("t")
	s.writes.Add(1)
	err = subscribers.Update(context.WithoutCancel(r.Context()), s.subscribersPath(), func(l *subscribers.List) error {
		sub := l.ByToken(s.opts.Secret, "unsubscribe", token)
		if sub == nil {
			return errNoToken
		}
		if sub.Status == subscribers.Unsubscribed {
			return errUnchanged
		}
		l.SetStatus(sub.Email, subscribers.Unsubscribed)
		return nil
	})
	s.writes.Done()
	switch {
	case errors.Is(err, errNoToken):
		s.page(w, http.StatusNotFound, "bad_link_title", "bad_link", nil)
	case err != nil && !errors.Is(err, errUnchanged):
		s.log.Error("intake: unsubscribe", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "server_error")
	default:
		s.page(w, http.StatusOK, "unsubscribed_title", "unsubscribed", nil)
	}
}
