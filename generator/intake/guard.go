package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// guard wraps a browser-facing POST: rate limit, then origin check.
func (s *Server) guard(h http.HandlerFunc) http.HandlerFunc {
	return s.limited(func(w http.ResponseWriter, r *http.Request) {
		if !s.originAllowed(r) {
			s.fail(w, r, http.StatusForbidden, "bad_origin")
			return
		}
		h(w, r)
	})
}

// limited applies the per-client rate limit.
func (s *Server) limited(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := s.limiter.allow(s.clientIP(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			s.fail(w, r, http.StatusTooManyRequests, "too_many")
			return
		}
		h(w, r)
	}
}

// originAllowed checks Origin, or Referer when a browser sent no
// Origin. A POST with neither is refused: browsers always send one of
// them, and other clients can set Origin themselves.
func (s *Server) originAllowed(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		o = origin(r.Header.Get("Referer"))
	}
	return o != "" && s.origins[strings.ToLower(o)]
}

// proxyNet is a trusted reverse proxy: one address or a prefix.
type proxyNet = netip.Prefix

func parseProxies(list []string) ([]proxyNet, error) {
	var out []proxyNet
	for _, raw := range list {
		raw = strings.TrimSpace(raw)
		if p, err := netip.ParsePrefix(raw); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(raw)
		if err != nil {
			return nil, fmt.Errorf("foyer.yaml: intake.trusted_proxies: %q is neither an IP address nor a CIDR prefix (expected e.g. 127.0.0.1 or 10.0.0.0/8)", raw)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.proxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// clientIP is the peer's address, or when the peer is a trusted proxy,
// the right-most X-Forwarded-For entry that is not itself a trusted
// proxy: entries left of it may be forged by the client.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if !s.trusted(peer) {
		return peer.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if a = a.Unmap(); !s.trusted(a) {
			return a.String()
		}
		peer = a
	}
	return peer.String()
}

// limiter is a token bucket per client address: n requests, refilled
// over per. It lives in memory on purpose: losing it on restart only
// forgives a few requests.
type limiter struct {
	mu      sync.Mutex
	n       float64
	per     time.Duration
	now     func() time.Time
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(n int, per time.Duration, now func() time.Time) *limiter {
	return &limiter{n: float64(n), per: per, now: now, buckets: make(map[string]*bucket)}
}

// allow takes a token for key; when none is left it returns how long
// until the next one.
func (l *limiter) allow(key string) (time.Duration, bool) {
	if l.n <= 0 || l.per <= 0 {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rate := l.n / l.per.Seconds() // tokens per second
	if now.Sub(l.swept) > l.per {
		for k, b := range l.buckets {
			if now.Sub(b.at) > l.per {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.n, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.n, b.tokens+now.Sub(b.at).Seconds()*rate)
	b.at = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / rate * float64(time.Second)), false
	}
	b.tokens--
	return 0, true
}

// errTooLarge and errMediaType become 413 and 415.
var (
	errTooLarge  = errors.New("request body too large")
	errMediaType = errors.New("unsupported content type")
)

// readFields reads a form-encoded or JSON object body into string
// fields. Anything else is errMediaType; a body over max_body is
// errTooLarge.
func (s *Server) readFields(w http.ResponseWriter, r *http.Request) (map[string]string, error) {
	limit := int64(s.cfg.Intake.MaxBody)
	if r.ContentLength > limit {
		return nil, errTooLarge
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, errMediaType
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	switch mt {
	case "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, fmt.Errorf("malformed form: %w", err)
		}
		for k, v := range vals {
			if len(v) != 1 {
				return nil, fmt.Errorf("field %q given %d times", k, len(v))
			}
			fields[k] = v[0]
		}
	case "application/json":
		var obj map[string]any
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("malformed JSON: expected one object of string fields")
		}
		for k, v := range obj {
			switch v := v.(type) {
			case string:
				fields[k] = v
			case nil:
			default:
				return nil, fmt.Errorf("field %q: expected a string", k)
			}
		}
	default:
		return nil, errMediaType
	}
	return fields, nil
}

// wantsJSON tells whether the client asked for a JSON answer.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}
