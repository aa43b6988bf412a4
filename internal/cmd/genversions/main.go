// Command genversions generates core/internal/brokerversion's release table
// from the kafka-clients jar of every Kafka release from 0.10.0 on.
//
//	go run ./internal/cmd/genversions [-m2 ~/.m2/repository] [-out core/internal/brokerversion] [-report]
//
// For each release it reads the highest version of every API a broker
// advertises by default: from the jar's JSON message specs
// (common/message/*Request.json; a spec's highest version is skipped when it
// is marked "latestVersionUnstable") or, for jars older than the specs, from
// the ApiKeys enum through a small Java program (needs java). Missing jars
// are fetched with `mvn dependency:get`.
//
// It writes zz_releases.go, the probes Guess uses: for each release, the first
// client-facing API (in the order of probeKeys) whose maximum version rose
// or which appeared since the previous release; zz_since.go, the first
// release that serves each API (Since); and zz_tables_test.go, every
// release's full table, which the tests use to check the probes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// release is a Kafka release line and the patch release whose jar stands
// for it (API versions do not change in patch releases).
type release struct {
	major, minor, patch int
	artifact            string
}

// releases lists the Kafka releases Guess knows, oldest first. 0.x releases
// need three components (0.10.0, 0.10.1, 0.10.2 differ in their APIs).
var releases = []release{
	{0, 10, 0, "0.10.0.1"}, {0, 10, 1, "0.10.1.1"}, {0, 10, 2, "0.10.2.2"}, {0, 11, 0, "0.11.0.3"},
	{1, 0, 0, "1.0.2"}, {1, 1, 0, "1.1.1"},
	{2, 0, 0, "2.0.1"}, {2, 1, 0, "2.1.1"}, {2, 2, 0, "2.2.2"}, {2, 3, 0, "2.3.1"}, {2, 4, 0, "2.4.1"},
	{2, 5, 0, "2.5.1"}, {2, 6, 0, "2.6.3"}, {2, 7, 0, "2.7.2"}, {2, 8, 0, "2.8.2"},
	{3, 0, 0, "3.0.2"}, {3, 1, 0, "3.1.2"}, {3, 2, 0, "3.2.3"}, {3, 3, 0, "3.3.2"}, {3, 4, 0, "3.4.1"},
	{3, 5, 0, "3.5.2"}, {3, 6, 0, "3.6.2"}, {3, 7, 0, "3.7.2"}, {3, 8, 0, "3.8.1"}, {3, 9, 0, "3.9.2"},
	{4, 0, 0, "4.0.2"}, {4, 1, 0, "4.1.2"}, {4, 2, 0, "4.2.2"}, {4, 3, 0, "4.3.1"}, {4, 4, 0, "4.4.0"},
}

func (r release) String() string {
	if r.major == 0 {
		return fmt.Sprintf("%d.%d.%d", r.major, r.minor, r.patch)
	}
	return fmt.Sprintf("%d.%d", r.major, r.minor)
}

func main() {
	home, _ := os.UserHomeDir()
	m2 := flag.String("m2", filepath.Join(home, ".m2", "repository"), "local Maven repository")
	out := flag.String("out", "core/internal/brokerversion", "output directory")
	report := flag.Bool("report", false, "print what changed between consecutive releases instead of writing files")
	flag.Parse()
	if err := run(*m2, *out, *report); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(m2, out string, report bool) error {
	var tables []table
	for _, rel := range releases {
		t, err := loadTable(m2, rel)
		if err != nil {
			return err
		}
		tables = append(tables, t)
	}
	if report {
		printReport(os.Stdout, tables)
		return nil
	}
	return write(out, tables)
}
