package markdown

import (
	"strings"
	"testing"
)

// yamlSamples exercise every rule of chroma's YAML lexer and the
// backtracking of its regular expressions, with whether lexYAML takes
// them (fast) or leaves them to chroma.
var yamlSamples = []lexSample{
	{"# extrait de foyer.yaml\ntitle: \"Mon foyer\"\npaginate: 10\ncomments:\n  per_page: 100\n", true},
	{"", true},
	{"\n", true},
	{"a: b", true},
	{"---\nkey: value\n...\n", true},
	{"--- x\n ---\n... y\n", true},
	{"- a\n- b: c\n  - d\n-e\n- \n", true},
	{"? x\n? - y\n?\n\n  - z\n?-\n", true},
	{"# c\n  #d\n// e\nf // g\nh # i # j\nk  #l\nm\t# n\n", true},
	{"x: a // b // c\ny: a # b // c\nz: a // b # c\n", true},
	{"!!str x\n!! y\n!x\n&anchor z\n& w\n*ref\n* v\nk: !!int 3\n", true},
	{"\"key\": v\n\"a\": \"b\": c\n\"\": x\n\"#\": y\n\"k\":v\n", true},
	{"a:b: c\na: b: c\n:x\n: y\na//b: c\na/b: c\n{a: b}\n[a, b]: c\n", true},
	{"a:\nb :\n c:\n", true},
	{"\"d:\n", false},
	{"v: true\nv: True\nv: TRUE\nv: truex\nv: yes\nv: n\nv: no\nv: nope\nv: On\nv: OFF\nv: y_\nv: Y.\n", true},
	{"s: \"a \\\" b\"\ns: 'a \\' b'\ns: \"multi\nline\"\ns: \"\\\n\"\ns: 'it''s'\n", true},
	{"d: 2024-01-31\nd: 2024-01-31T10:20:30\nd: 2024-01-31 10:20:30.5Z\nd: 2024-01-31T10:20:30 +02\nd: 2024-01-31T10:20:30\n-5\nd: 2024-01-31x\nd: 2024-1-31\n", true},
	{"n: 0x1f\nn: 0x1F\nn: 0x\nn: 0o17\nn: 0o8\nn: 12\nn: -12\nn: +1.5\nn: 1.5e3\nn: 1.5e+3\nn: 1e-3x\nn: .5\nn: 5.\nn: .inf\nn: -.nan\nn: 10s\nn: 1.5e3x\nn: 1.2.3\nn: v1\nn: 1_000\n", true},
	{"x: 3a\ny: 0x1g\nz: 1.e\nw: 2e\n", true},
	{"list: [1, 2, {a: b}]\nmap: {a: 1, b: [x]}\nq: ?x\nc: ,\ne: @x\nf: %x\ng: `x`\n", true},
	{"a: b\n\n\n   \t\n\v\fc: d\n", true},
	{"a:    b   \n", true},
	{"k: v #\nk: v  # c\n#\n", true},
	{"k: |\n  line\n  line\n", false},
	{"k: >-\n  folded\n", false},
	{"%include other.yaml\n", false},
	{"k: \"open\n", false},
	{"k: 'open \\' x\n", false},
	{"k: é\n", false},
	{"k: v\r\n", false},
}

func TestYAMLLexerMatchesChroma(t *testing.T) {
	checkSamples(t, lexYAML, chromaYAML, yamlSamples)
	for _, code := range highlightSamples {
		checkFastLexer(t, lexYAML, chromaYAML, code)
	}
	// Runs of one token type longer than lex coalesces into one token.
	// (Not of ? or [: chroma takes quadratic time over them.)
	for _, code := range []string{strings.Repeat("{", 9000), strings.Repeat("{", 8191) + "}}", strings.Repeat(" ", 9000) + "\n# x"} {
		if !checkFastLexer(t, lexYAML, chromaYAML, code) {
			t.Errorf("%.20q…: lexYAML left it to chroma", code)
		}
	}
}

func FuzzYAMLLexer(f *testing.F) {
	for _, s := range yamlSamples {
		f.Add(s.code)
	}
	for _, code := range highlightSamples {
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		checkFastLexer(t, lexYAML, chromaYAML, code)
	})
}

func BenchmarkYAMLLexer(b *testing.B) {
	benchmarkFastLexer(b, lexYAML, chromaYAML, yamlSamples[0].code)
}
