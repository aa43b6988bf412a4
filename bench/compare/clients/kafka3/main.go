// Command kafka3 runs one benchmark scenario with kafka3-go.
//
// TODO(issue 13): the kafka3-go Producer and Consumer have not landed yet;
// until they do, every scenario fails loudly rather than reporting numbers.
package main

import (
	"context"
	"errors"

	"github.com/kafka3/kafka3-go/bench/compare/internal/bench"
	"github.com/kafka3/kafka3-go/core"
)

var errMissing = errors.New("kafka3-go " + core.Version + " has no Producer/Consumer yet (core/producer*.go, core/consumer*.go): not measured")

func main() {
	bench.Main(bench.Funcs{
		Produce: func(context.Context, bench.Params, [][]byte) (bench.Result, error) { return bench.Result{}, errMissing },
		Consume: func(context.Context, bench.Params) (bench.Result, error) { return bench.Result{}, errMissing },
		E2E:     func(context.Context, bench.Params) (bench.Result, error) { return bench.Result{}, errMissing },
	})
}
