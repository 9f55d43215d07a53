package wordpress

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/foyerhub/foyer/generator/config"
)

func dirFS(site string) fs.FS { return os.DirFS(site) }

func joinSite(site, rel string) string { return filepath.Join(site, filepath.FromSlash(rel)) }

// editConfig adds title, base_url and language from the export to
// foyer.yaml when it has none of its own. It appends lines to the text,
// so that the user's comments and layout stay as they were.
func (im *importer) editConfig(ch Channel) {
	file := filepath.Join(im.opts.Site, config.FileName)
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		im.warn(0, 0, "%s: %v: not changed", config.FileName, err)
		return
	}
	keys, err := config.Keys(data)
	if err != nil {
		im.warn(0, 0, "%v: %s not changed", err, config.FileName)
		return
	}
	var add []string
	var lines strings.Builder
	set := func(key, value string) {
		if value == "" || slices.Contains(keys, key) {
			return
		}
		add = append(add, key)
		lines.WriteString(key + ": " + strconv.Quote(value) + "\n")
	}
	set("title", ch.Title)
	base := webURL(ch.Link)
	if base == "" {
		base = webURL(ch.BaseBlogURL)
	}
	if u, err := url.Parse(base); err == nil && base != "" {
		u.RawQuery, u.Fragment = "", ""
		base = strings.TrimSuffix(u.String(), "/") + "/"
	}
	set("base_url", base)
	lang := strings.ToLower(ch.Language)
	if len(lang) >= 2 && (lang[:2] == "fr" || lang[:2] == "en") && (len(lang) == 2 || lang[2] == '-' || lang[2] == '_') {
		set("language", lang[:2])
	} else if ch.Language != "" && !slices.Contains(keys, "language") {
		im.warn(0, 0, "language %q: Foyer speaks fr and en: %s keeps its default", ch.Language, config.FileName)
	}
	if len(add) == 0 {
		return
	}
	text := string(data)
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += "# Added by foyer import wordpress.\n" + lines.String()
	if _, _, err := config.Parse(config.FileName, []byte(text)); err != nil {
		im.warn(0, 0, "%s: adding %s would make it invalid (%v): not changed", config.FileName, strings.Join(add, ", "), err)
		return
	}
	if err := writeAtomic(file, []byte(text)); err != nil {
		im.warn(0, 0, "%s: %v", config.FileName, err)
		return
	}
	im.report.Config = add
}
