package theme

import (
	"bytes"
	"reflect"
	"strings"
)

// contentType is the kind of string an escaper is given: html/template
// lets typed strings (template.HTML, template.URL) through where they
// are safe.
type contentType uint8

const (
	contentPlain contentType = iota
	contentHTML
	contentURL
	contentHTMLAttr
)

// escaper is Foyer's version of one of html/template's escapers, for the
// strings the fast executor gives it: apply returns the escaped string,
// and write, for those that end an action, writes it into the page.
type escaper struct {
	name  string
	apply func(s string, t contentType) string
	write func(b *bytes.Buffer, s string, t contentType)
}

// escapers are those html/template adds to the actions of the pages a
// theme like the default one makes: in text, in quoted attributes, in
// URLs, in RCDATA (<title>), in CSS values and for attribute names. Any
// other makes compile refuse the template, which text/template then
// runs.
var escapers = map[string]*escaper{
	"_html_template_htmlescaper": {
		name: "htmlescaper",
		write: func(b *bytes.Buffer, s string, t contentType) {
			if t == contentHTML {
				b.WriteString(s)
				return
			}
			writeReplaced(b, s, &htmlTable)
		},
	},
	"_html_template_attrescaper": {
		name: "attrescaper",
		write: func(b *bytes.Buffer, s string, t contentType) {
			if t == contentHTML {
				bail("HTML in an attribute") // html/template strips its tags
			}
			writeReplaced(b, s, &htmlTable)
		},
	},
	"_html_template_rcdataescaper": {
		name: "rcdataescaper",
		write: func(b *bytes.Buffer, s string, t contentType) {
			if t == contentHTML {
				writeReplaced(b, s, &htmlNormTable)
				return
			}
			writeReplaced(b, s, &htmlTable)
		},
	},
	"_html_template_htmlnamefilter": {
		name: "htmlnamefilter",
		write: func(b *bytes.Buffer, s string, t contentType) {
			if t != contentHTMLAttr {
				bail("attribute name from a string") // html/template filters it
			}
			b.WriteString(s)
		},
	},
	"_html_template_cssvaluefilter": {
		name:  "cssvaluefilter",
		apply: cssValue,
	},
	"_html_template_urlfilter": {
		name: "urlfilter",
		apply: func(s string, t contentType) string {
			if t == contentURL || safeURL(s) {
				return s
			}
			return "#ZgotmplZ"
		},
	},
	"_html_template_urlnormalizer": {
		name:  "urlnormalizer",
		apply: func(s string, _ contentType) string { return processURL(s, true) },
	},
	"_html_template_urlescaper": {
		name:  "urlescaper",
		apply: func(s string, t contentType) string { return processURL(s, t == contentURL) },
	},
}

func init() {
	// An escaper that only writes can also apply, for a value piped on
	// (which html/template does not do, but a theme could).
	for _, e := range escapers {
		if e.apply == nil {
			w := e.write
			e.apply = func(s string, t contentType) string {
				var b bytes.Buffer
				w(&b, s, t)
				return b.String()
			}
		}
	}
}

// replaceTable maps the ASCII bytes an escaper replaces to their
// replacement. The HTML escapers leave every other byte as it is,
// invalid UTF-8 included, so working on bytes gives what html/template
// gives working on runes.
type replaceTable [128]string

var htmlTable = replaceTable{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlNormTable leaves & alone, for typed HTML whose entities are
// already there.
var htmlNormTable = replaceTable{
	0:    "\uFFFD",
	'"':  "&#34;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

func writeReplaced(b *bytes.Buffer, s string, table *replaceTable) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 128 && table[c] != "" {
			b.WriteString(s[written:i])
			b.WriteString(table[c])
			written = i + 1
		}
	}
	b.WriteString(s[written:])
}

// cssValue lets through a value that can stand in a CSS declaration
// without opening a string, a block, a comment or a function: none of
// the bytes that could, no "--", and no "expression" or "mozbinding"
// among its ASCII name characters (case aside). Others give "ZgotmplZ",
// as html/template's filter. A backslash, which CSS decodes first, makes
// the program give up.
func cssValue(s string, _ contentType) string {
	if strings.IndexByte(s, '\\') >= 0 {
		bail("CSS escape")
	}
	id := make([]byte, 0, 64)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0, '"', '\'', '(', ')', '/', ';', '@', '[', ']', '`', '{', '}', '<', '>':
			return "ZgotmplZ"
		case '-':
			// Not a name character here: "moz-binding" is "mozbinding".
			if i > 0 && s[i-1] == '-' {
				return "ZgotmplZ"
			}
		default:
			switch {
			case 'A' <= c && c <= 'Z':
				id = append(id, c+'a'-'A')
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
				id = append(id, c)
			}
		}
	}
	if bytes.Contains(id, []byte("expression")) || bytes.Contains(id, []byte("mozbinding")) {
		return "ZgotmplZ"
	}
	return s
}

