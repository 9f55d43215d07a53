package config

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestMissingFileGivesDefaults(t *testing.T) {
	cfg, warnings, err := Load(fstest.MapFS{})
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	if cfg.Paginate != 10 || cfg.Theme != "default" || !cfg.Feeds.FullContent || cfg.Feeds.Limit != 20 || cfg.Language != "fr" {
		t.Errorf("defaults: %+v", cfg)
	}
	if cfg.Moderation.AutoApprove != "known" || cfg.Moderation.MaxLinks != 2 || time.Duration(cfg.Newsletter.Period) != 7*24*time.Hour {
		t.Errorf("defaults: %+v", cfg)
	}
	if cfg.UnsubscribeURL() != "http://localhost/_foyer/unsubscribe" {
		t.Errorf("unsubscribe URL %q", cfg.UnsubscribeURL())
	}
}

func TestParse(t *testing.T) {
	src := `title: "Le Foyer"
base_url: https://hub.example.org/sous-dossier
language: en
paginate: 5
feeds: {full_content: false}
newsletter:
  period: 2w
  smtp: {host: mail.example.org, port: 465, tls: tls}
intake:
  rate_limit: 10/h
  max_body: 64kB
colour: blue
`
	cfg, warnings, err := Parse("foyer.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Error() != `foyer.yaml:12:1: unknown key "colour" ignored` {
		t.Errorf("warnings: %v", warnings)
	}
	if cfg.BaseURL != "https://hub.example.org/sous-dossier/" || cfg.BasePath() != "/sous-dossier/" || cfg.URL("/a/") != "https://hub.example.org/sous-dossier/a/" {
		t.Errorf("base URL: %q %q", cfg.BaseURL, cfg.BasePath())
	}
	if cfg.Feeds.FullContent || cfg.Feeds.Limit != 20 || cfg.Paginate != 5 {
		t.Errorf("feeds/paginate: %+v", cfg)
	}
	if time.Duration(cfg.Newsletter.Period) != 14*24*time.Hour || cfg.Newsletter.SMTP.Port != 465 || cfg.Newsletter.SMTP.Host != "mail.example.org" {
		t.Errorf("newsletter: %+v", cfg.Newsletter)
	}
	if cfg.Intake.RateLimit != (Rate{N: 10, Per: time.Hour}) || cfg.Intake.MaxBody != 64000 || cfg.Intake.Prefix != "/_foyer/" {
		t.Errorf("intake: %+v", cfg.Intake)
	}
}

func TestErrorsNamePositionsAllAtOnce(t *testing.T) {
	src := `paginate: many
language: de
newsletter:
  period: soon
  smtp: {tls: ssl}
feeds: [a]
`
	_, _, err := Parse("foyer.yaml", []byte(src))
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	for _, want := range []string{
		"foyer.yaml:1:11: paginate:",
		"expected a whole number",
		"foyer.yaml:4:11: newsletter.period: duration \"soon\"",
		"foyer.yaml:6:8: feeds: expected a mapping of keys, got a list",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"base_url: /relative/", `base_url: "/relative/" is not an absolute URL`},
		{"language: de", `language: "de" is not supported (expected fr or en)`},
		{"paginate: 0", "paginate: 0 must be at least 1"},
		{"moderation: {auto_approve: sometimes}", `moderation.auto_approve: "sometimes" (expected never, known or always)`},
		{"permalinks: {articles: /blog/}", `permalinks.articles: "/blog/" must contain :slug`},
		{"intake: {prefix: foyer}", `intake.prefix: "foyer" must start and end with /`},
		{"title: [", "foyer.yaml:1: invalid YAML"},
	} {
		_, _, err := Parse("foyer.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.src, err, tc.want)
		}
	}
}
