package groupproto

import (
	"encoding/hex"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func fullSubscription(v int16) Subscription {
	s := Subscription{Version: v, Topics: []string{"a", "b"}, UserData: []byte{1, 2}, GenerationID: NoGeneration}
	if v >= 1 {
		s.OwnedPartitions = []TopicPartitions{{Topic: "a", Partitions: []int32{0, 3}}}
	}
	if v >= 2 {
		s.GenerationID = 7
	}
	if v >= 3 {
		s.RackID = ptr("rack-1")
	}
	return s
}

func TestSubscriptionRoundTrip(t *testing.T) {
	t.Parallel()
	for v := int16(0); v <= HighestVersion; v++ {
		in := fullSubscription(v)
		b, err := AppendSubscription(nil, &in)
		if err != nil {
			t.Fatalf("v%d: %v", v, err)
		}
		out, err := DecodeSubscription(b)
		if err != nil {
			t.Fatalf("v%d: %v", v, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("v%d: round trip\n got %+v\nwant %+v", v, out, in)
		}
	}
}

func TestSubscriptionDropsFieldsOfLaterVersions(t *testing.T) {
	t.Parallel()
	in := fullSubscription(3)
	in.Version = 0
	b, err := AppendSubscription(nil, &in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeSubscription(b)
	if err != nil {
		t.Fatal(err)
	}
	if out.OwnedPartitions != nil || out.GenerationID != NoGeneration || out.RackID != nil {
		t.Fatalf("v0 kept later fields: %+v", out)
	}
}

// Bytes written by hand from ConsumerProtocolSubscription.json.
func TestSubscriptionWireBytes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		s    Subscription
		hex  string
	}{
		{"v0 null user data", Subscription{Version: 0, Topics: []string{"t"}},
			"0000" + "00000001" + "000174" + "ffffffff"},
		{"v3", Subscription{Version: 3, Topics: []string{"t"}, UserData: []byte{},
			OwnedPartitions: []TopicPartitions{{"t", []int32{0, 1}}}, GenerationID: 5, RackID: ptr("r")},
			"0003" + "00000001" + "000174" + "00000000" + "00000001" + "000174" + "00000002" + "00000000" + "00000001" +
				"00000005" + "000172"},
		{"v3 null rack", Subscription{Version: 3, GenerationID: -1},
			"0003" + "00000000" + "ffffffff" + "00000000" + "ffffffff" + "ffff"},
	}
	for _, c := range cases {
		b, err := AppendSubscription([]byte{0xee}, &c.s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := hex.EncodeToString(b[1:]); got != c.hex || b[0] != 0xee {
			t.Fatalf("%s: got %s want %s", c.name, got, c.hex)
		}
	}
}

func TestSubscriptionForwardCompatible(t *testing.T) {
	t.Parallel()
	in := fullSubscription(3)
	b, _ := AppendSubscription(nil, &in)
	b[1] = 9                                     // a future version
	b = append(b, 0, 0, 0, 42, 0xde, 0xad, 0xbe) // with fields we do not know
	out, err := DecodeSubscription(b)
	if err != nil {
		t.Fatal(err)
	}
	in.Version = 9
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("got %+v want %+v", out, in)
	}
}

func TestAssignmentRoundTripAndBytes(t *testing.T) {
	t.Parallel()
	for v := int16(0); v <= HighestVersion; v++ {
		in := Assignment{Version: v, Partitions: []TopicPartitions{{"x", []int32{2}}, {"y", nil}}, UserData: []byte("u")}
		b, err := AppendAssignment(nil, &in)
		if err != nil {
			t.Fatal(err)
		}
		want := "000" + string(rune('0'+v)) + "00000002" + "000178" + "00000001" + "00000002" + "000179" + "00000000" + "00000001" + "75"
		if got := hex.EncodeToString(b); got != want {
			t.Fatalf("v%d: got %s want %s", v, got, want)
		}
		out, err := DecodeAssignment(append(b, 1, 2, 3))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("v%d: got %+v want %+v", v, out, in)
		}
	}
	if a, err := DecodeAssignment(nil); err != nil || a.Partitions != nil {
		t.Fatalf("empty assignment: %+v, %v", a, err)
	}
}

