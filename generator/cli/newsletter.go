package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/newsletter"
	"github.com/foyerhub/foyer/generator/newsletter/smtp"
)

const newsletterUsage = "preview [-s SITE] [--since DATE] [-o DIR] | send [-s SITE] [--since DATE] [--to ADDR] [--yes] | unsubscribe [-s SITE] ADDR…"

func newsletterCommand() *command {
	return &command{
		name:    "newsletter",
		summary: "preview and send the digest newsletter, record unsubscriptions",
		usage:   newsletterUsage,
		run:     runNewsletter,
	}
}

func runNewsletter(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected preview, send or unsubscribe")
	}
	switch args[0] {
	case "preview":
		return runNewsletterPreview(ctx, env, args[1:])
	case "send":
		return runNewsletterSend(ctx, env, args[1:])
	case "unsubscribe":
		return runNewsletterUnsubscribe(ctx, env, args[1:])
	case "-h", "-help", "--help":
		fmt.Fprintf(env.Stdout, "  preview      build the next issue without sending: .eml files and an HTML preview\n  send         send the next issue (resumes an interrupted one)\n  unsubscribe  mark addresses as unsubscribed\n")
		return flag.ErrHelp
	}
	return usagef("unknown newsletter command %q (expected preview, send or unsubscribe)", args[0])
}

// newsletterSite loads the site and the options every newsletter
// command shares.
func newsletterSite(ctx context.Context, env *Env, dir, since string) (newsletter.Options, error) {
	var o newsletter.Options
	t, err := parseSince(since)
	if err != nil {
		return o, err
	}
	m, err := build.Load(ctx, build.Options{Site: dir})
	if m != nil {
		printWarnings(env, m.Warnings)
	}
	if err != nil {
		return o, err
	}
	return newsletter.Options{Dir: dir, Site: m.Site, Theme: m.Theme, Secret: []byte(env.Getenv("FOYER_SECRET")), Since: t}, nil
}

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usagef("--since %q: expected a date such as 2026-11-01 or 2026-11-01T08:00:00+01:00", s)
}

func runNewsletterPreview(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("newsletter preview", env)
	var dir, since, out string
	fs.StringVar(&dir, "s", ".", "site folder")
	fs.StringVar(&since, "since", "", "articles dated after this date (default: the list's start)")
	fs.StringVar(&out, "o", "", "output folder (default SITE/.foyer/newsletter/preview)")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	o, err := newsletterSite(ctx, env, dir, since)
	if err != nil {
		return err
	}
	res, err := newsletter.Preview(ctx, o, 3)
	if errors.Is(err, newsletter.ErrNothingNew) {
		fmt.Fprintln(env.Stdout, "Nothing new since the last issue: no issue to preview.")
		return nil
	}
	if err != nil {
		return err
	}
	printWarnings(env, res.Warnings)
	if out == "" {
		out = filepath.Join(dir, newsletter.StateDir, "preview")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for i, m := range res.Messages {
		f, err := os.Create(filepath.Join(out, "issue-"+strconv.Itoa(res.Issue.Number)+"-"+strconv.Itoa(i+1)+".eml"))
		if err != nil {
			return err
		}
		err = smtp.Write(f, m)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "preview.html"), []byte(res.Messages[0].HTML), 0o644); err != nil {
		return err
	}
	if len(o.Secret) == 0 {
		fmt.Fprintln(env.Stderr, "note: FOYER_SECRET is not set: the unsubscribe links of the preview carry a placeholder token")
	}
	state := ""
	if res.Resumed {
		state = " (under way: send resumes it)"
	}
	fmt.Fprintf(env.Stdout, "Issue %d%s: %q\n%d articles, %d recipients\nWrote %d .eml files and preview.html into %s\n",
		res.Issue.Number, state, res.Subject, res.Articles, res.Recipients, len(res.Messages), out)
	return nil
}

