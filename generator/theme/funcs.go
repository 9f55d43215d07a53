package theme

import (
	"fmt"
	"hash/fnv"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/foyerhub/foyer/generator/diag"
	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/site"
	"github.com/foyerhub/foyer/generator/source"
)

// Funcs are the functions themes call. They are pure: their output
// depends only on their arguments and the site language.
type Funcs struct {
	lang    string
	baseURL string // absolute, ending in "/"
	strings map[string]source.Message
	// relBase is base_url's path without its final "/" ("" for a site at
	// the root, "/sub" for one in a sub-folder); relOK is false when
	// base_url does not parse, and Rel then leaves paths alone.
	relBase string
	relOK   bool
}

func newFuncs(lang, baseURL string, strs map[string]source.Message) Funcs {
	f := Funcs{lang: lang, baseURL: baseURL, strings: strs}
	if u, err := url.Parse(baseURL); err == nil {
		f.relBase, f.relOK = strings.TrimSuffix(u.Path, "/"), true
	}
	return f
}

// Rel turns a site path ("/articles/x/") into a path under base_url's
// own path, for sites served from a sub-folder.
func (f Funcs) Rel(p string) string {
	if !f.relOK {
		return p
	}
	if f.relBase == "" && strings.HasPrefix(p, "/") {
		return p // what the concatenation below gives, without copying
	}
	return f.relBase + "/" + strings.TrimPrefix(p, "/")
}

// Abs turns a site path into an absolute URL on base_url.
func (f Funcs) Abs(p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return strings.TrimSuffix(f.baseURL, "/") + "/" + strings.TrimPrefix(p, "/")
}

// Map returns the functions by their template names. Page templates
// also get cached, which belongs to the Theme (see Theme.cached).
func (f Funcs) Map() map[string]any {
	return map[string]any{
		"t":        f.T,
		"rel":      f.Rel,
		"abs":      f.Abs,
		"date":     f.Date,
		"month":    f.Month,
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"typo":     func(s string) string { return markdown.Typography(f.lang, s) },
		"initials": site.Initials,
		"hue":      hue,
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"dict":     dict,
		"avatar":   avatar,
		"join":     strings.Join,
		"first":    sliceHead,
	}
}

// T returns the string key, formatted with args; a string with forms
// picks one by the first argument when it is an int (French counts 0 and
// 1 as singular, English only 1). A missing key shows as itself, bracketed,
// so that a theme's gap is visible but never fatal.
func (f Funcs) T(key string, args ...any) string {
	msg, ok := f.strings[key]
	if !ok {
		return "[" + key + "]"
	}
	text := msg.Other
	if len(args) > 0 {
		if n, isInt := args[0].(int); isInt && (n == 1 || n == 0 && f.lang == "fr") {
			text = msg.One
		}
	}
	if len(args) == 0 || !strings.Contains(text, "%") {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Month is a month's name in the site language.
func (f Funcs) Month(m time.Month) string {
	if s, ok := f.strings["month_"+strconv.Itoa(int(m))]; ok {
		return s.Other
	}
	return m.String()
}

// Date formats a day in the site language: « 14 mars 2026 », « 1er mai
// 2026 », "March 14, 2026".
func (f Funcs) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if f.lang == "fr" {
		day := strconv.Itoa(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return day + "\u00a0" + f.Month(t.Month()) + " " + strconv.Itoa(t.Year())
	}
	return f.Month(t.Month()) + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}

// hue gives a stable colour angle for a name, for generated avatars.
func hue(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() % 360)
}

// Avatar is what the avatar partial shows: a name (for the initials and
// the colour of a generated avatar), an image URL or site path, empty
// when there is none, and a size in pixels. It is a plain value, so that
// {{cached "avatar" (avatar .Name .Avatar 40)}} renders each one once.
type Avatar struct {
	Name   string
	Avatar string
	Size   int
}

func avatar(name, image string, size int) Avatar {
	return Avatar{Name: name, Avatar: image, Size: size}
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: expected key, value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func (t *Theme) loadEmail(l *loader) error {
	var errs diag.List
	htmls := l.overlay("email", ".html")
	texts := l.overlay("email", ".txt")
	for name, f := range htmls {
		key := strings.TrimSuffix(name, ".html")
		tpl, err := htmltemplate.New(name).Funcs(t.funcs.Map()).Option("missingkey=error").Parse(f.text)
		if err != nil {
			errs.Add(templateError(f.origin, err))
			continue
		}
		for _, x := range tpl.Templates() {
			foldStrings(t.funcs, x.Tree)
		}
		t.emailFor(key).html = tpl
	}
	for name, f := range texts {
		key := strings.TrimSuffix(name, ".txt")
		tpl, err := texttemplate.New(name).Funcs(t.funcs.Map()).Option("missingkey=error").Parse(f.text)
		if err != nil {
			errs.Add(templateError(f.origin, err))
			continue
		}
		for _, x := range tpl.Templates() {
			foldStrings(t.funcs, x.Tree)
		}
		t.emailFor(key).text = tpl
	}
	return errs.Err()
}

func (t *Theme) emailFor(key string) *emailTemplate {
	e := t.email[key]
	if e == nil {
		e = &emailTemplate{}
		t.email[key] = e
	}
	return e
}

// Email renders the e-mail templates email/<name>.html and .txt.
func (t *Theme) Email(name string, data any) (htmlBody, textBody string, err error) {
	e := t.email[name]
	if e == nil || e.html == nil || e.text == nil {
		return "", "", fmt.Errorf("e-mail template %q: expected email/%s.html and email/%s.txt in the theme: %w", name, name, name, ErrNoLayout)
	}
	var hb, tb strings.Builder
	if err := e.html.Execute(&hb, data); err != nil {
		return "", "", err
	}
	if err := e.text.Execute(&tb, data); err != nil {
		return "", "", err
	}
	return hb.String(), tb.String(), nil
}

// StaticFiles lists the static files, later sources overriding earlier
// ones, as slash paths relative to the output root.
func (t *Theme) StaticFiles() (map[string]fs.FS, error) {
	out := make(map[string]fs.FS)
	for _, fsys := range t.Static {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			if d.Type().IsRegular() && !strings.HasPrefix(path.Base(p), ".") {
				out[p] = fsys
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
