package wordpress

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/config"
	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/slug"
	"github.com/foyerhub/foyer/generator/source"
)

// reserved are page slugs that would take a URL Foyer builds itself.
var reserved = map[string]bool{
	"articles": true, "categories": true, "tags": true, "archives": true, "members": true,
	"newsletters": true, "contributors": true, "page": true, "uploads": true, "search": true,
}

type importer struct {
	opts       Options
	man        *manifest
	report     *Report
	conv       *htmlConverter
	cfg        *config.Config
	channel    Channel
	configured bool
	members    map[string]string // login → member id
	memberByID map[string]string // WordPress user id → member id
	used       map[string]string // slash path → key, this run
	aliases    map[string]string // alias → key
	zone       *time.Location    // learnt from items that carry both dates
	uploads    map[string]string // upload rel → new URL ("" when missing)
}

func newImporter(opts Options, man *manifest) *importer {
	im := &importer{
		opts: opts, man: man, report: &Report{Skipped: map[string]int{}},
		members: map[string]string{}, memberByID: map[string]string{},
		used: map[string]string{}, aliases: map[string]string{}, uploads: map[string]string{},
		zone: time.UTC,
	}
	im.conv = newHTMLConverter(im.uploadLink)
	return im
}

// warn records a problem at a position of the export.
func (im *importer) warn(line, col int, format string, args ...any) {
	im.report.Warnings = append(im.report.Warnings, diag.Errorf(im.opts.Name, line, col, format, args...))
}

func (im *importer) at(line, col int) func(string, ...any) {
	return func(format string, args ...any) { im.warn(line, col, format, args...) }
}

func (im *importer) configure(ch Channel) {
	im.configured, im.channel = true, ch
	im.editConfig(ch)
	im.cfg = siteConfig(im.opts.Site)
}

func (im *importer) author(a *Author) {
	login := a.Login
	if login == "" {
		im.warn(a.Line, a.Col, "<wp:author> without <wp:author_login>: skipped")
		return
	}
	want := ""
	if !strings.Contains(login, "@") {
		want = slug.Make(login)
	}
	if want == "" {
		want = slug.Make(safeName(a.DisplayName))
	}
	if want == "" {
		want = slug.Make(safeName(a.FirstName + " " + a.LastName))
	}
	if want == "" {
		want = "author-" + slug.Make(a.ID)
	}
	key := "author:" + login
	id := im.claim(key, "content/members", want, ".yaml", a.Line, a.Col, "author "+login)
	im.members[login] = id
	if a.ID != "" {
		im.memberByID[a.ID] = id
	}
	name := safeName(a.DisplayName)
	if name == "" {
		name = strings.TrimSpace(safeName(a.FirstName + " " + a.LastName))
	}
	if name == "" {
		name = id
	}
	m := source.Meta{Name: name, Email: a.Email}
	if im.write(source.Member, key, rel("content/members", id+".yaml"), m, "", im.at(a.Line, a.Col)) {
		im.report.Members++
	}
}

// claim picks the file name of an object in dir: the one it had at the
// last import, else want, else want-2, want-3… when taken by another
// object of this import or by a file of the user's.
func (im *importer) claim(key, dir, want, ext string, line, col int, what string) string {
	if p, ok := im.man.byKey[key]; ok && path.Dir(p) == dir {
		if owner, taken := im.used[p]; !taken || owner == key {
			im.used[p] = key
			return strings.TrimSuffix(path.Base(p), ext)
		}
	}
	name := want
	for n := 2; ; n++ {
		p := dir + "/" + name + ext
		if im.free(p, key) {
			im.used[p] = key
			break
		}
		name = fmt.Sprintf("%s-%d", want, n)
	}
	if name != want {
		im.report.Collisions = append(im.report.Collisions, fmt.Sprintf("%s: %s %q is taken: written as %s", im.opts.Name, what, want, name))
		im.warn(line, col, "%s: slug %q already used: written as %q", what, want, name)
	}
	return name
}

