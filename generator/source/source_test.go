package source

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestParseArticle(t *testing.T) {
	src := "---\ntitle: \"Écrire une charte\"\ndate: 2026-01-21\nupdated: 2026-02-01T10:00:00+01:00\ncategories: [Éthique, Modération]\ntags: solo\ndraft: false\naliases:\n  - /old/\nweight: 3\n---\n\nCorps **gras**.\n"
	d, err := Parse("content/articles/2026/charte.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := d.Meta
	if m.Title != "Écrire une charte" || !m.Date.Equal(time.Date(2026, 1, 21, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("title/date: %q %v", m.Title, m.Date)
	}
	if len(m.Categories) != 2 || m.Tags[0] != "solo" || m.Aliases[0] != "/old/" || m.Params["weight"] != 3 {
		t.Errorf("lists/params: %+v", m)
	}
	if d.Kind != Article || d.ID() != "charte" || d.BodyLine != 12 || !strings.HasPrefix(string(d.Body), "\nCorps") {
		t.Errorf("kind %v id %q bodyLine %d body %q", d.Kind, d.ID(), d.BodyLine, d.Body)
	}
	if d.Line("tags") != 6 || d.Line("missing") != 1 {
		t.Errorf("lines: tags %d", d.Line("tags"))
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, path, src, want string
	}{
		{"no front matter", "content/articles/a.md", "# Titre\n", "content/articles/a.md:1:1: front matter: expected the file to start with a line \"---\""},
		{"unclosed", "content/articles/a.md", "---\ntitle: x\n", "content/articles/a.md:1:1: front matter: no closing line"},
		{"missing title", "content/articles/a.md", "---\ndate: 2026-01-01\n---\n", "content/articles/a.md:1: front matter: missing required field \"title\""},
		{"missing date", "content/articles/a.md", "---\ntitle: x\n---\n", "missing required field \"date\""},
		{"bad date", "content/articles/x.md", "---\ntitle: x\ndate: 2012-13-45\n---\n", "content/articles/x.md:3:7: front matter: date: date \"2012-13-45\": month out of range"},
		{"wrong type", "content/articles/a.md", "---\ntitle: [a, b]\ndate: 2026-01-01\n---\n", "content/articles/a.md:2:8: front matter: title: expected a single value, got a list"},
		{"draft not bool", "content/articles/a.md", "---\ntitle: x\ndate: 2026-01-01\ndraft: maybe\n---\n", "content/articles/a.md:4:8: front matter: draft: \"maybe\": expected true or false"},
		{"bad status", "content/articles/a.md", "---\ntitle: x\ndate: 2026-01-01\nstatus: published\n---\n", "status: \"published\" (expected approved, pending, spam or rejected)"},
		{"bad yaml", "content/articles/a.md", "---\ntitle: x\n  date: [\n---\n", "content/articles/a.md:3: front matter: invalid YAML"},
		{"not utf-8", "content/articles/a.md", "---\ntitle: caf\xe9\ndate: 2026-01-01\n---\n", "content/articles/a.md:2:11: invalid UTF-8 (byte 0xe9)"},
		{"bad member role", "content/members/ann.yaml", "name: Ann\nrole: boss\n", "content/members/ann.yaml:2:7: front matter: role: \"boss\""},
		{"bad kind", "content/contributions/a/c1.md", "---\ndate: 2026-01-01\nkind: trackback\n---\n", "kind: \"trackback\" (expected comment, pingback or webmention)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.path, []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadReportsAllErrorsAndKeepsGoodFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"content/articles/good.md":        {Data: []byte("---\ntitle: ok\ndate: 2026-01-01\n---\n")},
		"content/articles/bad1.md":        {Data: []byte("---\ndate: 2026-01-01\n---\n")},
		"content/articles/sub/bad2.md":    {Data: []byte("no front matter")},
		"content/articles/.hidden.md":     {Data: []byte("ignored")},
		"content/articles/notes.txt":      {Data: []byte("ignored")},
		"content/members/ann.yaml":        {Data: []byte("name: Ann\n")},
		"content/contributions/good/c.md": {Data: []byte("---\ndate: 2026-01-02\n---\nHi\n")},
	}
	docs, err := Load(context.Background(), fsys)
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	if !strings.Contains(msg, "content/articles/bad1.md:1") || !strings.Contains(msg, "content/articles/sub/bad2.md:1:1") {
		t.Errorf("errors: %v", msg)
	}
	if len(docs) != 3 {
		t.Errorf("want the 3 good documents, got %d", len(docs))
	}
}

func TestClassify(t *testing.T) {
	for p, want := range map[string]Kind{
		"content/articles/a.md":          Article,
		"content/articles/2025/b/c.md":   Article,
		"content/pages/about.md":         Page,
		"content/pages/sub/x.md":         0,
		"content/members/ann.yaml":       Member,
		"content/members/ann.md":         0,
		"content/contributions/a/c.md":   Contribution,
		"content/contributions/c.md":     0,
		"content/newsletters/2026-01.md": Newsletter,
		"content/articles/.swp.md":       0,
		"static/x.md":                    0,
	} {
		if got := Classify(p); got != want {
			t.Errorf("Classify(%q) = %v, want %v", p, got, want)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, seed := range []string{
		"---\ntitle: x\n---\nbody",
		"---\r\ntitle: x\r\n---\r\nbody",
		"---\n---\n",
		"---\ntitle: x\n...\nbody",
		"no front matter",
		"---",
		"",
		"---\n\xff\xfe\n---\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		front, body, line, err := Split(data)
		if err != nil {
			if front != nil || body != nil {
				t.Fatalf("error with output")
			}
			return
		}
		if line < 3 {
			t.Fatalf("body line %d: the body cannot start before line 3", line)
		}
		if len(front)+len(body) > len(data) {
			t.Fatalf("split grew the input")
		}
		if !strings.HasPrefix(string(data), "---") {
			t.Fatalf("accepted a file not starting with ---")
		}
		// The body is the input's tail, untouched.
		if !strings.HasSuffix(string(data), string(body)) {
			t.Fatalf("body is not the tail of the input")
		}
		// Parse must never panic on anything Split accepts.
		_, _ = Parse("content/articles/f.md", data)
	})
}

// A file listed but removed before it is read is left out, not an error:
// foyer serve lists files from the changes it is told of.
func TestLoadPathsSkipsRemovedFiles(t *testing.T) {
	fsys := fstest.MapFS{"content/articles/la.md": {Data: []byte("---\ntitle: Là\ndate: 2026-01-02\n---\nTexte.\n")}}
	docs, err := LoadPaths(context.Background(), fsys, []string{"content/articles/la.md", "content/articles/partie.md"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Path != "content/articles/la.md" {
		t.Fatalf("docs %v, want the one that exists", docs)
	}
}
