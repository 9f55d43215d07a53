package serve_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/serve"
)

const fixture = `
-- foyer.yaml --
title: Foyer d'essai
base_url: https://example.org/
language: fr
-- content/articles/premier.md --
---
title: Premier article
date: 2026-01-10
tags: [essai]
---

Le texte original du premier article.
-- content/articles/second.md --
---
title: Second article
date: 2026-02-10
tags: [essai]
---

Le second.
`

// running is a site served by serve.Run from a temp folder.
type running struct {
	dir     string
	url     string
	reports chan serve.Report
	stop    func()
}

func startSite(t testing.TB, fixture string, debounce time.Duration) *running {
	t.Helper()
	dir := t.TempDir()
	for name, f := range sitetest.FS(fixture) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return startDir(t, dir, debounce)
}

func startDir(t testing.TB, dir string, debounce time.Duration) *running {
	t.Helper()
	r := &running{dir: dir, reports: make(chan serve.Report, 64)}
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{
			Site: dir, Port: -1, Debounce: debounce,
			Ready:   func(url string) { ready <- url },
			Rebuilt: func(rep serve.Report) { r.reports <- rep },
		})
	}()
	select {
	case r.url = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(10 * time.Minute): // a 10,000-article benchmark site builds first
		t.Fatal("serve not ready within 10 minutes")
	}
	r.next(t) // the first build
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s of cancel")
		}
	}
	t.Cleanup(r.stop)
	return r
}

func (r *running) next(t testing.TB) serve.Report {
	t.Helper()
	select {
	case rep := <-r.reports:
		return rep
	case <-time.After(60 * time.Second):
		t.Fatal("no rebuild within 60s")
		return serve.Report{}
	}
}

func (r *running) write(t testing.TB, rel, body string) {
	t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	// Write and rename, as most editors save.
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	if err := os.WriteFile(tmp, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func (r *running) get(t testing.TB, path string) string {
	t.Helper()
	resp, err := http.Get(r.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestRunRebuildsKeepsLastGoodAndStops(t *testing.T) {
	before := runtime.NumGoroutine()
	r := startSite(t, fixture, 50*time.Millisecond)
	if !strings.HasPrefix(r.url, "http://127.0.0.1:") {
		t.Errorf("URL %s: want 127.0.0.1 by default", r.url)
	}
	page := r.get(t, "/articles/premier/")
	if !strings.Contains(page, "Le texte original") || !strings.Contains(page, `href="`+r.url+`articles/premier/"`) {
		t.Fatalf("served page lacks the article or the local base URL:\n%s", page)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "public")); !os.IsNotExist(err) {
		t.Error("serve wrote public/ without --write")
	}

	r.write(t, "content/articles/premier.md", "---\ntitle: Premier article\ndate: 2026-01-10\ntags: [essai]\n---\n\nUn texte modifié.\n")
	rep := r.next(t)
	if rep.Err != nil || rep.Full || rep.Rendered >= rep.Total {
		t.Fatalf("edit: %+v", rep)
	}
	if !strings.Contains(r.get(t, "/articles/premier/"), "Un texte modifié") {
		t.Error("the edit is not served")
	}

	r.write(t, "content/articles/premier.md", "---\ntitle: [Premier\ndate: 2026-01-10\n---\n\nCassé.\n")
	rep = r.next(t)
	if rep.Err == nil || !strings.Contains(rep.Err.Error(), "content/articles/premier.md:2") {
		t.Fatalf("broken front matter: %v, want an error at content/articles/premier.md:2", rep.Err)
	}
	if !strings.Contains(r.get(t, "/articles/premier/"), "Un texte modifié") {
		t.Error("the last good build is no longer served after a failed rebuild")
	}

	r.write(t, "content/articles/premier.md", "---\ntitle: Premier article réparé\ndate: 2026-01-10\n---\n\nRéparé.\n")
	if rep = r.next(t); rep.Err != nil {
		t.Fatalf("mended: %v", rep.Err)
	}
	if !strings.Contains(r.get(t, "/articles/premier/"), "Réparé") {
		t.Error("the mended article is not served")
	}

	r.stop()
	deadline := time.Now().Add(30 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left after stop (%d before):\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		runtime.Gosched()
	}
}

func TestRunWritesOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	for name, f := range sitetest.FS(fixture) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, f.Data, 0o644)
	}
	out := filepath.Join(t.TempDir(), "preview")
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{Site: dir, Port: -1, Write: out, Ready: func(u string) { ready <- u }})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "articles", "premier", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "live.js") {
		t.Error("the written site carries the live-reload script")
	}
}
