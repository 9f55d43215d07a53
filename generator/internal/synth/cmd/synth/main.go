// Command synth writes a synthetic hub into a folder:
//
//	go run ./generator/internal/synth/cmd/synth [-articles N] [-contributions M] [-members K] [-seed S] DIR
//
// It exists because cmd/foyerbench, outside generator/, cannot import the
// internal package synth; foyerbench builds and runs this command instead.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/foyerhub/foyer/generator/internal/synth"
)

func main() {
	var o synth.Options
	flag.IntVar(&o.Articles, "articles", 10000, "number of articles")
	flag.IntVar(&o.Contributions, "contributions", 50000, "number of comments and mentions")
	flag.IntVar(&o.Members, "members", 200, "number of member profiles")
	flag.Uint64Var(&o.Seed, "seed", 1, "random seed: the same seed writes the same bytes")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: synth [flags] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := synth.Write(flag.Arg(0), o); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}
