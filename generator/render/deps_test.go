package render

import (
	"hash/fnv"
	"strconv"
	"testing"
)

// TestFingerprintIsFNV1a checks the inline hash against hash/fnv: the
// build cache compares keys made by different versions of foyer, so the
// same parts must keep giving the same key.
func TestFingerprintIsFNV1a(t *testing.T) {
	for _, parts := range [][]string{
		nil,
		{""},
		{"", ""},
		{"a"},
		{"a", "b"},
		{"ab"},
		{"catégorie", "Vie du foyer", "12"},
		{"\x00", "\xff\xfe"},
	} {
		h := fnv.New64a()
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		want := "k:" + strconv.FormatUint(h.Sum64(), 36)
		if got := newFingerprint("k").add(parts...).key(); got != want {
			t.Errorf("parts %q: key %s, hash/fnv gives %s", parts, got, want)
		}
	}
	// Where the parts split matters.
	if newFingerprint("k").add("ab").key() == newFingerprint("k").add("a", "b").key() {
		t.Error(`"ab" and "a", "b" give the same key`)
	}
}
