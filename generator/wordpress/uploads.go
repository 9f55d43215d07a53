package wordpress

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

const uploadsDir = "/wp-content/uploads/"

// uploadLink rewrites a link into the old site's wp-content/uploads to
// the copy of that file under the site's static/uploads/, copying it
// from Options.Uploads. Other links, and uploads missing from the local
// copy, are kept as they were.
func (im *importer) uploadLink(raw string) string {
	if im.opts.Uploads == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host != "" && !im.ownHost(u.Host) {
		return raw
	}
	_, rest, ok := strings.Cut(u.Path, uploadsDir)
	if !ok {
		return raw
	}
	clean := path.Clean(rest)
	if !filepath.IsLocal(filepath.FromSlash(clean)) || strings.HasPrefix(clean, ".") || strings.Contains(clean, "/.") {
		return raw
	}
	if dest, seen := im.uploads[clean]; seen {
		return nonEmpty(dest, raw)
	}
	im.uploads[clean] = ""
	data, err := os.ReadFile(filepath.Join(im.opts.Uploads, filepath.FromSlash(clean)))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			im.warn(0, 0, "uploads: %v", err)
		}
		return raw
	}
	target := "static/uploads/" + clean
	o, err := im.man.put(im.opts.Site, "upload:"+clean, target, data, im.opts.Force)
	if err != nil {
		im.warn(0, 0, "uploads: %v", err)
		return raw
	}
	im.count(o, target)
	if o == written || o == updated {
		im.report.Uploads++
	}
	dest := (&url.URL{Path: im.cfg.BasePath() + "uploads/" + clean}).EscapedPath()
	im.uploads[clean] = dest
	return dest
}

func (im *importer) ownHost(host string) bool {
	for _, s := range []string{im.channel.Link, im.channel.BaseSiteURL, im.channel.BaseBlogURL} {
		if u, err := url.Parse(s); err == nil && strings.EqualFold(u.Host, host) {
			return true
		}
	}
	return false
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
