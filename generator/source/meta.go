package source

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/foyerhub/foyer/generator/diag"
)

// dateLayouts are the accepted date forms, most precise first. Dates
// without a zone are UTC.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// ParseDate reads a front-matter date: RFC 3339 or YYYY-MM-DD.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var firstErr error
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t, nil
		}
		if pe, ok := err.(*time.ParseError); ok && pe.Message != "" && firstErr == nil {
			firstErr = fmt.Errorf("%s", strings.TrimPrefix(pe.Message, ": "))
		}
	}
	if firstErr != nil {
		return time.Time{}, firstErr
	}
	return time.Time{}, fmt.Errorf("expected RFC 3339 (2026-03-14T09:30:00+01:00) or YYYY-MM-DD")
}

// decodeMeta decodes front matter field by field so that each error
// points at its own value. firstLine is the file line of front's first
// line.
func decodeMeta(doc *Document, front []byte, firstLine int) error {
	fields, ok := quickFront(front)
	if !ok {
		var err error
		if fields, err = yamlFront(doc, front, firstLine); err != nil {
			return err
		}
	}
	return decodeFields(doc, fields, firstLine)
}

// decodeFields sets doc's Meta and Lines from the keys and values of its
// front matter, alternating.
func decodeFields(doc *Document, fields []*yaml.Node, firstLine int) error {
	doc.Lines = make(map[string]int, len(fields)/2)
	var errs diag.List
	for i := 0; i+1 < len(fields); i += 2 {
		key, val := fields[i], fields[i+1]
		line := key.Line + firstLine - 1
		doc.Lines[key.Value] = line
		if err := setField(&doc.Meta, key.Value, val); err != nil {
			errs.Add(diag.Errorf(doc.Path, val.Line+firstLine-1, val.Column, "front matter: %s: %v", key.Value, err))
		}
	}
	errs.Add(requireFields(doc))
	return errs.Err()
}

// yamlFront decodes front matter with yaml.v3 and returns the keys and
// values of its mapping, alternating, or none for an empty one.
func yamlFront(doc *Document, front []byte, firstLine int) ([]*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(front, &root); err != nil {
		line, msg := yamlPosition(err)
		return nil, diag.Errorf(doc.Path, line+firstLine-1, 0, "front matter: invalid YAML: %s", msg)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, diag.Errorf(doc.Path, m.Line+firstLine-1, m.Column, "front matter: expected key: value fields")
	}
	return m.Content, nil
}

func requireFields(doc *Document) error {
	var errs diag.List
	need := func(key string, missing bool) {
		if missing {
			errs.Add(diag.Errorf(doc.Path, 1, 0, "front matter: missing required field %q", key))
		}
	}
	switch doc.Kind {
	case Article, Newsletter:
		need("title", doc.Meta.Title == "")
		need("date", doc.Meta.Date.IsZero())
	case Page:
		need("title", doc.Meta.Title == "")
	case Contribution:
		// A contribution without a date is a warning of the model, which
		// leaves it out: one member's broken file must not stop the build.
	case Member:
		need("name", doc.Meta.Name == "")
	}
	return errs.Err()
}

