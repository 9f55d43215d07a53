package markdown

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from the current code")

// fence returns a fenced code block with info string info.
func fence(info, body string) string { return "```" + info + "\n" + body + "```\n" }

// goldenCases are hand-written documents for the code highlighting: the
// languages Foyer's authors use most, the fallbacks, and the awkward
// characters and line endings.
var goldenCases = []struct{ name, src string }{
	{"go", fence("go", "package main\n\nimport \"fmt\"\n\n// Pair holds two values.\ntype Pair[K comparable, V any] struct {\n\tKey K\n\tVal V\n}\n\nfunc main() {\n\tr := 'é'\n\ts := `raw <b>` + \"x\\n\"\n\tfor i := range 3 {\n\t\tfmt.Println(i, r, s, 0x1F, 3.5e-2)\n\t}\n}\n")},
	{"python", fence("python", "@dataclass\nclass Membre:\n    \"\"\"Un membre du foyer.\"\"\"\n    nom: str\n    age: int = 0\n\n    def salut(self) -> str:\n        return f\"Bonjour {self.nom!r} & <bienvenue>\"  # commentaire\n\nprint([m.salut() for m in membres if m.age >= 18], end='')\n")},
	{"js", fence("js", "const re = /<[^>]+>/g;\nexport async function charge(id) {\n  const r = await fetch(`/api/${id}?a=1&b=2`);\n  return r.ok ? r.json() : null; // \"rien\"\n}\nclass A extends B { #x = 1; get x() { return this.#x; } }\n")},
	{"bash", fence("bash", "#!/bin/bash\nset -eu\nfor f in *.md; do\n  echo \"$f: $(wc -l < \"$f\")\" >> rapport.txt 2>&1\ndone\ncat <<EOF\nfin & 'suite'\nEOF\n[[ -n \"${X:-}\" ]] && exit 1\n")},
	{"yaml", fence("yaml", "# réglages\nbase: &base\n  lang: fr\n  title: \"Mon <foyer>\"\nprod:\n  <<: *base\n  paginate: 10\n  tags: [a, 'b', \"c\"]\ntexte: |\n  ligne 1\n  ligne 2\nvide: ~\n")},
	{"html", fence("html", "<!doctype html>\n<html lang=\"fr\">\n<head><style>p { color: red; }</style></head>\n<body>\n  <p class=\"a\" data-x='1'>Bonjour &amp; bienvenue&nbsp;!</p>\n  <!-- commentaire -->\n  <script>if (a < b && c > d) alert(\"x\");</script>\n</body>\n</html>\n")},
	{"css", fence("css", "@import url(\"base.css\");\n:root { --a: #fff; }\nbody > p:first-child::before { content: \"» \"; margin: 0 auto !important; }\n@media (max-width: 40em) { .x { display: none } }\n")},
	{"sql", fence("sql", "-- audience\nSELECT a.slug, count(*) AS n\nFROM articles a LEFT JOIN vues v ON v.article = a.id\nWHERE a.titre LIKE '%l''été%' AND n > 10\nGROUP BY a.slug HAVING count(*) >= 2;\n")},
	{"json", fence("json", "{\n  \"nom\": \"Foyer <test>\",\n  \"n\": -12.5e3,\n  \"ok\": true,\n  \"rien\": null,\n  \"liste\": [1, \"deux\", {\"trois\": 3}]\n}\n")},
	{"diff", fence("diff", "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n contexte\n-ancien <a>\n+nouveau & \"mieux\"\n")},
	{"unknown-language", fence("klingon", "Qapla' <b>&amp;</b> \"x\"\n\tindenté\n")},
	{"no-language", fence("", "brut <b>&amp;</b> \"x\" 'y'\n\tindenté\n")},
	{"empty-blocks", fence("go", "") + "\n" + fence("", "") + "\n" + fence("klingon", "") + "\n" + fence("python", "\n\n")},
	{"special-characters", fence("go", "// <script>alert('x')</script> & \"co\"\nx := \"<>&\\\"'\"\ny := '<'\n") + fence("", "<>&\"'\n") + fence("html", "<a title=\"&quot;'\">&lt;&amp;&gt;</a>\n")},
	{"tabs", fence("go", "func f() {\n\tif x {\n\t\treturn\t// fin\n\t}\n}\n") + fence("python", "def f():\n\treturn 1\n") + "- liste\n\n\t```go\n\tfunc g() {\n\t\treturn\n\t}\n\t```\n"},
	{"crlf", strings.ReplaceAll("Texte.\n\n"+fence("go", "func main() {\n\tprintln(\"a\")\n}\n")+"\n"+fence("python", "x = 1\ny = 'é'\n")+"\n"+fence("", "brut\n\nligne\n"), "\n", "\r\n")},
	{"trailing-spaces", fence("go", "x := 1   \n  \n\ty := 2\t\n   ") + fence("", "a  \n   \n") + fence("yaml", "a: 1  \n")},
	{"unicode", fence("go", "s := \"é漢字🙂\u202f«»\" // café\nvar π = 3.14\n") + fence("python", "été = \"ĉu\"\nprint(été, '→')\n") + fence("", "λ → ∀ 🙂\n")},
	{"names-and-aliases", fence("Go", "x := 1\n") + fence("PYTHON", "x = 1\n") + fence("golang", "x := 1\n") + fence("py", "x = 1\n") +
		fence("sh", "echo $x\n") + fence("javascript", "let x = 1;\n") + fence("main.go", "x := 1\n") + fence("Dockerfile", "FROM alpine\nRUN echo x\n") +
		fence("text", "plain <x>\n") + fence("plaintext", "plain\n") + fence("php", "<?php echo \"<b>\" . $x; ?>\n<p>html</p>\n") +
		fence("markdown", "# Titre\n\n*gras* `code`\n") + fence("go-html-template", "<p>{{ .Title }}</p>\n") + fence("console", "$ ls -l\ntotal 0\n") +
		fence("go title=\"main.go\"", "x := 1\n") + fence("c++", "int main() { return 0; }\n") + fence("rust", "fn main() { println!(\"x\"); }\n")},
	{"info-attributes", fence("go {hl_lines=[2,\"3-4\"]}", "a := 1\nb := 2\nc := 3\nd := 4\ne := 5\n") +
		fence("go {linenos=table}", "a := 1\nb := 2\n") + fence("go {linenos=inline, linenostart=5}", "a := 1\nb := 2\n") +
		fence("go {linenos=true}", "a := 1\n") + fence("go {linenos=false}", "a := 1\n") + fence("go {nohl}", "a := <1>\n") +
		fence("python {hl_style=monokai}", "x = 1\n") + fence("klingon {linenos=true}", "x\n") + fence("go{linenos=true}", "x := 1\n") +
		fence("go {", "x := 1\n") + fence("go {hl_lines=[1] linenos=table linenostart=10}", "a := 1\nb := 2\n") +
		fence("go {linenostart=3 hl_lines=[1,\"2-x\",\"4\"]}", "a\nb\nc\nd\n") + fence("{linenos=true}", "x\n") +
		fence("go {nohl=true}", "a := <1>\n") + fence("go {hl_lines=[]}", "a\n") + fence("go {linenos=inline}", "a\nb\n") +
		fence("go {linenos=\"yes\"}", "a\n") + fence("go {.wide #code}", "a\n") + fence("go {linenostart=2.7 linenos=true hl_lines=[1]}", "a\nb\n") +
		fence("go {linenos=null linenostart=\"3\" hl_lines=\"1-2\"}", "a\n") + fence("go {linenos=table hl_lines=[\"1-\", 2]}", "a\nb\nc\n") +
		fence("go {linenos=table}", "")},
	{"info-escapes", fence(`c\+\+`, "x\n") + fence("f&amp;b", "x\n") + fence(`x"y<z>`, "x\n") + "~~~ a`b\nx\n~~~\n"},
	{"fence-forms", "~~~go\nx := 1\n~~~\n\n````go\n```\nx\n```\n````\n\n   ```go\n   x := 1\n     y := 2\n   ```\n\n> ```go\n> x := 1\n> ```\n\n1. item\n\n   ```python\n   x = 1\n   ```\n\n    indented := \"code\"\n"},
	{"unterminated", "Texte.\n\n```go\nfunc main() {\n\tx := 1"},
	{"no-final-newline", "```go\nx := 1\n```"},
	{"long-tokens", fence("go", "s := \""+strings.Repeat("a", 9000)+"\"\n// "+strings.Repeat("b<", 5000)+"\n") + fence("", strings.Repeat("c&", 5000)+"\n")},
	{"odd-bytes", fence("go", "x := \"a\x00b\"\ny := \"\xff\xfe\"\n") + fence("", "\xff<\n")},
	{"summary-with-code", "Intro.\n\n" + fence("go", "x := 1\n") + "\n<!--more-->\n\nSuite.\n\n" + fence("python", "y = 2\n")},
	{"code-first", fence("go", "x := 1\n") + "\nPremier paragraphe : après le code.\n"},
}

