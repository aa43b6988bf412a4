// Command kafka3 is a command-line tool for Apache Kafka built on kafka3-go:
// it probes brokers, shows metadata, manages topics and consumer groups,
// produces and consumes records and measures throughput.
//
//	kafka3 probe
//	kafka3 topics create -partitions 3 orders
//	echo 'k1:hello' | kafka3 produce -topic orders -key-separator :
//	kafka3 consume -topic orders -from-beginning -max-messages 1 -format json
//
// Run "kafka3 help" for the commands and "kafka3 <command> -h" for the flags
// of each. Every command compiles in every plugin of the module: all codecs,
// assignors, serdes and SASL mechanisms.
//
// Exit codes: 0 success, 1 a runtime error (the message says what to do),
// 2 a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	_ "github.com/kafka3/kafka3-go/assignors"
	_ "github.com/kafka3/kafka3-go/codecs"
	_ "github.com/kafka3/kafka3-go/serde"
	_ "github.com/kafka3/kafka3-go/serde/msgpack"
	_ "github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"
	_ "github.com/kafka3/kafka3-go/transport/sasl/plain"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

var commands = []command{
	{"probe", "show the brokers' Kafka version and the API versions in use", runProbe},
	{"metadata", "show brokers, controller, topics, partitions, leaders and ISRs", runMetadata},
	{"topics", "create, delete, list or describe topics", runTopics},
	{"produce", "send lines of standard input as records", runProduce},
	{"consume", "print records of a topic", runConsume},
	{"groups", "list and describe consumer groups and show their lag", runGroups},
	{"bench", "measure producer and consumer throughput", runBench},
}

// env is what a command runs with: its streams and the global flags.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	g              *globals
}

// usageError is a mistake on the command line; its message has been printed
// (or is printed by run) and the exit code is 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs kafka3 with args (without the program name) and returns the exit
// code. Tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, g: &globals{timeout: 30 * time.Second}}
	fs := flag.NewFlagSet("kafka3", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e.g.register(fs)
	fs.Usage = func() { mainUsage(fs) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() == 0 {
		mainUsage(fs)
		return exitUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	if name == "help" {
		if len(rest) == 0 {
			fs.SetOutput(stdout)
			mainUsage(fs)
			return exitOK
		}
		name, rest = rest[0], []string{"-h"}
	}
	for _, c := range commands {
		if c.name == name {
			return exitCode(stderr, name, c.run(e, rest))
		}
	}
	fmt.Fprintf(stderr, "kafka3: unknown command %q; run 'kafka3 help' for the list\n", name)
	return exitUsage
}

// exitCode reports err on stderr and maps it to an exit code.
func exitCode(stderr io.Writer, name string, err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "kafka3 %s: %s\nRun 'kafka3 %s -h' for usage.\n", name, ue.msg, name)
		}
		return exitUsage
	default:
		fmt.Fprintf(stderr, "kafka3 %s: %v\n", name, hint(err))
		return exitError
	}
}

func mainUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `kafka3 is a command-line tool for Apache Kafka, built on kafka3-go.

Usage:
  kafka3 [global flags] <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help       show help for a command: kafka3 help <command>

Global flags (also accepted after the command):
`)
	fs.PrintDefaults()
	fmt.Fprint(w, `
Exit codes: 0 success, 1 runtime error, 2 usage error.
`)
}

// newFlagSet returns a command's flag set, with the global flags and a usage
// message made of synopsis (the arguments after the flags) and about.
func (e *env) newFlagSet(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("kafka3 "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: kafka3 %s [flags] %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(about))
		fs.PrintDefaults()
	}
	e.g.register(fs)
	return fs
}

// parse parses a command's flags; a failure is a usage error (already
// printed by the flag package) or flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &usageError{}
}
