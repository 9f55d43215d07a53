package newsletter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/subscribers"
	"github.com/foyerhub/foyer/generator/theme"
)

// Message is one rendered e-mail, ready for a Sender. Header values are
// plain text without line breaks: the Sender encodes them.
type Message struct {
	From      *mail.Address
	ReplyTo   *mail.Address // nil when not configured
	To        *mail.Address
	Subject   string
	Date      time.Time
	MessageID string // without angle brackets: id@domain
	ListID    string // preformatted: "phrase" <id>
	// Unsubscribe is the recipient's one-click https URL, for
	// List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
	Unsubscribe string
	Text, HTML  string
}

// Recipient is who a message goes to.
type Recipient struct {
	Email string
	Name  string
	Attrs map[string]string
}

// Digest is what the e-mail templates email/digest.html and .txt get.
type Digest struct {
	Site           *site.Site
	Issue          *Issue
	Subject        string
	Articles       []*site.Article // newest first
	Discussions    []*site.Article // liveliest first
	Name           string          // the recipient's name, "" when unknown
	Attrs          map[string]string
	UnsubscribeURL string
	ArchiveURL     string // the issue's page on the site
}

// Composer renders an issue for each recipient. It is safe for
// concurrent use.
type Composer struct {
	site        *site.Site
	theme       *theme.Theme
	issue       *Issue
	secret      []byte
	from        *mail.Address
	replyTo     *mail.Address
	domain      string
	listID      string
	unsubscribe string
	subject     string
	articles    []*site.Article
	discussions []*site.Article
}

// NewComposer prepares an issue for rendering. secret signs the
// unsubscribe tokens and the Message-IDs. Articles of the issue that are
// no longer in the model (deleted since the send began) are left out.
func NewComposer(s *site.Site, th *theme.Theme, is *Issue, secret []byte) (*Composer, error) {
	cfg := s.Config
	from, err := mail.ParseAddress(cfg.Newsletter.From)
	if err != nil {
		return nil, fmt.Errorf("%s: newsletter.from %q: %v (expected an address such as \"Le Foyer <lettre@hub.example.org>\")", "foyer.yaml", cfg.Newsletter.From, err)
	}
	c := &Composer{site: s, theme: th, issue: is, secret: secret, from: from, unsubscribe: cfg.UnsubscribeURL()}
	if cfg.Newsletter.ReplyTo != "" {
		if c.replyTo, err = mail.ParseAddress(cfg.Newsletter.ReplyTo); err != nil {
			return nil, fmt.Errorf("foyer.yaml: newsletter.reply_to %q: %v (expected an address)", cfg.Newsletter.ReplyTo, err)
		}
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("foyer.yaml: base_url %q: expected an absolute URL, whose host names the Message-IDs", cfg.BaseURL)
	}
	c.domain = u.Hostname()
	c.listID = mime.QEncoding.Encode("utf-8", clean(cfg.Title)) + " <newsletter." + c.domain + ">"
	for _, slug := range is.Articles {
		if a := s.Article(slug); a != nil {
			c.articles = append(c.articles, a)
		}
	}
	for _, slug := range is.Discussions {
		if a := s.Article(slug); a != nil {
			c.discussions = append(c.discussions, a)
		}
	}
	first := ""
	if len(c.articles) > 0 {
		first = c.articles[0].Title
	}
	c.subject = clean(th.T("newsletter_subject", cfg.Title, is.Number, first))
	return c, nil
}

// Subject is the issue's subject line.
func (c *Composer) Subject() string { return c.subject }

// Articles are the issue's articles still in the model.
func (c *Composer) Articles() []*site.Article { return c.articles }

// CheckUnsubscribe reports whether the unsubscribe endpoint can go in
// List-Unsubscribe: RFC 8058 wants https.
func (c *Composer) CheckUnsubscribe() error {
	u, err := url.Parse(c.unsubscribe)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("foyer.yaml: newsletter.unsubscribe_url %q: expected an https URL (one-click unsubscribe needs https; set base_url or unsubscribe_url)", c.unsubscribe)
	}
	return nil
}

// MessageID is the stable Message-ID of the issue for one address: a
// resent copy carries the same one. It holds no address in clear.
func (c *Composer) MessageID(email string) string {
	mac := hmac.New(sha256.New, c.secret)
	fmt.Fprintf(mac, "message-id\x00%s\x00%s", c.issue.Slug(), strings.ToLower(email))
	return fmt.Sprintf("issue-%d.%s@%s", c.issue.Number, hex.EncodeToString(mac.Sum(nil)[:12]), c.domain)
}

// UnsubscribeURL is the recipient's one-click link.
func (c *Composer) UnsubscribeURL(email string) string {
	sep := "?"
	if strings.Contains(c.unsubscribe, "?") {
		sep = "&"
	}
	return c.unsubscribe + sep + "t=" + subscribers.Token(c.secret, "unsubscribe", email)
}

// Compose renders the issue for one recipient.
func (c *Composer) Compose(r Recipient) (*Message, error) {
	if err := subscribers.ValidEmail(r.Email); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", r.Email, err)
	}
	name := clean(r.Name)
	d := &Digest{
		Site: c.site, Issue: c.issue, Subject: c.subject, Articles: c.articles, Discussions: c.discussions,
		Name: name, Attrs: r.Attrs, UnsubscribeURL: c.UnsubscribeURL(r.Email),
		ArchiveURL: c.site.Config.URL("newsletters/" + c.issue.Slug() + "/"),
	}
	html, text, err := c.theme.Email("digest", d)
	if err != nil {
		return nil, err
	}
	return &Message{
		From: c.from, ReplyTo: c.replyTo, To: &mail.Address{Name: name, Address: r.Email},
		Subject: c.subject, Date: c.issue.Date, MessageID: c.MessageID(r.Email), ListID: c.listID,
		Unsubscribe: d.UnsubscribeURL, Text: text, HTML: html,
	}, nil
}

// clean makes a header-safe single line: control characters (CR, LF
// among them) become spaces, so that no value can add a header.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// ErrNoSecret is returned when FOYER_SECRET is not set for a send.
var ErrNoSecret = errors.New("FOYER_SECRET is not set (expected a long random string, the same one the intake server uses to verify unsubscribe links)")
