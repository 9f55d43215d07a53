package moderation

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// swaps are the letter-for-digit (and symbol) substitutions people use to
// slip a word past a filter. 1 stands for both i and l: words holding a 1
// are tried both ways.
var swaps = [...]struct{ from, to rune }{
	{'0', 'o'}, {'3', 'e'}, {'4', 'a'}, {'5', 's'}, {'7', 't'}, {'@', 'a'}, {'$', 's'},
}

// tokens splits text into normalised words: lower case, accents and
// ligatures folded, elided articles (l’, qu’, d’…) cut off at their
// apostrophe, symbols and digits read as the letters they stand for,
// repeated letters collapsed. A word that holds a 1 yields the word with
// 1 read as i; its l reading is in alt at the same index ("" otherwise).
// Runs of three or more single letters ("c o n", "c.o.n") are also
// joined into one word, appended after the others.
func tokens(text string) (words, alt []string) {
	var cur []rune
	var singles []string
	flushSingles := func() {
		if len(singles) >= 3 {
			w := strings.Join(singles, "")
			words = append(words, collapse(w))
			alt = append(alt, "")
		}
		singles = singles[:0]
	}
	flush := func() {
		if len(cur) == 0 {
			return
		}
		raw := string(cur)
		cur = cur[:0]
		if !hasLetterOrSwap(raw) {
			flushSingles()
			return
		}
		i := collapse(strings.ReplaceAll(raw, "1", "i"))
		l := ""
		if strings.Contains(raw, "1") {
			l = collapse(strings.ReplaceAll(raw, "1", "l"))
		}
		words = append(words, i)
		alt = append(alt, l)
		if len([]rune(i)) == 1 {
			singles = append(singles, i)
		} else {
			flushSingles()
		}
	}
	for _, r := range fold(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '@' || r == '$' {
			cur = append(cur, swap(r))
			continue
		}
		flush()
		// Spaces and dots between single letters keep a spelled-out run
		// going; anything else (a new line, a comma) ends it.
		if r != ' ' && r != '.' && r != '-' && r != '*' && r != '_' {
			flushSingles()
		}
	}
	flush()
	flushSingles()
	return words, alt
}

// fold lower-cases text and removes accents and ligatures.
func fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range norm.NFD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func swap(r rune) rune {
	for _, s := range swaps {
		if r == s.from {
			return s.to
		}
	}
	return r
}

// hasLetterOrSwap reports whether a raw word is more than a number:
// "2026" stays a number, "c0nnard" is a word.
func hasLetterOrSwap(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// collapse reduces every run of one repeated letter to a single letter,
// so "connnnard" and "connard" both read "conard". Lists go through the
// same function, so the match is exact.
func collapse(w string) string {
	var b strings.Builder
	var prev rune = -1
	for _, r := range w {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// phrase is a list entry in normalised words.
type phrase []string

func compile(entries []string) []phrase {
	out := make([]phrase, 0, len(entries))
	for _, e := range entries {
		words, _ := tokens(e)
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

// match returns the first list entry found in the text's words, as whole
// words. A word also matches with a plural or feminine ending (s, x, e,
// es) so that lists need only the base form.
func match(list []phrase, words, alt []string) (phrase, bool) {
	for _, p := range list {
		for i := 0; i+len(p) <= len(words); i++ {
			if matchAt(p, words, alt, i) {
				return p, true
			}
		}
	}
	return nil, false
}

func matchAt(p phrase, words, alt []string, at int) bool {
	for j, w := range p {
		if !sameWord(w, words[at+j]) && (alt[at+j] == "" || !sameWord(w, alt[at+j])) {
			return false
		}
	}
	return true
}

func sameWord(entry, word string) bool {
	if word == entry {
		return true
	}
	rest, ok := strings.CutPrefix(word, entry)
	if !ok || len(entry) < 3 {
		return false
	}
	switch rest {
	case "s", "x", "e", "es":
		return true
	}
	return false
}
