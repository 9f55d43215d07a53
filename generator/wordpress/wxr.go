package wordpress

import (
	"encoding/xml"
	"errors"
	"html"
	"io"
	"strings"

	"github.com/foyerhub/foyer/generator/diag"
)

// Channel is the export's header: the blog's name, address and language.
type Channel struct {
	Title       string
	Link        string
	Language    string
	Description string
	PubDate     string // when the export was made (RFC 1123)
	Version     string // WXR version: 1.1 or 1.2
	BaseSiteURL string
	BaseBlogURL string
}

// Author is a <wp:author>: a registered user who wrote posts.
type Author struct {
	ID, Login, Email    string
	DisplayName         string
	FirstName, LastName string
	Line, Col           int
}

// Item is one <item>: a post, a page, an attachment or another type.
type Item struct {
	Title, Link, Creator, Content, Excerpt string
	ID, Name, Status, Type, Parent         string
	Date, DateGMT                          string
	Modified, ModifiedGMT                  string
	Password, AttachmentURL                string
	Categories, Tags                       []string
	Comments                               []*Comment
	Line, Col                              int
}

// Comment is a <wp:comment> of an item.
type Comment struct {
	ID, Author, Email, URL, IP string
	Date, DateGMT, Content     string
	Approved, Type, Parent     string
	UserID                     string
	Line, Col                  int
}

// Supported WXR versions, as "Tools → Export" writes them.
var supported = map[string]bool{"1.1": true, "1.2": true}

// Decoder reads a WXR export element by element: Next returns one
// author or item at a time, so an export of any size is read with the
// memory of its largest item.
type Decoder struct {
	x        *xml.Decoder
	src      *cleanReader
	name     string
	Channel  Channel
	root     bool   // <rss> seen
	record   string // the author or item being read, for messages
	recLine  int
	line, co int // position before the last token
}

// NewDecoder reads the export from r; name is used in messages.
func NewDecoder(r io.Reader, name string) *Decoder {
	src := newCleanReader(r)
	x := xml.NewDecoder(src)
	x.Entity = xml.HTMLEntity
	return &Decoder{x: x, src: src, name: name, line: 1, co: 1}
}

// Warnings returns the problems met in the bytes so far: invalid UTF-8
// and control characters, each replaced with U+FFFD.
func (d *Decoder) Warnings() []error {
	out := make([]error, 0, len(d.src.bad))
	for _, b := range d.src.bad {
		out = append(out, diag.Errorf(d.name, b.line, b.col, "%s: replaced with U+FFFD", b.what))
	}
	if d.src.dropped > 0 {
		out = append(out, diag.Errorf(d.name, 0, 0, "%d more invalid bytes replaced with U+FFFD", d.src.dropped))
	}
	return out
}

func (d *Decoder) token() (xml.Token, error) {
	d.line, d.co = d.x.InputPos()
	return d.x.Token()
}

// errorf returns a positioned error at the decoder's last position.
func (d *Decoder) errorf(line, col int, format string, args ...any) error {
	return diag.Errorf(d.name, line, col, format, args...)
}

// fail turns a decoder error into a positioned message.
func (d *Decoder) fail(err error, inside string, line int) error {
	l, c := d.x.InputPos()
	var se *xml.SyntaxError
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &se) && se.Msg == "unexpected EOF" {
		if d.record != "" {
			inside, line = d.record, d.recLine
		}
		if inside != "" {
			return d.errorf(l, c, "export ends inside <%s> begun at line %d (truncated export? expected </%s>)", inside, line, inside)
		}
		return d.errorf(l, c, "export ends before </channel> (truncated export?)")
	}
	if errors.As(err, &se) {
		return d.errorf(l, c, "malformed XML: %s", se.Msg)
	}
	return d.errorf(l, c, "%v", err)
}

