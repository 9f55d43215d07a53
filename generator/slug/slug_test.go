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
