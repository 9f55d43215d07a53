package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/intake"
	"github.com/foyerhub/foyer/generator/newsletter"
	"github.com/foyerhub/foyer/generator/newsletter/smtp"
)

func intakeCommand() *command {
	return &command{
		name:    "intake",
		summary: "run the server behind the hub's forms (comments, subscriptions)",
		usage:   "[-s SITE] [--port 8080] [--bind 127.0.0.1]",
		run:     runIntake,
	}
}

func runIntake(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("intake", env)
	site := fs.String("s", ".", "site folder")
	port := fs.Int("port", 8080, "port to listen on")
	bind := fs.String("bind", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usagef("--port %d: expected 0 to 65535", *port)
	}
	secret := env.Getenv("FOYER_SECRET")
	if secret == "" {
		return fmt.Errorf("foyer intake: %w", intake.ErrNoSecret)
	}
	cfg, _, err := config.Load(os.DirFS(*site))
	if err != nil {
		return fmt.Errorf("foyer intake: %w", err)
	}
	opts := intake.Options{Site: *site, Secret: []byte(secret), Logger: slog.New(slog.NewTextHandler(env.Stderr, nil))}
	if cfg.Newsletter.From != "" {
		m, err := newMailer(cfg, *site, env)
		if err != nil {
			return fmt.Errorf("foyer intake: %w", err)
		}
		defer m.sender.Close()
		opts.Mailer = m
	} else {
		fmt.Fprintln(env.Stderr, "warning: newsletter.from is not set in foyer.yaml: no mail is sent, and subscriptions answer 503")
	}
	srv, err := intake.New(ctx, opts)
	if err != nil {
		return fmt.Errorf("foyer intake: %w", err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(*port)))
	if err != nil {
		return fmt.Errorf("foyer intake: %w", err)
	}
	fmt.Fprintf(env.Stdout, "Intake listening on http://%s%s (Ctrl+C to stop)\n", ln.Addr(), cfg.Intake.Prefix)
	err = srv.Serve(ctx, ln)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("foyer intake: %w", err)
	}
	fmt.Fprintln(env.Stdout, "Intake stopped; every write finished.")
	return nil
}

// mailer adapts the newsletter's SMTP sender to intake.Mailer.
type mailer struct {
	sender *smtp.Sender
	from   *mail.Address
	domain string
}

var _ intake.Mailer = (*mailer)(nil)

func newMailer(cfg *config.Config, site string, env *Env) (*mailer, error) {
	addr, err := mail.ParseAddress(cfg.Newsletter.From)
	if err != nil {
		return nil, fmt.Errorf("foyer.yaml: newsletter.from %q: %v (expected e.g. \"Le Foyer <lettre@hub.example.org>\")", cfg.Newsletter.From, err)
	}
	o, err := smtp.FromConfig(cfg.Newsletter, site, env.Getenv)
	if err != nil {
		return nil, err
	}
	s, err := smtp.New(o)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.BaseURL)
	return &mailer{sender: s, from: addr, domain: u.Hostname()}, nil
}

func (m *mailer) Send(ctx context.Context, im intake.Mail) error {
	var id [12]byte
	_, _ = rand.Read(id[:])
	return m.sender.Send(ctx, &newsletter.Message{
		From: m.from, To: &mail.Address{Address: im.To}, Subject: im.Subject, Date: time.Now(),
		MessageID: hex.EncodeToString(id[:]) + "@" + m.domain, Unsubscribe: im.Unsubscribe,
		Text: im.Text, HTML: im.HTML(),
	})
}
