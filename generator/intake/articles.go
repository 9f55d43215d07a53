package intake

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/site"
)

// articles is what the intake knows of the site: which articles take
// comments and which addresses are known. It is reloaded with
// build.Load when the articles, members or foyer.yaml change on disk
// (checked at most every interval) and every few minutes, so that
// newly approved commenters become known.
type articles struct {
	dir      string
	interval time.Duration
	cur      atomic.Pointer[snapshot]
	reload   sync.Mutex // held by the one request that refreshes
}

type snapshot struct {
	cfg     *config.Config
	bySlug  map[string]articleInfo
	known   map[string]bool // lower-cased addresses
	print   uint64
	loaded  time.Time
	checked time.Time
}

type articleInfo struct {
	URL  string // site-relative
	Open bool   // comments accepted
}

// maxAge forces a reload even when no article changed.
const maxAge = 5 * time.Minute

func loadArticles(ctx context.Context, dir string, interval time.Duration) (*articles, error) {
	a := &articles{dir: dir, interval: interval}
	snap, err := a.load(ctx)
	if err != nil {
		return nil, err
	}
	a.cur.Store(snap)
	return a, nil
}

func (a *articles) config() *config.Config { return a.cur.Load().cfg }

// get returns the current snapshot, refreshing it first when it is due
// and no other request is already doing so.
func (a *articles) get(ctx context.Context) *snapshot {
	snap := a.cur.Load()
	now := time.Now()
	if now.Sub(snap.checked) < a.interval && now.Sub(snap.loaded) < maxAge {
		return snap
	}
	if !a.reload.TryLock() {
		return snap
	}
	defer a.reload.Unlock()
	snap = a.cur.Load()
	print := fingerprint(a.dir)
	if print == snap.print && now.Sub(snap.loaded) < maxAge {
		next := *snap
		next.checked = now
		a.cur.Store(&next)
		return &next
	}
	fresh, err := a.load(ctx)
	if err != nil {
		// Keep serving with what we had: a content error is the
		// builder's to report, not a reason to refuse comments.
		next := *snap
		next.checked, next.loaded = now, now
		a.cur.Store(&next)
		return &next
	}
	a.cur.Store(fresh)
	return fresh
}

func (a *articles) load(ctx context.Context) (*snapshot, error) {
	print := fingerprint(a.dir)
	m, err := build.Load(ctx, build.Options{Site: a.dir})
	if err != nil {
		return nil, fmt.Errorf("loading the site in %s: %w", a.dir, err)
	}
	now := time.Now()
	snap := &snapshot{cfg: m.Config, bySlug: make(map[string]articleInfo, len(m.Site.Articles)),
		known: make(map[string]bool), print: print, loaded: now, checked: now}
	for _, art := range m.Site.Articles {
		open := true
		if v, ok := art.Params["comments"].(bool); ok && !v {
			open = false
		}
		snap.bySlug[art.Slug] = articleInfo{URL: art.URL, Open: open}
	}
	for _, mem := range m.Site.Members {
		if e := site.Email(mem); e != "" {
			snap.known[strings.ToLower(e)] = true
		}
	}
	for _, c := range m.Site.Contributions {
		if e := site.ContributorEmail(c); e != "" {
			snap.known[strings.ToLower(e)] = true
		}
	}
	return snap, nil
}

// fingerprint hashes the names, sizes and times of the files that
// decide which articles exist and who is a member.
func fingerprint(dir string) uint64 {
	h := fnv.New64a()
	add := func(p string, info fs.FileInfo) {
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, info.Size(), info.ModTime().UnixNano())
	}
	if info, err := os.Stat(filepath.Join(dir, config.FileName)); err == nil {
		add(config.FileName, info)
	}
	for _, sub := range []string{"articles", "members"} {
		root := filepath.Join(dir, "content", sub)
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if info, err := d.Info(); err == nil {
				add(p, info)
			}
			return nil
		})
	}
	return h.Sum64()
}
