package serde_test

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/serde"
)

func Example() {
	var headers []core.Header
	b, _ := serde.Int32{}.Serialize("counts", &headers, 42)
	fmt.Printf("% x\n", b) // what Java's IntegerSerializer writes

	n, err := serde.Int32{}.Deserialize("counts", nil, []byte{0, 0, 1})
	fmt.Println(n, err)
	// Output:
	// 00 00 00 2a
	// 0 serde: int32 needs 4 bytes, got 3
}

func ExampleJSON() {
	type Order struct {
		ID    int    `json:"id"`
		Buyer string `json:"buyer"`
	}
	s := serde.JSON[Order]{}
	b, _ := s.Serialize("orders", new([]core.Header), Order{ID: 1, Buyer: "ada"})
	fmt.Println(string(b))
	o, _ := s.Deserialize("orders", nil, b)
	fmt.Println(o.Buyer)
	// Output:
	// {"id":1,"buyer":"ada"}
	// ada
}

func ExampleNullable() {
	s := serde.Nullable[int64](serde.Int64{})
	tombstone, _ := s.Serialize("counts", new([]core.Header), nil)
	fmt.Println(tombstone == nil)
	v, _ := s.Deserialize("counts", nil, nil)
	fmt.Println(v == nil)
	// Output:
	// true
	// true
}

func ExampleUUID() {
	id := [16]byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	b, _ := serde.UUID[[16]byte]{}.Serialize("users", new([]core.Header), id)
	fmt.Println(string(b)) // Java's UUIDSerializer writes the text
	// Output: 123e4567-e89b-12d3-a456-426614174000
}

// A command-line tool picks serdes by name and passes text.
func Example_registry() {
	s, err := core.SerdeByName("long")
	if err != nil {
		panic(err)
	}
	b, _ := s.SerializeAny("t", new([]core.Header), "7")
	v, _ := s.DeserializeAny("t", nil, b)
	fmt.Printf("% x %v\n", b, v)

	_, err = core.SerdeByName("msgpack")
	fmt.Println(err)
	// Output:
	// 00 00 00 00 00 00 00 07 7
	// core: serde "msgpack" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/serde/msgpack"?)
}