func (im *importer) free(p, key string) bool {
	if owner, taken := im.used[p]; taken && owner != key {
		return false
	}
	if entry, ours := im.man.Files[p]; ours {
		return entry.Key == key
	}
	_, err := os.Lstat(joinSite(im.opts.Site, p))
	return err != nil
}

func (im *importer) item(it *Item) {
	switch it.Type {
	case "post", "page", "":
	case "attachment":
		u := it.AttachmentURL
		if u == "" {
			u = it.Link
		}
		if u != "" {
			im.report.Attachments = append(im.report.Attachments, u)
		}
		if len(it.Comments) > 0 {
			im.report.Skipped["comment on an attachment"] += len(it.Comments)
		}
		return
	default:
		im.report.Skipped[it.Type]++
		return
	}
	switch it.Status {
	case "auto-draft", "inherit":
		im.report.Skipped[it.Status]++
		return
	}
	page := it.Type == "page"
	kind, dir, what := source.Article, "content/articles", "post"
	if page {
		kind, dir, what = source.Page, "content/pages", "page"
	}
	want := ""
	if name, err := url.PathUnescape(it.Name); err == nil {
		want = slug.Make(name)
	}
	if want == "" {
		want = slug.Make(it.Title)
	}
	if want == "" || page && reserved[want] {
		want = strings.Trim(what+"-"+slug.Make(it.ID)+"-"+want, "-")
	}
	key := what + ":" + it.ID
	if it.ID == "" {
		key = fmt.Sprintf("%s@%d", what, it.Line)
	}
	desc := fmt.Sprintf("%s %s %q", what, it.ID, it.Title)
	name := im.claim(key, dir, want, ".md", it.Line, it.Col, desc)
	at := im.at(it.Line, it.Col)

	m := source.Meta{Title: it.Title, Slug: name}
	if m.Title == "" {
		m.Title = name
	}
	m.Date = im.date(it.DateGMT, it.Date)
	if m.Date.IsZero() {
		m.Date = im.date(it.ModifiedGMT, it.Modified)
	}
	if m.Date.IsZero() {
		m.Date = im.exportDate()
		if !page {
			at("%s: no date (0000-00-00): dated as the export", desc)
		}
	}
	if up := im.date(it.ModifiedGMT, it.Modified); up.After(m.Date) {
		m.Updated = up
	}
	switch it.Status {
	case "publish", "future":
	case "trash":
		m.Draft, m.Status = true, "rejected"
	default: // draft, pending, private
		m.Draft = true
	}
	if it.Password != "" && !m.Draft {
		m.Draft = true
		at("%s: protected by a password: imported as a draft", desc)
	}
	body, kept, err := im.conv.Markdown(it.Content)
	if err != nil {
		at("%s: content: %v", desc, err)
	}
	for _, k := range dedupe(kept) {
		at("%s: shortcode [%s] kept as text (no Foyer equivalent)", desc, k)
	}
	m.Summary = plainText(it.Excerpt)
	if !page {
		if id, ok := im.members[it.Creator]; ok {
			m.Author = id
		} else {
			m.Author = safeName(it.Creator)
		}
		m.Categories, m.Tags = dedupe(it.Categories), dedupe(it.Tags)
	}
	newURL := im.permalink(page, name, m.Date, m.Categories)
	taken := ""
	if name != want {
		// The page that has the slug may well have the old URL too.
		taken = im.permalink(page, want, m.Date, m.Categories)
	}
	if a := im.alias(it.Link, newURL, taken, key, at, desc); a != "" {
		m.Aliases = []string{a}
	}
	if !im.write(kind, key, rel(dir, name+".md"), m, body, at) {
		return
	}
	if page {
		im.report.Pages++
		if len(it.Comments) > 0 {
			im.report.Skipped["comment on a page"] += len(it.Comments)
			at("%s: %d comments not imported: Foyer pages take no comments", desc, len(it.Comments))
		}
		return
	}
	im.report.Articles++
	im.comments(it, name, m.Date)
}

