// Package serve is foyer serve: it keeps a built site in memory, serves
// it over HTTP on 127.0.0.1 by default, rebuilds it incrementally on
// every change that watch reports, and live-reloads the open pages over
// Server-Sent Events.
//
// Only served HTML gets the live-reload script; build output never does.
// A failed rebuild leaves the last good site in place and shows its
// error over the open pages until a good rebuild removes it. The server
// answers only with files of the built site: no path traversal, no
// dotfiles, no directory listings.
package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Reserved paths, under a name no site file can take (a folder starting
// with "_foyer" is served as the site's otherwise).
const (
	eventsPath = "/_foyer/events"
	scriptPath = "/_foyer/live.js"
)

//go:embed live.js
var liveJS []byte

// Server serves the current good build from memory and pushes changes to
// the open pages. Its methods are safe for concurrent use.
type Server struct {
	site atomic.Pointer[snapshot]

	mu      sync.Mutex
	clients map[chan []byte]struct{}
	err     string // the last failed rebuild's error, "" after a good one
}

// snapshot is one good build, never modified once published.
type snapshot struct {
	files   map[string][]byte
	version int
}

// NewServer returns a server with an empty site.
func NewServer() *Server {
	s := &Server{clients: make(map[chan []byte]struct{})}
	s.site.Store(&snapshot{files: map[string][]byte{}})
	return s
}

// event is what the open pages receive, as JSON.
type event struct {
	Type    string   `json:"type"` // hello, change, error
	Version int      `json:"version"`
	Paths   []string `json:"paths,omitempty"` // URL paths whose bytes changed
	Error   string   `json:"error,omitempty"`
}

// Update publishes a good build: files replace the site when full is
// set, else are laid over it, and removed are dropped. It returns the
// output paths whose bytes changed and tells the open pages.
func (s *Server) Update(files map[string][]byte, removed []string, full bool) []string {
	old := s.site.Load()
	next := &snapshot{version: old.version + 1}
	if full {
		next.files = files
	} else {
		next.files = maps.Clone(old.files)
		maps.Copy(next.files, files)
	}
	var changed []string
	for p, data := range files {
		if prev, ok := old.files[p]; !ok || !bytes.Equal(prev, data) {
			changed = append(changed, p)
		}
	}
	for _, p := range removed {
		delete(next.files, p)
	}
	for p := range old.files {
		if _, ok := next.files[p]; !ok {
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	s.site.Store(next)

	urls := make([]string, len(changed))
	for i, p := range changed {
		urls[i] = urlPath(p)
	}
	s.mu.Lock()
	s.err = ""
	s.mu.Unlock()
	s.broadcast(event{Type: "change", Version: next.version, Paths: urls})
	return changed
}

// Fail reports a failed rebuild: the site stays as it was and the open
// pages show msg until the next Update.
func (s *Server) Fail(msg string) {
	s.mu.Lock()
	s.err = msg
	s.mu.Unlock()
	s.broadcast(event{Type: "error", Version: s.site.Load().version, Error: msg})
}

// Files returns the current site. The map must not be modified.
func (s *Server) Files() map[string][]byte { return s.site.Load().files }

func (s *Server) broadcast(ev event) {
	data, _ := json.Marshal(ev)
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- data:
		default:
			// A page too slow to read: drop it; its EventSource
			// reconnects and gets the current state in its hello.
			delete(s.clients, c)
			close(c)
		}
	}
}

// urlPath is the URL of an output path: "a/index.html" → "/a/".
func urlPath(p string) string {
	if p == "index.html" {
		return "/"
	}
	if dir, ok := strings.CutSuffix(p, "/index.html"); ok {
		return "/" + dir + "/"
	}
	return "/" + p
}

// ServeHTTP serves the site, the live-reload script and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(liveJS)
		return
	}
	key, status := s.resolve(r.URL.Path)
	switch status {
	case http.StatusBadRequest:
		http.Error(w, "bad request", status)
		return
	case http.StatusMovedPermanently:
		http.Redirect(w, r, r.URL.Path+"/", status)
		return
	}
	snap := s.site.Load()
	data := snap.files[key]
	if status == http.StatusNotFound {
		data = snap.files["404.html"]
		key = "404.html"
		if data == nil {
			data = []byte("<!DOCTYPE html><title>404</title><body><h1>404</h1></body>")
		}
	}
	ctype := mime.TypeByExtension(path.Ext(key))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, urlPath(key), snap.version, status == http.StatusNotFound)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = w.Write(data)
	}
}

// resolve maps a URL path to an output file and a status: 200, 301 (a
// folder asked without its slash), 400 (traversal) or 404 (missing,
// hidden, or a folder without index.html: never a listing).
func (s *Server) resolve(urlPath string) (string, int) {
	if !strings.HasPrefix(urlPath, "/") || strings.ContainsAny(urlPath, "\\\x00") {
		return "", http.StatusBadRequest
	}
	rel := urlPath[1:]
	for _, seg := range strings.Split(rel, "/") {
		switch {
		case seg == "..":
			return "", http.StatusBadRequest
		case strings.HasPrefix(seg, "."):
			return "", http.StatusNotFound
		}
	}
	files := s.site.Load().files
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if _, ok := files[rel]; ok {
		return rel, http.StatusOK
	}
	if _, ok := files[rel+"/index.html"]; ok {
		return "", http.StatusMovedPermanently
	}
	return "", http.StatusNotFound
}

// inject adds the live-reload script before </body>, or at the end.
func inject(page []byte, urlPath string, version int, missing bool) []byte {
	tag := fmt.Sprintf(`<script src="%s" data-path="%s" data-version="%d" data-missing="%t" defer></script>`,
		scriptPath, html.EscapeString(urlPath), version, missing)
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// events streams Server-Sent Events to one page until it leaves or the
// server stops (the request's context ends with the server's).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 16)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	hello, _ := json.Marshal(event{Type: "hello", Version: s.site.Load().version, Error: s.err})
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if _, ok := s.clients[c]; ok {
			delete(s.clients, c)
			close(c)
		}
		s.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "retry: 500\ndata: %s\n\n", hello)
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case data, ok := <-c:
			if !ok {
				return
			}
			fmt.Fprintf(w, "data: %s\n\n", data)
			flusher.Flush()
		}
	}
}
