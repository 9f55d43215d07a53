package markdown

// This file keeps the typesetting code as it was before it was made
// faster, as a reference the current code must match byte for byte: the
// table test, the exhaustive short-token test and the fuzz target below
// compare the two on every input they try.

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refTypeset is Typography with prev, the rune before s in its paragraph, so
// that a quote at the start of a text node opens or closes correctly.
func refTypeset(lang, s string, prev rune) string {
	if !refHasTypography(s) {
		return s
	}
	return string(refAppendTypeset(make([]byte, 0, len(s)+16), lang, s, prev))
}

// refAppendTypeset appends s typeset to b, which must be empty: the
// narrow no-break spaces replace the spaces at its end.
func refAppendTypeset(b []byte, lang, s string, prev rune) []byte {
	for len(s) > 0 {
		// Copy URL-like words untouched.
		if w := refURLWord(s, prev); w > 0 {
			b = append(b, s[:w]...)
			r, _ := utf8.DecodeLastRuneInString(s[:w])
			prev, s = r, s[w:]
			continue
		}
		// ASCII letters and digits are copied as they are: none of the
		// cases below applies to them, and none opens a URL-like word.
		if n := refAlnumRun(s); n > 0 {
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
			if refOpens(prev) {
				b = append(b, "«\u202f"...)
				s = strings.TrimLeft(s, " \u00a0")
			} else {
				b = refTrimSpaceEnd(b)
				b = append(b, "\u202f»"...)
			}
		case r == '"':
			if refOpens(prev) {
				b = utf8.AppendRune(b, '“')
			} else {
				b = utf8.AppendRune(b, '”')
			}
		case lang == "fr" && r == '«':
			b = append(b, "«\u202f"...)
			s = strings.TrimLeft(s, " \u00a0\u202f")
		case lang == "fr" && r == '»':
			b = refTrimSpaceEnd(b)
			b = append(b, "\u202f»"...)
		case lang == "fr" && refHighPunct(r, prev, next):
			b = refTrimSpaceEnd(b)
			b = utf8.AppendRune(b, NNBSP)
			b = utf8.AppendRune(b, r)
		default:
			b = utf8.AppendRune(b, r)
		}
		prev = r
	}
	return b
}