func (im *importer) comments(it *Item, article string, fallback time.Time) {
	ids := make(map[string]string, len(it.Comments))
	names := make([]string, len(it.Comments))
	dir := "content/contributions/" + article
	for i, c := range it.Comments {
		want := "wp-" + slug.Make(c.ID)
		if want == "wp-" {
			want = fmt.Sprintf("wp-n%d", i+1)
		}
		key := "comment:" + it.ID + ":" + c.ID
		if c.ID == "" {
			key = fmt.Sprintf("comment@%d", c.Line)
		}
		names[i] = im.claim(key, dir, want, ".md", c.Line, c.Col, "comment "+c.ID)
		if _, dup := ids[c.ID]; !dup && c.ID != "" {
			ids[c.ID] = names[i]
		}
	}
	for i, c := range it.Comments {
		at := im.at(c.Line, c.Col)
		m := source.Meta{Date: im.date(c.DateGMT, c.Date), Email: c.Email, IP: c.IP}
		if m.Date.IsZero() {
			m.Date = fallback
			at("comment %s: no date: dated as its article", c.ID)
		}
		m.Status = commentStatus(c.Approved)
		if m.Status == "" {
			m.Status = "pending"
			at("comment %s: comment_approved %q (expected 1, 0, spam or trash): imported as pending", c.ID, c.Approved)
		}
		m.Author = safeName(c.Author)
		if id, ok := im.memberByID[c.UserID]; ok && c.UserID != "0" {
			m.Member = id
		}
		text := c.Content
		switch c.Type {
		case "pingback", "trackback":
			m.Kind = "pingback"
			m.Source = webURL(c.URL)
			m.Title, text = mentionTitle(c)
		case "webmention":
			m.Kind, m.Source = "webmention", webURL(c.URL)
		default:
			m.Kind = "comment"
			m.Website = webURL(c.URL)
			if c.Parent != "" && c.Parent != "0" {
				if p, ok := ids[c.Parent]; ok && p != names[i] {
					m.ReplyTo = p
				} else {
					at("comment %s: parent comment %q is not in the export (expected a <wp:comment> with that comment_id in the same item): imported as a top-level comment", c.ID, c.Parent)
				}
			}
		}
		body, _, err := im.conv.Markdown(text)
		if err != nil {
			at("comment %s: %v", c.ID, err)
		}
		key := "comment:" + it.ID + ":" + c.ID
		if c.ID == "" {
			key = fmt.Sprintf("comment@%d", c.Line)
		}
		if im.write(source.Contribution, key, rel(dir, names[i]+".md"), m, body, at) {
			im.report.Contributions++
		}
	}
}

func commentStatus(approved string) string {
	switch approved {
	case "1", "approve", "approved":
		return "approved"
	case "0", "hold":
		return "pending"
	case "spam":
		return "spam"
	case "trash", "post-trashed":
		return "rejected"
	}
	return ""
}

// mentionTitle gives a pingback's or trackback's title and excerpt:
// WordPress files the linking page's title as the comment's author, and
// a trackback's as <strong> at the head of its excerpt.
func mentionTitle(c *Comment) (title, excerpt string) {
	excerpt = c.Content
	if c.Type == "trackback" {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(excerpt), "<strong>"); ok {
			if t, after, ok := strings.Cut(rest, "</strong>"); ok {
				return plainText(t), after
			}
		}
	}
	if t := safeName(c.Author); t != "" {
		return t, excerpt
	}
	t := plainText(excerpt)
	if r := []rune(t); len(r) > 80 {
		t = string(r[:80]) + "…"
	}
	return t, excerpt
}

const wpLayout = "2006-01-02 15:04:05"

