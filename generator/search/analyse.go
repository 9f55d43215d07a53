package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AnalyserVersion changes whenever Analyse gives different tokens for
// the same text, so that a page holding an old script never queries a
// new index with the wrong tokens. search.js carries the same number.
const AnalyserVersion = 1

// MaxTokenLen is the longest token kept, in code points: longer runs
// are not words a reader types (hashes, base64, URLs without spaces).
const MaxTokenLen = 40

// folds maps lower-case letters to their unaccented, unligatured form.
// search.js has the same table; the parity test checks both on every
// key.
var folds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i",
	'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o", 'œ': "oe",
	'ř': "r", 'ś': "s", 'š': "s", 'ş': "s", 'ß': "ss", 'ť': "t", 'ţ': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
	'ά': "α", 'έ': "ε", 'ή': "η", 'ί': "ι", 'ό': "ο", 'ύ': "υ", 'ώ': "ω", 'ϊ': "ι", 'ϋ': "υ", 'ς': "σ",
}

// elisions are the French words that lose their vowel before another
// word: "l’art" is indexed as "art".
var elisions = set("l d qu j n s c m t jusqu lorsqu puisqu quoiqu")

var stopWords = map[string]map[string]bool{
	"fr": set(`a ai au aux avec avez avoir avons c ca ce ceci cela ces cet cette comme d dans de des du elle elles en est et etaient etait ete etre eu eux il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que quel quelle qui s sa sans se ses si son sont sur t ta te tes toi ton tu un une vos votre vous y`),
	"en": set(`a all an and any are as at be been but by can did do does for from had has have he her his how i if in into is it its me my no not of on or our she so than that the their them then there these they this those to was we were what when where which who will with you your`),
}

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Analyser turns text into index terms for one language. It is the
// contract shared with search.js: both must give the same tokens for
// the same text.
type Analyser struct {
	lang    string
	stop    map[string]bool
	maxStop int // length of the longest stop word, in bytes
}

// NewAnalyser returns the analyser of a site language; any language
// other than "en" is analysed as French, Foyer's default.
func NewAnalyser(lang string) *Analyser {
	if lang != "en" {
		lang = "fr"
	}
	a := &Analyser{lang: lang, stop: stopWords[lang]}
	for w := range a.stop {
		a.maxStop = max(a.maxStop, len(w))
	}
	return a
}

// Lang is the analyser's language: "fr" or "en".
func (a *Analyser) Lang() string { return a.lang }

// Analyse returns the terms of text, in order, repeats included:
// words are lower-cased, folded, stripped of French elisions and stop
// words, then stemmed.
func (a *Analyser) Analyse(text string) []string {
	var out []string
	a.each(text, nil, func(w []byte, apostrophe bool) {
		if a.elided(w, apostrophe) {
			return
		}
		if t, ok := a.term(w); ok {
			out = append(out, string(t))
		}
	})
	return out
}

// Byte kinds of ASCII text: a separator, an apostrophe, or else the
// folded byte of a letter or digit (never 0 or 1).
const (
	asciiSep  = 0
	asciiApos = 1
)

