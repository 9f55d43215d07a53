package markdown

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// bienvenue is the snippet of BenchmarkGoLexer: chroma's Go lexer takes
// hundreds of allocations over it.
const bienvenue = "func bienvenue(nom string) string {\n\treturn \"Bienvenue, \" + nom + \" !\"\n}\n"

// goSamples exercise every rule of chroma's Go lexer and its edges, with
// whether lexGo must take them (fast) or leave them to chroma.
var goSamples = []lexSample{
	// Typical snippets.
	{bienvenue, true},
	{"package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(\"Bonjour\")\n\tos.Exit(0)\n}\n", true},
	{"type Point struct {\n\tX, Y int\n\tName string\n}\n\nfunc (p *Point) Norm() float64 {\n\treturn math.Sqrt(float64(p.X*p.X + p.Y*p.Y))\n}\n", true},
	{"type Shape interface {\n\tArea() float64\n\tfmt.Stringer\n}\n\nvar _ Shape = (*Circle)(nil)\n", true},
	{"for i, v := range items {\n\tif v == nil {\n\t\tcontinue\n\t} else if i > 10 {\n\t\tbreak\n\t}\n\tsum += len(v)\n}\n", true},
	{"switch x := f(); {\ncase x < 0:\n\tfallthrough\ncase x == 0:\n\treturn\ndefault:\n\tgoto end\n}\nend:\n", true},
	{"ch := make(chan int, 3)\ngo func() { ch <- 1 }()\nselect {\ncase v := <-ch:\n\tdefer close(ch)\n\t_ = v\n}\n", true},
	{"m := map[string][]int{\"a\": {1, 2}}\ns := append(m[\"a\"], 3)\nn := copy(s[1:], s)\ndelete(m, \"a\")\nclear(m)\nx := max(min(a, b), cap(s))\n", true},
	{"func Map[T, U any](s []T, f func(T) U) []U {\n\tr := make([]U, 0, len(s))\n\tfor _, v := range s {\n\t\tr = append(r, f(v))\n\t}\n\treturn r\n}\n", true},
	{"type Number interface {\n\t~int | ~int64 | ~float64\n}\n", true},
	{"if err != nil {\n\treturn fmt.Errorf(\"lire %s : %w\", nom, err)\n}\n", true},
	{"const (\n\tA = iota\n\tB\n)\nvar ok, no = true, false\n", true},
	{"defer func() {\n\tif r := recover(); r != nil {\n\t\tpanic(r)\n\t}\n}()\n", true},
	{"func main() {\n\tx := \"<a href='b'>&amp;</a>\" // é 🙂\n}\n", true},
	{"// Bienvenue dit bonjour à nom, en français.\nfunc bienvenue(nom string) string { return \"Bonjour, \" + nom + \" ! é\" }\n", true},

	// Strings, runes and their escapes.
	{`s := "a\"b\\c\n\t\x41\u00e9"`, true},
	{`r := []rune{'a', '\n', '\'', '"', '\\', '\x41', '\101', '\u00e9', '\U0001F600', 'é', '🙂'}`, true},
	{"'\n'", true},
	{`'''`, true},
	{`''`, true},
	{`'ab'`, true},
	{`'a`, true},
	{`'`, true},
	{`'\'`, true},
	{`'\400'`, true},
	{`'\1234'`, true},
	{`'\12'`, true},
	{`'\x4'`, true},
	{`'\x41`, true},
	{`'\u00e'`, true},
	{`'\z'`, true},
	{`'\`, true},
	{"\"multi\nline\"", true},
	{`"abc`, true},
	{`x := "abc\\`, true},
	{`"a\\\\b`, true},
	{`"` + strings.Repeat(`\`, 21) + "x", true},
	{`"a\"b" + "c"`, true},
	{`"a\"; t := "b"`, true},
	{`"a\"b`, false},
	{`"\"`, false},
	{"\"a\\\"\" x \"", true},
	{`"`, true},
	{`""`, true},
	{`"\`, true},

	// Numbers of every form.
	{"0x1F 0X_ff 0xg 0b101 0b2 0B101 017 0o17 089 08.5 0 00 0_7 0777i", true},
	{"1e10 1E+5 1e-5 1e 1e+ 1.5e-3i 1.5e3i 1.5e3 2i 1.i 1.e5 1. 3.14 6.02e23 0.5i 1e-3i 1e3i 1e+3i", true},
	{".5 .5e3 .5e-3i .5i .5e3i .e3 .5E+1 x.5 a.b", true},
	{"1_000 1_000.5 1__0 1_ 12if 1if 0x1Fif 1..2 1...2 5.Seconds()", true},
	{"x := 1e1000000000000000000000000000000000000000000000000000000000000000", true},

	// Comments.
	{"//x\n// x\n//\n//\tx\n///\n//é\n// é\n//\u00a0x\n//\u0085x\n", true},
	{"a /* b */ c\n/* multi\nline */\n/**/ /***/ /*/ x */ /* * / */", true},
	{"/\\\n* c *\\\n/ x", true},
	{"/* a *\\\nb */", true},
	{"/\\\nx", true},
	{"/* unclosed", true},
	{"/* a /* b /* c", true},
	{"x /= 2 / 3 /", true},
	{"// a comment at the end", true},
	{"//", true},
	{"/*", true},

	// Names, keywords, builtins and types.
	{"foo (x)\nfoo\n\t(y)\nfoo\t  \n (z)\n_foo(a) _(b) _ a1b2", true},
	{"len(x) len (x) len\nint(x) int (x) any(x) any string(b) error(nil) float(1) float32 new(T) newer(T) make", true},
	{"iffy gopher go goto forx ifelse nil_ true1 x.if int8x int8 uint64(1) complex128 complex(1, 2) real imag print println", true},
	{"import package importx var func struct map chan type interface const", true},
	{"break default select case defer else switch fallthrough range continue for return", true},
	{"true false iota nil", true},

	// Operators and punctuation.
	{"a &^= b &^ c <- d ... e <<= f >>= g << h >> i <= j >= k", true},
	{"a += b -= c *= d /= e %= f &= g |= h && i || j ++ -- == != := + - * / % &", true},
	{"-> .. ^x | ~int ! = < > ( ) [ ] { } . , ; : ^= |x|", true},

	// Characters that start no token.
	{"@ # $ ? \\ \x00 \x01 \x1c \x7f @@##", true},

	// White space, ends of input.
	{"", true},
	{"\n", true},
	{"\n\n\n", true},
	{" \n \n\t\n", true},
	{"x", true},
	{"x := 1", true},
	{"\tx\v:=\f1\n", true},
	{"no newline at the end <>&\"'\t", true},

	// Runs past the length at which chroma stops coalescing.
	{strings.Repeat("\n", 9000), true},
	{"\n" + strings.Repeat(" ", 9000) + "x", true},
	{strings.Repeat("@", 9000), true},
	{strings.Repeat("+", 9000), true},
	{strings.Repeat("// c\n", 3000), true},
	{"/*" + strings.Repeat("x", 9000) + "*/" + strings.Repeat("/**/", 3000), true},
	{"f" + strings.Repeat("\n", 9000) + "(x)", true},
	{strings.Repeat("x ", 5000), true},

	// Left to chroma.
	{"x := 1\r\ny := 2\r\n", false},
	{"x := 1\ry := 2", false},
	{"// \r\n", false},
	{"s := `raw`", false},
	{"// a `raw` string in a comment\n\"`\" '`'", true},
	{"é := 1", false},
	{"x := é", false},
	{"if\u00a0x", false},
	{"x\u00a0(", false},
	{"x := 1 // ok\ny := \u0660", false},
	{"\"\xff\"", false},
	{"// \xff", false},
	{"ifé", false},
}

func TestGoLexerMatchesChroma(t *testing.T) {
	checkSamples(t, lexGo, lexers.Go, goSamples)
	for _, code := range highlightSamples {
		checkFastLexer(t, lexGo, lexers.Go, code)
	}
}

// TestGoLexerFragments runs checkFastLexer on every pair of fragments,
// and every triple of the fragments of numbers, comments, strings and
// operators, where the rules of chroma meet each other's edges.
func TestGoLexerFragments(t *testing.T) {
	fragments := []string{
		" ", "\n", "\t", "x", "_", "if", "go", "to", "len", "int", "any", "nil",
		"func", "(", ")", ".", "..", "0", "1", "7", "8", "x1", "e", "E", "+",
		"-", "i", "b", "0x", "/", "*", "//", "/*", "*/", "\\", "\\\n", "\"",
		"'", "'a'", "<", "&", "^", "=", ":", "|", "@", "é", "`", "\r",
	}
	short := []string{"0", "1", "8", ".", "e", "+", "i", "x", "_", "(", " ", "\n", "/", "*", "\\", "\"", "'", "<", "-", "="}
	for _, a := range fragments {
		for _, b := range fragments {
			checkFastLexer(t, lexGo, lexers.Go, a+b)
		}
	}
	for _, a := range short {
		for _, b := range short {
			for _, c := range short {
				checkFastLexer(t, lexGo, lexers.Go, a+b+c)
			}
		}
	}
}

func FuzzGoLexer(f *testing.F) {
	for _, s := range goSamples {
		// The runs of 9000 bytes would have the fuzzer spend its time
		// minimising long inputs.
		if len(s.code) < 1000 {
			f.Add(s.code)
		}
	}
	for _, code := range highlightSamples {
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, code string) {
		// Chroma's string rule backtracks over the ways to pair the
		// backslashes of a string that does not close, in a time
		// exponential in their number, until its time limit: such
		// inputs would take the fuzzer's time.
		if strings.Count(code, `\\`) > 10 {
			t.Skip("too many backslashes for chroma")
		}
		checkFastLexer(t, lexGo, lexers.Go, code)
	})
}

func BenchmarkGoLexer(b *testing.B) { benchmarkFastLexer(b, lexGo, lexers.Go, bienvenue) }
