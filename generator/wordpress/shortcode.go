package wordpress

import (
	"html"
	"strings"
)

// shortcodes expands the shortcodes WordPress core knows ([caption],
// [embed], [audio], [video]) and the code blocks of the common syntax
// highlighters into HTML. Any other shortcode is kept as text, visible
// as it was on a WordPress site without its plugin, and its name is
// returned so that the import can report it.
func shortcodes(s string) (string, []string) {
	var b strings.Builder
	var kept []string
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			b.WriteString(s)
			return b.String(), kept
		}
		b.WriteString(s[:i])
		s = s[i:]
		if strings.HasPrefix(s, "[[") {
			// [[name]] is WordPress's escape for a literal [name].
			if j := strings.Index(s, "]]"); j > 0 && !strings.ContainsAny(s[2:j], "[\n") {
				b.WriteString(s[1 : j+1])
				s = s[j+2:]
				continue
			}
		}
		name, attrs, end, ok := openTag(s)
		if !ok {
			b.WriteByte('[')
			s = s[1:]
			continue
		}
		body, after, closed := "", s[end:], false
		if j := strings.Index(after, "[/"+name+"]"); j >= 0 && isEnclosing(name) {
			body, after, closed = after[:j], after[j+len("[/"+name+"]"):], true
		}
		out, handled := expand(name, attrs, body)
		if !closed && needsBody(name) {
			handled = false
		}
		if !handled {
			kept = append(kept, name)
			b.WriteString(s[:end])
			s = s[end:]
			continue
		}
		b.WriteString(out)
		s = after
	}
}

// openTag reads "[name attrs]" at the start of s.
func openTag(s string) (name string, attrs map[string]string, end int, ok bool) {
	i := 1
	for i < len(s) && (isLetter(s[i]) || s[i] >= '0' && s[i] <= '9' && i > 1 || s[i] == '_' || s[i] == '-') {
		i++
	}
	if i == 1 || i >= len(s) || !isLetter(s[1]) {
		return "", nil, 0, false
	}
	name = strings.ToLower(s[1:i])
	if c := s[i]; c != ']' && c != ' ' && c != '/' && c != '\t' {
		return "", nil, 0, false
	}
	j := strings.IndexByte(s[i:], ']')
	if j < 0 || strings.ContainsAny(s[i:i+j], "[\n") {
		return "", nil, 0, false
	}
	return name, parseAttrs(strings.TrimSuffix(s[i:i+j], "/")), i + j + 1, true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isEnclosing(name string) bool {
	switch name {
	case "caption", "wp_caption", "embed", "video", "audio", "code", "sourcecode", "source":
		return true
	}
	return false
}

// needsBody reports whether a shortcode means nothing without its
// closing tag.
func needsBody(name string) bool {
	switch name {
	case "caption", "wp_caption", "code", "sourcecode", "source":
		return true
	}
	return false
}

// parseAttrs reads key="value", key='value' and key=value pairs.
func parseAttrs(s string) map[string]string {
	m := make(map[string]string)
	for {
		s = strings.TrimLeft(s, " \t")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return m
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = s[eq+1:]
		var val string
		if len(s) > 0 && (s[0] == '"' || s[0] == '\'') {
			q := s[0]
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return m
			}
			val, s = s[1:1+end], s[2+end:]
		} else {
			end := strings.IndexAny(s, " \t")
			if end < 0 {
				end = len(s)
			}
			val, s = s[:end], s[end:]
		}
		m[key] = val
	}
}

func expand(name string, attrs map[string]string, body string) (string, bool) {
	switch name {
	case "caption", "wp_caption":
		media, text := body, ""
		if j := strings.LastIndexByte(body, '>'); j >= 0 {
			media, text = body[:j+1], body[j+1:]
		}
		if strings.TrimSpace(text) == "" {
			text = attrs["caption"]
		}
		out := "<figure>" + media
		if t := strings.TrimSpace(text); t != "" {
			out += "<figcaption><em>" + t + "</em></figcaption>"
		}
		return out + "</figure>", true
	case "embed":
		u := strings.TrimSpace(body)
		if u == "" {
			u = attrs["src"]
		}
		return link(u), u != ""
	case "video", "audio":
		for _, k := range []string{"src", "mp4", "mp3", "webm", "ogg", "ogv", "m4a", "wav"} {
			if u := attrs[k]; u != "" {
				return link(u), true
			}
		}
		return "", false
	case "code", "sourcecode", "source":
		lang := attrs["language"]
		if lang == "" {
			lang = attrs["lang"]
		}
		code := strings.Trim(body, "\n")
		if strings.Contains(code, "<") {
			code = html.EscapeString(code)
		}
		class := ""
		if lang != "" {
			class = ` class="language-` + html.EscapeString(lang) + `"`
		}
		return "\n\n<pre><code" + class + ">" + code + "</code></pre>\n\n", true
	}
	return "", false
}

func link(u string) string {
	e := html.EscapeString(strings.TrimSpace(u))
	return "\n\n<p><a href=\"" + e + "\">" + e + "</a></p>\n\n"
}
