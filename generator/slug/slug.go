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