// date reads WordPress's GMT date first, else its local date in the
// blog's zone as learnt from items that carry both; 0000-00-00 is zero.
func (im *importer) date(gmt, local string) time.Time {
	g, gerr := time.Parse(wpLayout, gmt)
	l, lerr := time.Parse(wpLayout, local)
	if gerr == nil && g.Year() > 1 {
		if lerr == nil && l.Year() > 1 {
			off := l.Sub(g)
			if off.Abs() <= 14*time.Hour && off%time.Minute == 0 {
				im.zone = time.FixedZone("", int(off/time.Second))
			}
		}
		return g.In(im.zone)
	}
	if lerr == nil && l.Year() > 1 {
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, im.zone)
	}
	return time.Time{}
}

func (im *importer) exportDate() time.Time {
	for _, layout := range []string{time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, im.channel.PubDate); err == nil {
			return t
		}
	}
	return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
}

// permalink is the new URL of a page, as package site will make it.
func (im *importer) permalink(page bool, name string, date time.Time, categories []string) string {
	section, pattern := "articles", "/articles/:slug/"
	if page {
		section, pattern = "pages", "/:slug/"
	}
	if p, ok := im.cfg.Permalinks[section]; ok {
		pattern = p
	}
	category := ""
	if len(categories) > 0 {
		category = slug.Make(categories[0])
	}
	r := strings.NewReplacer(":year", fmt.Sprintf("%04d", date.Year()), ":month", fmt.Sprintf("%02d", int(date.Month())),
		":day", fmt.Sprintf("%02d", date.Day()), ":slug", name, ":section", section, ":category", category)
	return "/" + strings.Trim(path.Clean("/"+r.Replace(pattern)), "/") + "/"
}

// alias turns an item's WordPress link into a site path that redirects
// to its new page, or "" when it needs none or cannot be one.
func (im *importer) alias(link, newURL, taken, key string, at func(string, ...any), desc string) string {
	u, err := url.Parse(link)
	if link == "" || err != nil || u.RawQuery != "" && (u.Path == "" || u.Path == "/") {
		return "" // ?p=123: drafts and plain permalinks have no path to keep
	}
	p := u.Path
	if base := im.cfg.BasePath(); base != "/" {
		if rest, ok := strings.CutPrefix(p, base); ok {
			p = "/" + rest
		}
	}
	if p == "" || strings.ContainsAny(p, "?#\\\x00") || strings.Contains(p, "://") || strings.ContainsFunc(p, isControl) {
		at("%s: old link %q cannot be an alias: skipped", desc, link)
		return ""
	}
	clean := path.Clean("/" + p)
	if clean == "/" {
		return ""
	}
	if strings.Contains(clean, "..") {
		at("%s: old link %q leaves the site: skipped", desc, link)
		return ""
	}
	if path.Ext(clean) == "" {
		clean += "/"
	}
	if clean == newURL {
		return ""
	}
	if clean == taken {
		at("%s: old link %s is the URL of the page that has its slug: no alias", desc, clean)
		return ""
	}
	if owner, taken := im.aliases[clean]; taken && owner != key {
		at("%s: old link %s is already an alias of %s: skipped", desc, clean, owner)
		return ""
	}
	im.aliases[clean] = key
	return clean
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

var emailPattern = regexp.MustCompile(`[^\s@<>(),;:"]+@[^\s@<>(),;:"]+`)

// safeName is a display name without any e-mail address in it: people
// type theirs in the name field, and names are published.
func safeName(s string) string {
	s = emailPattern.ReplaceAllString(s, "")
	s = strings.Join(strings.Fields(strings.Trim(strings.TrimSpace(s), "()<>[]")), " ")
	return s
}

// webURL keeps http and https addresses only.
func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

var tags = regexp.MustCompile(`<[^>]*>`)

// plainText is HTML as one line of text: excerpts become summaries.
func plainText(s string) string {
	s = tags.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(unescape(s)), " ")
}

func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
