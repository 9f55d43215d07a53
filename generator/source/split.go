package source

import (
	"bytes"

	"github.com/foyerhub/foyer/generator/diag"
)

// Split cuts a file into its YAML front matter and its body. The file must
// open with a line "---" and the front matter ends at the next line "---"
// (or "..."). bodyLine is the 1-based line where the body starts. Errors
// are *diag.Error with an empty Path for the caller to fill.
func Split(data []byte) (front, body []byte, bodyLine int, err error) {
	first, rest, ok := cutLine(data)
	if !ok && len(first) == 0 || string(bytes.TrimRight(first, " \t")) != "---" {
		return nil, nil, 0, diag.Errorf("", 1, 1, "front matter: expected the file to start with a line \"---\"")
	}
	line := 2
	start := rest
	offset := 0
	for len(rest) > 0 {
		l, next, _ := cutLine(rest)
		trimmed := string(bytes.TrimRight(l, " \t"))
		if trimmed == "---" || trimmed == "..." {
			return start[:offset], next, line + 1, nil
		}
		offset += len(rest) - len(next)
		rest = next
		line++
	}
	return nil, nil, 0, diag.Errorf("", 1, 1, "front matter: no closing line \"---\" (expected one after the YAML fields)")
}

// cutLine returns the first line without its end (\n or \r\n), the rest,
// and whether a line end was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}