// refHighPunct reports whether r is ; : ! or ? that takes a space before it
// in French: not after another mark of the kind (?!), not at the start of
// a line, and for ':' not between digits (12:30).
func refHighPunct(r, prev, next rune) bool {
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

func refOpens(prev rune) bool {
	switch prev {
	case 0, ' ', '(', '[', '{', '—', '–', '-', '/', '\u202f', '«':
		return true
	}
	return unicode.IsSpace(prev)
}

// refAlnumRun is the length of the run of ASCII letters and digits at the
// start of s.
func refAlnumRun(s string) int {
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

// refTrimSpaceEnd removes plain and no-break spaces at the end of b, where a
// narrow no-break space takes their place.
func refTrimSpaceEnd(b []byte) []byte {
	return bytes.TrimRight(b, " \u00a0\u202f")
}

// refURLWord returns the length of the URL, e-mail address or path-like word
// at the start of s, or 0. Only words starting a token count.
func refURLWord(s string, prev rune) int {
	if !refOpens(prev) {
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

// refHasTypography reports whether s holds any of " ' . ; : ! ? « », the
// characters typeset may change.
func refHasTypography[T string | []byte](s T) bool {
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

// typesetCases are inputs where typesetting is easy to get subtly wrong:
// URL-like words holding marks, times, quotes at every position, spaces of
// every kind around punctuation, ellipses and invalid UTF-8.
var typesetCases = []string{
	"",
	" ",
	"a",
	"Bonjour !",
	"Vraiment?",
	"Quoi ?!",
	"Quoi?!",
	"?!",
	"!?",
	":",
	": début",
	";",
	"?",
	"!",
	"Note : voir ; puis",
	"Note: voir; puis",
	"Il est 12:30.",
	"Il est 12 : 30.",
	"Il est 12: 30.",
	"Il est 12 :30.",
	"1:2:3",
	"a:1",
	"1:a",
	"٣:٤",
	"voir https://exemple.fr/a:b?c=d!",
	"voir https://exemple.fr/a:b?c=d! puis ?",
	"https://exemple.fr/a?b=c;d!e",
	"(https://exemple.fr/a?b)",
	"(www.exemple.fr?)",
	"[www.exemple.fr!]",
	"{www.exemple.fr;}",
	"a/www.b.fr?",
	"a-www.b.fr?",
	"a—www.b.fr?",
	"a–www.b.fr?",
	"«www.b.fr»",
	"« www.b.fr »",
	"«http://b.fr»",
	`"http://b.fr"`,
	`"www.b.fr"`,
	`'www.b.fr'`,
	`x"www.b.fr"`,
	"xwww.b.fr?",
	"www.",
	"www",
	"www.?",
	"WWW.b.fr?",
	"mailto:ann@exemple.fr?",
	"mailto:ann?",
	"(mailto:x!)",
	"mailto:",
	"écrire à ann@exemple.fr ?",
	"écrire à ann@exemple.fr?",
	"ann@exemple ?",
	"ann@exemple?",
	"ann.exemple@?",
	"@.?",
	"a@b.c'd\"e",
	"x@y : puis https://a.fr/b:c ! et www.b.fr ?",
	"Source : https://exemple.fr/a ?",
	"voir www.exemple.fr !",
	"://?",
	":/?",
	"a://b?",
	"a:b/c?",
	"http:/x?",
	"http://",
	"http://x\u00a0?",
	"http://x\u202f?",
	"http://x\u2003?",
	"http://x\u3000?",
	"http://x\u1680?",
	"http://x\u0085?",
	"http://x\u2028?",
	"http://x\t?",
	"http://x\n?",
	"http://x\r\n?",
	"http://x\v?\f?",
	"\u00a0http://x?",
	"\u202fhttp://x?",
	"x\u00a0http://x?",
	"x\u202fhttp://x?",
	"x\u2009http://x?",
	"(http://x'y)'z",
	"a(b(http://x?",
	"a(b(c?",
	"a-b-c-http://d?",
	"a/b/c/www.d?",
	"-www.a?",
	"/www.a?",
	"\x00www.a?",
	"a\x00www.a?",
	"a\x00:",
	`il dit "bonjour" puis`,
	`il dit " bonjour " puis`,
	"il dit \"\u00a0bonjour\u00a0\" puis",
	"il dit \"\u202fbonjour\u202f\" puis",
	`"début`,
	`fin"`,
	`"`,
	`""`,
	`"""`,
	`" "`,
	`a"b"c`,
	`("a")`,
	`["a"]`,
	`{"a"}`,
	`-"a"-`,
	`/"a"/`,
	`—"a"—`,
	`–"a"–`,
	"«\"a\"»",
	"\u202f\"a\"",
	"\u00a0\"a\"",
	"\t\"a\"",
	"\n\"a\"",
	"a\n\"b\"",
	`"'"`,
	`'"'`,
	"« déjà »",
	"«serré»",
	"«  double  »",
	"«\u00a0nbsp\u00a0»",
	"«\u202fnnbsp\u202f»",
	"«\u202f\u00a0 mix \u00a0\u202f»",
	"« »",
	"«»",
	"»«",
	"»",
	"«",
	" »",
	"« ",
	"«?»",
	"« ? »",
	"« a ? »",
	"«!",
	"«;",
	"«:",
	"a «b» c",
	"a «http://x» c",
	"l'été",
	"l’été",
	"l''été",
	"'",
	"''",
	"’",
	"it's",
	"'quoted'",
	"Et puis...",
	"Et puis....",
	"Et puis.....",
	"Et puis......",
	"..",
	".",
	"...",
	".. .",
	". ..",
	"...?",
	"... ?",
	"...!",
	"a...b",
	"http://a...b",
	"www...",
	"(?)",
	"(!)",
	"[?]",
	"(:",
	"a(:",
	"a\n:",
	"a\n?",
	"a\n!b",
	"a ;;",
	"a ;:",
	"a :;",
	"a !!",
	"a ??",
	"a ?!?",
	"a \u202f?",
	"a\u202f?",
	"a\u00a0?",
	"a\u00a0\u202f ?",
	"a  ?",
	"a \t?",
	"a\t?",
	"a\n ?",
	"a \u2003?",
	"a\u2003?",
	"a» ?",
	"a\u202f» !",
	"é?",
	"é ?",
	"é:1",
	"1:é",
	"1 :2",
	"1: 2",
	"¹:²",
	"12:30!",
	"12:30 !",
	"à 12h30 : voilà",
	"Rencontre vote partage lectrice entraide ancien invitation plutôt observe, plutôt invitation accueil chaque rencontre mesure consensus numérique ? Aujourd’hui souvent construit durable sondage patient local : voilà.",
	"\xff",
	"\xff?",
	"?\xff",
	"\xff ?",
	"a\xffb",
	"\xe2\x80",
	"\xe2\x80?",
	"\xe2\x80\xaf?",
	"\xe2\x80\xaf\xaf?",
	"\xe2\xe2\x80\xaf?",
	"\xc2",
	"\xc2?",
	"\xc2\xab",
	"\xc2\xc2\xab",
	"\xc2\xbb?",
	"\xc2 ?",
	"\xed\xa0\x80?",
	"\xef\xbf\xbd?",
	"\ufffd?",
	"\xf0\x9f\x98\x80?",
	"\xf0\x9f\x98?",
	"\xf0\x9f\x98\x80http://x?",
	"http://\xff?",
	"http://x\xff ?",
	"\xffhttp://x?",
	"(\xffwww.x?",
	"\x80\x80(",
	"(\x80\x80",
	"http://x(\x80",
	"ann@x.fr\xe2\x80",
	"\xe2\x80www.x?",
	"a\xe2\x80\xa8www.x?",
	"a\xc2\x85www.x?",
	"a\xc2\xa0www.x?",
	"a\xe1\x9a\x80www.x?",
	"a\xe2\x81\x9fwww.x?",
	"a\xe3\x80\x80www.x?",
	"a\xe2\x80\x8awww.x?",
	"a\xe2\x80\x8bwww.x?",
	"\x00",
	"\x00?",
	"\x00\"a\"",
	"a\x00\"b\"",
	"👍 ?",
	"👍?",
	"'👍'",
	"«👍»",
	"emoji 👍 : «👍»... l'👍 ?!",
}

// typesetPrevs are the runes before a text node that change how it is
// typeset, and a few that do not.
var typesetPrevs = []rune{' ', 0, '(', '[', '{', '-', '/', '—', '–', '«', '»', '\n', '\t', '\u00a0', NNBSP, '\u2003', 'a', 'Z', 'é', '1', '٣', '!', '?', ';', ':', '.', '"', '\'', '’', utf8.RuneError, -1, 0x10ffff + 1}

var typesetLangs = []string{"fr", "en", ""}

// checkTypeset fails t if the current code and the reference disagree on
// s, in any of the ways the package calls them.
func checkTypeset(t *testing.T, lang, s string, prev rune) {
	t.Helper()
	got := string(appendTypeset(nil, lang, s, prev))
	want := string(refAppendTypeset(nil, lang, s, prev))
	if got != want {
		t.Fatalf("appendTypeset(%q, %q, %q):\n got %q\nwant %q", lang, s, prev, got, want)
	}
	// The renderer reuses a buffer that held an earlier node.
	buf := append(make([]byte, 0, 64), "   earlier   "...)
	if got := string(appendTypeset(buf[:0], lang, s, prev)); got != want {
		t.Fatalf("appendTypeset(reused buffer, %q, %q, %q):\n got %q\nwant %q", lang, s, prev, got, want)
	}
	if got, want := typeset(lang, s, prev), refTypeset(lang, s, prev); got != want {
		t.Fatalf("typeset(%q, %q, %q):\n got %q\nwant %q", lang, s, prev, got, want)
	}
	if got, want := hasTypography(s), refHasTypography(s); got != want {
		t.Fatalf("hasTypography(%q) = %v, want %v", s, got, want)
	}
	if got, want := hasTypography([]byte(s)), refHasTypography([]byte(s)); got != want {
		t.Fatalf("hasTypography([]byte(%q)) = %v, want %v", s, got, want)
	}
}

func TestTypesetMatchesReference(t *testing.T) {
	for _, s := range typesetCases {
		for _, lang := range typesetLangs {
			for _, prev := range typesetPrevs {
				checkTypeset(t, lang, s, prev)
			}
			// The same text inside a longer one, so that it is reached
			// after other text and its state.
			checkTypeset(t, lang, "Il dit : "+s+" puis l'été ?", ' ')
			checkTypeset(t, lang, s+" "+s, ' ')
			checkTypeset(t, lang, s+s, ' ')
		}
		if got, want := Typography("fr", s), refTypeset("fr", s, ' '); got != want {
			t.Fatalf("Typography(fr, %q) = %q, want %q", s, got, want)
		}
	}
}

// TestTypesetShortTokens compares the two on every sequence of up to three
// tokens that matter, so that each pair of neighbours is tried.
func TestTypesetShortTokens(t *testing.T) {
	tokens := []string{
		" ", "a", "1", ":", "?", "!", ";", ".", "..", "'", "’", `"`, "«", "»",
		"\u00a0", "\u202f", "\n", "-", "(", "/", "—", "\x00", "é", "\xff", "\xe2\x80",
		"http://", "www.", "mailto:", "@", "x@y.z",
	}
	prevs := []rune{' ', 0, 'a', '(', '1', '«', '\n', '?'}
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		for _, lang := range []string{"fr", "en"} {
			for _, prev := range prevs {
				checkTypeset(t, lang, s, prev)
			}
		}
		if depth == 0 {
			return
		}
		for _, tok := range tokens {
			walk(s+tok, depth-1)
		}
	}
	depth := 3
	if testing.Short() {
		depth = 2
	}
	walk("", depth)
}

// TestTypesetRandomTokens compares the two on longer random sequences of
// the same tokens and of prose, so that stops fall anywhere in the eight
// bytes stopSet.next skims at once.
func TestTypesetRandomTokens(t *testing.T) {
	tokens := []string{
		" ", "a", "1", ":", "?", "!", ";", ".", "..", "'", "’", `"`, "«", "»",
		"\u00a0", "\u202f", "\n", "-", "(", "/", "—", "\x00", "é", "\xff", "\xe2\x80",
		"http://", "www.", "mailto:", "@", "x@y.z", ",", "à", "12", "\u2003",
		"Rencontre ", "plutôt ", "numérique ", "Aujourd’hui ", "abcdefgh", "abcdefghijklmnop",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var sb strings.Builder
		for range 1 + rng.IntN(30) {
			sb.WriteString(tokens[rng.IntN(len(tokens))])
		}
		s := sb.String()
		for _, lang := range []string{"fr", "en"} {
			checkTypeset(t, lang, s, typesetPrevs[rng.IntN(len(typesetPrevs))])
		}
	}
}

func FuzzTypesetMatchesReference(f *testing.F) {
	for _, s := range typesetCases {
		f.Add(s, ' ', true)
		f.Add(s, '(', false)
	}
	f.Fuzz(func(t *testing.T, s string, prev rune, fr bool) {
		lang := "en"
		if fr {
			lang = "fr"
		}
		checkTypeset(t, lang, s, prev)
	})
}

// proseText is French prose as most of a site's text is: accents,
// curly apostrophes and few characters typesetting changes.
var proseText = strings.Repeat("Rencontre vote partage lectrice entraide ancien invitation plutôt observe, plutôt invitation accueil chaque rencontre mesure consensus numérique ? Aujourd’hui souvent construit durable sondage patient local : voilà. ", 20)

func BenchmarkTypographyProse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(proseText)))
	for b.Loop() {
		Typography("fr", proseText)
	}
}

// BenchmarkRefTypography and BenchmarkRefTypographyProse run the
// reference on BenchmarkTypography's and BenchmarkTypographyProse's text,
// to compare in one run.
func BenchmarkRefTypography(b *testing.B) {
	text := strings.Repeat(`Il a dit "bonjour" : c’est l'heure, 12:30 ! Voir https://example.org/a?b=c; puis... rien ? `, 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		refTypeset("fr", text, ' ')
	}
}

func BenchmarkRefTypographyProse(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(proseText)))
	for b.Loop() {
		refTypeset("fr", proseText, ' ')
	}
}

