package assignors_test

import (
	"slices"
	"testing"

	_ "github.com/kafka3/kafka3-go/assignors"
	"github.com/kafka3/kafka3-go/core"
)

func TestAllFourRegistered(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"range", "roundrobin", "sticky", "cooperative-sticky"} {
		if !slices.Contains(core.Assignors(), name) {
			t.Errorf("%q not registered: %v", name, core.Assignors())
		}
	}
}
