package source

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// quickFront reads front matter written in the plain part of YAML that
// foyer's own commands, the importer, the benchmark's generator and
// most people write, without the YAML parser, which was a tenth of a
// cold build's CPU time: one `key: value` per line, at the start of the
// line, each value on its own line and one of
//
//   - nothing (null);
//   - a plain word or words that cannot mean anything else in YAML;
//   - a double-quoted string without backslash, or a single-quoted one
//     without quote, followed by nothing;
//   - a one-line flow list of such values, [] included.
//
// Comment lines and blank lines may come between. The keys must be
// those of metaFields. It returns the mapping's keys and values,
// alternating, as yaml.v3 makes them for what setField reads (Kind,
// Tag as far as null and bool go, Value, Line, Column), and false for
// anything else: that front matter goes to yaml.v3, which also makes
// every error message.
func quickFront(front []byte) ([]*yaml.Node, bool) {
	if !plainChars(front) {
		return nil, false
	}
	var nodes []*yaml.Node
	var keys [32]string
	seen := keys[:0] // the keys so far, for duplicates
	rest := front
	for line := 1; len(rest) > 0; line++ {
		text := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			text, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if isBlank(text) || text[0] == '#' {
			continue
		}
		k := keyLen(text)
		if k == 0 || k+1 < len(text) && text[k+1] != ' ' {
			return nil, false
		}
		key := string(text[:k])
		if _, known := metaFields[key]; !known || slices.Contains(seen, key) {
			return nil, false // yaml.v3 decodes Params and reports duplicates
		}
		seen = append(seen, key)
		v := k + 1
		for v < len(text) && text[v] == ' ' {
			v++
		}
		var val *yaml.Node
		if v == len(text) {
			// Null: a block value would follow on lines that start
			// with a space or '-', which the loop leaves to yaml.v3.
			val = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: line, Column: k + 2} // yaml.v3 puts it after the colon
		} else if text[v] == '[' {
			items, ok := flowList(text[v+1:], line, v+1)
			if !ok {
				return nil, false
			}
			val = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: items, Line: line, Column: v + 1}
		} else {
			s, style, n := value(text[v:], false)
			if n != len(text)-v {
				return nil, false
			}
			val = quickScalar(s, style, line, v+1)
		}
		nodes = append(nodes,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: line, Column: 1}, val)
	}
	return nodes, true
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// keyLen is the length of the key at the start of text when a colon
// follows it: ASCII letters, digits and underscores, a letter first.
func keyLen(text []byte) int {
	i := 0
	for i < len(text) && (isLetter(text[i]) || i > 0 && (text[i] == '_' || '0' <= text[i] && text[i] <= '9')) {
		i++
	}
	if i == 0 || i == len(text) || text[i] != ':' {
		return 0
	}
	return i
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// value reads one scalar at the start of b, which is not empty: a
// quoted string up to its closing quote, or a plain scalar up to the end
// of b or, in a flow list, up to a comma, bracket or question mark,
// without the spaces that end it. It returns the scalar, its style and
// the bytes read; n is 0 when the scalar is not one quickFront reads.
func value(b []byte, flow bool) (s string, style yaml.Style, n int) {
	switch b[0] {
	case '"', '\'':
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 || b[0] == '"' && bytes.IndexByte(b[1:1+end], '\\') >= 0 {
			return "", 0, 0
		}
		// A single quote doubled is an escaped quote: not read here.
		if b[0] == '\'' && 1+end+1 < len(b) && b[1+end+1] == '\'' {
			return "", 0, 0
		}
		style = yaml.DoubleQuotedStyle
		if b[0] == '\'' {
			style = yaml.SingleQuotedStyle
		}
		return string(b[1 : 1+end]), style, end + 2
	}
	// A plain scalar: its first character must not start anything else,
	// and it must hold no quote, bracket, ": " or " #", nor end with a
	// colon.
	if !plainStart(b[0]) {
		return "", 0, 0
	}
	n = len(b)
	if flow {
		n = bytes.IndexAny(b, ",?[]{}") // yaml.v3 ends a plain scalar at '?' in a list too
		if n < 0 {
			return "", 0, 0 // an unclosed list
		}
	}
	p := b[:n]
	for i, c := range p {
		switch c {
		case ':':
			if i+1 == len(p) || p[i+1] == ' ' {
				return "", 0, 0
			}
		case '#':
			if p[i-1] == ' ' {
				return "", 0, 0
			}
		case '"', '\'', '`', '{', '}', '[', ']':
			return "", 0, 0
		}
	}
	end := len(p)
	for end > 0 && p[end-1] == ' ' {
		end--
	}
	return string(p[:end]), 0, n
}

// plainStart reports whether c may start a plain scalar that means
// nothing else: a letter, a digit, a slash (paths) or any byte of a
// multi-byte character. Indicators (-?:,[]{}#&*!|>'"%@`), signs, dots
// and spaces are left to yaml.v3.
func plainStart(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '/' || c >= 0x80
}

// quickScalar is the node of a scalar. A plain scalar is null or a bool
// in the words yaml.v3 resolves; setField reads no other tag, so every
// other plain scalar is tagged a string, as the quoted ones are.
func quickScalar(s string, style yaml.Style, line, col int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: style, Value: s, Line: line, Column: col}
	if style == 0 {
		switch s {
		case "null", "Null", "NULL":
			n.Tag = "!!null"
		case "true", "True", "TRUE", "false", "False", "FALSE":
			n.Tag = "!!bool"
		}
	}
	return n
}

// flowList reads the items of a one-line flow list, b being what
// follows its '[', up to the closing ']' which must end the line.
func flowList(b []byte, line, col int) ([]*yaml.Node, bool) {
	var items []*yaml.Node
	i := 0
	skip := func() {
		for i < len(b) && b[i] == ' ' {
			i++
		}
	}
	skip()
	if i < len(b) && b[i] == ']' {
		i++
		skip()
		return nil, i == len(b)
	}
	for {
		skip()
		if i == len(b) {
			return nil, false
		}
		s, style, n := value(b[i:], true)
		if n == 0 {
			return nil, false
		}
		items = append(items, quickScalar(s, style, line, col+1+i))
		i += n
		skip()
		if i == len(b) {
			return nil, false
		}
		switch b[i] {
		case ',':
			i++
			continue
		case ']':
			i++
			skip()
			return items, i == len(b)
		}
		return nil, false
	}
}

// plainChars reports whether b holds only characters that YAML prints
// and that break no line but '\n': no tab, carriage return or other
// control character, no NEL, line or paragraph separator, no byte order
// mark or non-character. Anything else goes to yaml.v3, which knows
// what to do with them.
func plainChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < ' ' && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1, r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r >= 0xfffe && r <= 0xffff:
			return false
		}
		i += size
	}
	return true
}