// TestSpaceLen checks spaceLen's claim that it knows every Unicode space
// by its first byte.
func TestSpaceLen(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r) + "x"
		want := 0
		if unicode.IsSpace(r) {
			want = utf8.RuneLen(r)
		}
		if got := spaceLen(s); got != want {
			t.Errorf("spaceLen(%U) = %d, want %d", r, got, want)
		}
	}
}

// BenchmarkAppendTypeset typesets into a reused buffer as the renderer
// does, without Typography's allocations, with the current code and the
// reference.
func BenchmarkAppendTypeset(b *testing.B) {
	dense := strings.Repeat(`Il a dit "bonjour" : c’est l'heure, 12:30 ! Voir https://example.org/a?b=c; puis... rien ? `, 20)
	for _, text := range []struct{ name, s string }{{"prose", proseText}, {"dense", dense}} {
		for _, impl := range []struct {
			name string
			f    func([]byte, string, string, rune) []byte
		}{{"new", appendTypeset}, {"ref", refAppendTypeset}} {
			b.Run(text.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(text.s)))
				buf := make([]byte, 0, 2*len(text.s))
				for b.Loop() {
					buf = impl.f(buf[:0], "fr", text.s, ' ')
				}
			})
		}
	}
}

// BenchmarkHasTypography looks through text that holds none of the
// characters, as the renderer does for most short text nodes, and through
// prose, where one comes soon.
func BenchmarkHasTypography(b *testing.B) {
	none := strings.Repeat("Rencontre vote partage lectrice entraide ancien invitation plutôt observe, plutôt invitation accueil « ", 40)
	none = strings.ReplaceAll(none, "«", "\u00a0")
	for _, text := range []struct{ name, s string }{{"none", none}, {"prose", proseText}} {
		value := []byte(text.s)
		b.Run(text.name+"/new", func(b *testing.B) {
			b.SetBytes(int64(len(value)))
			for b.Loop() {
				hasTypography(value)
			}
		})
		b.Run(text.name+"/ref", func(b *testing.B) {
			b.SetBytes(int64(len(value)))
			for b.Loop() {
				refHasTypography(value)
			}
		})
	}
}
