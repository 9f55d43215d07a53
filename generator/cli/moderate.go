package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/moderation"
)

func moderateCommand() *command {
	return &command{
		name:    "moderate",
		summary: "list, screen, approve, reject or mark as spam members' contributions",
		usage:   "list [-s SITE] [--json] | approve|reject|spam [-s SITE] (ID… | --all-flagged) | screen [-s SITE]",
		run:     runModerate,
	}
}

func runModerate(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("missing action (list, approve, reject, spam or screen)")
	}
	switch action, rest := args[0], args[1:]; action {
	case "list":
		return moderateList(ctx, env, rest)
	case "approve", "reject", "spam":
		return moderateSet(ctx, env, action, rest)
	case "screen":
		return moderateScreen(ctx, env, rest)
	case "-h", "-help", "--help":
		fs := newFlags("moderate", env)
		fs.String("s", ".", "site folder")
		fs.Bool("json", false, "list: one JSON object per line")
		fs.Bool("all-flagged", false, "approve|reject|spam: every pending contribution whose screening verdict is this action")
		return parse(fs, []string{"-h"}, env)
	default:
		return usagef("unknown action %q (expected list, approve, reject, spam or screen)", action)
	}
}

func loadQueue(ctx context.Context, env *Env, site string) (*moderation.Queue, error) {
	q, err := moderation.Load(ctx, site)
	if err != nil {
		return nil, err
	}
	printWarnings(env, q.Warnings)
	return q, nil
}

func moderateList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("moderate list", env)
	site := fs.String("s", ".", "site folder")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	q, err := loadQueue(ctx, env, *site)
	if err != nil {
		return err
	}
	pending := q.Pending()
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		for _, it := range pending {
			reasons := it.Result.Reasons
			if reasons == nil {
				reasons = []string{}
			}
			err := enc.Encode(struct {
				ID      string   `json:"id"`
				Kind    string   `json:"kind"`
				Author  string   `json:"author"`
				Date    string   `json:"date"`
				Verdict string   `json:"verdict"`
				Reasons []string `json:"reasons"`
				Excerpt string   `json:"excerpt"`
			}{it.ID, it.Kind, it.Author, it.Date.Format(time.RFC3339), string(it.Result.Verdict), reasons, it.Excerpt})
			if err != nil {
				return err
			}
		}
		return nil
	}
	for _, it := range pending {
		verdict := string(it.Result.Verdict)
		if len(it.Result.Reasons) > 0 {
			verdict += " (" + strings.Join(it.Result.Reasons, ", ") + ")"
		}
		fmt.Fprintf(env.Stdout, "%s\t%s\t%s\t%s\t%s\n", it.ID, it.Author, it.Date.Format("2006-01-02 15:04"), verdict, it.Excerpt)
	}
	fmt.Fprintf(env.Stdout, "%d pending\n", len(pending))
	return nil
}

var statusOf = map[string]string{"approve": "approved", "reject": "rejected", "spam": "spam"}

func moderateSet(ctx context.Context, env *Env, action string, args []string) error {
	fs := newFlags("moderate "+action, env)
	site := fs.String("s", ".", "site folder")
	all := fs.Bool("all-flagged", false, "every pending contribution whose screening verdict is "+action)
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if *all == (fs.NArg() > 0) {
		return usagef("%s: give contribution ids (article/id) or --all-flagged, not both", action)
	}
	q, err := loadQueue(ctx, env, *site)
	if err != nil {
		return err
	}
	var items []*moderation.Item
	if *all {
		items = q.Flagged(moderation.Verdict(action))
	}
	var errs []error
	for _, id := range fs.Args() {
		it, err := q.Find(id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	status := statusOf[action]
	changed := 0
	for _, it := range items {
		if it.Status == status {
			continue
		}
		if err := q.Set(it, status); err != nil {
			errs = append(errs, err)
			continue
		}
		changed++
		fmt.Fprintf(env.Stdout, "%s\t%s\n", it.ID, status)
	}
	fmt.Fprintf(env.Stdout, "%d %s\n", changed, status)
	return errors.Join(errs...)
}

func moderateScreen(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("moderate screen", env)
	site := fs.String("s", ".", "site folder")
	if err := parseNoArgs(fs, args, env); err != nil {
		return err
	}
	q, err := loadQueue(ctx, env, *site)
	if err != nil {
		return err
	}
	pending := len(q.Pending())
	var errs []error
	changed := 0
	for _, d := range q.Decide() {
		if err := q.Set(d.Item, d.Status); err != nil {
			errs = append(errs, err)
			continue
		}
		changed++
		fmt.Fprintf(env.Stdout, "%s\t%s\t%s\n", d.Item.ID, d.Status, strings.Join(d.Item.Result.Reasons, ", "))
	}
	fmt.Fprintf(env.Stdout, "screened %d pending, changed %d\n", pending, changed)
	return errors.Join(errs...)
}
