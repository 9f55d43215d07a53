// Package newsletter picks the next digest issue from the site model,
// renders it for each subscriber with the theme's e-mail templates, and
// sends it through a Sender exactly once per subscriber.
//
// Its state lives under the site in .foyer/newsletter/ (git-ignorable,
// never published): state.json lists the issues sent and the articles
// each held, and the issue being sent; issue-N.journal records every
// recipient as "sending" before its message goes out and "sent" once the
// server has accepted it, fsynced before the worker takes the next. A
// send that stops anywhere is resumed by running it again. On
// completion the issue is written as content/newsletters/<date>-<n>.md,
// which holds no subscriber data.
package newsletter

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/site"
)

// StateDir is where the newsletter keeps its state, under the site.
const StateDir = ".foyer/newsletter"

// ErrNothingNew is returned when no article is due: nothing is sent.
var ErrNothingNew = errors.New("nothing new since the last issue")

// maxDiscussions is how many lively threads an issue lists.
const maxDiscussions = 3

// State is what the newsletter remembers between runs.
type State struct {
	Start   time.Time `json:"start"` // the list's start: articles dated after it are due
	Issues  []*Issue  `json:"issues"`
	Pending *Issue    `json:"pending,omitempty"` // being sent; resumed by the next send
}

// Issue is one digest: what it holds, frozen when its send begins so
// that a resumed send sends the same issue.
type Issue struct {
	Number      int       `json:"number"`
	Date        time.Time `json:"date"`
	Since       time.Time `json:"since"`       // discussions counted from here
	Articles    []string  `json:"articles"`    // slugs, newest first
	Discussions []string  `json:"discussions"` // slugs, liveliest first
	Sources     []string  `json:"sources"`     // content paths of Articles, to track renamed slugs
}

// Slug is the issue's archive name, <date>-<n>.
func (is *Issue) Slug() string {
	return is.Date.UTC().Format("2006-01-02") + "-" + fmt.Sprint(is.Number)
}

// LoadState reads the state of the site at dir; a missing file is a
// fresh list.
func LoadState(dir string) (*State, error) {
	path := filepath.Join(dir, StateDir, "state.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &State{}, nil
	}
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w (expected the JSON state written by foyer newsletter)", path, err)
	}
	return &st, nil
}

// Save writes the state atomically.
func (st *State) Save(dir string) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, StateDir, "state.json"), append(data, '\n'), 0o644)
}

// held reports the articles that earlier issues held, by slug and by
// source path, so that neither a re-dated nor a renamed article goes
// out twice.
func (st *State) held() map[string]bool {
	m := make(map[string]bool)
	for _, is := range st.Issues {
		for _, s := range is.Articles {
			m["slug:"+s] = true
		}
		for _, s := range is.Sources {
			m["src:"+s] = true
		}
	}
	return m
}

// Plan picks the next issue: every published article that no earlier
// issue held, dated after the list's start, and the threads most
// discussed since the previous issue. since, when set, overrides the
// list's start; otherwise the first issue starts at now minus period.
// Plan returns ErrNothingNew when no article is due.
func (st *State) Plan(s *site.Site, since time.Time, period time.Duration, now time.Time) (*Issue, error) {
	start := since
	if start.IsZero() {
		start = st.Start
	}
	if start.IsZero() {
		start = now.Add(-period)
	}
	is := &Issue{Number: 1, Date: now.UTC().Truncate(time.Second), Since: start}
	if n := len(st.Issues); n > 0 {
		last := st.Issues[n-1]
		is.Number = last.Number + 1
		is.Since = last.Date
	}
	held := st.held()
	for _, a := range s.Articles { // published only: drafts, future and unapproved are not in the model
		if held["slug:"+a.Slug] || held["src:"+a.Source] || !a.Date.After(start) {
			continue
		}
		is.Articles = append(is.Articles, a.Slug)
		is.Sources = append(is.Sources, a.Source)
	}
	if len(is.Articles) == 0 {
		return nil, ErrNothingNew
	}
	is.Discussions = discussed(s, is.Since)
	return is, nil
}

// discussed returns the slugs of the articles with the most approved
// comments since t, liveliest first.
func discussed(s *site.Site, t time.Time) []string {
	type thread struct {
		a *site.Article
		n int
	}
	var ts []thread
	for _, a := range s.Articles {
		n := 0
		if a.Thread != nil {
			for _, c := range a.Thread.Flat {
				if c.Date.After(t) {
					n++
				}
			}
		}
		if n > 0 {
			ts = append(ts, thread{a, n})
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].n > ts[j].n })
	var out []string
	for _, th := range ts[:min(len(ts), maxDiscussions)] {
		out = append(out, th.a.Slug)
	}
	return out
}
