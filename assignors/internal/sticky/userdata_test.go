package sticky

import (
	"encoding/hex"
	"reflect"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

func TestUserDataWireFormat(t *testing.T) {
	t.Parallel()
	owned := []core.AssignorPartitions{{Topic: "t", Partitions: []int32{0, 2}}}
	b := AppendUserData(nil, owned, 9)
	// Java StickyAssignorUserData v1: [topic string, [int32]] then int32 generation.
	want := "00000001" + "000174" + "00000002" + "00000000" + "00000002" + "00000009"
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	gotOwned, gen, err := DecodeUserData(b)
	if err != nil || gen != 9 || !reflect.DeepEqual(gotOwned, owned) {
		t.Fatalf("decode = %v %d %v", gotOwned, gen, err)
	}
	// Version 0 has no generation.
	gotOwned, gen, err = DecodeUserData(b[:len(b)-4])
	if err != nil || gen != NoGeneration || !reflect.DeepEqual(gotOwned, owned) {
		t.Fatalf("v0 decode = %v %d %v", gotOwned, gen, err)
	}
	for n := range len(b) - 4 {
		if _, _, err := DecodeUserData(b[:n]); err == nil {
			t.Fatalf("truncated to %d bytes decoded", n)
		}
	}
	if _, _, err := DecodeUserData([]byte{0x7f, 0xff, 0xff, 0xff, 0, 0}); err == nil {
		t.Fatal("huge array length decoded")
	}
}

func TestGenerationUserData(t *testing.T) {
	t.Parallel()
	if got := hex.EncodeToString(AppendGeneration(nil, 258)); got != "00000102" {
		t.Fatalf("got %s", got)
	}
	if DecodeGeneration([]byte{0, 0, 1, 2}) != 258 || DecodeGeneration([]byte{1}) != NoGeneration || DecodeGeneration(nil) != NoGeneration {
		t.Fatal("DecodeGeneration")
	}
}

func FuzzDecodeUserData(f *testing.F) {
	f.Add(AppendUserData(nil, []core.AssignorPartitions{{Topic: "a", Partitions: []int32{1}}, {Topic: "b"}}, 3))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		owned, gen, err := DecodeUserData(b)
		if err != nil {
			return
		}
		again := AppendUserData(nil, owned, gen)
		owned2, gen2, err := DecodeUserData(again)
		if err != nil || gen2 != gen || len(owned2) != len(owned) {
			t.Fatalf("re-encoding changed the user data: %v %d vs %v %d (%v)", owned, gen, owned2, gen2, err)
		}
	})
}
