// Command foyerbench measures foyer build against two yardsticks on one
// generated site, and prints one table:
//
//	go run ./cmd/foyerbench [-articles 10000] [-contributions 50000] [-seed 1] [-rounds 3]
//
// It must run from the repository root: it builds ./cmd/foyer and the
// site generator ./generator/internal/synth/cmd/synth once, writes the
// synthetic site into a temporary folder, then runs, interleaved and in
// a rotating order, each contender as a child process:
//
//   - floor: read every article, cut its front matter, convert the body
//     with goldmark (GFM) on all cores, write one HTML file per article;
//     no generator can do less. It is this program run as "foyerbench
//     floor SITE OUT".
//   - foyer: a cold `foyer build` into an empty folder, then a second
//     build with nothing changed.
//   - hugo: Debian's hugo, when installed, on the same articles with a
//     minimal theme (single, paginated lists, taxonomies, RSS).
//
// Wall time is measured around each child; CPU time (user+sys) and peak
// resident memory come from the child's rusage. The table shows medians.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	articles, contributions, rounds int
	seed                            uint64
	dir, hugo                       string
	keep                            bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "floor" {
		if len(args) != 3 {
			fmt.Fprintln(stderr, "usage: foyerbench floor SITE OUT")
			return 2
		}
		if err := floor(args[1], args[2]); err != nil {
			fmt.Fprintln(stderr, "foyerbench floor:", err)
			return 1
		}
		return 0
	}
	var o options
	fs := flag.NewFlagSet("foyerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.articles, "articles", 10000, "articles in the generated site")
	fs.IntVar(&o.contributions, "contributions", 50000, "comments and mentions in the generated site")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed: the same seed makes the same site")
	fs.IntVar(&o.rounds, "rounds", 3, "interleaved rounds; the table shows medians")
	fs.StringVar(&o.dir, "dir", "", "work folder (default: a new temporary folder)")
	fs.StringVar(&o.hugo, "hugo", "hugo", `hugo binary; "" or "off" skips Hugo`)
	fs.BoolVar(&o.keep, "keep", false, "keep the work folder")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := bench(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "foyerbench:", err)
		return 1
	}
	return 0
}

// contender is one program under measurement.
type contender struct {
	name  string
	out   string   // output folder, moved aside before each cold run
	clean []string // caches and leftovers, moved aside before each cold run
	cmd   []string // argv
	again bool     // also measure a rebuild over the previous output
}

// sample is one measured run.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // bytes
	written   int   // files foyer wrote, from its summary line; -1 for others
}

// writtenRE reads the count of written files from foyer build's summary
// line: "Built … files (N written, M unchanged) …".
var writtenRE = regexp.MustCompile(`\((\d+) written`)

func bench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	work := o.dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "foyerbench-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(work)
		}
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	foyer, synthBin := filepath.Join(work, "foyer"), filepath.Join(work, "synth")
	fmt.Fprintln(stderr, "building foyer and the site generator…")
	for _, b := range [][2]string{{foyer, "./cmd/foyer"}, {synthBin, "./generator/internal/synth/cmd/synth"}} {
		if err := command(ctx, stderr, "go", "build", "-o", b[0], b[1]); err != nil {
			return fmt.Errorf("go build %s (run foyerbench from the repository root): %w", b[1], err)
		}
	}
	site := filepath.Join(work, "site")
	// The last run's site, and what an interrupted run left to delete,
	// are moved aside and deleted after the measurements, as outputs are
	// between runs (see bin): deleting them here would slow every run.
	trash := &bin{dir: filepath.Join(work, "trash")}
	defer trash.empty()
	if err := trash.takeOver(); err != nil {
		return err
	}
	if err := trash.put(site); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "generating %d articles and %d contributions (seed %d)…\n", o.articles, o.contributions, o.seed)
	if err := command(ctx, stderr, synthBin, "-articles", fmt.Sprint(o.articles), "-contributions", fmt.Sprint(o.contributions),
		"-seed", fmt.Sprint(o.seed), site); err != nil {
		return err
	}
	contenders := []contender{
		{name: "floor", out: filepath.Join(work, "floor-out"), cmd: []string{self, "floor", site, filepath.Join(work, "floor-out")}},
		{name: "foyer", out: filepath.Join(work, "foyer-out"), clean: []string{filepath.Join(site, ".foyer", "cache"), filepath.Join(work, ".foyer-out.foyer-staging")},
			cmd: []string{foyer, "build", "-s", site, "-d", filepath.Join(work, "foyer-out")}, again: true},
	}
	if o.hugo != "" && o.hugo != "off" {
		if path, err := exec.LookPath(o.hugo); err != nil {
			fmt.Fprintf(stderr, "hugo not found (%v): measuring without it\n", err)
		} else {
			hsite := filepath.Join(work, "hugo")
			if err := writeHugoSite(hsite, filepath.Join(site, "content")); err != nil {
				return err
			}
			hout := filepath.Join(work, "hugo-out")
			contenders = append(contenders, contender{name: "hugo", out: hout,
				clean: []string{filepath.Join(work, "hugo-cache")},
				cmd:   []string{path, "--quiet", "-s", hsite, "-d", hout, "--cacheDir", filepath.Join(work, "hugo-cache")}})
		}
	}
	results := map[string][]sample{}
	for r := range o.rounds {
		for k := range contenders {
			c := contenders[(k+r)%len(contenders)] // rotate who goes first
			for _, dir := range append([]string{c.out}, c.clean...) {
				if err := trash.put(dir); err != nil {
					return err
				}
			}
			if err := warm(site); err != nil {
				return err
			}
			settle()
			s, err := measure(ctx, c.cmd)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			results[c.name] = append(results[c.name], s)
			fmt.Fprintf(stderr, "round %d  %-14s %8s wall %8s cpu %6d MiB\n", r+1, c.name, round(s.wall), round(s.cpu), s.rss>>20)
			if c.again {
				// Two more builds of the unchanged site; the second is
				// measured: it is the steady state, in which each build
				// also removes the site the one before replaced.
				var s sample
				for range 2 {
					settle()
					if s, err = measure(ctx, c.cmd); err != nil {
						return fmt.Errorf("%s (again): %w", c.name, err)
					}
				}
				results[c.name+" (again)"] = append(results[c.name+" (again)"], s)
				fmt.Fprintf(stderr, "round %d  %-14s %8s wall %8s cpu %6d MiB  %d files rewritten\n", r+1, c.name+" (again)", round(s.wall), round(s.cpu), s.rss>>20, s.written)
				if s.written != 0 {
					fmt.Fprintf(stderr, "warning: the second build rewrote %d files of an unchanged site\n", s.written)
				}
			}
		}
	}
	printTable(stdout, o, contenders, results)
	return nil
}

