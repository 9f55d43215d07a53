package wordpress

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// maxBad is how many replaced bytes are reported one by one.
const maxBad = 20

type badByte struct {
	line, col int
	what      string
}

// cleanReader passes UTF-8 through and replaces each invalid byte and
// each control character XML forbids with U+FFFD, remembering where, so
// that one bad byte in a ten-year-old post does not stop the import of
// the posts after it.
type cleanReader struct {
	r       io.Reader
	in      []byte // read, not yet checked (an incomplete rune at most)
	out     []byte // checked, not yet returned
	eof     bool
	line    int
	col     int
	bad     []badByte
	dropped int
}

func newCleanReader(r io.Reader) *cleanReader {
	return &cleanReader{r: r, line: 1, col: 1}
}

func (c *cleanReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.eof && len(c.in) == 0 {
			return 0, io.EOF
		}
		if !c.eof {
			buf := make([]byte, 32*1024)
			n, err := c.r.Read(buf)
			c.in = append(c.in, buf[:n]...)
			if err == io.EOF {
				c.eof = true
			} else if err != nil {
				return 0, err
			}
		}
		c.check()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// check moves the complete runes of in to out.
func (c *cleanReader) check() {
	in := c.in
	i := 0
	for i < len(in) {
		b := in[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\n' && b != '\r' && b != '\t' {
				c.replace(fmt.Sprintf("control character 0x%02x not allowed in XML", b))
				i++
				continue
			}
			c.out = append(c.out, b)
			if b == '\n' {
				c.line, c.col = c.line+1, 1
			} else {
				c.col++
			}
			i++
			continue
		}
		if !c.eof && !utf8.FullRune(in[i:]) {
			break
		}
		r, size := utf8.DecodeRune(in[i:])
		if r == utf8.RuneError && size <= 1 {
			c.replace(fmt.Sprintf("invalid UTF-8 (byte 0x%02x)", b))
			i++
			continue
		}
		c.out = append(c.out, in[i:i+size]...)
		c.col += size
		i += size
	}
	c.in = append(c.in[:0], in[i:]...)
}

func (c *cleanReader) replace(what string) {
	if len(c.bad) < maxBad {
		c.bad = append(c.bad, badByte{c.line, c.col, what})
	} else {
		c.dropped++
	}
	c.out = append(c.out, "\uFFFD"...)
	c.col++
}