var asciiKinds = func() (k [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		k[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		k[c], k[c-'a'+'A'] = c, c
	}
	k['\''] = asciiApos
	return k
}()

// wideFold is what a code point of two UTF-8 bytes (Latin, Greek,
// Cyrillic, Hebrew, Arabic…) becomes in a word: word is false for a
// separator, and s is empty for a combining mark, which vanishes.
type wideFold struct {
	s    string
	word bool
}

// wideFolds holds the folds of every code point below 0x800, so that
// accented letters need no Unicode table look-up.
var wideFolds = func() (t [0x800]wideFold) {
	for r := rune(utf8.RuneSelf); r < 0x800; r++ {
		switch {
		case unicode.IsMark(r):
			t[r].word = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			t[r] = wideFold{s: string(foldWide(nil, r)), word: true}
		}
	}
	return t
}()

// each calls fn with every word of text, in order, folded, and tells
// whether an apostrophe ends it. A word is a run of letters, digits and
// combining marks; apostrophes split it. Words are folded into buf,
// which each returns for the next call; the word fn receives is only
// valid during the call, and fn may change it.
func (a *Analyser) each(text string, buf []byte, fn func(word []byte, apostrophe bool)) []byte {
	w := buf[:0]
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			i++
			switch k := asciiKinds[c]; k {
			case asciiSep, asciiApos:
				if len(w) > 0 {
					fn(w, k == asciiApos)
					w = w[:0]
				}
			default:
				w = append(w, k)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		apos := isApostrophe(r)
		if !apos {
			if r < rune(len(wideFolds)) {
				if f := wideFolds[r]; f.word {
					w = append(w, f.s...)
					continue
				}
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				w = foldWide(w, r)
				continue
			} else if unicode.IsMark(r) {
				continue
			}
		}
		if len(w) > 0 {
			fn(w, apos)
			w = w[:0]
		}
	}
	if len(w) > 0 {
		fn(w, false)
	}
	return w[:0]
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' }

// foldWide appends the lower-case, unaccented form of a letter or digit
// beyond ASCII.
func foldWide(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if f, ok := folds[r]; ok {
		return append(b, f...)
	}
	return utf8.AppendRune(b, r)
}

// elided reports whether a folded word is a French elided article,
// dropped: apostrophe tells that one follows it.
func (a *Analyser) elided(w []byte, apostrophe bool) bool {
	return apostrophe && a.lang == "fr" && elisions[string(w)]
}

// term is the term of a folded word, which it stems in place, or false
// for a word too short or too long, or a stop word.
func (a *Analyser) term(w []byte) ([]byte, bool) {
	letters, n := true, len(w)
	for _, c := range w {
		if c >= utf8.RuneSelf {
			letters, n = false, utf8.RuneCount(w)
			break
		}
		if c < 'a' || c > 'z' {
			letters = false
		}
	}
	switch {
	case n < 2 || n > MaxTokenLen || len(w) <= a.maxStop && a.stop[string(w)]:
		return nil, false
	case !letters:
		return w, true
	case a.lang == "en":
		return stemEnglish(w), true
	}
	return stemFrench(w), true
}

func hasSuffix(w []byte, suf string) bool {
	return len(w) >= len(suf) && string(w[len(w)-len(suf):]) == suf
}

// frenchSuffixes are tried in order after plurals are removed; the
// first that leaves at least three letters is cut. They join the
// family of a word: modération, modérer, modérateur → "moder".
var frenchSuffixes = []string{"issement", "ement", "atrice", "ateur", "ation", "ition", "iste", "isme", "euse", "eur", "ive", "if", "ee", "er", "ez", "e"}

// frenchSuffixesByLast are frenchSuffixes by their last letter, in the
// same order: a word can only end with those of its own last letter.
var frenchSuffixesByLast = func() (m ['z' + 1][]string) {
	for _, s := range frenchSuffixes {
		m[s[len(s)-1]] = append(m[s[len(s)-1]], s)
	}
	return m
}()

// stemFrench is a light stemmer on folded ASCII letters: plurals, then
// one derivational or inflectional suffix. It works in place.
func stemFrench(w []byte) []byte {
	if len(w) <= 3 {
		return w
	}
	switch last := w[len(w)-1]; {
	case hasSuffix(w, "eaux"):
		w = w[:len(w)-1]
	case hasSuffix(w, "aux") && len(w) > 4:
		w = append(w[:len(w)-3], "al"...)
	case (last == 's' || last == 'x') && !hasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	for _, suf := range frenchSuffixesByLast[w[len(w)-1]] {
		if hasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stemEnglish is a light stemmer: plurals, -ing, -ed and a final -e,
// then a doubled final consonant ("running" → "run"). It works in
// place.
func stemEnglish(w []byte) []byte {
	if len(w) <= 3 {
		return w
	}
	switch {
	case hasSuffix(w, "ies") && len(w) > 4:
		w = append(w[:len(w)-3], 'y')
	case hasSuffix(w, "sses"), hasSuffix(w, "shes"), hasSuffix(w, "ches"), hasSuffix(w, "xes"), hasSuffix(w, "zes"):
		w = w[:len(w)-2]
	case hasSuffix(w, "s") && !hasSuffix(w, "ss") && !hasSuffix(w, "us") && !hasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case hasSuffix(w, "ing") && len(w)-3 >= 3:
		w = undouble(w[:len(w)-3])
	case hasSuffix(w, "ed") && len(w)-2 >= 3:
		w = undouble(w[:len(w)-2])
	case hasSuffix(w, "e") && len(w)-1 >= 4:
		w = w[:len(w)-1]
	}
	return w
}

func undouble(w []byte) []byte {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && strings.IndexByte("aeiouylsz", w[n-1]) < 0 {
		return w[:n-1]
	}
	return w
}