// safeURL reports whether a URL's scheme, if it has one, is http, https
// or mailto.
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// processURL percent-encodes the bytes a URL may not hold; norm keeps
// the URL's own punctuation and percent escapes (a whole URL), !norm
// encodes them too (a part of a query).
func processURL(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps(s, i, norm) {
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(lowerHex[c>>4])
		b.WriteByte(lowerHex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const lowerHex = "0123456789abcdef"

func urlKeeps(s string, i int, norm bool) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '-' || c == '.' || c == '_' || c == '~':
		return true
	case strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
		return norm
	case c == '%':
		return norm && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2])
	}
	return false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// builtin compiles a call of one of text/template's builtin functions
// the fast executor knows: and, or, not, len and the comparisons, on
// the values text/template compares without an error.
func builtin(name string, args []*arg, final bool) (valFn, error) {
	n := len(args)
	if final {
		n++
	}
	// operand i of the call, the piped value last; builtins take
	// reflect.Values, and get an invalid one as it is
	get := func(s *state, dot, fin reflect.Value, i int) reflect.Value {
		switch {
		case i == len(args):
			return fin
		case args[i].eval != nil:
			return args[i].eval(s, dot)
		}
		if !args[i].ideal.IsValid() {
			bail("constant " + args[i].node.String())
		}
		return args[i].ideal
	}
	switch name {
	case "and", "or":
		if n < 1 {
			return nil, unsupported("%s without arguments", name)
		}
		stopOn := name == "or"
		return func(s *state, dot, fin reflect.Value) reflect.Value {
			var v reflect.Value
			for i := range n {
				v = get(s, dot, fin, i)
				if truth(indirectInterface(v)) == stopOn {
					break
				}
			}
			return v
		}, nil
	case "not":
		if n != 1 {
			return nil, unsupported("not with %d arguments", n)
		}
		return func(s *state, dot, fin reflect.Value) reflect.Value {
			return reflect.ValueOf(!truth(indirectInterface(get(s, dot, fin, 0))))
		}, nil
	case "len":
		if n != 1 {
			return nil, unsupported("len with %d arguments", n)
		}
		return func(s *state, dot, fin reflect.Value) reflect.Value {
			v, isNil := indirect(get(s, dot, fin, 0))
			if isNil {
				bail("len of nil")
			}
			switch v.Kind() {
			case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
				return reflect.ValueOf(v.Len())
			}
			bail("len of " + v.Kind().String())
			return reflect.Value{}
		}, nil
	case "eq":
		if n < 2 {
			return nil, unsupported("eq with %d arguments", n)
		}
		return func(s *state, dot, fin reflect.Value) reflect.Value {
			// Every operand is evaluated before the first comparison,
			// as text/template does.
			base := len(s.args)
			for i := range n {
				s.args = append(s.args, get(s, dot, fin, i))
			}
			ops := s.args[base:]
			equal := false
			for _, b := range ops[1:] {
				if compare(ops[0], b, false) == 0 {
					equal = true
					break
				}
			}
			clear(ops)
			s.args = s.args[:base]
			return reflect.ValueOf(equal)
		}, nil
	case "ne", "lt", "le", "gt", "ge":
		if n != 2 {
			return nil, unsupported("%s with %d arguments", name, n)
		}
		test := map[string]func(int) bool{
			"ne": func(c int) bool { return c != 0 },
			"lt": func(c int) bool { return c < 0 },
			"le": func(c int) bool { return c <= 0 },
			"gt": func(c int) bool { return c > 0 },
			"ge": func(c int) bool { return c >= 0 },
		}[name]
		ordered := name != "ne"
		return func(s *state, dot, fin reflect.Value) reflect.Value {
			return reflect.ValueOf(test(compare(get(s, dot, fin, 0), get(s, dot, fin, 1), ordered)))
		}, nil
	}
	return nil, unsupported("function %s", name)
}

// compare orders two values of the same basic kind as text/template's
// comparisons do: ints with ints, strings with strings, and so on, and
// bools, when not ordered (eq and ne), are equal or not. Anything else
// gives up, text/template then making its own decision or error.
func compare(a, b reflect.Value, ordered bool) int {
	a, b = indirectInterface(a), indirectInterface(b)
	if !a.IsValid() || !b.IsValid() || a.Kind() != b.Kind() && kindClass(a.Kind()) != kindClass(b.Kind()) {
		bail("comparing values of other kinds")
	}
	switch kindClass(a.Kind()) {
	case classInt:
		return cmp3(a.Int() < b.Int(), a.Int() > b.Int())
	case classUint:
		return cmp3(a.Uint() < b.Uint(), a.Uint() > b.Uint())
	case classFloat:
		if a.Float() != a.Float() || b.Float() != b.Float() {
			bail("NaN")
		}
		return cmp3(a.Float() < b.Float(), a.Float() > b.Float())
	case classString:
		return strings.Compare(a.String(), b.String())
	case classBool:
		if ordered {
			bail("ordering bools")
		}
		if a.Bool() == b.Bool() {
			return 0
		}
		return 1
	}
	bail("comparing " + a.Kind().String())
	return 0
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}

type kindClassT uint8

const (
	classOther kindClassT = iota
	classInt
	classUint
	classFloat
	classString
	classBool
)

func kindClass(k reflect.Kind) kindClassT {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return classInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return classUint
	case reflect.Float32, reflect.Float64:
		return classFloat
	case reflect.String:
		return classString
	case reflect.Bool:
		return classBool
	}
	return classOther
}