// Next returns the next *Author or *Item, io.EOF at the end of the
// export, or an error naming the position where reading had to stop.
func (d *Decoder) Next() (any, error) {
	for {
		tok, err := d.token()
		if err == io.EOF {
			if !d.root {
				return nil, d.errorf(d.line, d.co, "empty export (expected a WordPress WXR file starting with <rss>)")
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, d.fail(err, "", 0)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, col := d.line, d.co
		ns, local := space(start.Name.Space), start.Name.Local
		if !d.root {
			if local != "rss" || ns != "" {
				return nil, d.errorf(line, col, "<%s>: expected a WordPress export (WXR) starting with <rss>", local)
			}
			d.root = true
			continue
		}
		switch {
		case ns == "" && local == "channel":
			continue
		case ns == "" && local == "item":
			if err := d.checkVersion(line, col); err != nil {
				return nil, err
			}
			return d.item(line, col)
		case ns == "wp" && local == "author":
			if err := d.checkVersion(line, col); err != nil {
				return nil, err
			}
			return d.author(line, col)
		}
		text, err := d.text(local, line)
		if err != nil {
			return nil, err
		}
		d.channelField(ns, local, text)
		if ns == "wp" && local == "wxr_version" {
			if err := d.checkVersion(line, col); err != nil {
				return nil, err
			}
		}
	}
}

func (d *Decoder) channelField(ns, local, text string) {
	c := &d.Channel
	switch ns + ":" + local {
	case ":title":
		c.Title = unescape(text)
	case ":link":
		c.Link = strings.TrimSpace(text)
	case ":language":
		c.Language = strings.TrimSpace(text)
	case ":description":
		c.Description = unescape(text)
	case ":pubDate":
		c.PubDate = strings.TrimSpace(text)
	case "wp:wxr_version":
		c.Version = strings.TrimSpace(text)
	case "wp:base_site_url":
		c.BaseSiteURL = strings.TrimSpace(text)
	case "wp:base_blog_url":
		c.BaseBlogURL = strings.TrimSpace(text)
	}
}

func (d *Decoder) checkVersion(line, col int) error {
	switch {
	case d.Channel.Version == "":
		return d.errorf(line, col, "no <wp:wxr_version> before the first author or item (expected a WordPress export, WXR 1.1 or 1.2)")
	case !supported[d.Channel.Version]:
		return d.errorf(line, col, "WXR version %q is not supported (expected 1.1 or 1.2)", d.Channel.Version)
	}
	return nil
}

// space names a namespace by its usual prefix, whether the export
// declared it by URL or, broken, left the bare prefix.
func space(s string) string {
	switch {
	case s == "":
		return ""
	case s == "excerpt" || strings.HasPrefix(s, "http://wordpress.org/export/") && strings.HasSuffix(s, "/excerpt/"):
		return "excerpt"
	case s == "wp" || strings.HasPrefix(s, "http://wordpress.org/export/"):
		return "wp"
	case s == "content" || s == "http://purl.org/rss/1.0/modules/content/":
		return "content"
	case s == "dc" || s == "http://purl.org/dc/elements/1.1/":
		return "dc"
	}
	return s
}

// text reads the character data up to the end of the element just
// started, the text of nested elements included.
func (d *Decoder) text(name string, line int) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.token()
		if err != nil {
			return "", d.fail(err, name, line)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

func (d *Decoder) author(line, col int) (*Author, error) {
	a := &Author{Line: line, Col: col}
	d.record, d.recLine = "wp:author", line
	defer func() { d.record = "" }()
	err := d.fields("wp:author", line, func(ns, local, text string, _ xml.StartElement, _, _ int) error {
		if ns != "wp" {
			return nil
		}
		text = strings.TrimSpace(text)
		switch local {
		case "author_id":
			a.ID = text
		case "author_login":
			a.Login = text
		case "author_email":
			a.Email = text
		case "author_display_name":
			a.DisplayName = unescape(text)
		case "author_first_name":
			a.FirstName = unescape(text)
		case "author_last_name":
			a.LastName = unescape(text)
		}
		return nil
	})
	return a, err
}

// fields reads the children of an element, handing each child's text to
// f. Comments and meta elements are not read ahead: f is called with
// text "" and must consume them itself.
func (d *Decoder) fields(name string, line int, f func(ns, local, text string, start xml.StartElement, line, col int) error) error {
	for {
		tok, err := d.token()
		if err != nil {
			return d.fail(err, name, line)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			l, c := d.line, d.co
			ns := space(t.Name.Space)
			if ns == "wp" && (t.Name.Local == "comment" || t.Name.Local == "postmeta" || t.Name.Local == "commentmeta") {
				if err := f(ns, t.Name.Local, "", t, l, c); err != nil {
					return err
				}
				continue
			}
			text, err := d.text(t.Name.Local, l)
			if err != nil {
				return err
			}
			if err := f(ns, t.Name.Local, text, t, l, c); err != nil {
				return err
			}
		}
	}
}

func (d *Decoder) item(line, col int) (*Item, error) {
	it := &Item{Line: line, Col: col}
	d.record, d.recLine = "item", line
	defer func() { d.record = "" }()
	err := d.fields("item", line, func(ns, local, text string, start xml.StartElement, l, c int) error {
		switch ns + ":" + local {
		case "wp:comment":
			cm, err := d.comment(l, c)
			if cm != nil {
				it.Comments = append(it.Comments, cm)
			}
			return err
		case "wp:postmeta", "wp:commentmeta":
			return d.x.Skip()
		case ":title":
			it.Title = unescape(text)
		case ":link":
			it.Link = strings.TrimSpace(text)
		case "dc:creator":
			it.Creator = strings.TrimSpace(text)
		case "content:encoded":
			it.Content = text
		case "excerpt:encoded":
			it.Excerpt = text
		case ":category":
			name := unescape(text)
			if name == "" {
				return nil
			}
			switch attr(start, "domain") {
			case "category":
				it.Categories = append(it.Categories, name)
			case "post_tag":
				it.Tags = append(it.Tags, name)
			}
		}
		if ns != "wp" {
			return nil
		}
		text = strings.TrimSpace(text)
		switch local {
		case "post_id":
			it.ID = text
		case "post_name":
			it.Name = text
		case "status":
			it.Status = text
		case "post_type":
			it.Type = text
		case "post_parent":
			it.Parent = text
		case "post_date":
			it.Date = text
		case "post_date_gmt":
			it.DateGMT = text
		case "post_modified":
			it.Modified = text
		case "post_modified_gmt":
			it.ModifiedGMT = text
		case "post_password":
			it.Password = text
		case "attachment_url":
			it.AttachmentURL = text
		}
		return nil
	})
	return it, err
}

func (d *Decoder) comment(line, col int) (*Comment, error) {
	cm := &Comment{Line: line, Col: col}
	err := d.fields("wp:comment", line, func(ns, local, text string, _ xml.StartElement, _, _ int) error {
		if ns == "wp" && local == "commentmeta" {
			return d.x.Skip()
		}
		if ns != "wp" {
			return nil
		}
		if local != "comment_content" {
			text = strings.TrimSpace(text)
		}
		switch local {
		case "comment_id":
			cm.ID = text
		case "comment_author":
			cm.Author = unescape(text)
		case "comment_author_email":
			cm.Email = text
		case "comment_author_url":
			cm.URL = text
		case "comment_author_IP":
			cm.IP = text
		case "comment_date":
			cm.Date = text
		case "comment_date_gmt":
			cm.DateGMT = text
		case "comment_content":
			cm.Content = text
		case "comment_approved":
			cm.Approved = text
		case "comment_type":
			cm.Type = text
		case "comment_parent":
			cm.Parent = text
		case "comment_user_id":
			cm.UserID = text
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cm, nil
}

func attr(start xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// unescape decodes the HTML entities WordPress leaves in titles and
// names (&#8217;, &amp;) and trims the result.
func unescape(s string) string { return strings.TrimSpace(html.UnescapeString(s)) }
