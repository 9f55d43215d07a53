// Package config reads foyer.yaml into a Config with defaults. Every key
// has a default, so a site folder without foyer.yaml builds. Unknown keys
// are warnings naming the key and its line; wrong types and invalid values
// are errors, all of them reported at once.
package config

import (
	"errors"
	"io/fs"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/foyerhub/foyer/generator/diag"
)

// FileName is the name of the configuration file at the site's root.
const FileName = "foyer.yaml"

// Config is the whole site configuration. Field tags name the foyer.yaml
// keys; the zero value is never used directly: call Default or Load.
type Config struct {
	Title       string            `yaml:"title"`
	BaseURL     string            `yaml:"base_url"`
	Language    string            `yaml:"language"`
	Description string            `yaml:"description"`
	Theme       string            `yaml:"theme"`
	Paginate    int               `yaml:"paginate"`
	Permalinks  map[string]string `yaml:"permalinks"`
	Feeds       Feeds             `yaml:"feeds"`
	Markdown    Markdown          `yaml:"markdown"`
	Comments    Comments          `yaml:"comments"`
	Moderation  Moderation        `yaml:"moderation"`
	Newsletter  Newsletter        `yaml:"newsletter"`
	Intake      Intake            `yaml:"intake"`
	Search      Search            `yaml:"search"`
}

// Feeds configures the RSS, Atom and JSON feeds.
type Feeds struct {
	FullContent bool `yaml:"full_content"`
	Limit       int  `yaml:"limit"`
}

// Markdown configures how the site's own authors' Markdown is rendered.
// Contributions are always rendered safely, whatever is set here.
type Markdown struct {
	UnsafeHTML bool `yaml:"unsafe_html"`
}

// Comments configures how contributions are shown.
type Comments struct {
	PerPage     int  `yaml:"per_page"`
	MaxDepth    int  `yaml:"max_depth"`
	Gravatar    bool `yaml:"gravatar"`
	AllowImages bool `yaml:"allow_images"`
}

// Moderation configures the screening of incoming contributions.
type Moderation struct {
	AutoApprove  string   `yaml:"auto_approve"`
	MaxLinks     int      `yaml:"max_links"`
	BannedWords  []string `yaml:"banned_words"`
	SuspectWords []string `yaml:"suspect_words"`
	Blocked      []string `yaml:"blocked"`
}

// Newsletter configures digest issues and their delivery.
type Newsletter struct {
	From           string   `yaml:"from"`
	ReplyTo        string   `yaml:"reply_to"`
	Subscribers    string   `yaml:"subscribers"`
	Period         Duration `yaml:"period"`
	Rate           float64  `yaml:"rate"`
	Concurrency    int      `yaml:"concurrency"`
	UnsubscribeURL string   `yaml:"unsubscribe_url"`
	SMTP           SMTP     `yaml:"smtp"`
	DKIM           DKIM     `yaml:"dkim"`
}

// SMTP names the mail server. The password comes only from the
// environment variable FOYER_SMTP_PASSWORD.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"`
	Username string `yaml:"username"`
	TLS      string `yaml:"tls"`
}

// DKIM configures message signing; empty Domain means no signing.
type DKIM struct {
	Domain   string `yaml:"domain"`
	Selector string `yaml:"selector"`
	KeyFile  string `yaml:"key_file"`
}

