// Package smtp is the newsletter's SMTP Sender, built on go-mail (the
// only package that imports it). It keeps up to Concurrency connections
// open and reuses each for message after message, speaks plain SMTP,
// STARTTLS or implicit TLS, authenticates with a password taken only
// from the environment, and signs with DKIM when configured, covering
// the List-Unsubscribe headers as RFC 8058 asks.
//
// go-mail composes each message and carries the SMTP conversation; the
// DKIM signature is made by github.com/emersion/go-msgauth over the exact
// bytes sent. go-mail's own signer (v0.8) folds the h= tag in the middle
// of a header name once the list grows past one line, which verifiers
// reject, and RFC 8058 needs that longer list.
package smtp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"net/textproto"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/wneessen/go-mail"
	mailsmtp "github.com/wneessen/go-mail/smtp"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/newsletter"
)

// PasswordEnv names the environment variable holding the SMTP password.
const PasswordEnv = "FOYER_SMTP_PASSWORD"

// signedHeaders are the headers the DKIM signature covers.
var signedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID",
	"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
	"MIME-Version", "Content-Type",
}

// Options configure a Sender.
type Options struct {
	Host        string
	Port        int
	TLS         string // none, starttls or tls
	Username    string
	Password    string
	Concurrency int
	Timeout     time.Duration // per SMTP command; default 30s
	TLSConfig   *tls.Config   // nil for the system's roots and Host as the server name
	DKIM        *DKIM         // nil for no signing
}

// DKIM is a signing identity.
type DKIM struct {
	Domain, Selector string
	Key              crypto.Signer
}

// FromConfig makes Options from foyer.yaml's newsletter section: the
// DKIM key file is read relative to the site folder and the password
// from getenv(PasswordEnv).
func FromConfig(cfg config.Newsletter, siteDir string, getenv func(string) string) (Options, error) {
	o := Options{
		Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, TLS: cfg.SMTP.TLS,
		Username: cfg.SMTP.Username, Password: getenv(PasswordEnv),
		Concurrency: cfg.Concurrency,
	}
	if cfg.DKIM.Domain == "" {
		return o, nil
	}
	if cfg.DKIM.Selector == "" || cfg.DKIM.KeyFile == "" {
		return o, fmt.Errorf("foyer.yaml: newsletter.dkim: expected domain, selector and key_file together")
	}
	path := cfg.DKIM.KeyFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(siteDir, path)
	}
	pemBytes, err := os.ReadFile(path)
	if err != nil {
		return o, fmt.Errorf("foyer.yaml: newsletter.dkim.key_file: %w", err)
	}
	key, err := mail.PrivKeyFromPEM(pemBytes)
	if err != nil {
		return o, fmt.Errorf("%s: %v (expected a PEM RSA or Ed25519 private key)", path, err)
	}
	o.DKIM = &DKIM{Domain: cfg.DKIM.Domain, Selector: cfg.DKIM.Selector, Key: key}
	return o, nil
}

// Sender sends through one SMTP server over reused connections.
type Sender struct {
	opts  Options
	mail  *mail.Client // the dialer: address, TLS, authentication
	sign  *dkim.SignOptions
	slots chan struct{}         // one per connection allowed
	idle  chan *mailsmtp.Client // open connections waiting for a message
}

var _ newsletter.Sender = (*Sender)(nil)

