package newsletter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/subscribers"
	"github.com/foyerhub/foyer/generator/theme"
)

// Sender delivers messages. Send returns once the server has accepted
// the message, or with an error: a *PermanentError for a refusal that
// retrying cannot change (5xx), any other error for a temporary failure
// (4xx, timeouts, dropped connections), which is retried. Send is called
// from several goroutines at once.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// PermanentError is a refusal for good, such as an SMTP 5xx reply.
type PermanentError struct {
	Code int
	Err  error
}

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// ErrIncomplete is returned when some deliveries failed temporarily
// after every retry: running the send again resumes the issue.
var ErrIncomplete = errors.New("issue incomplete")

// Options configure a send or a preview.
type Options struct {
	Dir         string // the site folder: subscribers, state, archive
	Site        *site.Site
	Theme       *theme.Theme
	Secret      []byte    // FOYER_SECRET
	Since       time.Time // overrides the list's start; zero for the default
	Now         time.Time // the issue's date; zero means now
	Sender      Sender
	Concurrency int           // parallel sends; default newsletter.concurrency
	Rate        float64       // messages per second, 0 unlimited; default newsletter.rate
	Retries     int           // attempts after a temporary failure; default 5
	Backoff     time.Duration // first retry delay, doubled each time; default 1s
	Progress    func(Progress)
}

// Progress is reported after each recipient.
type Progress struct {
	Done, Total, Sent, Failed int
}

// Failure is a delivery refused for good.
type Failure struct {
	Email  string
	Detail string
}

// Report is what a send did.
type Report struct {
	Issue        *Issue
	Subject      string
	Resumed      bool // the issue was already under way
	Recipients   int  // subscribed addresses when the send began
	Sent         int  // accepted in this run
	Resent       int  // of Sent, addresses that an interrupted run may already have reached (same Message-ID)
	Already      int  // accepted in an earlier run, not sent again
	Unsubscribed int  // unsubscribed during the issue, not sent
	Deferred     int  // temporary failures left after every retry
	Failures     []Failure
	Archive      string // the archive page written, relative to the site
	Warnings     []error
}

func (o *Options) defaults() {
	cfg := o.Site.Config.Newsletter
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Concurrency <= 0 {
		o.Concurrency = max(1, cfg.Concurrency)
	}
	if o.Rate == 0 {
		o.Rate = cfg.Rate
	}
	if o.Retries == 0 {
		o.Retries = 5
	}
	if o.Backoff == 0 {
		o.Backoff = time.Second
	}
}

// SubscribersPath is the subscribers file of the site.
func (o *Options) SubscribersPath() string {
	return filepath.Join(o.Dir, filepath.FromSlash(o.Site.Config.Newsletter.Subscribers))
}

// Next returns the issue a send would send: the one under way, or a new
// plan. resumed says which. It writes nothing.
func Next(o Options) (is *Issue, st *State, resumed bool, err error) {
	o.defaults()
	st, err = LoadState(o.Dir)
	if err != nil {
		return nil, nil, false, err
	}
	if st.Pending != nil {
		return st.Pending, st, true, nil
	}
	is, err = st.Plan(o.Site, o.Since, time.Duration(o.Site.Config.Newsletter.Period), o.Now)
	return is, st, false, err
}

// recipients reads the subscribed addresses, sorted for a stable order.
func recipients(path string) ([]Recipient, []error, error) {
	l, problems, err := subscribers.Read(path)
	if err != nil {
		return nil, nil, err
	}
	var rs []Recipient
	for _, s := range l.Active() {
		rs = append(rs, Recipient{Email: s.Email, Name: s.Name, Attrs: s.Attrs})
	}
	sort.Slice(rs, func(i, j int) bool { return strings.ToLower(rs[i].Email) < strings.ToLower(rs[j].Email) })
	return rs, problems, nil
}

// Send sends the next issue to every subscriber who has not had it,
// resuming an interrupted one, and on completion writes its archive
// page. It returns ErrNothingNew, with nothing sent, when no article is
// due, and ErrIncomplete when temporary failures remain.
func Send(ctx context.Context, o Options) (*Report, error) {
	o.defaults()
	if len(o.Secret) == 0 {
		return nil, ErrNoSecret
	}
	is, st, resumed, err := Next(o)
	if err != nil {
		return nil, err
	}
	c, err := NewComposer(o.Site, o.Theme, is, o.Secret)
	if err != nil {
		return nil, err
	}
	if err := c.CheckUnsubscribe(); err != nil {
		return nil, err
	}
	rep := &Report{Issue: is, Subject: c.Subject(), Resumed: resumed}
	if !resumed {
		if st.Start.IsZero() && len(st.Issues) == 0 {
			st.Start = is.Since
		}
		st.Pending = is
		if err := st.Save(o.Dir); err != nil {
			return nil, err
		}
	}
	rs, problems, err := recipients(o.SubscribersPath())
	if err != nil {
		return nil, err
	}
	rep.Warnings, rep.Recipients = problems, len(rs)
	j, done, err := OpenJournal(filepath.Join(o.Dir, StateDir, "issue-"+strconv.Itoa(is.Number)+".journal"))
	if err != nil {
		return nil, err
	}
	defer j.Close()
	r := &run{o: o, c: c, j: j, rep: rep, watch: &statuses{path: o.SubscribersPath()}}
	if o.Rate > 0 {
		r.pace = &pacer{every: time.Duration(float64(time.Second) / o.Rate)}
	}
	if err := r.all(ctx, rs, done); err != nil {
		return rep, err
	}
	if rep.Deferred > 0 {
		return rep, fmt.Errorf("%w: %d deliveries failed temporarily after %d attempts; run the same command again to retry them", ErrIncomplete, rep.Deferred, o.Retries+1)
	}
	rep.Archive, err = WriteArchive(o.Dir, o.Site, o.Theme, is)
	if err != nil {
		return rep, err
	}
	st.Issues = append(st.Issues, is)
	st.Pending = nil
	return rep, st.Save(o.Dir)
}

