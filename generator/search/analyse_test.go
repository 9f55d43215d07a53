package search

import (
	"slices"
	"strings"
	"testing"
)

func TestAnalyseFrench(t *testing.T) {
	an := NewAnalyser("fr")
	tests := []struct {
		in   string
		want []string
	}{
		{"cette histoire de crise", []string{"histoir", "cris"}},
		{"les outils de mesure", []string{"outil", "mesur"}},
		{"L’art d’animer", []string{"art", "anim"}},
		{"l'art d'animer", []string{"art", "anim"}},
		{"qu’il jusqu’au lorsqu’on puisqu’elle", nil},
		{"J’aime n’importe s’abonner c’était m’écrire t’inscrire", []string{"aim", "import", "abonn", "ecrir", "inscrir"}},
		{"médias MEDIAS Médias", []string{"media", "media", "media"}},
		{"communautés communauté", []string{"communaut", "communaut"}},
		{"modération modérer modérateur modératrices", []string{"moder", "moder", "moder", "moder"}},
		{"bureaux journaux jeux", []string{"bureau", "journal", "jeu"}},
		{"œuvre cœur", []string{"oeuvr", "coeur"}},
		{"aujourd’hui", []string{"aujourd", "hui"}},
		{"sous-estimé", []string{"sou", "estim"}},
		{"10\u202f000 membres en 2026", []string{"10", "000", "membr", "2026"}},
		{"a b c", nil},
		{"Ελληνικά ΣΟΦΟΣ", []string{"ελληνικα", "σοφοσ"}},
		{"cafe\u0301", []string{"caf"}},
		{strings.Repeat("x", MaxTokenLen+1) + " court", []string{"court"}},
	}
	for _, tt := range tests {
		if got := an.Analyse(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Analyse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnalyseEnglish(t *testing.T) {
	an := NewAnalyser("en")
	tests := []struct {
		in   string
		want []string
	}{
		{"The communities and the community", []string{"community", "community"}},
		{"moderating moderated moderate moderates", []string{"moderat", "moderat", "moderat", "moderat"}},
		{"running stopped boxes wishes", []string{"run", "stop", "box", "wish"}},
		{"status analysis class", []string{"status", "analysis", "class"}},
		{"the community's tools", []string{"community", "tool"}},
		// French elisions are French only: "l" is too short to stay anyway.
		{"l’art", []string{"art"}},
		{"d’Artagnan", []string{"artagnan"}},
	}
	for _, tt := range tests {
		if got := an.Analyse(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Analyse(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnalyserLang(t *testing.T) {
	for in, want := range map[string]string{"fr": "fr", "en": "en", "": "fr", "de": "fr"} {
		if got := NewAnalyser(in).Lang(); got != want {
			t.Errorf("NewAnalyser(%q).Lang() = %q, want %q", in, got, want)
		}
	}
}

// The analyser reads outside text: it must not panic or loop on any
// bytes, and its terms are always folded, bounded and non-empty.
func FuzzAnalyse(f *testing.F) {
	for _, s := range []string{"l’été", "\xff\xfe", "d'", "''''", "İ", "a\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"fr", "en"} {
			for _, term := range NewAnalyser(lang).Analyse(s) {
				if term == "" || len([]rune(term)) > MaxTokenLen || strings.ToLower(term) != term {
					t.Fatalf("Analyse(%q): bad term %q", s, term)
				}
			}
		}
	})
}