func TestEncodeRejectsBadInput(t *testing.T) {
	t.Parallel()
	if _, err := AppendSubscription(nil, &Subscription{Version: 4}); err == nil {
		t.Fatal("version 4 encoded")
	}
	if _, err := AppendAssignment(nil, &Assignment{Version: -1}); err == nil {
		t.Fatal("version -1 encoded")
	}
	long := strings.Repeat("x", 1<<15)
	if _, err := AppendSubscription(nil, &Subscription{Topics: []string{long}}); err == nil {
		t.Fatal("over-long topic encoded")
	}
}

func TestDecodersRejectEveryTruncation(t *testing.T) {
	t.Parallel()
	in := fullSubscription(3)
	sb, _ := AppendSubscription(nil, &in)
	for n := 0; n < len(sb); n++ {
		if _, err := DecodeSubscription(sb[:n]); err == nil {
			t.Fatalf("subscription truncated to %d bytes decoded", n)
		}
	}
	ab, _ := AppendAssignment(nil, &Assignment{Version: 1, Partitions: []TopicPartitions{{"x", []int32{1}}}})
	for n := 1; n < len(ab); n++ {
		if _, err := DecodeAssignment(ab[:n]); err == nil {
			t.Fatalf("assignment truncated to %d bytes decoded", n)
		}
	}
}

func TestDecodersRejectHugeLengthsWithoutAllocating(t *testing.T) {
	// What matters is that a lying length does not allocate its 2 GiB: count
	// bytes, not allocations (their number differs under the race detector).
	huge := []byte{0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 1}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 10; i++ {
		if _, err := DecodeSubscription(huge); err == nil {
			t.Fatal("decoded")
		}
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Fatalf("decoding a huge array length 10 times allocated %d bytes", grew)
	}
	for _, b := range [][]byte{{0xff, 0xff}, {0, 0, 0xff, 0xff, 0xff, 0xfe}, {0, 0, 0, 0, 0, 1, 0xff, 0xfe}} {
		if _, err := DecodeSubscription(b); err == nil {
			t.Fatalf("decoded %x", b)
		}
		if _, err := DecodeAssignment(b); err == nil {
			t.Fatalf("decoded assignment %x", b)
		}
	}
}

func FuzzDecodeSubscription(f *testing.F) {
	for v := int16(0); v <= HighestVersion; v++ {
		s := fullSubscription(v)
		b, _ := AppendSubscription(nil, &s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSubscription(b)
		if err != nil {
			return
		}
		if s.Version > HighestVersion {
			s.Version = HighestVersion
		}
		again, err := AppendSubscription(nil, &s)
		if err != nil {
			return // e.g. a rack of a version that cannot be re-encoded: fine
		}
		s2, err := DecodeSubscription(again)
		if err != nil || !reflect.DeepEqual(normSub(s), normSub(s2)) {
			t.Fatalf("re-encoding changed the subscription: %+v vs %+v (%v)", s, s2, err)
		}
	})
}

func FuzzDecodeAssignment(f *testing.F) {
	b, _ := AppendAssignment(nil, &Assignment{Version: 3, Partitions: []TopicPartitions{{"x", []int32{1, 2}}}, UserData: []byte{9}})
	f.Add(b)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAssignment(b)
		if err != nil {
			return
		}
		if a.Version > HighestVersion {
			a.Version = HighestVersion
		}
		again, err := AppendAssignment(nil, &a)
		if err != nil {
			t.Fatal(err)
		}
		a2, err := DecodeAssignment(again)
		if err != nil || !reflect.DeepEqual(normAsg(a), normAsg(a2)) {
			t.Fatalf("re-encoding changed the assignment: %+v vs %+v (%v)", a, a2, err)
		}
	})
}

// normSub maps the null and empty forms that decode alike to one form.
func normSub(s Subscription) Subscription {
	if len(s.Topics) == 0 {
		s.Topics = nil
	}
	if len(s.OwnedPartitions) == 0 {
		s.OwnedPartitions = nil
	}
	for i := range s.OwnedPartitions {
		if len(s.OwnedPartitions[i].Partitions) == 0 {
			s.OwnedPartitions[i].Partitions = nil
		}
	}
	return s
}

func normAsg(a Assignment) Assignment {
	if len(a.Partitions) == 0 {
		a.Partitions = nil
	}
	for i := range a.Partitions {
		if len(a.Partitions[i].Partitions) == 0 {
			a.Partitions[i].Partitions = nil
		}
	}
	return a
}
