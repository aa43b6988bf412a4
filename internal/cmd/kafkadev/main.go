// Command kafkadev is the Go half of scripts/kafka: it makes the PEM
// certificates for the test broker's TLS listeners and waits until a broker
// answers a real Metadata request. It is a development tool, not part of the
// library.
//
//	kafkadev certs DIR
//	kafkadev ready -brokers 127.0.0.1:9092[,...] [-nodes 1] [-timeout 60s]
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kafkadev certs DIR | kafkadev ready -brokers ADDRS [-nodes N] [-timeout D]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "certs":
		if len(os.Args) != 3 {
			err = fmt.Errorf("usage: kafkadev certs DIR")
			break
		}
		err = writeCerts(os.Args[2])
	case "ready":
		err = ready(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kafkadev:", err)
		os.Exit(1)
	}
}
