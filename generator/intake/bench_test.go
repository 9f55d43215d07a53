package intake

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkHTTP measures the intake over real HTTP on 127.0.0.1:
// requests per second and latency percentiles, with 8 concurrent
// clients per GOMAXPROCS. Comments are fsynced files: their figure is
// the disk's as much as the server's.
func BenchmarkHTTP(b *testing.B) {
	cases := []struct {
		name, path, ctype, body string
		want                    int
	}{
		{"healthz", "/_foyer/healthz", "", "", 200},
		{"comment", "/_foyer/comment", "application/json", `{"article":"bonjour","author":"Banc","body":"Un commentaire de test de charge, d'une longueur ordinaire."}`, 202},
		{"refused", "/_foyer/comment", "application/json", `{"article":"../../etc/passwd","body":"x"}`, 400},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ts := start(b, "", "")
			tr := &http.Transport{MaxIdleConnsPerHost: 256}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(8)
			b.ResetTimer()
			begin := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					var req *http.Request
					if c.body == "" {
						req, _ = http.NewRequest("GET", ts.URL+c.path, nil)
					} else {
						req, _ = http.NewRequest("POST", ts.URL+c.path, strings.NewReader(c.body))
						req.Header.Set("Content-Type", c.ctype)
						req.Header.Set("Accept", "application/json")
						req.Header.Set("Origin", siteOrigin)
					}
					t0 := time.Now()
					resp, err := hc.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mine = append(mine, time.Since(t0))
					if resp.StatusCode != c.want {
						b.Errorf("status %d, want %d", resp.StatusCode, c.want)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(begin)
			b.StopTimer()
			if len(lat) == 0 {
				return
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
			b.ReportMetric(pct(0.50), "p50-µs")
			b.ReportMetric(pct(0.99), "p99-µs")
		})
	}
}
