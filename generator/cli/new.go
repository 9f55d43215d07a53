package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/slug"
)

func newCommand() *command {
	return &command{
		name:    "new",
		summary: "start a site, or write a new article or page",
		usage:   "site DIR | article [-s SITE] \"Titre\" | page [-s SITE] \"Titre\"",
		run:     runNew,
	}
}

func runNew(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("expected site, article or page")
	}
	kind, rest := args[0], args[1:]
	fs := newFlags("new "+kind, env)
	site := fs.String("s", ".", "site folder")
	if err := parse(fs, rest, env); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("expected one argument after %s", kind)
	}
	arg := fs.Arg(0)
	switch kind {
	case "site":
		return newSite(env, arg)
	case "article", "page":
		return newDocument(env, *site, kind, arg)
	}
	return usagef("unknown kind %q (expected site, article or page)", kind)
}

func newSite(env *Env, dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("foyer new site: %s is not empty: refusing to write into it", dir)
	}
	title := filepath.Base(filepath.Clean(dir))
	files := map[string]string{
		"foyer.yaml":                fmt.Sprintf("title: %q\nbase_url: \"https://hub.example.org/\"\nlanguage: fr\ndescription: \"\"\n", title),
		".gitignore":                "public/\n.public.foyer-*/\n.foyer/\n",
		"content/pages/a-propos.md": "---\ntitle: \"À propos\"\n---\n\nPrésentez ici votre communauté.\n",
		"content/members/.keep":     "",
		"content/articles/bienvenue.md": fmt.Sprintf("---\ntitle: \"Bienvenue\"\ndate: %s\ncategories: [\"Annonces\"]\n---\n\nLe premier article de %s.\n",
			time.Now().Format("2006-01-02"), title),
	}
	for name, text := range files {
		if err := writeNew(filepath.Join(dir, name), text); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "Created a site in %s. Next: cd %s && foyer serve\n", dir, dir)
	return nil
}

func newDocument(env *Env, site, kind, title string) error {
	s := slug.Make(title)
	if s == "" {
		return usagef("title %q has no letter or digit to make a file name from", title)
	}
	dir := map[string]string{"article": "articles", "page": "pages"}[kind]
	path := filepath.Join(site, "content", dir, s+".md")
	front := fmt.Sprintf("---\ntitle: %q\n", title)
	if kind == "article" {
		front += fmt.Sprintf("date: %s\ndraft: true\ncategories: []\ntags: []\n", time.Now().Format(time.RFC3339))
	}
	front += "---\n\n"
	if err := writeNew(path, front); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Created %s\n", path)
	return nil
}

// writeNew creates a file that must not exist yet: foyer new never
// overwrites a user's file.
func writeNew(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: not overwritten", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(strings.TrimPrefix(text, "\n")); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
