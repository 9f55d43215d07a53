// Package slug makes URL path segments from titles and terms: accents
// folded, lower case, words joined by hyphens, « Médias sociaux » →
// "medias-sociaux".
package slug

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips its diacritics, keeping other characters.
// Letters that do not decompose (œ, æ, ß, ø) are spelt out.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s) // nothing to decompose or spell out
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldSlow(s)
}

// foldSlow is Fold by Unicode decomposition, for any text.
func foldSlow(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.ToLower(out)
	return ligatures.Replace(out)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Text in French and other Western languages has, besides ASCII, only
// letters of Latin-1 and Latin Extended-A and the punctuation of
// General Punctuation (’, –, …), and each of them folds on its own:
// foldTable holds foldSlow of each, made once, so that folding such
// text needs no decomposition.
var foldRanges = [...][2]rune{{0x80, 0x180}, {0x2000, 0x2070}}

var foldTable = func() map[rune]string {
	t := make(map[rune]string)
	for _, rg := range foldRanges {
		for r := rg[0]; r < rg[1]; r++ {
			t[r] = foldSlow(string(r))
		}
	}
	return t
}()

// foldLatin is Fold for text made of ASCII and the characters of
// foldTable; it reports false for any other text. Combining marks
// (U+0300 and up) are not in the table: text holding one takes the
// slow way, where the mark composes with the letter before it.
func foldLatin(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		f, ok := foldTable[r]
		if !ok {
			return "", false
		}
		b.WriteString(f)
	}
	return b.String(), true
}

var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss", "ø", "o", "ł", "l", "đ", "d")

// Make returns the slug of s: folded, with every run of characters other
// than letters and digits turned into one hyphen, trimmed. It
// returns "" when s has no letter or digit at all.
func Make(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range Fold(s) {
		// Letters outside Latin script are kept rather than lost.
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}