func runNewsletterSend(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("newsletter send", env)
	var dir, since, to string
	var yes bool
	fs.StringVar(&dir, "s", ".", "site folder")
	fs.StringVar(&since, "since", "", "articles dated after this date (default: the list's start)")
	fs.StringVar(&to, "to", "", "send a test copy to this address only, recording nothing")
	fs.BoolVar(&yes, "yes", false, "send without asking")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	o, err := newsletterSite(ctx, env, dir, since)
	if err != nil {
		return err
	}
	so, err := smtp.FromConfig(o.Site.Config.Newsletter, dir, env.Getenv)
	if err != nil {
		return err
	}
	snd, err := smtp.New(so)
	if err != nil {
		return err
	}
	defer snd.Close()
	o.Sender = snd
	if to != "" {
		m, err := newsletter.SendTest(ctx, o, to)
		if errors.Is(err, newsletter.ErrNothingNew) {
			fmt.Fprintln(env.Stdout, "Nothing new since the last issue: no test copy sent.")
			return nil
		}
		if err != nil {
			return fmt.Errorf("test copy to %s: %w", to, err)
		}
		fmt.Fprintf(env.Stdout, "Sent a test copy of %q to %s; nothing recorded.\n", m.Subject, to)
		return nil
	}
	preview, err := newsletter.Preview(ctx, o, 1)
	if errors.Is(err, newsletter.ErrNothingNew) {
		fmt.Fprintln(env.Stdout, "Nothing new since the last issue: nothing sent.")
		return nil
	}
	if err != nil {
		return err
	}
	if !yes {
		if !stdinTerminal(env) {
			return usagef("standard input is not a terminal: add --yes to send issue %d to %d subscribers", preview.Issue.Number, preview.Recipients)
		}
		fmt.Fprintf(env.Stdout, "Send issue %d %q (%d articles) to %d subscribers? [y/N] ", preview.Issue.Number, preview.Subject, preview.Articles, preview.Recipients)
		answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "o" && a != "oui" {
			fmt.Fprintln(env.Stdout, "Nothing sent.")
			return nil
		}
	}
	start := time.Now()
	o.Progress = progress(env, preview.Recipients)
	rep, err := newsletter.Send(ctx, o)
	if rep != nil {
		printReport(env, rep, time.Since(start))
	}
	return err
}

func stdinTerminal(env *Env) bool {
	f, ok := env.Stdin.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progress shows a bar on a terminal and a plain line every tenth of
// the list otherwise.
func progress(env *Env, total int) func(newsletter.Progress) {
	if env.Terminal {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(env.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("msg"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetDescription("sending"))
		return func(p newsletter.Progress) {
			bar.Describe(fmt.Sprintf("%d sent, %d failed", p.Sent, p.Failed))
			_ = bar.Set(p.Done)
		}
	}
	step := max(1, total/10)
	return func(p newsletter.Progress) {
		if p.Done%step == 0 || p.Done == p.Total {
			fmt.Fprintf(env.Stdout, "%d/%d done: %d sent, %d failed\n", p.Done, p.Total, p.Sent, p.Failed)
		}
	}
}

func printReport(env *Env, rep *newsletter.Report, took time.Duration) {
	printWarnings(env, rep.Warnings)
	for _, f := range rep.Failures {
		fmt.Fprintf(env.Stderr, "failed: %s: %s\n", f.Email, f.Detail)
	}
	verb := "Sent"
	if rep.Resumed {
		verb = "Resumed and sent"
	}
	fmt.Fprintf(env.Stdout, "%s issue %d %q: %d sent now, %d earlier, %d resent after an interruption (same Message-ID), %d unsubscribed during the send, %d failed, %d deferred, in %s\n",
		verb, rep.Issue.Number, rep.Subject, rep.Sent, rep.Already, rep.Resent, rep.Unsubscribed, len(rep.Failures), rep.Deferred, round(took))
	if rep.Archive != "" {
		fmt.Fprintf(env.Stdout, "Archive page: %s (published by the next foyer build)\n", rep.Archive)
	}
}

func runNewsletterUnsubscribe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("newsletter unsubscribe", env)
	var dir string
	fs.StringVar(&dir, "s", ".", "site folder")
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("expected at least one address")
	}
	cfg, warnings, err := config.Load(os.DirFS(dir))
	printWarnings(env, warnings)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, filepath.FromSlash(cfg.Newsletter.Subscribers))
	unknown, err := newsletter.Unsubscribe(ctx, path, fs.Args())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Unsubscribed %d of %d addresses in %s\n", fs.NArg()-len(unknown), fs.NArg(), path)
	if len(unknown) > 0 {
		return fmt.Errorf("not on the list: %s", strings.Join(unknown, ", "))
	}
	return nil
}
