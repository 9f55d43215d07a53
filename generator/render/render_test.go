package render

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"testing"
)

// Render emits every job's file once, whatever the number of workers,
// and stops at the first error.
func TestRenderEmitsEveryJobOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, n := range []int{0, 1, 2, 3, 100} {
		for _, procs := range []int{1, 2, 5} {
			runtime.GOMAXPROCS(procs)
			jobs := make([]Job, n)
			for i := range jobs {
				p := strconv.Itoa(i)
				if i%2 == 0 {
					jobs[i] = Job{Path: p, Make: func() ([]byte, error) { return []byte(p), nil }}
				} else {
					jobs[i] = Job{Path: p, Write: func(b *bytes.Buffer) error { b.WriteString(p); return nil }}
				}
			}
			var mu sync.Mutex
			seen := map[string]int{}
			err := new(Renderer).Render(context.Background(), jobs, func(f File) error {
				mu.Lock()
				defer mu.Unlock()
				if string(f.Data) != f.Path {
					t.Errorf("%s: data %q", f.Path, f.Data)
				}
				seen[f.Path]++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range jobs {
				if seen[j.Path] != 1 {
					t.Errorf("%d jobs on %d cores: %s emitted %d times", n, procs, j.Path, seen[j.Path])
				}
			}
		}
	}
	jobs := []Job{{Path: "a", Make: func() ([]byte, error) { return nil, errors.New("broken") }}}
	if err := new(Renderer).Render(context.Background(), jobs, func(File) error { return nil }); err == nil || err.Error() != "render a: broken" {
		t.Errorf("error %v", err)
	}
}

// With two workers, one starts at the plan's end while the other starts
// at its beginning, so that they write into different folders: the
// first job waits for the last to start, and no job of the middle may
// start before it.
func TestRenderWorksFromBothEnds(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	const n = 50
	lastStarted := make(chan struct{})
	var mu sync.Mutex
	var early []int // jobs of the middle started before the last
	jobs := make([]Job, n)
	for i := range jobs {
		jobs[i] = Job{Path: strconv.Itoa(i), Make: func() ([]byte, error) {
			switch i {
			case 0:
				<-lastStarted
			case n - 1:
				close(lastStarted)
			default:
				select {
				case <-lastStarted:
				default:
					mu.Lock()
					early = append(early, i)
					mu.Unlock()
				}
			}
			return nil, nil
		}}
	}
	if err := new(Renderer).Render(context.Background(), jobs, func(File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(early) > 0 {
		t.Errorf("jobs %v started before the last one", early)
	}
}
