package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NNBSP is the narrow no-break space French puts before ; : ! ? and
// inside « ».
const NNBSP = '\u202f'

// Typography applies the typographic conventions of lang to plain text
// (not HTML): curly apostrophes and quotes, an ellipsis, and for French
// « » with narrow no-break spaces before high punctuation. Words that look
// like URLs or addresses are left alone, and so are times like 12:30.
func Typography(lang, s string) string {
	return typeset(lang, s, ' ')
}

// typeset is Typography with prev, the rune before s in its paragraph, so
// that a quote at the start of a text node opens or closes correctly.
func typeset(lang, s string, prev rune) string {
	if !hasTypography(s) {
		return s
	}
	return string(appendTypeset(make([]byte, 0, len(s)+16), lang, s, prev))
}

// appendTypeset appends s typeset to b, which must be empty: the
// narrow no-break spaces replace the spaces at its end.
func appendTypeset(b []byte, lang, s string, prev rune) []byte {
	for len(s) > 0 {
		// Copy URL-like words untouched.
		if w := urlWord(s, prev); w > 0 {
			b = append(b, s[:w]...)
			r, _ := utf8.DecodeLastRuneInString(s[:w])
			prev, s = r, s[w:]
			continue
		}
		// ASCII letters and digits are copied as they are: none of the
		// cases below applies to them, and none opens a URL-like word.
		if n := alnumRun(s); n > 0 {
			b = append(b, s[:n]...)
			prev, s = rune(s[n-1]), s[n:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		next, _ := utf8.DecodeRuneInString(s[size:])
		s = s[size:]
		switch {
		case r == '\'' || r == '’':
			b = utf8.AppendRune(b, '’')
		case r == '.' && strings.HasPrefix(s, ".."):
			b = utf8.AppendRune(b, '…')
			s = s[2:]
		case r == '"' && lang == "fr":
			if opens(prev) {
				b = append(b, "«\u202f"...)
				s = strings.TrimLeft(s, " \u00a0")
			} else {
				b = trimSpaceEnd(b)
				b = append(b, "\u202f»"...)
			}
		case r == '"':
			if opens(prev) {
				b = utf8.AppendRune(b, '“')
			} else {
				b = utf8.AppendRune(b, '”')
			}
		case lang == "fr" && r == '«':
			b = append(b, "«\u202f"...)
			s = strings.TrimLeft(s, " \u00a0\u202f")
		case lang == "fr" && r == '»':
			b = trimSpaceEnd(b)
			b = append(b, "\u202f»"...)
		case lang == "fr" && highPunct(r, prev, next):
			b = trimSpaceEnd(b)
			b = utf8.AppendRune(b, NNBSP)
			b = utf8.AppendRune(b, r)
		default:
			b = utf8.AppendRune(b, r)
		}
		prev = r
	}
	return b
}

// highPunct reports whether r is ; : ! or ? that takes a space before it
// in French: not after another mark of the kind (?!), not at the start of
// a line, and for ':' not between digits (12:30).
func highPunct(r, prev, next rune) bool {
	switch r {
	case ';', '!', '?':
	case ':':
		if unicode.IsDigit(prev) && unicode.IsDigit(next) {
			return false
		}
	default:
		return false
	}
	switch prev {
	case 0, '\n', '(', '[', '!', '?', ';', ':', NNBSP:
		return false
	}
	return true
}

func opens(prev rune) bool {
	switch prev {
	case 0, ' ', '(', '[', '{', '—', '–', '-', '/', '\u202f', '«':
		return true
	}
	return unicode.IsSpace(prev)
}

// alnumRun is the length of the run of ASCII letters and digits at the
// start of s.
func alnumRun(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			break
		}
		i++
	}
	return i
}

// trimSpaceEnd removes plain and no-break spaces at the end of b, where a
// narrow no-break space takes their place.
func trimSpaceEnd(b []byte) []byte {
	return bytes.TrimRight(b, " \u00a0\u202f")
}

// urlWord returns the length of the URL, e-mail address or path-like word
// at the start of s, or 0. Only words starting a token count.
func urlWord(s string, prev rune) int {
	if !opens(prev) {
		return 0
	}
	// One pass finds the end of the word (the first Unicode space) and
	// whether it holds ':' or '@', without which only "www." can make it
	// a URL: most words end here.
	end, mark := len(s), false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || '\t' <= c && c <= '\r' {
				end = i
				break
			}
			mark = mark || c == ':' || c == '@'
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			end = i
			break
		}
		i += size
	}
	w := s[:end]
	if !mark && !strings.HasPrefix(w, "www.") {
		return 0
	}
	if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") || strings.HasPrefix(w, "mailto:") ||
		(strings.Contains(w, "@") && strings.Contains(w, ".")) {
		return len(w)
	}
	return 0
}

// hasTypography reports whether s holds any of " ' . ; : ! ? « », the
// characters typeset may change.
func hasTypography[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'', '.', ';', ':', '!', '?':
			return true
		case 0xc2: // « is C2 AB, » is C2 BB
			if i+1 < len(s) && (s[i+1] == 0xab || s[i+1] == 0xbb) {
				return true
			}
		}
	}
	return false
}
