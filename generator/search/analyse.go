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
	lang string
}

// NewAnalyser returns the analyser of a site language; any language
// other than "en" is analysed as French, Foyer's default.
func NewAnalyser(lang string) *Analyser {
	if lang != "en" {
		lang = "fr"
	}
	return &Analyser{lang: lang}
}

// Lang is the analyser's language: "fr" or "en".
func (a *Analyser) Lang() string { return a.lang }

// Analyse returns the terms of text, in order, repeats included:
// words are lower-cased, folded, stripped of French elisions and stop
// words, then stemmed.
func (a *Analyser) Analyse(text string) []string {
	var out []string
	a.each(text, func(t string) { out = append(out, t) })
	return out
}

// each calls fn with every term of text. A word is a run of letters,
// digits and combining marks; apostrophes split it, and a French elided
// article before an apostrophe is dropped.
func (a *Analyser) each(text string, fn func(string)) {
	var part strings.Builder
	var parts []string
	flush := func(elided bool) {
		w := part.String()
		part.Reset()
		if w == "" {
			return
		}
		if elided && a.lang == "fr" && elisions[w] {
			return
		}
		parts = append(parts, w)
	}
	emit := func() {
		for _, w := range parts {
			if t, ok := a.term(w); ok {
				fn(t)
			}
		}
		parts = parts[:0]
	}
	for _, r := range text {
		switch {
		case isApostrophe(r):
			flush(true)
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9',
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			foldRune(&part, r)
		default:
			flush(false)
			emit()
		}
	}
	flush(false)
	emit()
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' }

// foldRune writes the lower-case, unaccented form of r: combining
// marks vanish, so decomposed and precomposed accents fold alike.
func foldRune(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf { // the common case, without table look-ups
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	if unicode.IsMark(r) {
		return
	}
	r = unicode.ToLower(r)
	if f, ok := folds[r]; ok {
		b.WriteString(f)
		return
	}
	b.WriteRune(r)
}

// term filters and stems one folded word.
func (a *Analyser) term(w string) (string, bool) {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > MaxTokenLen || stopWords[a.lang][w] {
		return "", false
	}
	if !isASCIILetters(w) {
		return w, true
	}
	if a.lang == "en" {
		return stemEnglish(w), true
	}
	return stemFrench(w), true
}

func isASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// frenchSuffixes are tried in order after plurals are removed; the
// first that leaves at least three letters is cut. They join the
// family of a word: modération, modérer, modérateur → "moder".
var frenchSuffixes = []string{"issement", "ement", "atrice", "ateur", "ation", "ition", "iste", "isme", "euse", "eur", "ive", "if", "ee", "er", "ez", "e"}

// stemFrench is a light stemmer on folded ASCII: plurals, then one
// derivational or inflectional suffix.
func stemFrench(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "eaux"):
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "aux") && len(w) > 4:
		w = w[:len(w)-3] + "al"
	case (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) && !strings.HasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	for _, suf := range frenchSuffixes {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stemEnglish is a light stemmer: plurals, -ing, -ed and a final -e,
// then a doubled final consonant ("running" → "run").
func stemEnglish(w string) string {
	if len(w) <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "zes"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "ing") && len(w)-3 >= 3:
		w = undouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w)-2 >= 3:
		w = undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "e") && len(w)-1 >= 4:
		w = w[:len(w)-1]
	}
	return w
}

func undouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouylsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}
