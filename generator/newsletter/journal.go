package newsletter

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The journal's record kinds.
const (
	recSending = "sending" // the message is about to go out
	recSent    = "sent"    // the server accepted it
	recFailed  = "failed"  // the server refused it for good (5xx)
	recDefer   = "deferred"
)

// Journal is an issue's append-only send log, one line per event:
// "<kind> <address> <detail>". Each Record returns only once its line is
// on disk (fsync); concurrent Records share one fsync (group commit).
// A torn last line, from a crash mid-write, is ignored on reading.
type Journal struct {
	f *os.File

	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte
	seq     uint64 // records appended
	synced  uint64 // records on disk
	syncing bool
	err     error
}

// entry is the last state of one address in the journal.
type entry struct {
	kind   string
	detail string
	resent bool // it was "sending" in an earlier run
}

// OpenJournal opens (creating) the journal at path and reads what
// earlier runs recorded, by lower-cased address.
func OpenJournal(path string) (*Journal, map[string]*entry, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, err
	}
	state, err := readJournal(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	j := &Journal{f: f}
	j.cond = sync.NewCond(&j.mu)
	return j, state, nil
}

func readJournal(path string) (map[string]*entry, error) {
	state := make(map[string]*entry)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return state, nil
	}
	if err != nil {
		return nil, err
	}
	if i := strings.LastIndexByte(string(data), '\n'); i+1 < len(data) {
		data = data[:i+1] // a torn last line: the record never completed
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		kind, rest, _ := strings.Cut(sc.Text(), " ")
		addr, detail, _ := strings.Cut(rest, " ")
		if addr == "" {
			return nil, fmt.Errorf("%s:%d: expected \"<kind> <address> [detail]\"", path, line)
		}
		key := strings.ToLower(addr)
		e := state[key]
		if e == nil {
			e = &entry{}
			state[key] = e
		}
		switch kind {
		case recSending:
			if e.kind == recSending {
				e.resent = true
			}
		case recSent, recFailed, recDefer:
		default:
			return nil, fmt.Errorf("%s:%d: record %q: expected sending, sent, failed or deferred", path, line, kind)
		}
		e.kind, e.detail = kind, detail
	}
	return state, sc.Err()
}

// Record appends one line and returns once it is durable.
func (j *Journal) Record(kind, addr, detail string) error {
	line := kind + " " + addr
	if detail != "" {
		line += " " + clean(detail)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	j.buf = append(j.buf, line...)
	j.buf = append(j.buf, '\n')
	j.seq++
	mine := j.seq
	for j.synced < mine && j.err == nil {
		if j.syncing {
			j.cond.Wait()
			continue
		}
		// Lead a group commit: write and fsync everything appended so far.
		j.syncing = true
		buf, upto := j.buf, j.seq
		j.buf = nil
		j.mu.Unlock()
		_, err := j.f.Write(buf)
		if err == nil {
			err = j.f.Sync()
		}
		j.mu.Lock()
		j.syncing = false
		if err != nil {
			j.err = fmt.Errorf("journal %s: %w", j.f.Name(), err)
		} else {
			j.synced = upto
		}
		j.cond.Broadcast()
	}
	return j.err
}

// Close closes the journal file.
func (j *Journal) Close() error { return j.f.Close() }
