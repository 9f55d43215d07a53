package source

import (
	"bytes"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Encode writes a content file of the given kind: front matter between
// "---" lines then body, or for a member a plain YAML file. Fields are
// written in a fixed order and only when set; every value is quoted by
// the YAML encoder as needed, so no value can break out of its field.
// Encode(Parse(x)) keeps every known field.
func Encode(kind Kind, m Meta, body []byte) ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	str := func(key, v string) {
		if v != "" {
			root.Content = append(root.Content, scalarNode(key), &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: "!!str"})
		}
	}
	date := func(key string, t time.Time) {
		if !t.IsZero() {
			str(key, t.Format(time.RFC3339))
		}
	}
	list := func(key string, vs []string) {
		if len(vs) == 0 {
			return
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range vs {
			seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: v, Tag: "!!str", Style: yaml.DoubleQuotedStyle})
		}
		root.Content = append(root.Content, scalarNode(key), seq)
	}
	switch kind {
	case Member:
		str("name", m.Name)
		str("bio", m.Bio)
		str("website", m.Website)
		str("avatar", m.Avatar)
		str("role", m.Role)
		str("email", m.Email)
	case Contribution:
		str("author", m.Author)
		str("member", m.Member)
		str("email", m.Email)
		str("ip", m.IP)
		str("website", m.Website)
		date("date", m.Date)
		str("reply_to", m.ReplyTo)
		str("status", m.Status)
		str("kind", m.Kind)
		str("source", m.Source)
		str("title", m.Title)
	default:
		str("title", m.Title)
		date("date", m.Date)
		date("updated", m.Updated)
		date("publishDate", m.PublishDate)
		date("expiryDate", m.ExpiryDate)
		if m.Draft {
			root.Content = append(root.Content, scalarNode("draft"), &yaml.Node{Kind: yaml.ScalarNode, Value: "true", Tag: "!!bool"})
		}
		str("slug", m.Slug)
		str("summary", m.Summary)
		str("author", m.Author)
		list("categories", m.Categories)
		list("tags", m.Tags)
		str("canonical", m.Canonical)
		list("aliases", m.Aliases)
		str("status", m.Status)
		if m.Issue > 0 {
			root.Content = append(root.Content, scalarNode("issue"), &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.Itoa(m.Issue), Tag: "!!int"})
		}
	}
	var b bytes.Buffer
	if kind != Member {
		b.WriteString("---\n")
	}
	if len(root.Content) > 0 {
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(root); err != nil {
			return nil, err
		}
		if err := enc.Close(); err != nil {
			return nil, err
		}
	}
	if kind == Member {
		return b.Bytes(), nil
	}
	b.WriteString("---\n")
	if len(body) > 0 {
		b.WriteByte('\n')
		b.Write(body)
		if body[len(body)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), nil
}

func scalarNode(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }
