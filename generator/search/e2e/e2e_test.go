// Package e2e_test drives the demo hub's search page in headless
// Chromium: the script, the index and the page together, as a reader
// sees them.
package e2e_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
)

// browser builds the demo hub, serves it on 127.0.0.1 and starts
// Chromium. The context carries a deadline for the whole test.
func browser(t *testing.T) (ctx context.Context, base string) {
	t.Helper()
	chromium := sitetest.NeedTool(t, "chromium", "chromium")
	dest := filepath.Join(t.TempDir(), "public")
	_, err := build.Build(context.Background(), build.Options{Site: filepath.Join("..", "..", ".."), Dest: dest, Now: sitetest.Now})
	if err != nil {
		t.Fatalf("build the demo hub: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	t.Cleanup(srv.Close)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil { // starts the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx, srv.URL
}

type shown struct {
	Status string   `json:"status"`
	Hrefs  []string `json:"hrefs"`
	Marks  []string `json:"marks"`
}

const readResults = `({
  status: document.querySelector('#search [role=status]').textContent,
  hrefs: Array.from(document.querySelectorAll('#search-results h2 a')).map(a => a.getAttribute('href')),
  marks: Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)
})`

// typeQuery opens the search page, types q key by key and waits until
// the page shows the results of the whole query.
func typeQuery(t *testing.T, ctx context.Context, base, q string) shown {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible("#search-q"),
		chromedp.SendKeys("#search-q", q),
	)
	if err != nil {
		t.Fatalf("type %q: %v", q, err)
	}
	return waitShown(t, ctx, q)
}

func waitShown(t *testing.T, ctx context.Context, q string) shown {
	t.Helper()
	cond := `(document.getElementById('search') || {getAttribute() {}}).getAttribute('data-shown') === ` + strconv.Quote(q)
	var err error
	// Right after a navigation, chromedp may still name the last
	// document's JavaScript context, which the browser has dropped: poll
	// again, in the new one.
	for tries := 0; tries == 0 || err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") && tries < 4; tries++ {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(20*time.Second)))
	}
	if err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#search [role=status]').textContent`))
		t.Fatalf("results for %q never showed (status %q): %v", q, status, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[shown](readResults))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSearchPage(t *testing.T) {
	ctx, base := browser(t)
	tests := []struct {
		q      string
		first  string   // expected first result, "" for none
		has    []string // also among the results
		hasnt  []string // never among the results
		status string
	}{
		// Accent folding: « medias » finds the « Médias sociaux » category.
		{q: "medias", has: []string{"/articles/outils-et-plateformes/", "/articles/mesurer-l-engagement/", "/articles/newsletters-communautaires/"}, status: "3 résultats"},
		// Curly elision, and the title outranks the body.
		{q: "l’engagement", first: "/articles/mesurer-l-engagement/", has: []string{"/articles/animer-une-communaute/"}},
		// Straight elision, plural stemmed to the singular of the title.
		{q: "d'outils", first: "/articles/outils-et-plateformes/"},
		{q: "Modératrices", first: "/articles/moderation-bienveillante/"},
		// The draft about crises is not published, so not indexed.
		{q: "cette histoire de crise", hasnt: []string{"/articles/crises-et-conflits/"}},
		// Only in a pending comment: nothing.
		{q: "pamplemousse", status: "Aucun résultat. Essayez un autre mot, ou moins de mots."},
	}
	for _, tt := range tests {
		got := typeQuery(t, ctx, base, tt.q)
		if tt.first != "" && (len(got.Hrefs) == 0 || got.Hrefs[0] != tt.first) {
			t.Errorf("%q: results %q, want %s first", tt.q, got.Hrefs, tt.first)
		}
		for _, h := range tt.has {
			if !slices.Contains(got.Hrefs, h) {
				t.Errorf("%q: results %q lack %s", tt.q, got.Hrefs, h)
			}
		}
		for _, h := range tt.hasnt {
			if slices.Contains(got.Hrefs, h) {
				t.Errorf("%q: results %q include %s", tt.q, got.Hrefs, h)
			}
		}
		if tt.status != "" && got.Status != tt.status {
			t.Errorf("%q: status %q, want %q", tt.q, got.Status, tt.status)
		}
		if tt.first != "" || len(tt.has) > 0 {
			if len(got.Marks) == 0 {
				t.Errorf("%q: no highlighted words", tt.q)
			}
			if !strings.HasSuffix(got.Status, "résultats") && !strings.HasSuffix(got.Status, "résultat") {
				t.Errorf("%q: status %q does not count results", tt.q, got.Status)
			}
		}
		if tt.q == "pamplemousse" && len(got.Hrefs) != 0 {
			t.Errorf("pamplemousse: results %q, want none", got.Hrefs)
		}
	}
}

// The page works as a link, and the arrow keys walk the results.
func TestSearchLinkAndKeyboard(t *testing.T) {
	ctx, base := browser(t)
	q := "modération"
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q="+url.QueryEscape(q))); err != nil {
		t.Fatal(err)
	}
	got := waitShown(t, ctx, q)
	if len(got.Hrefs) < 2 || got.Hrefs[0] != "/articles/moderation-bienveillante/" {
		t.Fatalf("results for the link: %q", got.Hrefs)
	}
	for _, m := range got.Marks {
		if a := strings.ToLower(m); !strings.HasPrefix(a, "modér") && !strings.HasPrefix(a, "moder") {
			t.Errorf("highlighted %q for %q", m, q)
		}
	}
	value, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('search-q').value`))
	if err != nil || value != q {
		t.Errorf("box holds %q (%v), want %q", value, err, q)
	}
	active := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute('href') || document.activeElement.id`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	steps := []struct {
		key  string
		want string
	}{
		{"ArrowDown", got.Hrefs[0]},
		{"ArrowDown", got.Hrefs[1]},
		{"ArrowUp", got.Hrefs[0]},
		{"ArrowUp", "search-q"},
	}
	if err := chromedp.Do(ctx, chromedp.Focus("#search-q")); err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		key := map[string]string{"ArrowDown": kb.ArrowDown, "ArrowUp": kb.ArrowUp}[s.key]
		if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
		if a := active(); a != s.want {
			t.Errorf("step %d (%s): focus on %q, want %q", i, s.key, a, s.want)
		}
	}
	// The header box on other pages is a plain GET form to this page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.SendKeys("#site-search-q", "charte\r"), chromedp.WaitVisible("#search-q")); err != nil {
		t.Fatal(err)
	}
	got = waitShown(t, ctx, "charte")
	if len(got.Hrefs) == 0 || !slices.Contains(got.Hrefs, "/articles/ecrire-une-charte/") {
		t.Errorf("header box search: %q", got.Hrefs)
	}
}
