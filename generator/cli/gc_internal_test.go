package cli

import (
	"runtime/debug"
	"testing"
)

// percent reads the garbage collector's percentage.
func percent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestBuildTunesTheCollectorUnlessGOGCIsSet(t *testing.T) {
	before := percent()
	restore := tuneGC(func(string) string { return "" })
	if got := percent(); got != buildGC {
		t.Errorf("during a build GOGC = %d, want %d", got, buildGC)
	}
	restore()
	if got := percent(); got != before {
		t.Errorf("after a build GOGC = %d, want %d back", got, before)
	}
	restore = tuneGC(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := percent(); got != before {
		t.Errorf("with GOGC set, a build changed the percentage to %d", got)
	}
	restore()
}
