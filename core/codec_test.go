package core

import (
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core/record"
)

// fakeCodec uses ids 5..7, which Kafka does not define, so the test does
// not collide with the real codecs.
type fakeCodec struct {
	id   int8
	name string
}

func (c *fakeCodec) ID() int8     { return c.id }
func (c *fakeCodec) Name() string { return c.name }
func (c *fakeCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	return append(dst, src...), nil
}
func (c *fakeCodec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	if len(src) > limit {
		return dst, record.LimitError(c.name, limit)
	}
	return append(dst, src...), nil
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if r == nil || !strings.Contains(msg, want) {
			t.Fatalf("panic = %v, want one containing %q", r, want)
		}
	}()
	f()
}

func TestRegisterCodec(t *testing.T) {
	c := &fakeCodec{5, "fake5"}
	RegisterCodec(c)
	RegisterCodec(c) // same codec again: no-op
	if got, err := CodecByName("fake5"); err != nil || got != c {
		t.Fatalf("CodecByName(fake5) = %v, %v", got, err)
	}
	if got := CodecByID(5); got != c {
		t.Fatalf("CodecByID(5) = %v", got)
	}
	found := false
	for _, n := range Codecs() {
		found = found || n == "fake5"
	}
	if !found {
		t.Fatalf("Codecs() = %v, missing fake5", Codecs())
	}
	mustPanic(t, `compression codec "fake5" registered twice: *core.fakeCodec and *core.fakeCodec`, func() {
		RegisterCodec(&fakeCodec{5, "fake5"})
	})
	mustPanic(t, `compression codec id 5 registered twice: "fake5" (*core.fakeCodec) and "other" (*core.fakeCodec)`, func() {
		RegisterCodec(&fakeCodec{5, "other"})
	})
	mustPanic(t, `under the name "none"`, func() { RegisterCodec(&fakeCodec{6, "none"}) })
	mustPanic(t, "want 1..7", func() { RegisterCodec(&fakeCodec{0, "zero"}) })
	mustPanic(t, "want 1..7", func() { RegisterCodec(&fakeCodec{8, "eight"}) })
	if got := CodecByID(6); got != nil {
		t.Fatalf("a failed registration left %v", got)
	}
}

func TestCodecLookups(t *testing.T) {
	// Not parallel: AllocsPerRun forbids it.
	for _, name := range []string{"none", ""} {
		if c, err := CodecByName(name); c != nil || err != nil {
			t.Fatalf("CodecByName(%q) = %v, %v; want nil, nil", name, c, err)
		}
	}
	// Other test files of this binary import the codec plugins, so check the
	// message with a name no package registers, and its builder for zstd.
	_, err := CodecByName("brotli")
	want := `core: compression codec "brotli" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/codecs/brotli"?)`
	if err == nil || err.Error() != want {
		t.Fatalf("CodecByName(brotli) error = %v\nwant %s", err, want)
	}
	want = `core: compression codec "zstd" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/codecs/zstd"?)`
	if err := codecRegistry.NotRegistered("zstd"); err.Error() != want {
		t.Fatalf("not-registered error for zstd = %v\nwant %s", err, want)
	}
	for _, id := range []int8{-1, 0, 8, 127} {
		if c := CodecByID(id); c != nil {
			t.Fatalf("CodecByID(%d) = %v", id, c)
		}
	}
	if n := testing.AllocsPerRun(100, func() { CodecByID(4) }); n != 0 {
		t.Fatalf("CodecByID allocates %v times", n)
	}
}
