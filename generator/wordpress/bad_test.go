package wordpress

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const head = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>T</title>
<wp:wxr_version>1.2</wp:wxr_version>
`

func post(id, name, title string) string {
	return `<item><title>` + title + `</title><wp:post_id>` + id + `</wp:post_id><wp:post_name>` + name +
		`</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>` +
		`<wp:post_date_gmt>2024-01-02 03:04:05</wp:post_date_gmt><content:encoded><![CDATA[Texte ` + id + `]]></content:encoded></item>
`
}

func run(t *testing.T, export string) (string, *Report, error) {
	t.Helper()
	site := filepath.Join(t.TempDir(), "site")
	rep, err := Import(context.Background(), strings.NewReader(export), Options{Site: site, Name: "x.xml"})
	return site, rep, err
}

func TestBadExports(t *testing.T) {
	for _, tc := range []struct {
		name, export string
		err          string // regexp; "" for none
		imported     []string
		warning      string
	}{
		{"truncated", head + post("1", "un", "Un") + "<item><title>Deux</title><wp:post_id>2", `^x\.xml:7:\d+: export ends inside <item> begun at line 7 \(truncated`, []string{"content/articles/un.md"}, ""},
		{"malformed", head + post("1", "un", "Un") + "<item><title>Deux</titel></item>", `^x\.xml:7:\d+: malformed XML: element <title> closed by </titel>`, []string{"content/articles/un.md"}, ""},
		{"unknown version", strings.Replace(head, "1.2</wp:wxr", "3.0</wp:wxr", 1) + post("1", "un", "Un"), `^x\.xml:5:\d+: WXR version "3.0" is not supported \(expected 1.1 or 1.2\)`, nil, ""},
		{"no version", strings.Replace(head, "<wp:wxr_version>1.2</wp:wxr_version>", "", 1) + post("1", "un", "Un"), `no <wp:wxr_version>`, nil, ""},
		{"not wxr", "<html><body>hi</body></html>", `^x\.xml:1:1: <html>: expected a WordPress export`, nil, ""},
		{"empty", "", `empty export`, nil, ""},
		{"invalid utf-8", head + post("1", "un", "Caf\xe9 \x08") + post("2", "deux", "Deux") + "</channel></rss>", "", []string{"content/articles/un.md", "content/articles/deux.md"}, `^x\.xml:6:\d+: invalid UTF-8 \(byte 0xe9\): replaced with U\+FFFD`},
		{"traversal", head + post("1", "..%2F..%2F..%2Fetc%2Fpasswd", "../../x") + post("2", "", "/etc/passwd") + post("3", "", "") + "</channel></rss>", "",
			[]string{"content/articles/etc-passwd.md", "content/articles/etc-passwd-2.md", "content/articles/post-3.md"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, rep, err := run(t, tc.export)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !regexp.MustCompile(tc.err).MatchString(err.Error())) {
				t.Fatalf("error %v, want %s", err, tc.err)
			}
			for _, p := range tc.imported {
				if _, err := os.Stat(filepath.Join(site, p)); err != nil {
					t.Errorf("%s not imported: %v", p, err)
				}
			}
			if tc.warning != "" && (rep == nil || !regexp.MustCompile(tc.warning).MatchString(joinErrors(rep.Warnings))) {
				t.Errorf("warnings lack %s: %v", tc.warning, rep)
			}
			checkInside(t, site)
		})
	}
}

// checkInside fails if the import wrote anything beside the site folder
// or outside the places it owns.
func checkInside(t *testing.T, site string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(site))
	if len(entries) > 1 {
		t.Errorf("written beside the site: %v", entries)
	}
	filepath.WalkDir(site, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(site, p)
		rel = filepath.ToSlash(rel)
		if rel != "foyer.yaml" && !strings.HasPrefix(rel, "content/") && !strings.HasPrefix(rel, ".foyer/import/") && !strings.HasPrefix(rel, "static/uploads/") {
			t.Errorf("unexpected file %s", rel)
		}
		return nil
	})
}

func FuzzImport(f *testing.F) {
	blog, err := os.ReadFile("testdata/blog.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(blog))
	f.Add(string(blog[:len(blog)/2]))
	f.Add(head + post("1", "..%2F..", "<script>") + "</channel></rss>")
	f.Add(head + `<item><wp:post_type>post</wp:post_type><wp:comment><wp:comment_id>../x</wp:comment_id><wp:comment_parent>../x</wp:comment_parent></wp:comment></item>`)
	f.Fuzz(func(t *testing.T, export string) {
		site, _, _ := run(t, export)
		checkInside(t, site)
	})
}
