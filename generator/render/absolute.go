package render

import "strings"

// absolutise makes root-relative links in HTML absolute on base, for
// feeds and e-mail where there is no page to resolve them against: in
// every ` href="/…"` and ` src="/…"` attribute (after any ASCII white
// space) the leading "/" becomes base's. Protocol-relative links
// ("//host/…") and attributes without a closing quote stay as they are.
func absolutise(html, base string) string {
	const mark = `="/`
	i := strings.Index(html, mark)
	if i < 0 {
		return html
	}
	base = strings.TrimSuffix(base, "/")
	var b strings.Builder
	last := 0 // html[:last] is written
	for i >= 0 {
		start := i + len(`="`) // the value, from its "/"
		rest := html[start+1:]
		end := strings.IndexByte(rest, '"')
		if end < 0 {
			break // no closing quote here, nor for any later mark
		}
		next := start + 1 // where to look for the next mark
		if linkAttr(html[:i]) && !strings.HasPrefix(rest, "/") {
			if b.Len() == 0 {
				b.Grow(len(html) + 8*len(base))
			}
			b.WriteString(html[last:start])
			b.WriteString(base)
			last = start
			next += end + 1 // past the closing quote
		}
		i = strings.Index(html[next:], mark)
		if i >= 0 {
			i += next
		}
	}
	if last == 0 {
		return html
	}
	b.WriteString(html[last:])
	return b.String()
}

// linkAttr reports whether before ends with a white space character and
// the name href or src, the attribute whose value follows.
func linkAttr(before string) bool {
	for _, name := range [...]string{"href", "src"} {
		if rest, ok := strings.CutSuffix(before, name); ok && rest != "" {
			switch rest[len(rest)-1] {
			case ' ', '\t', '\n', '\f', '\r':
				return true
			}
		}
	}
	return false
}
