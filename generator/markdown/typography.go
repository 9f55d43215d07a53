package markdown

import (
	"math/bits"
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

// A stopSet is the set of bytes where appendTypeset stops copying text as
// it is, for one language: ' " and . everywhere; ; : ! ? and 0xC2, the
// first byte of « and », in French. ’ is not one: it is typeset as
// itself. Past ASCII, appendTypeset also stops at every byte that is not
// valid UTF-8, which becomes U+FFFD.
type stopSet struct {
	table [256]bool
	// Every ASCII byte of the set is at least lo and at most hi. These
	// words add 0x80-lo and 0x7F-hi to each of eight bytes (see
	// asciiBetween).
	lo, hi uint64
}

// stopSets are indexed by whether the language is French.
var stopSets = [2]stopSet{newStopSet(`'".`), newStopSet(`'".;:!?` + "\xc2")}

func newStopSet(stops string) stopSet {
	var st stopSet
	lo, hi := byte(utf8.RuneSelf-1), byte(0)
	for _, c := range []byte(stops) {
		st.table[c] = true
		if c < utf8.RuneSelf {
			lo, hi = min(lo, c), max(hi, c)
		}
	}
	st.lo, st.hi = ones*uint64(0x80-lo), ones*uint64(0x7f-hi)
	return st
}

// Text is skimmed eight bytes at a time, as little-endian words, for the
// runs that hold no byte of a set.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// load8 returns s[i:i+8] as a little-endian word, which the compiler makes
// a single load.
func load8[T string | []byte](s T, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiBetween returns the high bit of each byte of v that is ASCII and
// between the lo and hi of st, and of no other: each byte is dealt with
// apart, with no carry from one to the next, as adding 0x80-lo to a byte
// below 0x80 sets its high bit if it is at least lo, and adding 0x7F-hi
// if it is above hi. Bytes in between need not be in the set (digits,
// commas).
func (st *stopSet) asciiBetween(v uint64) uint64 {
	low := v &^ highs
	return ((low + st.lo) &^ (low + st.hi) &^ v) & highs
}

// next returns the index of the first byte of s from j on that is in st
// or is not valid UTF-8, or len(s). Most text holds none for long: next
// skims it eight bytes at a time, and goes to the first byte of eight that
// may be a stop or starts a rune past ASCII.
func (st *stopSet) next(s string, j int) int {
	for j < len(s) {
		if j+8 <= len(s) {
			v := load8(s, j)
			m := st.asciiBetween(v) | v&highs
			if m == 0 {
				j += 8
				continue
			}
			j += bits.TrailingZeros64(m) / 8
		}
		switch c := s[j]; {
		case st.table[c]:
			return j
		case c < utf8.RuneSelf:
			j++
		case 0xc2 <= c && c <= 0xdf && j+1 < len(s) && s[j+1]&0xc0 == 0x80:
			// Valid as every two-byte sequence is, like é or à.
			j += 2
		default:
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == utf8.RuneError && n == 1 {
				return j
			}
			j += n
		}
	}
	return len(s)
}

// appendTypeset appends s typeset to b, which must be empty: the
// narrow no-break spaces replace the spaces at its end.
//
// Most of a text is left as it is. Rather than stepping through it rune by
// rune, appendTypeset finds the next rune that typesetting changes
// (stopSet.next skims for the bytes that may start one, and unchanged
// tells), copies everything before it at once, and typesets that rune
// with step. Its output is the one of going through s rune by rune with
// step, asking at every rune that follows one that opens a word whether a
// URL-like word starts there, to copy it untouched. That question is only
// worth asking of the words holding a rune that changes: urlAround asks it
// then, at every place in the word where the rune-by-rune loop would have.
func appendTypeset(b []byte, lang, s string, prev rune) []byte {
	fr := lang == "fr"
	stops := &stopSets[0]
	if fr {
		stops = &stopSets[1]
	}
	var word wordCache
	// s[:i] is typeset, prev is the rune before s[i] as step saw it.
	for i := 0; i < len(s); {
		// Find j, the next rune that typesetting changes. Between i and j
		// every rune is typeset as itself.
		j := i
		for {
			j = stops.next(s, j)
			if j == len(s) {
				return append(b, s[i:]...)
			}
			n := unchanged(s[j:], fr)
			if n == 0 {
				break
			}
			j += n
		}
		if p, e := word.urlAround(s, i, j, prev); e > 0 {
			b = append(b, s[i:e]...)
			prev, _ = utf8.DecodeLastRuneInString(s[p:e])
			i = e
			continue
		}
		if j > i {
			b = append(b, s[i:j]...)
			// The rune before j: decoding backwards gives the rune
			// decoding forwards from i ends with, even in invalid UTF-8.
			prev, _ = utf8.DecodeLastRuneInString(s[i:j])
		}
		var rest string
		b, rest, prev = step(b, lang, s[j:], prev)
		i = len(s) - len(rest)
	}
	return b
}

// unchanged returns the length of the rune at the start of s, a stop byte,
// if typesetting leaves it as it is, or 0 if it changes it.
func unchanged(s string, fr bool) int {
	switch c := s[0]; {
	case c == '.':
		if strings.HasPrefix(s[1:], "..") {
			return 0
		}
		return 1
	case c < utf8.RuneSelf:
		return 0
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 || fr && (r == '«' || r == '»') {
		return 0
	}
	return n
}

// step typesets the rune at the start of s, which follows prev, and
// returns b with it appended, the rest of s and the rune that the next
// one follows.
func step(b []byte, lang, s string, prev rune) ([]byte, string, rune) {
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
	return b, s, r
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

// opens reports whether a word may start after prev: a quote there opens,
// and a URL-like word there is left alone.
func opens(prev rune) bool {
	switch prev {
	case 0, ' ', '(', '[', '{', '—', '–', '-', '/', '\u202f', '«':
		return true
	}
	return unicode.IsSpace(prev)
}

// trimSpaceEnd removes plain and no-break spaces at the end of b, where a
// narrow no-break space takes their place. It is bytes.TrimRight(b,
// " \u00a0\u202f") without the cost of a cutset past ASCII: the last rune
// of b decodes to one of those exactly when b ends with its encoding.
func trimSpaceEnd(b []byte) []byte {
	for {
		switch {
		case endsWith(b, " "):
			b = b[:len(b)-1]
		case endsWith(b, "\u00a0"):
			b = b[:len(b)-len("\u00a0")]
		case endsWith(b, "\u202f"):
			b = b[:len(b)-len("\u202f")]
		default:
			return b
		}
	}
}

func endsWith(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

// spaceKinds tells for each byte whether it is a space (0), in a word (1)
// or the first byte of a rune that may be a space (mayBeSpace): the
// Unicode spaces (unicode.IsSpace) past ASCII all start with 0xC2
// (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000 to U+205F) or 0xE3
// (U+3000), so other bytes need no decoding.
var spaceKinds = func() (t [256]byte) {
	for c := range t {
		switch c {
		case '\t', '\n', '\v', '\f', '\r', ' ':
		case 0xc2, 0xe1, 0xe2, 0xe3:
			t[c] = mayBeSpace
		default:
			t[c] = 1
		}
	}
	return t
}()

const mayBeSpace = 3

// spaceLen returns the length of the Unicode space (unicode.IsSpace) at
// the start of s, or 0. A byte that starts a valid rune starts a rune
// however the text before it decodes, so spaceLen may be asked at any
// byte: at the byte of a continuation it is always 0.
func spaceLen(s string) int {
	switch spaceKinds[s[0]] {
	case 0:
		return 1
	case mayBeSpace:
		if r, n := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
			return n
		}
	}
	return 0
}

// Classes of bytes for urlAround and urlWord, which look for the ends of
// words, for ':' and '@', and for the runes after which a word may start.
const (
	plainByte = iota
	spaceByte // an ASCII space
	markByte  // ':' or '@'
	openByte  // an ASCII rune that opens: 0 ( [ { - /
	leadByte  // the first byte of a space past ASCII or of — – «
)

var wordBytes = func() (t [256]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case unicode.IsSpace(rune(c)):
			t[c] = spaceByte
		case c == ':' || c == '@':
			t[c] = markByte
		case opens(rune(c)):
			t[c] = openByte
		}
	}
	// See spaceKinds; — and – start with 0xE2, « with 0xC2.
	for c := range t {
		if spaceKinds[c] == mayBeSpace {
			t[c] = leadByte
		}
	}
	return t
}()

// urlAround reports whether s[j], a rune typesetting would change, is in
// a URL-like word that the rune-by-rune loop would have copied untouched
// when it came to s[i] after prev, with s[i:j] unchanged: it would have
// asked whether a URL-like word starts at every rune of s[i:j+1] that
// follows one that opens a word, and copied the first one found up to its
// end. It returns where that word starts and ends, or an end of 0.
// URL-like words that end before j need no asking: copying them changes
// nothing.
func (c *wordCache) urlAround(s string, i, j int, prev rune) (start, end int) {
	// One pass back finds where the word holding j starts (not before i),
	// its last ':' or '@' before j, and whether a word may start inside it
	// too, which is rare.
	k, mark, inner := i, -1, false
back:
	for m := j - 1; m >= i; m-- {
		switch wordBytes[s[m]] {
		case spaceByte:
			k = m + 1
			break back
		case markByte:
			if mark < 0 {
				mark = m
			}
		case openByte:
			inner = true
		case leadByte:
			// A byte that starts a valid rune starts a rune however the
			// text before it decodes (see spaceLen), and the rune ends by
			// j, which starts one too.
			r, n := utf8.DecodeRuneInString(s[m:])
			if unicode.IsSpace(r) {
				k = m + n
				break back
			}
			inner = inner || opens(r)
		}
	}
	open := k > i || opens(prev) // after a space, or at i after prev
	if !inner {
		if open {
			if e := c.urlWord(s, k, j, mark); e > 0 {
				return k, e
			}
		}
		return 0, 0
	}
	for {
		if open {
			if e := c.urlWord(s, k, j, mark); e > 0 {
				return k, e
			}
		}
		if k == j {
			return 0, 0
		}
		r, n := rune(s[k]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[k:])
		}
		open = opens(r)
		k += n
	}
}

// wordCache keeps what urlWord found of the last word it looked at: it
// ends at end, and from on, its last ':' or '@' is at mark (-1 if none).
// The words urlWord is asked about in turn often are the same one.
type wordCache struct{ from, end, mark int }

// urlWord returns the end of the URL, e-mail address or path-like word
// starting at s[k], or 0: words holding "://", starting with "www." or
// "mailto:", or holding both '@' and '.'. A word ends at a Unicode space.
// The caller knows that s[k:j] holds none, and that its last ':' or '@' is
// at mark (-1 if none), so only the rest of the word is looked through.
func (c *wordCache) urlWord(s string, k, j, mark int) int {
	if j < c.from || j >= c.end {
		// One pass finds the end of the word and its last ':' or '@',
		// without which only "www." can make it a URL: most words end
		// the check there.
		c.from, c.end, c.mark = j, len(s), -1
	scan:
		for m := j; m < len(s); m++ {
			switch wordBytes[s[m]] {
			case spaceByte:
				c.end = m
				break scan
			case markByte:
				c.mark = m
			case leadByte:
				if spaceLen(s[m:]) > 0 {
					c.end = m
					break scan
				}
			}
		}
	}
	w := s[k:c.end]
	www := strings.HasPrefix(w, "www.")
	if mark < k && c.mark < k && !www {
		return 0
	}
	if www || strings.Contains(w, "://") || strings.HasPrefix(w, "mailto:") ||
		(strings.Contains(w, "@") && strings.Contains(w, ".")) {
		return c.end
	}
	return 0
}

// hasTypography reports whether s holds any of " ' . ; : ! ? « », the
// characters typeset may change.
func hasTypography[T string | []byte](s T) bool {
	// Those are the French stops, less the other runes starting with 0xC2.
	st := &stopSets[1]
	for i := 0; i < len(s); {
		// Skim eight bytes at a time as stopSet.next does, for ASCII
		// stops and 0xC2: (x-0x01…)&^x sets the high bit of the first
		// byte of x that is 0, and maybe of later ones.
		if i+8 <= len(s) {
			v := load8(s, i)
			x := v ^ ones*0xc2
			m := st.asciiBetween(v) | (x-ones)&^x&highs
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8
		}
		// « is C2 AB, » is C2 BB.
		if c := s[i]; st.table[c] && (c != 0xc2 || i+1 < len(s) && (s[i+1] == 0xab || s[i+1] == 0xbb)) {
			return true
		}
		i++
	}
	return false
}
