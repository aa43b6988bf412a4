package brokerversion_test

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/brokerversion"
)

func ExampleGuess() {
	// The maximum versions a broker advertised in its ApiVersions response
	// (a few of them: Produce, Fetch, ListOffsets, Metadata, ApiVersions).
	maxVersions := map[int16]int16{0: 11, 1: 17, 2: 9, 3: 12, 18: 4}
	v := brokerversion.Guess(maxVersions)
	fmt.Println("at least", v)
	fmt.Println("3.0 or newer:", v.Compare(brokerversion.Version{Major: 3}) >= 0)

	// A broker newer than every known release is reported as the newest.
	fmt.Println(brokerversion.Guess(map[int16]int16{0: 99, 18: 99}) == brokerversion.Newest())
	// Output:
	// at least 3.9
	// 3.0 or newer: true
	// true
}
