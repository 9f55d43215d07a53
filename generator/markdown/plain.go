package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// parsePlain parses the commonest contribution without goldmark's
// parser: paragraphs of text with links [text](/path/), autolinks
// <https://…>, code spans `code` and emphasis *text* or **text**, and
// nothing else Markdown would read. It returns the tree goldmark's
// parser makes of src, as mergeText leaves it, or false for anything
// else, which then goes through goldmark. The parser is more than half of
// a contribution's conversion; the tree still renders through goldmark's
// renderer and the contributions' own (safe links, escaping, typography),
// so the HTML is the same either way (TestPlainParsesTheSame,
// TestPlainRandomTokens, FuzzPlainParsesTheSame also compare the trees).
//
// It leaves to goldmark any line that could start or be another block
// (a line must start with a letter, a byte of 0x80 or more, a quote, a
// parenthesis, emphasis before a letter, or digits no list marker
// follows), white space at a line's start or end, tabs and other control
// characters, any character another inline parser starts at ('_', '~',
// "![", '<' but for an autolink, brackets but for a link), escapes and
// entities ('\\', '&'), table cells ('|'), and links, code spans and
// emphasis of any other form than the plainest. It must only be used
// where linkify cannot find a link (see mayLinkify), since it makes none.
func parsePlain(src []byte) (*ast.Document, bool) {
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		return nil, false // a byte order mark
	}
	doc := ast.NewDocument()
	var para *ast.Paragraph
	prevEnd := 0 // where the paragraph's line before ends, before its newline
	for start := 0; start < len(src); {
		end, next := len(src), len(src)
		if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
			end, next = start+i, start+i+1
		}
		if end == start { // a blank line ends a paragraph
			closePlain(para, src)
			para, start = nil, next
			continue
		}
		if !plainLineStart(src[start:end]) || src[end-1] == ' ' {
			return nil, false
		}
		if para == nil {
			para = ast.NewParagraph()
			para.SetBlankPreviousLines(true) // as goldmark marks every paragraph
			doc.AppendChild(doc, para)
		} else if t, ok := para.LastChild().(*ast.Text); ok && t.Segment.Stop == prevEnd {
			t.SetSoftLineBreak(true) // the line before goes on
		} else {
			// After a link, an autolink, a code span or emphasis,
			// goldmark gives the break an empty text of its own.
			t := ast.NewTextSegment(text.NewSegment(prevEnd, prevEnd))
			t.SetSoftLineBreak(true)
			para.AppendChild(para, t)
		}
		if !plainInline(para, src, start, end) {
			return nil, false
		}
		para.Lines().Append(text.NewSegment(start, next)) // with its newline
		prevEnd, start = end, next
	}
	closePlain(para, src)
	return doc, true
}

// closePlain ends a paragraph as goldmark does: its last line loses its
// newline.
func closePlain(para *ast.Paragraph, src []byte) {
	if para == nil {
		return
	}
	lines := para.Lines()
	if last := lines.At(lines.Len() - 1); src[last.Stop-1] == '\n' {
		lines.Set(lines.Len()-1, last.WithStop(last.Stop-1))
	}
}

// plainLineStart reports whether a line starting so is a paragraph's
// line whatever comes before it, and starts no other block.
func plainLineStart(line []byte) bool {
	c := line[0]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c >= 0x80, c == '"', c == '\'', c == '(':
		return true
	case c == '*':
		// Emphasis, not a list item ("* ") nor a break ("***").
		i := 1
		if len(line) > 1 && line[1] == '*' {
			i = 2
		}
		return wordRune(line[i:])
	case '0' <= c && c <= '9':
		// "1." and "1)" start an ordered list.
		i := 0
		for i < len(line) && '0' <= line[i] && line[i] <= '9' {
			i++
		}
		return i == len(line) || (line[i] != '.' && line[i] != ')')
	}
	return false
}

// plainInline appends the inline nodes of the line src[start:end] to
// para, and reports false if the line holds anything but text, links,
// autolinks, code spans and emphasis with '*'.
func plainInline(para *ast.Paragraph, src []byte, start, end int) bool {
	from := start // where the current text run started
	flush := func(to int) {
		if to > from {
			para.AppendChild(para, ast.NewTextSegment(text.NewSegment(from, to)))
		}
	}
	for i := start; i < end; {
		var node ast.Node
		stop := 0
		switch c := src[i]; {
		case !notPlain[c]:
			i++
			continue
		case c == '`':
			code, ok := plainCodeSpan(src, i, end)
			if !ok {
				return false
			}
			n := ast.NewCodeSpan()
			n.AppendChild(n, ast.NewRawTextSegment(text.NewSegment(i+1, code-1)))
			node, stop = n, code
		case c == '[':
			label, dest, after, ok := plainLink(src, i, end)
			if !ok {
				return false
			}
			n := ast.NewLink()
			n.Destination = src[dest.Start:dest.Stop]
			n.AppendChild(n, ast.NewTextSegment(label))
			node, stop = n, after
		case c == '<':
			url, ok := plainAutoLink(src, i, end)
			if !ok {
				return false
			}
			node, stop = ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(url)), url.Stop+1
		case c == '*':
			inner, after, ok := plainEmphasis(src, start, i, end)
			if !ok {
				return false
			}
			n := ast.NewEmphasis(after - inner.Stop)
			n.AppendChild(n, ast.NewTextSegment(inner))
			node, stop = n, after
		case c == '!' && plainInlineByte(src, i, end): // no image follows
			i++
			continue
		default:
			return false
		}
		flush(i)
		node.SetPos(i) // where goldmark's inline parsers mark their nodes
		para.AppendChild(para, node)
		i, from = stop, stop
	}
	flush(end)
	return true
}

