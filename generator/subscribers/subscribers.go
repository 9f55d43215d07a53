// Package subscribers reads and changes the newsletter's subscribers
// file: a CSV file with a header row, `email` required, `name` and
// `status` optional, other columns kept as attributes. Invalid addresses
// and duplicates are reported with their line and skipped, but never
// dropped from the file: Update rewrites every row it read, under an
// exclusive lock, atomically (temporary file, fsync, rename), so that
// concurrent writers lose nothing and a crash leaves the old file or the
// new one.
package subscribers

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"strings"

	"github.com/foyerhub/foyer/generator/atomicfile"
	"github.com/foyerhub/foyer/generator/diag"
)

// The statuses of a subscriber.
const (
	Subscribed   = "subscribed"
	Unsubscribed = "unsubscribed"
	Pending      = "pending"
	Bounced      = "bounced"
)

// Subscriber is one valid row.
type Subscriber struct {
	Email  string
	Name   string
	Status string
	Attrs  map[string]string // other columns
	Line   int
	row    int // index in List.rows
}

// List is a subscribers file: every row as read, and the valid ones.
type List struct {
	Path        string
	header      []string
	rows        [][]string
	Subscribers []*Subscriber
	byEmail     map[string]*Subscriber
}

// ErrNoEmailColumn is returned for a file whose header has no email.
var ErrNoEmailColumn = errors.New("header has no email column")

// Read reads the subscribers file at path. A missing file is an empty
// list. problems lists skipped rows, each with its line.
func Read(path string) (*List, []error, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &List{Path: path, header: []string{"email", "name", "status"}, byEmail: map[string]*Subscriber{}}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return Parse(path, f)
}

// Parse reads a subscribers file from r; path names it in messages.
func Parse(path string, r io.Reader) (*List, []error, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	l := &List{Path: path, byEmail: make(map[string]*Subscriber)}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		l.header = []string{"email", "name", "status"}
		return l, nil, nil
	}
	if err != nil {
		return nil, nil, csvError(path, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	l.header = header
	if l.col("email") < 0 {
		return nil, nil, diag.Errorf(path, 1, 0, "%v (expected a first row such as email,name,status)", ErrNoEmailColumn)
	}
	var problems []error
	for {
		line, _ := cr.FieldPos(0)
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, problems, csvError(path, err)
		}
		l.rows = append(l.rows, rec)
		if p := l.index(len(l.rows)-1, line+1); p != nil {
			problems = append(problems, p)
		}
	}
	return l, problems, nil
}

func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return diag.Errorf(path, pe.Line, pe.Column, "CSV: %v", pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

func (l *List) col(name string) int {
	for i, h := range l.header {
		if h == name {
			return i
		}
	}
	return -1
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// index validates row i (at line) and adds it to the valid subscribers.
func (l *List) index(i, line int) error {
	rec := l.rows[i]
	email := field(rec, l.col("email"))
	if err := ValidEmail(email); err != nil {
		return diag.Errorf(l.Path, line, 0, "email %q: %v: row skipped", email, err)
	}
	key := strings.ToLower(email)
	if first, dup := l.byEmail[key]; dup {
		return diag.Errorf(l.Path, line, 0, "email %q already on line %d: row skipped", email, first.Line)
	}
	status := strings.ToLower(field(rec, l.col("status")))
	switch status {
	case "":
		status = Subscribed
	case Subscribed, Unsubscribed, Pending, Bounced:
	default:
		return diag.Errorf(l.Path, line, 0, "status %q: expected subscribed, unsubscribed, pending or bounced: row skipped", status)
	}
	s := &Subscriber{Email: email, Name: field(rec, l.col("name")), Status: status, Line: line, row: i, Attrs: map[string]string{}}
	for j, h := range l.header {
		if h != "email" && h != "name" && h != "status" && h != "" {
			s.Attrs[h] = field(rec, j)
		}
	}
	l.Subscribers = append(l.Subscribers, s)
	l.byEmail[key] = s
	return nil
}

// ValidEmail checks a bare address: no display name, no line breaks.
func ValidEmail(email string) error {
	if email == "" {
		return errors.New("empty address")
	}
	if len(email) > 254 || strings.ContainsAny(email, "\r\n\t <>\"(),;:\\") {
		return errors.New("not a valid address")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return errors.New("not a valid address")
	}
	return nil
}

// Find returns the subscriber with that address, case-insensitively.
func (l *List) Find(email string) *Subscriber {
	return l.byEmail[strings.ToLower(strings.TrimSpace(email))]
}

// Active returns the subscribers who receive issues.
func (l *List) Active() []*Subscriber {
	var out []*Subscriber
	for _, s := range l.Subscribers {
		if s.Status == Subscribed {
			out = append(out, s)
		}
	}
	return out
}

// Add appends a subscriber; it returns the existing one for a known
// address, unchanged.
func (l *List) Add(email, name, status string) (*Subscriber, error) {
	if s := l.Find(email); s != nil {
		return s, nil
	}
	if err := ValidEmail(email); err != nil {
		return nil, fmt.Errorf("email %q: %w", email, err)
	}
	for _, col := range []string{"name", "status"} {
		if l.col(col) < 0 {
			l.header = append(l.header, col)
		}
	}
	rec := make([]string, len(l.header))
	rec[l.col("email")], rec[l.col("name")], rec[l.col("status")] = email, name, status
	l.rows = append(l.rows, rec)
	if err := l.index(len(l.rows)-1, len(l.rows)+1); err != nil {
		l.rows = l.rows[:len(l.rows)-1]
		return nil, err
	}
	return l.byEmail[strings.ToLower(email)], nil
}

// SetStatus changes a subscriber's status; false when the address is
// not on the list.
func (l *List) SetStatus(email, status string) bool {
	s := l.Find(email)
	if s == nil {
		return false
	}
	if l.col("status") < 0 {
		l.header = append(l.header, "status")
	}
	rec := l.rows[s.row]
	for len(rec) < len(l.header) {
		rec = append(rec, "")
	}
	rec[l.col("status")] = status
	l.rows[s.row] = rec
	s.Status = status
	return true
}

// Encode writes the whole file: header, then every row read or added.
func (l *List) Encode() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(l.header); err != nil {
		return nil, err
	}
	for _, rec := range l.rows {
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// Update changes the file at path under an exclusive lock: it reads the
// current file, calls fn, and when fn returns nil writes the result
// atomically. Concurrent Updates, in this process or others, run one
// after the other.
func Update(ctx context.Context, path string, fn func(*List) error) error {
	unlock, err := lock(ctx, path+".lock")
	if err != nil {
		return err
	}
	defer unlock()
	l, _, err := Read(path)
	if err != nil {
		return err
	}
	if err := fn(l); err != nil {
		return err
	}
	data, err := l.Encode()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o600)
}

// Token returns a per-address token for purpose ("unsubscribe",
// "confirm"): an HMAC of the lower-cased address with secret. It holds
// no address in clear and cannot be made without the secret.
func Token(secret []byte, purpose, email string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

// ByToken returns the subscriber a token was made for, or nil.
func (l *List) ByToken(secret []byte, purpose, token string) *Subscriber {
	if len(token) != 24 {
		return nil
	}
	for _, s := range l.Subscribers {
		if hmac.Equal([]byte(Token(secret, purpose, s.Email)), []byte(token)) {
			return s
		}
	}
	return nil
}