func printTable(w io.Writer, o options, contenders []contender, results map[string][]sample) {
	fmt.Fprintf(w, "\n%d articles, %d contributions, seed %d; medians of %d interleaved rounds on %d cores\n\n",
		o.articles, o.contributions, o.seed, o.rounds, numCPU())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\twall\tCPU\tpeak RSS\twall ÷ floor\twall ÷ hugo\tRSS ÷ hugo\t")
	floor := median(results["floor"])
	hugo, hasHugo := results["hugo"]
	h := median(hugo)
	var names []string
	for _, c := range contenders {
		names = append(names, c.name)
		if c.again {
			names = append(names, c.name+" (again)")
		}
	}
	for _, n := range names {
		s := median(results[n])
		hw, hr := "–", "–"
		if hasHugo {
			hw, hr = ratio(s.wall.Seconds(), h.wall.Seconds()), ratio(float64(s.rss), float64(h.rss))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d MiB\t%s\t%s\t%s\t\n", n, round(s.wall), round(s.cpu), s.rss>>20,
			ratio(s.wall.Seconds(), floor.wall.Seconds()), hw, hr)
	}
	tw.Flush()
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	if a/b < 0.1 {
		return fmt.Sprintf("%.3f×", a/b)
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// median takes each column's median separately.
func median(ss []sample) sample {
	if len(ss) == 0 {
		return sample{}
	}
	pick := func(f func(sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return sample{
		wall: time.Duration(pick(func(s sample) int64 { return int64(s.wall) })),
		cpu:  time.Duration(pick(func(s sample) int64 { return int64(s.cpu) })),
		rss:  pick(func(s sample) int64 { return s.rss }),
	}
}

// measure runs argv as a child and returns its wall time and rusage.
func measure(ctx context.Context, argv []string) (sample, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out, errOut limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%w\n%s", err, errOut.b)
	}
	st := cmd.ProcessState
	s := sample{wall: wall, cpu: st.UserTime() + st.SystemTime(), written: -1}
	if m := writtenRE.FindSubmatch(out.b); m != nil {
		s.written, _ = strconv.Atoi(string(m[1]))
	}
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		s.rss = maxRSSBytes(ru)
	}
	return s, nil
}

// warm reads every file under dir, so that the operating system's page
// cache holds them all when the next contender starts. Without it, the
// first contender of a round on the 100,000-article hub found much of
// the content evicted by the gigabytes the round before had written, and
// read it from disk: a warm foyer build took 14.5 s to load it, one
// right after such a round 36.7 s. Every contender reads the same
// content folder, Hugo included.
func warm(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(io.Discard, f)
		return err
	})
}

// settle returns once the system has written to disk what the runs
// before wrote. By default Linux writes dirty pages back some 30 seconds
// after they were written (vm.dirty_expire_centisecs), or once they pass
// a tenth of the available memory (vm.dirty_background_ratio): without
// it, a run paid for writing back the gigabytes the contender before it
// had written, in processor time and disk bandwidth. What a run writes
// itself, and the kernel writes back while it runs, is its own.
func settle() { syscall.Sync() }

// bin holds the outputs of earlier runs until the measurements are over.
//
// Emptying an output folder between runs would tilt the measurement: on
// ext4 without a journal (this project's benchmark machine), the kernel
// will not reuse an inode freed in the last minutes, and every new file
// scans past all of them. Deleting the 50,000 files of one build made
// the next build's file creations several times slower (perf shows
// ext4's recently_deleted), whoever ran next. Moving the folders aside
// is a rename; they are deleted once, after the last measurement.
type bin struct {
	dir string
	n   int
}

// put moves path, if it exists, into the bin.
func (b *bin) put(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.MkdirAll(b.dir, 0o755); err != nil {
		return err
	}
	b.n++
	return os.Rename(path, filepath.Join(b.dir, strconv.Itoa(b.n)))
}

// takeOver moves into b the bins that interrupted runs left at b's place.
func (b *bin) takeOver() error {
	if err := os.Rename(b.dir, fmt.Sprintf("%s.left-%d", b.dir, time.Now().UnixNano())); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	entries, err := os.ReadDir(filepath.Dir(b.dir))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), filepath.Base(b.dir)+".left-") {
			if err := b.put(filepath.Join(filepath.Dir(b.dir), e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *bin) empty() { os.RemoveAll(b.dir) }

func command(ctx context.Context, stderr io.Writer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	return cmd.Run()
}

// limitedBuffer keeps the first 64 KiB written to it: enough to show why
// a child failed.
type limitedBuffer struct{ b []byte }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
