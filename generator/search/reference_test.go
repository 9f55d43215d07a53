package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The analyser as it was before it was made to run without allocating:
// the oracle of TestAnalyseMatchesReference and FuzzAnalyseReference.
// It is the readable form of the contract with search.js; Analyse must
// give the same terms for every text.

func refAnalyse(a *Analyser, text string) []string {
	var out []string
	refEach(a, text, func(t string) { out = append(out, t) })
	return out
}

// refEach calls fn with every term of text. A word is a run of letters,
// digits and combining marks; apostrophes split it, and a French elided
// article before an apostrophe is dropped.
func refEach(a *Analyser, text string, fn func(string)) {
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
			if t, ok := refTerm(a, w); ok {
				fn(t)
			}
		}
		parts = parts[:0]
	}
	for _, r := range text {
		switch {
		case refIsApostrophe(r):
			flush(true)
		case 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9',
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
			refFoldRune(&part, r)
		default:
			flush(false)
			emit()
		}
	}
	flush(false)
	emit()
}

func refIsApostrophe(r rune) bool { return r == '\'' || r == '’' || r == '‘' || r == 'ʼ' }

// foldRune writes the lower-case, unaccented form of r: combining
// marks vanish, so decomposed and precomposed accents fold alike.
func refFoldRune(b *strings.Builder, r rune) {
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
func refTerm(a *Analyser, w string) (string, bool) {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > MaxTokenLen || stopWords[a.lang][w] {
		return "", false
	}
	if !refIsASCIILetters(w) {
		return w, true
	}
	if a.lang == "en" {
		return refStemEnglish(w), true
	}
	return refStemFrench(w), true
}

func refIsASCIILetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// refFrenchSuffixes are tried in order after plurals are removed; the
// first that leaves at least three letters is cut. They join the
// family of a word: modération, modérer, modérateur → "moder".
var refFrenchSuffixes = []string{"issement", "ement", "atrice", "ateur", "ation", "ition", "iste", "isme", "euse", "eur", "ive", "if", "ee", "er", "ez", "e"}

// stemFrench is a light stemmer on folded ASCII: plurals, then one
// derivational or inflectional suffix.
func refStemFrench(w string) string {
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
	for _, suf := range refFrenchSuffixes {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stemEnglish is a light stemmer: plurals, -ing, -ed and a final -e,
// then a doubled final consonant ("running" → "run").
func refStemEnglish(w string) string {
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
		w = refUndouble(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w)-2 >= 3:
		w = refUndouble(w[:len(w)-2])
	case strings.HasSuffix(w, "e") && len(w)-1 >= 4:
		w = w[:len(w)-1]
	}
	return w
}

func refUndouble(w string) string {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouylsz", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

// referenceTexts are the phrase file, every code point below 0x800
// (the table of precomputed folds) between letters and after an
// apostrophe, and random strings made of the characters the analyser
// treats apart.
func referenceTexts(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "phrases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Split(string(data), "\n")
	var all strings.Builder
	for r := rune(1); r < 0x900; r++ {
		fmt.Fprintf(&all, "ab%cde l'%c%c x%c ", r, r, r, unicode.ToUpper(r))
	}
	texts = append(texts, all.String())
	alphabet := []string{"a", "E", "z", "0", "9", " ", "'", "’", "‘", "ʼ", "é", "É", "œ", "ß", "\u0301", "σ", "Σ", "ς", "İ", "ı", "K", "東", "👋", "\xff", "-", "l", "d", "qu", "s", "x", "aux", "eaux", "ement", "ing", "ies", "ed", "ss"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		for range rnd.IntN(30) {
			b.WriteString(alphabet[rnd.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	return texts
}

func TestAnalyseMatchesReference(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		an := NewAnalyser(lang)
		for _, text := range referenceTexts(t) {
			if got, want := an.Analyse(text), refAnalyse(an, text); !slices.Equal(got, want) {
				t.Errorf("%s: Analyse(%q)\n = %q\nwant %q", lang, text, got, want)
			}
		}
	}
}

func FuzzAnalyseReference(f *testing.F) {
	for _, s := range []string{"l’été", "\xff\xfe", "d'", "Straße œuvre", "a\u0301\u0301", "running journaux"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"fr", "en"} {
			an := NewAnalyser(lang)
			if got, want := an.Analyse(s), refAnalyse(an, s); !slices.Equal(got, want) {
				t.Fatalf("%s: Analyse(%q) = %q, want %q", lang, s, got, want)
			}
		}
	})
}

// truncate is the excerpt writeDocFile makes of s: cutExcerpt's, with
// the ellipsis when it cut s.
func truncate(s string, n int) string {
	if s, cut := cutExcerpt(s, n); cut {
		return s + ellipsis
	}
	return s
}

// refTruncate is truncate as it was, counting every rune of s.
func refTruncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return s + " …"
}

func TestTruncateMatchesReference(t *testing.T) {
	for _, s := range referenceTexts(t) {
		for _, n := range []int{0, 1, 2, 5, 10, 29, 30, 31, 100} {
			if got, want := truncate(s, n), refTruncate(s, n); got != want {
				t.Errorf("truncate(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

func TestAppendIntMatchesStrconv(t *testing.T) {
	for v := -1200; v < 200_000; v++ {
		if got, want := appendInt([]byte("x"), v), strconv.AppendInt([]byte("x"), int64(v), 10); !bytes.Equal(got, want) {
			t.Fatalf("appendInt(%d) = %s, want %s", v, got, want)
		}
	}
}
