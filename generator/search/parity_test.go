package search_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/search"
)

// scriptPath is the theme's search script, which carries the browser
// copy of the analyser.
var scriptPath = filepath.Join("..", "..", "themes", "default", "static", "js", "search.js")

type phrase struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// parityPhrases are testdata/phrases.txt, plus lines that exercise every
// entry of the fold table, every stop word and every elision, so that a
// table edited on one side only is caught.
func parityPhrases(t *testing.T) []phrase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "phrases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []phrase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "en: "); ok {
			out = append(out, phrase{"en", rest})
		} else {
			out = append(out, phrase{"fr", line})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for r := range search.Folds {
		keys = append(keys, string(r)+"x"+string(r), strings.ToUpper(string(r))+"mot")
	}
	sort.Strings(keys)
	for _, lang := range []string{"fr", "en"} {
		out = append(out, phrase{lang, strings.Join(keys, " ")})
		var stops []string
		for w := range search.StopWords[lang] {
			stops = append(stops, w, w+"s", "x"+w)
		}
		sort.Strings(stops)
		out = append(out, phrase{lang, strings.Join(stops, " ")})
	}
	for e := range search.Elisions {
		out = append(out, phrase{"fr", e + "’arbre " + e + "'ours " + strings.ToUpper(e) + "‘ÉTÉ " + e + "ʼile"})
	}
	return out
}

// jsAnalyse runs search.js in node on every phrase.
func jsAnalyse(t *testing.T, phrases []phrase) [][]string {
	t.Helper()
	node := sitetest.NeedTool(t, "node", "nodejs")
	in, err := json.Marshal(phrases)
	if err != nil {
		t.Fatal(err)
	}
	const harness = `const s = require(process.argv[1]); let inp = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => inp += d);
process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(inp).map(p => s.analyse(p.text, p.lang)))));`
	abs, err := filepath.Abs(scriptPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", harness, abs)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got [][]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output: %v\n%s", err, out)
	}
	if len(got) != len(phrases) {
		t.Fatalf("node analysed %d phrases, want %d", len(got), len(phrases))
	}
	return got
}

func TestAnalyserParity(t *testing.T) {
	phrases := parityPhrases(t)
	js := jsAnalyse(t, phrases)
	nonEmpty := 0
	for i, p := range phrases {
		want := search.NewAnalyser(p.Lang).Analyse(p.Text)
		if len(want) > 0 {
			nonEmpty++
		}
		got := js[i]
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s %q:\n  Go: %q\n  JS: %q", p.Lang, p.Text, want, got)
		}
	}
	if nonEmpty < len(phrases)/2 {
		t.Errorf("only %d of %d phrases give tokens: the phrase list is not testing much", nonEmpty, len(phrases))
	}
}

// The script checks the manifest's versions against its own.
func TestScriptVersions(t *testing.T) {
	src, err := os.ReadFile(scriptPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ANALYSER = 1,", "FORMAT = 1,", "MAX_TOKEN = 40,"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("search.js lacks %q: bump it with search.AnalyserVersion (%d), search.Format (%d), search.MaxTokenLen (%d)", want, search.AnalyserVersion, search.Format, search.MaxTokenLen)
		}
	}
	if search.AnalyserVersion != 1 || search.Format != 1 || search.MaxTokenLen != 40 {
		t.Errorf("versions changed: update search.js and this test together")
	}
}

// search.js ranks as the Go reference does, on the ranking fixture and
// on a chunked index; a trailing space marks each query as finished.
func TestRankingParity(t *testing.T) {
	node := sitetest.NeedTool(t, "node", "nodejs")
	abs, err := filepath.Abs(scriptPath)
	if err != nil {
		t.Fatal(err)
	}
	idx := search.Build(rankingDocs(), search.Options{Lang: "fr", ChunkBytes: 64})
	chunks := map[string]json.RawMessage{}
	urls := map[string]string{}
	for _, f := range idx.Files {
		if strings.HasPrefix(f.Path, "t/") {
			chunks[strings.TrimSuffix(strings.TrimPrefix(f.Path, "t/"), ".json")] = f.Data
		}
		if strings.HasPrefix(f.Path, "d/") {
			var d search.DocFile
			if err := json.Unmarshal(f.Data, &d); err != nil {
				t.Fatal(err)
			}
			urls[strings.TrimSuffix(strings.TrimPrefix(f.Path, "d/"), ".json")] = d.URL
		}
	}
	queries := []string{"modérations", "crise modération", "l’art de la crise", "nouvelles", "rien", "pamplemousse"}
	in, _ := json.Marshal(map[string]any{"manifest": idx.Manifest, "chunks": chunks, "queries": queries})
	const harness = `const s = require(process.argv[1]); let inp = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => inp += d);
process.stdin.on('end', () => {
  const x = JSON.parse(inp), m = x.manifest;
  process.stdout.write(JSON.stringify(x.queries.map(q => {
    const groups = s.parse(q + ' ', m.lang);
    groups.forEach(g => { g.chunks = [s.chunkOf(m.chunks, g.term)]; });
    return s.rank(groups, x.chunks).map(r => r.id);
  })));
});`
	cmd := exec.Command(node, "-e", harness, abs)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got [][]int
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node output %s: %v", out, err)
	}
	if len(idx.Manifest.Chunks) < 3 {
		t.Fatalf("%d chunks: the fixture should span several", len(idx.Manifest.Chunks))
	}
	for i, q := range queries {
		var js []string
		for _, id := range got[i] {
			js = append(js, urls[strconv.Itoa(id)])
		}
		if want := search.Query(idx, q); !slices.Equal(js, want) {
			t.Errorf("%q: JS ranks %q, Go %q", q, js, want)
		}
	}
}
