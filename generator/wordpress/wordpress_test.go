package wordpress

import (
	"context"
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

// importFile imports testdata/name into a new site and returns the site
// folder and the report; the import must not fail.
func importFile(t *testing.T, name string, opts Options) (string, *Report) {
	t.Helper()
	if opts.Site == "" {
		opts.Site = t.TempDir()
	}
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Name = name
	rep, err := Import(context.Background(), f, opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return opts.Site, rep
}

// siteFS reads a site folder into memory for sitetest.
func siteFS(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func readDoc(t *testing.T, dir, rel string) *source.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := source.Parse(rel, data)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestImportThenBuild(t *testing.T) {
	dir, rep := importFile(t, "blog.xml", Options{})
	if rep.Articles != 5 || rep.Pages != 2 || rep.Members != 2 || rep.Contributions != 9 {
		t.Errorf("counts: %+v", rep)
	}
	if len(rep.Attachments) != 1 || !strings.HasSuffix(rep.Attachments[0], "/2024/03/semis.jpg") {
		t.Errorf("attachments: %v", rep.Attachments)
	}
	if rep.Skipped["nav_menu_item"] != 1 || len(rep.Collisions) != 1 {
		t.Errorf("skipped %v, collisions %v", rep.Skipped, rep.Collisions)
	}
	warnings := joinErrors(rep.Warnings)
	for _, want := range []string{
		`blog\.xml:1\d\d:\d+: comment 109: parent comment "999" is not in the export`,
		`blog\.xml:\d+:\d+: post 10 .*shortcode \[gallery\] kept as text`,
		`blog\.xml:\d+:\d+: post 23 .*slug "semer-les-tomates" already used: written as "semer-les-tomates-2"`,
	} {
		if !regexp.MustCompile(want).MatchString(warnings) {
			t.Errorf("warnings lack %s:\n%s", want, warnings)
		}
	}

	cfg, _ := os.ReadFile(filepath.Join(dir, "foyer.yaml"))
	for _, want := range []string{`title: "Le Jardin Partagé"`, `base_url: "https://jardin.example.org/"`, `language: "fr"`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("foyer.yaml lacks %s:\n%s", want, cfg)
		}
	}

	statuses := map[string]string{"wp-101": "approved", "wp-104": "pending", "wp-105": "spam", "wp-106": "rejected", "wp-107": "approved"}
	for id, want := range statuses {
		if got := readDoc(t, dir, "content/contributions/semer-les-tomates/"+id+".md").Meta.Status; got != want {
			t.Errorf("%s: status %q, want %q", id, got, want)
		}
	}
	ping := readDoc(t, dir, "content/contributions/semer-les-tomates/wp-107.md").Meta
	if ping.Kind != "pingback" || ping.Source != "https://potagers.example.net/semis-printemps/" || ping.Title != "Potagers Urbains » Semis de printemps" {
		t.Errorf("pingback: %+v", ping)
	}
	track := readDoc(t, dir, "content/contributions/semer-les-tomates/wp-108.md")
	if track.Meta.Kind != "pingback" || track.Meta.Title != "Nos tomates de l'année" || strings.Contains(string(track.Body), "strong") {
		t.Errorf("trackback: %+v %q", track.Meta, track.Body)
	}
	reply := readDoc(t, dir, "content/contributions/semer-les-tomates/wp-102.md").Meta
	if reply.Member != "margot" || reply.ReplyTo != "wp-101" || reply.Email != "margot.secret@example.org" || reply.IP != "198.51.100.23" {
		t.Errorf("reply: %+v", reply)
	}
	hostile := readDoc(t, dir, "content/contributions/semer-les-tomates/wp-103.md").Meta
	if hostile.Author != "" || hostile.Website != "" {
		t.Errorf("e-mail as name or script as website kept: %+v", hostile)
	}
	draft := readDoc(t, dir, "content/articles/brouillon-sans-date.md").Meta
	if !draft.Draft || draft.Date.IsZero() || draft.Author != "paul-blanc" {
		t.Errorf("draft: %+v", draft)
	}
	if m := readDoc(t, dir, "content/articles/notes.md").Meta; !m.Draft {
		t.Errorf("private post not a draft: %+v", m)
	}
	if m := readDoc(t, dir, "content/articles/recolte.md").Meta; m.Draft || m.Date.Year() != 2026 || m.Date.Month() != 12 {
		t.Errorf("future post: %+v", m)
	}

	out := sitetest.Build(t, siteFS(t, dir), build.Options{})
	page := "articles/semer-les-tomates/index.html"
	out.Contains(t, page, "Semer les tomates", "<h2", "Le matériel", "<blockquote>", "semis.jpg", "Les semis au bout de dix jours",
		"https://video.example.com/embed/42", "arrosage:", "Quelle variété", "Cœur de bœuf", "Parfait, merci Margot", "https://potagers.example.net/semis-printemps/")
	out.Lacks(t, page, "Buy cheap pills", "Commentaire en attente", "mis à la corbeille", "javascript:", "[caption")
	out.Contains(t, "articles/semer-les-tomates-2/index.html", "<table>", "<del>même</del>")
	out.Contains(t, "2024/03/semer-les-tomates/index.html", "/articles/semer-les-tomates/")
	out.Contains(t, "infos/tags/index.html", "/page-31-tags/")
	out.Contains(t, "a-propos/index.html", "Un jardin, des voisins.")
	for _, unpublished := range []string{"articles/brouillon-sans-date/index.html", "articles/notes/index.html", "articles/recolte/index.html"} {
		if _, ok := out.Files[unpublished]; ok {
			t.Errorf("%s published", unpublished)
		}
	}

	a := out.Model.Site.Article("semer-les-tomates")
	if a == nil || a.Author == nil || a.Author.ID != "margot" {
		t.Fatalf("article or its author missing: %+v", a)
	}
	th := a.Thread
	if th.Count != 4 || len(th.Mentions) != 2 || len(th.Comments) != 2 {
		t.Fatalf("thread: count %d, %d mentions, %d top-level", th.Count, len(th.Mentions), len(th.Comments))
	}
	first := th.Comments[0]
	if first.ID != "wp-101" || len(first.Replies) != 1 || first.Replies[0].ID != "wp-102" ||
		len(first.Replies[0].Replies) != 1 || first.Replies[0].Replies[0].ID != "wp-103" || first.Replies[0].Replies[0].Depth != 2 {
		t.Errorf("reply nesting lost: %+v", first)
	}
	if th.Comments[1].ID != "wp-109" {
		t.Errorf("orphan reply not top-level: %s", th.Comments[1].ID)
	}

	private := regexp.MustCompile(`[\w.+-]+@example\.(org|net|com)|203\.0\.113\.45|198\.51\.100\.23|192\.0\.2\.\d+`)
	for p, data := range out.Files {
		if m := private.Find(data); m != nil {
			t.Errorf("%s publishes private data %q", p, m)
		}
	}
}

func joinErrors(errs []error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString(e.Error() + "\n")
	}
	return b.String()
}
