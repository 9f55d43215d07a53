// Package intake is the small HTTP service behind a hub's forms. It
// turns requests into files of the site — pending contributions under
// content/contributions/, rows of the subscribers file — and nothing
// more: it holds no database and renders no site pages.
//
// Every request is treated as hostile. Paths and ids are made by the
// server, never taken from the request; bodies are size-limited; POSTs
// are rate-limited per client address and checked against the allowed
// origins (except the RFC 8058 one-click unsubscribe); every file is
// written through a temporary file, fsynced and renamed or linked into
// place, so that a killed server leaves each file whole. State that must
// outlive a process (the time of the last confirmation mail sent to an
// address) lives in files under the site's .foyer/ folder, so several
// instances may share one site folder.
package intake

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/moderation"
)

// ErrNoSecret is returned by New without a secret.
var ErrNoSecret = errors.New("FOYER_SECRET is not set: the intake signs confirmation and unsubscribe links with it.\n" +
	"Make one with `openssl rand -hex 32`, keep it private, and set it in the service's environment:\n" +
	"  export FOYER_SECRET=$(openssl rand -hex 32)\n" +
	"Use the same value for `foyer newsletter`, or its unsubscribe links will not work")

// Mail is a plain-text message to one address.
type Mail struct {
	To      string
	Subject string
	Text    string
	// Unsubscribe, when set, is the recipient's one-click unsubscribe
	// URL, for the List-Unsubscribe and List-Unsubscribe-Post fields.
	Unsubscribe string
}

// Mailer sends mail. The command line adapts the newsletter's SMTP
// sender to it; tests use a real SMTP server in process.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Options configure a Server.
type Options struct {
	Site   string // the site folder
	Secret []byte // HMAC key for tokens: env FOYER_SECRET
	Mailer Mailer // nil: no mail; subscribe then fails with 503
	Logger *slog.Logger
	Now    func() time.Time // nil: time.Now
	// Reload is how often, at most, the article list is checked for
	// changes on disk; zero means every 2 seconds.
	Reload time.Duration
}

// Server is the intake's http.Handler.
type Server struct {
	opts    Options
	cfg     *config.Config
	log     *slog.Logger
	mux     *http.ServeMux
	origins map[string]bool
	proxies []proxyNet
	limiter *limiter
	model   *articles
	inbox   string // the intake's public URL, ending in "/"
	screen  *moderation.Screener
	recent  recent
	writes  sync.WaitGroup
}

// New loads the site's configuration and articles and returns a Server.
func New(ctx context.Context, opts Options) (*Server, error) {
	if len(opts.Secret) == 0 {
		return nil, ErrNoSecret
	}
	if len(opts.Secret) < 16 {
		return nil, fmt.Errorf("FOYER_SECRET is too short (%d bytes): use at least 16 random bytes, e.g. `openssl rand -hex 32`", len(opts.Secret))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Reload <= 0 {
		opts.Reload = 2 * time.Second
	}
	model, err := loadArticles(ctx, opts.Site, opts.Reload)
	if err != nil {
		return nil, err
	}
	cfg := model.config()
	s := &Server{opts: opts, cfg: cfg, log: opts.Logger, model: model}
	if s.origins, err = allowedOrigins(cfg); err != nil {
		return nil, err
	}
	if s.proxies, err = parseProxies(cfg.Intake.TrustedProxies); err != nil {
		return nil, err
	}
	s.screen = moderation.NewScreener(cfg.Moderation)
	s.limiter = newLimiter(cfg.Intake.RateLimit.N, cfg.Intake.RateLimit.Per, opts.Now)
	s.inbox = cfg.Intake.URL
	if s.inbox == "" {
		s.inbox = cfg.URL(cfg.Intake.Prefix)
	}
	if !strings.HasSuffix(s.inbox, "/") {
		s.inbox += "/"
	}
	if err := removeStaleTemps(filepath.Join(opts.Site, "content", "contributions")); err != nil {
		s.log.Warn("intake: cleaning temporary files", "err", err)
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	p := s.cfg.Intake.Prefix
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+p+"comment", s.guard(s.comment))
	s.mux.HandleFunc("POST "+p+"subscribe", s.guard(s.subscribe))
	s.mux.HandleFunc("GET "+p+"confirm", s.confirm)
	s.mux.HandleFunc("GET "+p+"unsubscribe", s.unsubscribePage)
	s.mux.HandleFunc("POST "+p+"unsubscribe", s.limited(s.unsubscribe))
	s.mux.HandleFunc("GET "+p+"healthz", s.healthz)
}

// ServeHTTP serves the intake's endpoints under intake.prefix.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// Wait blocks until every file write that has started is finished.
func (s *Server) Wait() { s.writes.Wait() }

// Config is the site configuration the server runs with.
func (s *Server) Config() *config.Config { return s.cfg }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// origin returns scheme://host of a URL, lower-cased, or "".
func origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

func allowedOrigins(cfg *config.Config) (map[string]bool, error) {
	m := map[string]bool{origin(cfg.BaseURL): true}
	if cfg.Intake.URL != "" {
		o := origin(cfg.Intake.URL)
		if o == "" {
			return nil, fmt.Errorf("foyer.yaml: intake.url: %q is not an absolute URL (expected e.g. https://hub.example.org/_foyer/)", cfg.Intake.URL)
		}
		m[o] = true
	}
	for _, raw := range cfg.Intake.AllowedOrigins {
		o := origin(raw)
		if o == "" {
			return nil, fmt.Errorf("foyer.yaml: intake.allowed_origins: %q is not an origin (expected e.g. https://www.example.org)", raw)
		}
		m[o] = true
	}
	return m, nil
}

// HTML is the mail's text as a small HTML body, for senders that send
// both: paragraphs at blank lines, lines that are URLs made into links.
func (m Mail) HTML() string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(m.Text), "\n\n") {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			esc := html.EscapeString(line)
			if strings.HasPrefix(line, "https://") || strings.HasPrefix(line, "http://") {
				esc = `<a href="` + esc + `">` + esc + `</a>`
			}
			b.WriteString(esc)
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}
