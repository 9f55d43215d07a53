package source

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/foyerhub/foyer/generator/diag"
)

// Message is one translated string of a theme: a plain text, or singular
// and plural forms chosen by a count.
type Message struct {
	One   string
	Other string
}

// ParseStrings reads a theme's i18n file: keys mapped either to a string
// or to {one: …, other: …}.
func ParseStrings(path string, data []byte) (map[string]Message, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlPosition(err)
		return nil, diag.Errorf(path, line, 0, "invalid YAML: %s", msg)
	}
	out := make(map[string]Message)
	if len(root.Content) == 0 {
		return out, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, diag.Errorf(path, m.Line, m.Column, "expected key: text pairs")
	}
	var errs diag.List
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := m.Content[i], m.Content[i+1]
		switch val.Kind {
		case yaml.ScalarNode:
			out[key.Value] = Message{One: val.Value, Other: val.Value}
		case yaml.MappingNode:
			var forms struct{ One, Other string }
			if err := val.Decode(&forms); err != nil || forms.Other == "" {
				errs.Add(diag.Errorf(path, val.Line, val.Column, "%s: expected {one: …, other: …}", key.Value))
				continue
			}
			out[key.Value] = Message{One: forms.One, Other: forms.Other}
		default:
			errs.Add(diag.Errorf(path, val.Line, val.Column, "%s: %v", key.Value, fmt.Errorf("expected a text or {one, other}")))
		}
	}
	return out, errs.Err()
}
