package moderation

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"

	"github.com/foyerhub/foyer/generator/atomicfile"
)

// ErrNoFrontMatter is returned by SetStatus for a file that does not
// open with a front matter block.
var ErrNoFrontMatter = errors.New("no front matter (expected the file to start with a line \"---\" and a closing \"---\")")

// statusLine matches a top-level status field: the key and its spacing,
// the value (quoted or not), then any spacing and comment, kept as is.
var statusLine = regexp.MustCompile(`^(status[ \t]*:[ \t]*)("[^"]*"|'[^']*'|[^ \t#]*)(.*)$`)

// SetStatus sets the status field of the content file at path. It
// replaces only the value on the status line, keeping its quotes, the
// trailing comment and the line ending; when there is no status line it
// inserts one after the front matter's last field. Every other byte stays
// as it was. The new file replaces the old in one rename, so a reader or
// a killed process sees one or the other, whole.
func SetStatus(path, status string) error {
	switch status {
	case "approved", "pending", "spam", "rejected":
	default:
		return fmt.Errorf("%s: status %q (expected approved, pending, spam or rejected)", path, status)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := withStatus(data, status)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(out, data) {
		return nil
	}
	return writeKeepingMode(path, out)
}

// withStatus returns data with its status set, or an error when data has
// no front matter.
func withStatus(data []byte, status string) ([]byte, error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	first := bytes.TrimPrefix(lines[0], []byte("\ufeff"))
	if string(bytes.TrimRight(first, " \t\r\n")) != "---" {
		return nil, ErrNoFrontMatter
	}
	eol := []byte("\n")
	if bytes.HasSuffix(lines[0], []byte("\r\n")) {
		eol = []byte("\r\n")
	}
	lastField := 0 // index of the last line that belongs to a field
	for i := 1; i < len(lines); i++ {
		body, end := cutEOL(lines[i])
		trimmed := string(bytes.TrimRight(body, " \t"))
		if trimmed == "---" || trimmed == "..." {
			return insertStatus(lines, lastField, eol, status), nil
		}
		if m := statusLine.FindSubmatchIndex(body); m != nil {
			value := body[m[4]:m[5]]
			repl := []byte(status)
			if len(value) > 0 && (value[0] == '"' || value[0] == '\'') {
				repl = append(append([]byte{value[0]}, repl...), value[0])
			}
			var line []byte
			line = append(line, body[:m[4]]...)
			if body[m[4]-1] == ':' { // "status:" alone: YAML needs a space
				line = append(line, ' ')
			}
			line = append(line, repl...)
			line = append(line, body[m[5]:]...)
			line = append(line, end...)
			lines[i] = line
			return bytes.Join(lines, nil), nil
		}
		if len(bytes.TrimSpace(body)) > 0 && !bytes.HasPrefix(bytes.TrimLeft(body, " \t"), []byte("#")) {
			lastField = i
		}
	}
	return nil, ErrNoFrontMatter
}

// insertStatus puts a status line after line index after.
func insertStatus(lines [][]byte, after int, eol []byte, status string) []byte {
	if !bytes.HasSuffix(lines[after], []byte("\n")) {
		lines[after] = append(bytes.Clone(lines[after]), eol...)
	}
	line := append([]byte("status: "+status), eol...)
	out := make([][]byte, 0, len(lines)+1)
	out = append(out, lines[:after+1]...)
	out = append(out, line)
	out = append(out, lines[after+1:]...)
	return bytes.Join(out, nil)
}

func cutEOL(line []byte) (body, end []byte) {
	n := len(line)
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return line[:n-2], line[n-2:]
	case bytes.HasSuffix(line, []byte("\n")):
		return line[:n-1], line[n-1:]
	}
	return line, nil
}

// writeKeepingMode replaces path atomically, keeping its permissions.
func writeKeepingMode(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, info.Mode().Perm())
}
