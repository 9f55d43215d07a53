package build_test

import (
	"context"
	"testing"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/internal/synth"
)

// TestLinearGrowth guards against steps quadratic in articles or
// comments without timing anything: a whole build (load, model, render)
// of twice the site must allocate less than 2.2 times as often.
func TestLinearGrowth(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 3,000 synthetic articles; skipped with -short")
	}
	allocs := func(articles int) float64 {
		fsys := synth.MapFS(synth.Options{Articles: articles, Contributions: 3 * articles, Seed: 1})
		files := 0
		n := testing.AllocsPerRun(1, func() {
			m, err := build.LoadFS(context.Background(), fsys, build.Options{Now: sitetest.Now})
			if err != nil {
				t.Fatal(err)
			}
			files = 0
			err = build.Render(context.Background(), m, func(string, []byte) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			files = len(m.Site.Articles)
		})
		if files != articles {
			t.Fatalf("built %d articles, want %d", files, articles)
		}
		return n
	}
	small, large := allocs(1000), allocs(2000)
	t.Logf("allocations: %.0f for 1,000 articles, %.0f for 2,000 (×%.2f)", small, large, large/small)
	if large > 2.2*small {
		t.Errorf("2,000 articles allocate %.2f× what 1,000 do (%.0f vs %.0f): something grows faster than linearly", large/small, large, small)
	}
}
