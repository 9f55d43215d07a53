package source

import (
	"fmt"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

// sameAsYAML decodes front both ways, with quickFront when it accepts
// it and with yaml.v3, and reports any difference in what a document
// gets: its Meta, its Lines and its errors. It returns whether
// quickFront accepted front.
func sameAsYAML(t *testing.T, kind Kind, front string) bool {
	t.Helper()
	fields, ok := quickFront([]byte(front))
	if !ok {
		return false
	}
	quick := &Document{Path: "content/x.md", Kind: kind}
	quickErr := decodeFields(quick, fields, 2)
	slow := &Document{Path: "content/x.md", Kind: kind}
	slowFields, err := yamlFront(slow, []byte(front), 2)
	if err != nil {
		t.Errorf("quickFront read front matter that yaml.v3 rejects (%v):\n%s", err, front)
		return true
	}
	slowErr := decodeFields(slow, slowFields, 2)
	if !reflect.DeepEqual(quick.Meta, slow.Meta) || !maps.Equal(quick.Lines, slow.Lines) || fmt.Sprint(quickErr) != fmt.Sprint(slowErr) {
		t.Errorf("front matter read differently:\n%s\nquick: %+v %v %v\nyaml:  %+v %v %v", front,
			quick.Meta, quick.Lines, quickErr, slow.Meta, slow.Lines, slowErr)
	}
	return true
}

// Front matter quickFront must read itself, the same as yaml.v3.
var quickCases = []string{
	"",
	"# only a comment\n",
	"title: Bonjour\ndate: 2026-01-10\n",
	"title: \"Premier article : bienvenue !\"\ndate: 2026-02-10T09:00:00+01:00\nauthor: ann\ncategories: [\"Éthique\", \"Médias sociaux\"]\ntags: [accueil, 'zèbre']\n",
	"title: 'Ça va'\ndate: 2026-01-10 09:30\ndraft: true\n",
	"title: Draft\ndate: 2026-01-10\ndraft: False\n",
	"title: T\ndate: 2026-01-10\ndraft: yes\n",
	"title: T\ndate: 2026-01-10\ndraft: \"true\"\n",
	"title: null\ndate: 2026-01-10\n",
	"title: Null\n",
	"title: T\ndate: 2026-01-10\ntags: []\ncategories: [ ]\naliases: [/old/x/]\n",
	"title: T\ndate: 2026-01-10\ntags: [ a , b ]\n",
	"title: T\ndate: nope\n",
	"title: T\ndate:\n",
	"title: T\ndate: 2026-13-45\n",
	"title:\ndate: 2026-01-10\n",
	"title: 12:30 à Lyon\ndate: 2026-01-10\n",
	"title: Quoi ? Pourquoi?\ndate: 2026-01-10\n",
	"title: Bonjour, monde!\ndate: 2026-01-10\n",
	"title: a#b\ndate: 2026-01-10\n",
	"title: « Titre »\ndate: 2026-01-10\n",
	"title: T\ndate: 2026-01-10\nstatus: approved\nkind: comment\nreply_to: c-1\nmember: ann\nemail: \"a@example.org\"\nip: 203.0.113.1\n",
	"title: T\ndate: 2026-01-10\nstatus: bogus\n",
	"title: T\ndate: 2026-01-10\nissue: 3\n",
	"title: T\ndate: 2026-01-10\nissue: trois\n",
	"title: T\n\n\ndate: 2026-01-10\n# comment\nslug: t\n",
	"name: Ann\nrole: admin\nwebsite: https://ann.example.org/\nbio: \"Anime le foyer.\"\n",
	"title: T\ndate: 2026-01-10\ntags: true\n",
	"title: T\ndate: 2026-01-10\ncategories: solo\n",
	"title: 2026\ndate: 2026-01-10\n",
	"title: T   \ndate: 2026-01-10\n",
	"title: T\ndate: 2026-01-10T09:00:00Z\nupdated: 2026-01-11\nlastmod: 2026-01-12\npublishDate: 2026-01-13\nexpiryDate: 2027-01-01\n",
}

// Front matter quickFront must leave to yaml.v3.
var yamlOnlyCases = []string{
	"title: T\nextra: 1\n",    // a Params key
	"title: T\ntitle: U\n",    // duplicate
	"title: \"a\\\"b\"\n",     // escape
	"title: 'it''s'\n",        // escaped quote
	"title: T # comment\n",    // trailing comment
	"title: \"T\" \n",         // space after a quoted value
	"tags:\n  - a\n  - b\n",   // block list
	"tags:\n\n  - a\n",        // block list after a blank line
	"title: >\n  folded\n",    // block scalar
	"title: a\n  continued\n", // multi-line plain scalar
	"title: ~\n",              // null by tilde
	"title: -x\n",             // indicator
	"title: *alias\n",         // alias
	"title: .inf\n",           // a dot
	"title: \tT\n",            // tab
	"title: T\r\n",            // carriage return
	"title: a: b\n",           // colon and space
	"title: a:\n",             // final colon
	"tags: [a, [b]]\n",        // nested list
	"tags: [a, b\n",           // unclosed list
	"tags: [a, b] x\n",        // text after a list
	"tags: [a, ]\n",           // trailing comma
	"tags: {a: b}\n",          // mapping
	" title: T\n",             // indented
	"Title: T\n",              // unknown key spelling
	"title: a\u0085b\n",       // NEL
	"title: a\u2028b\n",       // line separator
	"title: \ufeffT\n",        // byte order mark
	"---\ntitle: T\n",         // document marker
	"title: \"unclosed\n",     // unclosed quote
	"title: x\x01y\n",         // control character
	"title: [a]b\n",           // text after a list
	"title: a\"b\n",           // quote inside plain
	"tags: [Quoi?]\n",         // '?' in a list, which yaml.v3 refuses
	"tags: [a ?b, c]\n",       // again
	"reply-to: c-1\n",         // hyphen in a key
	"title: T\n" + strings.Repeat("slug: s\n", 2), // duplicate again
}

func TestQuickFrontMatchesYAML(t *testing.T) {
	for _, front := range quickCases {
		for _, kind := range []Kind{Article, Contribution, Member} {
			if !sameAsYAML(t, kind, front) {
				t.Errorf("quickFront left to yaml.v3:\n%s", front)
			}
		}
	}
	for _, front := range yamlOnlyCases {
		if _, ok := quickFront([]byte(front)); ok {
			t.Errorf("quickFront read what it should leave to yaml.v3:\n%q", front)
		}
	}
}

// Every file of the benchmark's generator and what foyer's own writer
// makes are read quickly, and the same as yaml.v3 reads them.
func TestQuickFrontReadsGeneratedFiles(t *testing.T) {
	fsys := synth.MapFS(synth.Options{Articles: 40, Contributions: 200, Members: 10})
	n := 0
	for p, f := range fsys {
		kind := Classify(p)
		if kind == 0 {
			continue
		}
		front := f.Data
		if kind != Member {
			var err error
			if front, _, _, err = Split(f.Data); err != nil {
				t.Fatal(p, err)
			}
		}
		if !sameAsYAML(t, kind, string(front)) {
			t.Errorf("%s: left to yaml.v3:\n%s", p, front)
		}
		n++
	}
	if n < 250 {
		t.Fatalf("only %d content files", n)
	}
	date := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	for kind, m := range map[Kind]Meta{
		Article:      {Title: "Un titre : avec deux-points", Date: date, Author: "ann", Categories: []string{"Éthique"}, Tags: []string{"a", "b"}, Draft: true},
		Contribution: {Member: "ann", Email: "a@example.org", IP: "203.0.113.9", Date: date, Status: "pending", Kind: "comment", ReplyTo: "c-1"},
	} {
		data, err := Encode(kind, m, []byte("Texte.\n"))
		if err != nil {
			t.Fatal(err)
		}
		front, _, _, err := Split(data)
		if err != nil {
			t.Fatal(err)
		}
		if !sameAsYAML(t, kind, string(front)) {
			t.Errorf("Encode's %s front matter left to yaml.v3:\n%s", kind, front)
		}
	}
}

func FuzzQuickFront(f *testing.F) {
	for _, s := range append(append([]string(nil), quickCases...), yamlOnlyCases...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, front string) {
		if !utf8.ValidString(front) {
			return // Parse refuses such a file before reading its front matter
		}
		sameAsYAML(t, Article, front)
	})
}
