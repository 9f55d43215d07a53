package serve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

// browser starts Debian's chromium, headless, with a throw-away profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := sitetest.NeedTool(t, "chromium", "chromium")
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// until evaluates a JavaScript predicate in the page until it is true or
// the deadline passes. Errors while the page reloads itself are retried.
func until(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		last = err
		<-tick.C
	}
	t.Fatalf("%s: not seen within 30s (last error: %v)", what, last)
}

func TestBrowserLiveReload(t *testing.T) {
	ctx := browser(t)
	r := startSite(t, fixture, 30*time.Millisecond)
	if _, err := chromedp.Run(ctx, chromedp.Navigate(r.url+"articles/premier/")); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "the article", `document.body.innerText.includes("Le texte original")`)
	// Wait for the event stream, so that the edit is not made before the
	// page listens (the page would then reload on its hello anyway).
	until(t, ctx, "the live script", `!!document.querySelector('script[src="/_foyer/live.js"]')`)

	// A stylesheet-only change swaps the stylesheet without a reload.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.foyerMarker = 1`)); err != nil {
		t.Fatal(err)
	}
	r.write(t, "static/css/extra.css", "body{}")
	r.next(t)
	r.write(t, "layouts/.keep", "") // ignored: dotfile
	css := r.get(t, "/css/foyer.css")
	r.write(t, "static/css/foyer.css", css+"\nbody{background-color: rgb(1, 2, 3)}\n")
	until(t, ctx, "the new stylesheet", `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`)
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.foyerMarker || 0`))
	if err != nil {
		t.Fatal(err)
	}
	if marker != 1 {
		t.Error("a CSS-only change reloaded the page")
	}

	// Edit the Markdown: the page shows it without the test reloading.
	r.write(t, "content/articles/premier.md", "---\ntitle: Premier article\ndate: 2026-01-10\ntags: [essai]\n---\n\nUne phrase écrite pendant que la page était ouverte.\n")
	until(t, ctx, "the edit", `document.body.innerText.includes("Une phrase écrite pendant que la page était ouverte")`)

	// Break the front matter: the overlay names the file and line.
	r.write(t, "content/articles/premier.md", "---\ntitle: [Premier\ndate: 2026-01-10\n---\n\n<script>window.pwned=1</script>\n")
	until(t, ctx, "the error overlay", `(document.getElementById("foyer-error")?.innerText || "").includes("content/articles/premier.md:2")`)
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Une phrase écrite") {
		t.Error("the last good page is no longer shown under the overlay")
	}

	// Mend it: the overlay goes, the new text shows.
	r.write(t, "content/articles/premier.md", "---\ntitle: Premier article\ndate: 2026-01-10\n---\n\nRéparé dans le navigateur.\n")
	until(t, ctx, "the mended page", `!document.getElementById("foyer-error") && document.body.innerText.includes("Réparé dans le navigateur")`)
	if pwned, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!window.pwned`)); err != nil || pwned {
		t.Errorf("script from the source ran: %v %v", pwned, err)
	}
}