// goldenInputs returns the hand-written cases and the documents of
// testdata/corpus (demo articles, synthetic articles and contributions,
// a code-heavy article) without their front matter.
func goldenInputs(t *testing.T) []struct{ name, src string } {
	t.Helper()
	inputs := append([]struct{ name, src string }(nil), goldenCases...)
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in testdata/corpus: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, struct{ name, src string }{
			"corpus-" + strings.TrimSuffix(filepath.Base(f), ".md"), stripFrontMatter(string(data))})
	}
	return inputs
}

func stripFrontMatter(s string) string {
	if rest, ok := strings.CutPrefix(s, "---\n"); ok {
		if _, body, ok := strings.Cut(rest, "\n---\n"); ok {
			return body
		}
	}
	return s
}

// renderGolden renders src as an author's document (HTML and summary)
// and as a contribution, which are highlighted too.
func renderGolden(c *Converter, src string) (string, error) {
	doc, err := c.Convert([]byte(src))
	if err != nil {
		return "", err
	}
	contribution, err := c.Contribution([]byte(src))
	if err != nil {
		return "", err
	}
	if contribution == doc.HTML {
		contribution = "(same as html)\n"
	}
	return "<!-- html -->\n" + doc.HTML + "\n<!-- summary -->\n" + doc.SummaryHTML +
		"\n<!-- contribution -->\n" + contribution, nil
}

// TestGolden compares the rendering of every input with the output of
// the code as it was when the golden files were written (with
// goldmark-highlighting); run with -update only to record a deliberate
// change of output.
func TestGolden(t *testing.T) {
	c := New(Options{Lang: "fr"})
	highlighted := 0
	for _, in := range goldenInputs(t) {
		got, err := renderGolden(c, in.src)
		if err != nil {
			t.Fatalf("%s: %v", in.name, err)
		}
		highlighted += strings.Count(got, `<pre class="chroma">`)
		path := filepath.Join("testdata", "golden", in.name+".html")
		if *updateGolden {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run go test -run TestGolden -update to record)", in.name, err)
			continue
		}
		if got != string(want) {
			t.Errorf("%s: output differs from %s\n%s", in.name, path, firstDifference(got, string(want)))
		}
	}
	// The corpus must exercise the highlighter, or the test proves nothing.
	if highlighted < 100 {
		t.Errorf("only %d highlighted blocks in the golden corpus", highlighted)
	}
}

// firstDifference shows where got and want first differ, with context.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d:\n got …%q\nwant …%q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}
