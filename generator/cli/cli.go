// Package cli turns foyer's command lines into calls of the generator's
// packages: it parses flags, prints results and maps errors to exit
// codes (0 success, 1 failure, 2 usage error). It holds no business logic.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	// Terminal reports whether stdout is an interactive terminal, for
	// progress bars and confirmations.
	Terminal bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // after "foyer NAME "
	run     func(ctx context.Context, env *Env, args []string) error
}

// UsageError is a command line that cannot be understood: exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

func commands() map[string]*command {
	list := []*command{
		buildCommand(),
		newCommand(),
		versionCommand(),
	}
	list = append(list, extraCommands()...)
	m := make(map[string]*command, len(list))
	for _, c := range list {
		m[c.name] = c
	}
	return m
}

// Run runs foyer with args (without the program name) and returns the
// exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &Env{Stdout: stdout, Stderr: stderr, Stdin: os.Stdin, Getenv: os.Getenv, Terminal: isTerminal(stdout)}
	return RunEnv(ctx, env, args)
}

// RunEnv is Run with an explicit environment, for tests.
func RunEnv(ctx context.Context, env *Env, args []string) int {
	cmds := commands()
	if len(args) == 0 {
		help(env.Stderr, cmds)
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			if c, ok := cmds[rest[0]]; ok {
				commandHelp(env.Stdout, c)
				return 0
			}
			fmt.Fprintf(env.Stderr, "foyer: unknown command %q\n", rest[0])
			return 2
		}
		help(env.Stdout, cmds)
		return 0
	case "--version", "-version":
		name = "version"
	}
	c, ok := cmds[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "foyer: unknown command %q (run foyer help)\n", name)
		return 2
	}
	err := c.run(ctx, env, rest)
	var ue *UsageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "foyer %s: %s\nusage: foyer %s %s\n", c.name, ue.Msg, c.name, c.usage)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "%s\n", err)
		return 1
	}
}

func help(w io.Writer, cmds map[string]*command) {
	fmt.Fprintln(w, "Foyer builds a community hub from plain files.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: foyer COMMAND [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run foyer help COMMAND for a command's flags.")
}

func commandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: foyer %s %s\n\n%s\n", c.name, c.usage, c.summary)
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(w)
	// Commands print their own flags with -h.
	_ = c.run(context.Background(), &Env{Stdout: w, Stderr: w, Getenv: func(string) string { return "" }}, []string{"-h"})
}

// newFlags makes a flag set whose errors become usage errors.
func newFlags(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet("foyer "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parse parses args; -h prints the flags and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string, env *Env) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(env.Stdout)
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return &UsageError{Msg: strings.TrimSpace(err.Error())}
	}
	return nil
}

// parseNoArgs is parse for commands that take flags only: a leftover
// argument is a usage error.
func parseNoArgs(fs *flag.FlagSet, args []string, env *Env) error {
	if err := parse(fs, args, env); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