// plainInlineByte reports whether src[i], on a line ending at end, is text
// that no inline parser starts at ('!' is, when an image follows).
func plainInlineByte(src []byte, i, end int) bool {
	switch c := src[i]; {
	case !notPlain[c]:
		return true
	case c == '!':
		return i+1 >= end || src[i+1] != '['
	}
	return false
}

// notPlain marks the bytes that are not text by themselves: control
// characters, and those Markdown's inline syntax starts at, which
// plainInline reads or refuses.
var notPlain = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isControl(byte(c))
	}
	for _, c := range []byte("*_~<&\\|[]`!") {
		t[c] = true
	}
	return t
}()

// isControl reports whether c is an ASCII control character, which
// parsePlain leaves to goldmark wherever it is.
func isControl(c byte) bool { return c < 0x20 || c == 0x7f }

// plainText reports whether src[from:to] is plain text, and not empty.
func plainText(src []byte, from, to int) bool {
	for i := from; i < to; i++ {
		if !plainInlineByte(src, i, to) {
			return false
		}
	}
	return to > from
}

// plainCodeSpan reads the code span at src[at] == '`' on a line ending at
// end, and returns where it stops: one backtick on each side and code
// with no backtick, no control character, and no space at either end
// (which goldmark would strip).
func plainCodeSpan(src []byte, at, end int) (int, bool) {
	i := at + 1
	if i >= end || src[i] == '`' || src[i] == ' ' {
		return 0, false
	}
	for ; i < end && src[i] != '`'; i++ {
		if isControl(src[i]) {
			return 0, false
		}
	}
	if i >= end || src[i-1] == ' ' || (i+1 < end && src[i+1] == '`') {
		return 0, false
	}
	return i + 1, true
}

// plainLink reads the link [label](dest) at src[at] == '[' on a line
// ending at end: a label of plain text, and a destination of the
// characters a path or URL needs and no parenthesis, quote or space.
func plainLink(src []byte, at, end int) (label, dest text.Segment, stop int, ok bool) {
	i := at + 1
	for i < end && src[i] != ']' {
		i++
	}
	// goldmark takes labels of up to 999 bytes; longer ones are rare
	// enough to leave to it.
	if i+2 >= end || i-at > maxPlainLabel || src[i+1] != '(' || !plainText(src, at+1, i) {
		return label, dest, 0, false
	}
	j := i + 2
	for j < end && urlByte(src[j]) {
		j++
	}
	if j >= end || src[j] != ')' || j == i+2 {
		return label, dest, 0, false
	}
	return text.NewSegment(at+1, i), text.NewSegment(i+2, j), j + 1, true
}

// plainAutoLink reads the autolink <http://…> or <https://…> at
// src[at] == '<' on a line ending at end, and returns its URL.
func plainAutoLink(src []byte, at, end int) (text.Segment, bool) {
	i := at + 1
	switch {
	case bytes.HasPrefix(src[i:end], []byte("https://")):
		i += len("https://")
	case bytes.HasPrefix(src[i:end], []byte("http://")):
		i += len("http://")
	default:
		return text.Segment{}, false
	}
	for i < end && urlByte(src[i]) {
		i++
	}
	if i >= end || src[i] != '>' {
		return text.Segment{}, false
	}
	return text.NewSegment(at+1, i), true
}

// plainEmphasis reads the emphasis *text* or **text** at src[at] == '*'
// on the line src[start:end], and returns the text and where the closing
// run stops. It takes only runs CommonMark's flanking rules let only open
// or only close: the opening run after a space or the line's start and
// before a letter or digit, plain text, and the closing run either after
// a letter or digit and before the line's end or an ASCII byte that is
// neither a letter, a digit nor '_', or after ASCII punctuation and
// before a space or the line's end.
func plainEmphasis(src []byte, start, at, end int) (inner text.Segment, stop int, ok bool) {
	n := 1
	if at+1 < end && src[at+1] == '*' {
		n = 2
	}
	open := at + n
	if (at > start && src[at-1] != ' ') || open >= end || !wordRune(src[open:end]) {
		return inner, 0, false
	}
	shut := open // the closing run
	for shut < end && src[shut] != '*' {
		shut++
	}
	if shut+n > end || (n == 2 && src[shut+1] != '*') {
		return inner, 0, false
	}
	after := shut + n
	if (after < end && src[after] == '*') || !plainText(src, open, shut) {
		return inner, 0, false
	}
	last, _ := utf8.DecodeLastRune(src[open:shut])
	switch {
	case unicode.IsLetter(last) || unicode.IsDigit(last):
		if after < end && (src[after] >= 0x80 || isWordByte(src[after])) {
			return inner, 0, false
		}
	case last < 0x80 && last != ' ':
		if after < end && src[after] != ' ' {
			return inner, 0, false
		}
	default:
		return inner, 0, false
	}
	return text.NewSegment(open, shut), after, true
}

// wordRune reports whether b starts with a letter or a digit.
func wordRune(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// maxPlainLabel bounds the labels plainLink reads.
const maxPlainLabel = 500

// urlByte reports whether c may be in a plain link's destination.
func urlByte(c byte) bool {
	if isWordByte(c) { // letters, digits and '_'
		return true
	}
	switch c {
	case '-', '.', '~', '/', ':', '?', '#', '%', '=', '+', ',', ';':
		return true
	}
	return false
}