// metaFields decode the front-matter keys Foyer knows, from the node's
// kind, its null and bool tags and its value alone (quickFront relies on
// that). Any other key goes to Params, decoded by yaml.v3.
var metaFields = map[string]func(m *Meta, n *yaml.Node) error{
	"title":       func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Title) },
	"date":        func(m *Meta, n *yaml.Node) error { return date(n, &m.Date) },
	"updated":     func(m *Meta, n *yaml.Node) error { return date(n, &m.Updated) },
	"lastmod":     func(m *Meta, n *yaml.Node) error { return date(n, &m.Updated) },
	"publishDate": func(m *Meta, n *yaml.Node) error { return date(n, &m.PublishDate) },
	"expiryDate":  func(m *Meta, n *yaml.Node) error { return date(n, &m.ExpiryDate) },
	"draft":       func(m *Meta, n *yaml.Node) error { return boolean(n, &m.Draft) },
	"slug":        func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Slug) },
	"summary":     func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Summary) },
	"description": func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Summary) },
	"author":      func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Author) },
	"categories":  func(m *Meta, n *yaml.Node) error { return stringList(n, &m.Categories) },
	"tags":        func(m *Meta, n *yaml.Node) error { return stringList(n, &m.Tags) },
	"canonical":   func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Canonical) },
	"aliases":     func(m *Meta, n *yaml.Node) error { return stringList(n, &m.Aliases) },
	"status": func(m *Meta, n *yaml.Node) error {
		return oneOf(n, &m.Status, "%q (expected approved, pending, spam or rejected)", "approved", "pending", "spam", "rejected")
	},
	"member":   func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Member) },
	"email":    func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Email) },
	"ip":       func(m *Meta, n *yaml.Node) error { return scalar(n, &m.IP) },
	"website":  func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Website) },
	"reply_to": func(m *Meta, n *yaml.Node) error { return scalar(n, &m.ReplyTo) },
	"kind": func(m *Meta, n *yaml.Node) error {
		return oneOf(n, &m.Kind, "%q (expected comment, pingback or webmention)", "comment", "pingback", "webmention")
	},
	"source": func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Source) },
	"name":   func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Name) },
	"bio":    func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Bio) },
	"avatar": func(m *Meta, n *yaml.Node) error { return scalar(n, &m.Avatar) },
	"role": func(m *Meta, n *yaml.Node) error {
		return oneOf(n, &m.Role, "%q (expected member, moderator or admin)", "member", "moderator", "admin")
	},
	"issue": func(m *Meta, n *yaml.Node) error {
		var s string
		if err := scalar(n, &s); err != nil {
			return err
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("%q: expected a whole number", s)
		}
		m.Issue = v
		return nil
	},
}

func setField(m *Meta, key string, n *yaml.Node) error {
	if set, ok := metaFields[key]; ok {
		return set(m, n)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	if m.Params == nil {
		m.Params = make(map[string]any)
	}
	m.Params[key] = v
	return nil
}

func date(n *yaml.Node, dst *time.Time) error {
	var s string
	if err := scalar(n, &s); err != nil {
		return err
	}
	t, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("date %q: %v (expected RFC 3339 or YYYY-MM-DD)", s, err)
	}
	*dst = t
	return nil
}

// oneOf reads a scalar that must be one of values; bad is the error's
// format, given the value read.
func oneOf(n *yaml.Node, dst *string, bad string, values ...string) error {
	if err := scalar(n, dst); err != nil {
		return err
	}
	if slices.Contains(values, *dst) {
		return nil
	}
	return fmt.Errorf(bad, *dst)
}

func scalar(n *yaml.Node, dst *string) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a single value, got %s", nodeKind(n))
	}
	if n.Tag == "!!null" {
		*dst = ""
		return nil
	}
	*dst = n.Value
	return nil
}

func boolean(n *yaml.Node, dst *bool) error {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return fmt.Errorf("%s: expected true or false", describeNode(n))
	}
	return n.Decode(dst)
}

// stringList accepts a list of scalars, or one scalar as a list of one.
func stringList(n *yaml.Node, dst *[]string) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*dst = nil
			return nil
		}
		*dst = []string{n.Value}
		return nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, item := range n.Content {
			if item.Kind != yaml.ScalarNode {
				return fmt.Errorf("item at line %d: expected a string, got %s", item.Line, nodeKind(item))
			}
			if v := strings.TrimSpace(item.Value); v != "" {
				out = append(out, v)
			}
		}
		*dst = out
		return nil
	}
	return fmt.Errorf("expected a list of strings, got %s", nodeKind(n))
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a value"
}

func describeNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return nodeKind(n)
}

func yamlPosition(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				return n, tail
			}
		}
	}
	return 1, msg
}
