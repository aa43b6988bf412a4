// Command kafka3bench measures kafka3-go against a running cluster.
//
//	kafka3bench consume -topic T -records N    consumer throughput
//
// Each subcommand lives in its own file and registers itself in init, so
// that benchmarks are added without touching this dispatcher.
package main

import (
	"fmt"
	"os"
	"sort"
)

// commands maps a subcommand name to its entry point, which receives the
// arguments after the name.
var commands = map[string]func(args []string) error{}

func main() {
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: kafka3bench <command> [flags]\ncommands: %v\n", names)
		os.Exit(2)
	}
	if err := commands[os.Args[1]](os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "kafka3bench:", err)
		os.Exit(1)
	}
}
