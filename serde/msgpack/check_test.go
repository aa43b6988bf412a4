package msgpack

import (
	"errors"
	"testing"

	"github.com/vmihailenco/msgpack/v5"
)

func TestCheckSizes(t *testing.T) {
	t.Parallel()
	valid, err := msgpack.Marshal(map[string]any{"a": []any{1, "two", 3.0, []byte{4}, nil, true}, "b": map[string]int{"c": 5}})
	if err != nil {
		t.Fatal(err)
	}
	if err := checkSizes(valid); err != nil {
		t.Fatalf("valid data rejected: %v", err)
	}
	lies := map[string][]byte{
		"array32 of 4G elements": {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01},
		"map16 of 65535 pairs":   {0xde, 0xff, 0xff, 0x01, 0x02},
		"str32 of 4 GB":          {0xdb, 0xff, 0xff, 0xff, 0xff, 'a'},
		"nested fixarray":        {0x91, 0x9f, 0x01},
	}
	for name, b := range lies {
		if err := checkSizes(b); !errors.Is(err, errTooLarge) {
			t.Errorf("%s: err = %v, want errTooLarge", name, err)
		}
	}
}