// Intake configures the forms server.
type Intake struct {
	URL            string   `yaml:"url"`
	Prefix         string   `yaml:"prefix"`
	RateLimit      Rate     `yaml:"rate_limit"`
	MaxBody        ByteSize `yaml:"max_body"`
	AllowedOrigins []string `yaml:"allowed_origins"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	Notify         string   `yaml:"notify"`
}

// Search configures the static search index.
type Search struct {
	Enabled  bool `yaml:"enabled"`
	Comments bool `yaml:"comments"`
}

// Default returns the configuration of a site with no foyer.yaml.
func Default() *Config {
	return &Config{
		Title:    "Foyer",
		BaseURL:  "http://localhost/",
		Language: "fr",
		Theme:    "default",
		Paginate: 10,
		Feeds:    Feeds{FullContent: true, Limit: 20},
		Comments: Comments{PerPage: 100, MaxDepth: 5},
		Moderation: Moderation{
			AutoApprove: "known",
			MaxLinks:    2,
		},
		Newsletter: Newsletter{
			Subscribers: "subscribers.csv",
			Period:      Duration(7 * day),
			Concurrency: 4,
			SMTP:        SMTP{Host: "127.0.0.1", Port: 587, TLS: "starttls"},
		},
		Intake: Intake{
			Prefix:    "/_foyer/",
			RateLimit: Rate{N: 5, Per: minute},
			MaxBody:   20 * 1000,
		},
		Search: Search{Enabled: true},
	}
}

// Load reads FileName from fsys. A missing file yields Default. warnings
// receive unknown keys; the error is a diag.List of every problem found.
func Load(fsys fs.FS) (cfg *Config, warnings []error, err error) {
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return Parse(FileName, data)
}

// Parse decodes data (named path in messages) over the defaults and
// validates the result.
func Parse(path string, data []byte) (*Config, []error, error) {
	cfg := Default()
	var warnings, errs diag.List
	decode(path, data, cfg, &warnings, &errs)
	if len(errs) == 0 {
		errs = append(errs, cfg.Validate(path)...)
	}
	return cfg, warnings, errs.Err()
}

// Validate returns every invalid value of c, each naming path.
func (c *Config) Validate(path string) diag.List {
	var errs diag.List
	bad := func(key, format string, args ...any) {
		errs.Add(diag.Errorf(path, 0, 0, "%s: "+format, append([]any{key}, args...)...))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || !u.IsAbs() || u.Host == "" {
		bad("base_url", "%q is not an absolute URL (expected e.g. https://hub.example.org/)", c.BaseURL)
	} else if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	if c.Language != "fr" && c.Language != "en" {
		bad("language", "%q is not supported (expected fr or en)", c.Language)
	}
	if c.Paginate < 1 {
		bad("paginate", "%d must be at least 1", c.Paginate)
	}
	if c.Feeds.Limit < 1 {
		bad("feeds.limit", "%d must be at least 1", c.Feeds.Limit)
	}
	if c.Comments.PerPage < 1 || c.Comments.MaxDepth < 1 {
		bad("comments", "per_page and max_depth must be at least 1")
	}
	for key, pattern := range c.Permalinks {
		if key != "articles" && key != "pages" {
			bad("permalinks."+key, "unknown section (expected articles or pages)")
		} else if !strings.Contains(pattern, ":slug") {
			bad("permalinks."+key, "%q must contain :slug", pattern)
		}
	}
	switch c.Moderation.AutoApprove {
	case "never", "known", "always":
	default:
		bad("moderation.auto_approve", "%q (expected never, known or always)", c.Moderation.AutoApprove)
	}
	switch c.Newsletter.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		bad("newsletter.smtp.tls", "%q (expected none, starttls or tls)", c.Newsletter.SMTP.TLS)
	}
	if c.Newsletter.Concurrency < 1 {
		bad("newsletter.concurrency", "%d must be at least 1", c.Newsletter.Concurrency)
	}
	if c.Newsletter.Rate < 0 {
		bad("newsletter.rate", "%v must not be negative", c.Newsletter.Rate)
	}
	if !strings.HasPrefix(c.Intake.Prefix, "/") || !strings.HasSuffix(c.Intake.Prefix, "/") {
		bad("intake.prefix", "%q must start and end with /", c.Intake.Prefix)
	}
	return errs
}

// URL joins a site-relative path to BaseURL.
func (c *Config) URL(rel string) string {
	return strings.TrimSuffix(c.BaseURL, "/") + "/" + strings.TrimPrefix(rel, "/")
}

// BasePath is the path part of BaseURL, always ending in "/".
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return strings.TrimSuffix(u.Path, "/") + "/"
}

// UnsubscribeURL is the newsletter's one-click endpoint.
func (c *Config) UnsubscribeURL() string {
	if c.Newsletter.UnsubscribeURL != "" {
		return c.Newsletter.UnsubscribeURL
	}
	// The intake serves it: under intake.url when set, else under
	// intake.prefix on base_url.
	if c.Intake.URL != "" {
		return strings.TrimSuffix(c.Intake.URL, "/") + "/unsubscribe"
	}
	return c.URL(c.Intake.Prefix + "unsubscribe")
}

// Keys returns the top-level keys that foyer.yaml text data sets, in
// file order, so that a tool can add a missing key without repeating
// one the user wrote.
func Keys(data []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(FileName, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	m := doc.Content[0]
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys, nil
}