// New makes a Sender; it connects on the first Send.
func New(o Options) (*Sender, error) {
	if o.Host == "" {
		return nil, errors.New("foyer.yaml: newsletter.smtp.host is empty (expected the SMTP server's name)")
	}
	o.Concurrency = max(1, o.Concurrency)
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	opts := []mail.Option{mail.WithTimeout(o.Timeout), mail.WithoutNoop()}
	switch o.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "tls":
		opts = append(opts, mail.WithSSL())
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	opts = append(opts, mail.WithPort(o.Port)) // last: the TLS options pick default ports
	if o.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(o.TLSConfig))
	}
	if o.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(o.Username), mail.WithPassword(o.Password))
	}
	c, err := mail.NewClient(o.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP %s:%d: %w", o.Host, o.Port, err)
	}
	s := &Sender{opts: o, mail: c, slots: make(chan struct{}, o.Concurrency), idle: make(chan *mailsmtp.Client, o.Concurrency)}
	if o.DKIM != nil {
		s.sign = &dkim.SignOptions{
			Domain: o.DKIM.Domain, Selector: o.DKIM.Selector, Signer: o.DKIM.Key,
			HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
			HeaderKeys: signedHeaders,
		}
		if _, err := dkim.NewSigner(s.sign); err != nil {
			return nil, fmt.Errorf("foyer.yaml: newsletter.dkim: %w", err)
		}
	}
	return s, nil
}

// conn takes an idle connection, or opens one when fewer than
// Concurrency are open.
func (s *Sender) conn(ctx context.Context) (*mailsmtp.Client, error) {
	select {
	case c := <-s.idle:
		return c, nil
	default:
	}
	select {
	case s.slots <- struct{}{}:
	case c := <-s.idle:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c, err := s.mail.DialToSMTPClientWithContext(ctx)
	if err != nil {
		<-s.slots
		return nil, fmt.Errorf("SMTP %s:%d: %w", s.opts.Host, s.opts.Port, err)
	}
	return c, nil
}

// Send delivers one message on a pooled connection. A 5xx reply is a
// *newsletter.PermanentError. The connection of a failed send is
// dropped, so that the next send starts on a clean one.
func (s *Sender) Send(ctx context.Context, m *newsletter.Message) error {
	data, err := s.bytes(m)
	if err != nil {
		return err
	}
	c, err := s.conn(ctx)
	if err != nil {
		return err
	}
	if err := transact(c, m.From.Address, m.To.Address, data); err != nil {
		_ = s.mail.CloseWithSMTPClient(c)
		<-s.slots
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
			return &newsletter.PermanentError{Code: te.Code, Err: err}
		}
		return err
	}
	s.idle <- c
	return nil
}

// transact runs one SMTP mail transaction; the message is accepted when
// it returns nil.
func transact(c *mailsmtp.Client, from, to string, data []byte) error {
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("RCPT TO <%s>: %w", to, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return nil
}

// bytes renders m, signed when DKIM is configured.
func (s *Sender) bytes(m *newsletter.Message) ([]byte, error) {
	var b bytes.Buffer
	if _, err := build(m).WriteTo(&b); err != nil {
		return nil, err
	}
	if s.sign == nil {
		return b.Bytes(), nil
	}
	var signed bytes.Buffer
	if err := dkim.Sign(&signed, bytes.NewReader(b.Bytes()), s.sign); err != nil {
		return nil, fmt.Errorf("DKIM: %w", err)
	}
	return signed.Bytes(), nil
}

// Close says QUIT on every idle connection.
func (s *Sender) Close() error {
	var errs []error
	for {
		select {
		case c := <-s.idle:
			errs = append(errs, s.mail.CloseWithSMTPClient(c))
			<-s.slots
		default:
			return errors.Join(errs...)
		}
	}
}

func build(m *newsletter.Message) *mail.Msg {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	msg.SetAddrHeaderFromMailAddress(mail.HeaderFrom, m.From)
	msg.SetAddrHeaderFromMailAddress(mail.HeaderTo, m.To)
	if m.ReplyTo != nil {
		msg.ReplyToMailAddress(m.ReplyTo)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.Date)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetGenHeaderPreformatted("List-Id", m.ListID)
	msg.SetGenHeaderPreformatted(mail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
	msg.SetGenHeaderPreformatted(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	return msg
}

// Write writes m as an RFC 5322 message (an .eml file), unsigned.
func Write(w io.Writer, m *newsletter.Message) error {
	_, err := build(m).WriteTo(w)
	return err
}
