package render

import (
	"unicode/utf8"
)

// appendAtom appends f as an XML document: the bytes encoding/xml makes
// of it with a two-space indent (see marshalXML), which the tests check
// field by field and by fuzzing. A hub writes one Atom feed per article
// with comments, tens of thousands of them, and encoding/xml walks the
// feed's structs by reflection for every one: writing them directly
// takes a fraction of the time and allocates one buffer, sized from the
// feed (grown by append when its escaped text is longer).
func appendAtom(b []byte, f *AtomFeed) []byte {
	b = append(b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<feed xmlns="http://www.w3.org/2005/Atom"`...)
	if f.Lang != "" {
		b = append(b, ` xml:lang="`...)
		b = appendXMLEscaped(b, f.Lang)
		b = append(b, '"')
	}
	b = append(b, '>')
	const in = "\n  "
	b = appendXMLElement(b, in, "title", f.Title)
	b = appendXMLElement(b, in, "id", f.ID)
	b = appendXMLElement(b, in, "updated", f.Updated)
	b = appendAtomLinks(b, in, f.Links)
	b = appendAtomPerson(b, in, f.Author)
	for i := range f.Entries {
		e := &f.Entries[i]
		const in = "\n    "
		b = append(b, "\n  <entry>"...)
		b = appendXMLElement(b, in, "title", e.Title)
		b = appendXMLElement(b, in, "id", e.ID)
		b = appendAtomLinks(b, in, e.Links)
		b = appendXMLElement(b, in, "published", e.Published)
		b = appendXMLElement(b, in, "updated", e.Updated)
		b = appendAtomPerson(b, in, e.Author)
		for _, c := range e.Categories {
			b = append(b, in+`<category term="`...)
			b = appendXMLEscaped(b, c.Term)
			b = append(b, `"></category>`...)
		}
		b = appendAtomText(b, in, "summary", e.Summary)
		b = appendAtomText(b, in, "content", e.Content)
		b = append(b, "\n  </entry>"...)
	}
	return append(b, "\n</feed>\n"...)
}

// appendXMLElement appends an element holding text, after the newline
// and indent in.
func appendXMLElement(b []byte, in, name, text string) []byte {
	b = append(b, in...)
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, '>')
	b = appendXMLEscaped(b, text)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

func appendAtomLinks(b []byte, in string, links []AtomLink) []byte {
	for _, l := range links {
		b = append(b, in...)
		b = append(b, `<link href="`...)
		b = appendXMLEscaped(b, l.Href)
		b = append(b, '"')
		if l.Rel != "" {
			b = append(b, ` rel="`...)
			b = appendXMLEscaped(b, l.Rel)
			b = append(b, '"')
		}
		if l.Type != "" {
			b = append(b, ` type="`...)
			b = appendXMLEscaped(b, l.Type)
			b = append(b, '"')
		}
		b = append(b, "></link>"...)
	}
	return b
}

func appendAtomPerson(b []byte, in string, p *AtomPerson) []byte {
	if p == nil {
		return b
	}
	b = append(b, in...)
	b = append(b, "<author>"...)
	b = appendXMLElement(b, in+"  ", "name", p.Name)
	if p.URI != "" {
		b = appendXMLElement(b, in+"  ", "uri", p.URI)
	}
	b = append(b, in...)
	return append(b, "</author>"...)
}

func appendAtomText(b []byte, in, name string, t *AtomText) []byte {
	if t == nil {
		return b
	}
	b = append(b, in...)
	b = append(b, '<')
	b = append(b, name...)
	b = append(b, ` type="`...)
	b = appendXMLEscaped(b, t.Type)
	b = append(b, `">`...)
	b = appendXMLEscaped(b, t.Value)
	b = append(b, "</"...)
	b = append(b, name...)
	return append(b, '>')
}

// appendXMLEscaped appends s escaped as encoding/xml escapes text and
// attribute values: the five markup characters, tab, newline and
// carriage return as character references, and what XML cannot hold
// (the other C0 control characters, invalid UTF-8, U+FFFE and U+FFFF)
// as U+FFFD.
func appendXMLEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\'' && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		r, width := rune(c), 1
		if c >= utf8.RuneSelf {
			r, width = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if xmlChar(r) && (r != utf8.RuneError || width > 1) {
				i += width
				continue
			}
			esc = "\uFFFD"
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
