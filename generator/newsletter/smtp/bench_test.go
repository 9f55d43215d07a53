package smtp_test

import (
	"testing"

	"github.com/foyerhub/foyer/generator/newsletter"
)

// BenchmarkIssue10000 sends one issue to 10,000 subscribers through the
// in-process SMTP server, with the journal fsynced as in production, and
// reports messages per second.
func BenchmarkIssue10000(b *testing.B) {
	const n = 10000
	for range b.N {
		b.StopTimer()
		ctx := testContext(b)
		dir := newSite(b, readers(n))
		s := newSink(b)
		o := options(b, ctx, dir, now, sender(b, s, 8, nil))
		o.Concurrency = 8
		b.StartTimer()
		rep, err := newsletter.Send(ctx, o)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Sent != n || len(s.messages()) != n {
			b.Fatalf("%d sent, %d received, expected %d", rep.Sent, len(s.messages()), n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
