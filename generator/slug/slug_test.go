package slug

import "testing"

func TestMake(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Médias sociaux", "medias-sociaux"},
		{"Éthique", "ethique"},
		{"  L’œuvre   d’art !  ", "l-oeuvre-d-art"},
		{"Modération", "moderation"},
		{"C++ & Go", "c-go"},
		{"2026: l'année", "2026-l-annee"},
		{"日本語", "日本語"},
		{"!!!", ""},
	} {
		if got := Make(tc.in); got != tc.want {
			t.Errorf("Make(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Fold's table of Latin letters must fold as the decomposition does,
// letter by letter and in any company: every pair of characters up to
// in its table with a few ASCII ones, and combining marks after them.
func TestFoldLatinMatchesDecomposition(t *testing.T) {
	rs := []rune{' ', 'A', 'z', '0', '-', '\''}
	for _, rg := range foldRanges {
		for r := rg[0]; r < rg[1]; r++ {
			rs = append(rs, r)
		}
	}
	for _, a := range rs {
		for _, b := range rs {
			s := string([]rune{a, b})
			if got, want := Fold(s), foldSlow(s); got != want {
				t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"Ame\u0301lie", "E\u0301TE\u0301", "ça\u0327", "Œuvre ÉTÉ", "d’Ærø", "\xffé", "é日本"} {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Médias sociaux", "L’œuvre", "Ame\u0301lie", "日本語", "ÀÉÎÕÜ ŒÆß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldSlow(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q", s, got, want)
		}
	})
}

func BenchmarkMake(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Make("Les communautés d’écoute : modération et éthique")
	}
}