// run is one send's shared state.
type run struct {
	o     Options
	c     *Composer
	j     *Journal
	watch *statuses
	pace  *pacer

	mu   sync.Mutex
	rep  *Report
	prog Progress
}

// all sends to every recipient with o.Concurrency workers.
func (r *run) all(ctx context.Context, rs []Recipient, done map[string]*entry) error {
	r.prog.Total = len(rs)
	todo := make(chan Recipient)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range r.o.Concurrency {
		wg.Go(func() {
			for rc := range todo {
				if err := r.one(ctx, rc, done[strings.ToLower(rc.Email)]); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for _, rc := range rs {
		e := done[strings.ToLower(rc.Email)]
		switch {
		case e != nil && e.kind == recSent:
			r.tally(func(rep *Report) { rep.Already++ })
			continue
		case e != nil && e.kind == recFailed:
			r.tally(func(rep *Report) { rep.Failures = append(rep.Failures, Failure{rc.Email, e.detail}) })
			continue
		}
		select {
		case todo <- rc:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

func (r *run) tally(fn func(*Report)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r.rep)
	r.prog.Done++
	r.prog.Sent = r.rep.Sent + r.rep.Already
	r.prog.Failed = len(r.rep.Failures) + r.rep.Deferred
	if r.o.Progress != nil {
		r.o.Progress(r.prog)
	}
}

// one delivers to one recipient; an error stops the whole send.
func (r *run) one(ctx context.Context, rc Recipient, prev *entry) error {
	ok, err := r.watch.subscribed(rc.Email)
	if err != nil {
		return err
	}
	if !ok {
		r.tally(func(rep *Report) { rep.Unsubscribed++ })
		return nil
	}
	m, err := r.c.Compose(rc)
	if err != nil {
		return err
	}
	if err := r.j.Record(recSending, rc.Email, m.MessageID); err != nil {
		return err
	}
	err = r.deliver(ctx, m)
	var perm *PermanentError
	switch {
	case err == nil:
		if err := r.j.Record(recSent, rc.Email, m.MessageID); err != nil {
			return err
		}
		r.tally(func(rep *Report) {
			rep.Sent++
			if prev != nil && prev.kind == recSending {
				rep.Resent++
			}
		})
	case errors.As(err, &perm):
		if err := r.j.Record(recFailed, rc.Email, err.Error()); err != nil {
			return err
		}
		r.tally(func(rep *Report) { rep.Failures = append(rep.Failures, Failure{rc.Email, err.Error()}) })
	case ctx.Err() != nil:
		return context.Cause(ctx)
	default:
		if err := r.j.Record(recDefer, rc.Email, err.Error()); err != nil {
			return err
		}
		r.tally(func(rep *Report) { rep.Deferred++ })
	}
	return nil
}

// deliver sends m, retrying temporary failures with exponential backoff.
func (r *run) deliver(ctx context.Context, m *Message) error {
	wait := r.o.Backoff
	for attempt := 0; ; attempt++ {
		if err := r.pace.wait(ctx); err != nil {
			return err
		}
		err := r.o.Sender.Send(ctx, m)
		var perm *PermanentError
		if err == nil || errors.As(err, &perm) || attempt >= r.o.Retries || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// statuses answers whether an address is still subscribed, re-reading
// the subscribers file whenever it changes, so that an unsubscription
// made during a send is honoured for every message not yet sent.
type statuses struct {
	path string
	mu   sync.Mutex
	info os.FileInfo
	list *subscribers.List
}

func (s *statuses) subscribed(email string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, err := os.Stat(s.path)
	if err != nil {
		return false, err
	}
	if s.info == nil || !os.SameFile(fi, s.info) || !fi.ModTime().Equal(s.info.ModTime()) || fi.Size() != s.info.Size() {
		l, _, err := subscribers.Read(s.path)
		if err != nil {
			return false, err
		}
		s.list, s.info = l, fi
	}
	sub := s.list.Find(email)
	return sub != nil && sub.Status == subscribers.Subscribed, nil
}

// pacer spaces sends to a rate shared by all workers.
type pacer struct {
	mu    sync.Mutex
	every time.Duration
	next  time.Time
}

func (p *pacer) wait(ctx context.Context) error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
