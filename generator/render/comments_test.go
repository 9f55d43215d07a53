package render_test

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/source"
)

func payloads(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/xss-payloads.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "# ") {
			out = append(out, strings.ReplaceAll(line, `\n`, "\n"))
		}
	}
	if len(out) < 30 {
		t.Fatalf("only %d payloads", len(out))
	}
	return out
}

var (
	tagPattern  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>`)
	attrPattern = regexp.MustCompile(`\s([^\s=/>]+)(?:="([^"]*)")?`)
	// What a safe contribution body may hold.
	allowedTags  = map[string]bool{"p": true, "a": true, "em": true, "strong": true, "code": true, "pre": true, "blockquote": true, "ul": true, "ol": true, "li": true, "br": true, "del": true, "hr": true, "span": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "sup": true, "section": true, "input": true}
	allowedAttrs = map[string]bool{"href": true, "rel": true, "class": true, "id": true, "title": true, "type": true, "checked": true, "disabled": true, "role": true, "align": true}
)

// checkBody fails when the HTML of one rendered contribution holds a tag
// or attribute outside the safe set, or a link to another scheme than
// http, https, mailto or a relative path.
func checkBody(t *testing.T, payload, html string) {
	t.Helper()
	for _, m := range tagPattern.FindAllStringSubmatch(html, -1) {
		if !allowedTags[strings.ToLower(m[2])] {
			t.Errorf("payload %q: tag <%s> survived: %s", payload, m[2], html)
			continue
		}
		for _, a := range attrPattern.FindAllStringSubmatch(m[3], -1) {
			name := strings.ToLower(a[1])
			if !allowedAttrs[name] {
				t.Errorf("payload %q: attribute %s survived: %s", payload, name, html)
			}
			if name == "href" {
				v := strings.ToLower(strings.TrimSpace(a[2]))
				if i := strings.IndexAny(v, ":/?#"); i >= 0 && v[i] == ':' && !strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") {
					t.Errorf("payload %q: link %q survived", payload, a[2])
				}
				if !strings.Contains(m[3], `rel="ugc nofollow"`) && !strings.HasPrefix(v, "#") {
					t.Errorf("payload %q: link without rel=ugc nofollow: %s", payload, m[0])
				}
			}
		}
	}
}

var bodyPattern = regexp.MustCompile(`(?s)<div class="body">(.*?)</div>\n</article>`)

func TestHostileBodiesStayText(t *testing.T) {
	list := payloads(t)
	fsys := sitetest.FS("-- foyer.yaml --\ntitle: XSS\n-- content/articles/cible.md --\n---\ntitle: Cible\ndate: 2026-01-01\n---\nTexte.\n")
	for i, p := range list {
		body := fmt.Sprintf("---\nauthor: Attaque %d\ndate: 2026-01-02T00:00:%02dZ\nstatus: approved\nwebsite: \"javascript:alert(%d)\"\n---\n%s\n", i, i%60, i, p)
		fsys[fmt.Sprintf("content/contributions/cible/x%03d.md", i)] = &fstest.MapFile{Data: []byte(body)}
	}
	out := sitetest.Build(t, fsys, build.Options{})
	page := out.File(t, "articles/cible/index.html")
	bodies := bodyPattern.FindAllStringSubmatch(page, -1)
	if len(bodies) != len(list) {
		t.Fatalf("found %d comment bodies, want %d: a payload broke out of its element", len(bodies), len(list))
	}
	for i, b := range bodies {
		checkBody(t, list[i], b[1])
	}
	// No tag anywhere on the page carries an event handler or a script
	// link: payloads show as text only.
	for _, m := range tagPattern.FindAllStringSubmatch(page, -1) {
		for _, a := range attrPattern.FindAllStringSubmatch(m[3], -1) {
			v := strings.ToLower(a[2])
			if strings.HasPrefix(strings.ToLower(a[1]), "on") || strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.HasPrefix(v, "data:") {
				t.Errorf("page tag %s carries %s", m[0], a[0])
			}
		}
	}
	if strings.Count(page, "<article") != len(list)+1 || !strings.Contains(page, "</footer>") {
		t.Error("the page's structure changed")
	}
	var feed struct {
		Entries []struct {
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(out.File(t, "articles/cible/comments.xml")), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 20 {
		t.Errorf("feed has %d entries, want 20", len(feed.Entries))
	}
	for _, e := range feed.Entries {
		checkBody(t, "(feed)", e.Content)
	}
}

// privateValues returns every email and ip of the site's source files.
func privateValues(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	docs, err := source.Load(t.Context(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range docs {
		for _, v := range []string{d.Meta.Email, d.Meta.IP} {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func assertPrivate(t *testing.T, name string, fsys fstest.MapFS, opts build.Options) {
	t.Helper()
	private := privateValues(t, fsys)
	if len(private) == 0 {
		t.Fatalf("%s: no email or ip to check", name)
	}
	out := sitetest.Build(t, fsys, opts)
	for _, p := range out.Paths() {
		data := string(out.Files[p])
		for _, v := range private {
			if strings.Contains(data, v) {
				t.Errorf("%s: %s contains private %q", name, p, v)
			}
		}
	}
	if _, ok := out.Files["comments.xml"]; !ok {
		t.Errorf("%s: no comments.xml to check", name)
	}
}

// dirFS copies the demo hub (foyer.yaml, content/, static/) into memory.
func dirFS(t *testing.T, root string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && rel != "content" && rel != "static" && !strings.HasPrefix(rel, "content/") && !strings.HasPrefix(rel, "static/") {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "foyer.yaml" || strings.HasPrefix(rel, "content/") || strings.HasPrefix(rel, "static/") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fsys[rel] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func TestNoPrivateDataInOutput(t *testing.T) {
	demo := dirFS(t, filepath.Join("..", ".."))
	assertPrivate(t, "demo", demo, build.Options{})
	assertPrivate(t, "demo with drafts", demo, build.Options{Drafts: true, Future: true})
	threads := sitetest.Load(t, filepath.Join("..", "..", "site", "testdata", "threads"))
	threads["foyer.yaml"].Data = append(threads["foyer.yaml"].Data, []byte("  gravatar: true\n")...)
	assertPrivate(t, "threads with gravatar", threads, build.Options{})
}
