package msgpack_test

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/serde/msgpack"
)

func Example() {
	type Click struct {
		Page  string `msgpack:"page"`
		Count int    `msgpack:"count"`
	}
	s := msgpack.Serde[Click]{}
	b, _ := s.Serialize("clicks", new([]core.Header), Click{Page: "/", Count: 2})
	c, _ := s.Deserialize("clicks", nil, b)
	fmt.Printf("%d bytes, %+v\n", len(b), c)
	// Output: 15 bytes, {Page:/ Count:2}
}
