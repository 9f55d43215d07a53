// Package diag carries positioned diagnostics: an Error names a file, a
// line and a column, and a List gathers every error of a run so that a
// build reports all its problems at once.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is a problem found at a position in a file. Line and Col are
// 1-based; zero means unknown.
type Error struct {
	Path string
	Line int
	Col  int
	Err  error
}

// Errorf returns an *Error at path:line:col with a formatted message.
func Errorf(path string, line, col int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Col: col, Err: fmt.Errorf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if e.Path != "" {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// List is a set of errors reported together. The zero value is ready.
type List []error

// Add appends err unless it is nil; a List is flattened into l.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	var sub List
	if errors.As(err, &sub) {
		*l = append(*l, sub...)
		return
	}
	*l = append(*l, err)
}

// Err returns nil for an empty list, the list sorted by position otherwise.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	sorted := append(List(nil), l...)
	sort.SliceStable(sorted, func(i, j int) bool { return less(sorted[i], sorted[j]) })
	return sorted
}

func less(a, b error) bool {
	var ea, eb *Error
	okA, okB := errors.As(a, &ea), errors.As(b, &eb)
	if !okA || !okB {
		return okA && !okB
	}
	if ea.Path != eb.Path {
		return ea.Path < eb.Path
	}
	if ea.Line != eb.Line {
		return ea.Line < eb.Line
	}
	return ea.Col < eb.Col
}

func (l List) Error() string {
	msgs := make([]string, len(l))
	for i, err := range l {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.Is and errors.As look into every error of the list.
func (l List) Unwrap() []error { return l }
