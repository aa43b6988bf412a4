package lz4

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"github.com/pierrec/lz4/v4"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

func TestXXH32KnownValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want uint32
	}{
		{"", 0x02CC5D05},
		{"abc", 0x32D153FF},
		{"Nobody inspects the spammish repetition", 0xE2293B2F},
	} {
		if got := xxh32([]byte(tc.in)); got != tc.want {
			t.Errorf("xxh32(%q) = %#x, want %#x", tc.in, got, tc.want)
		}
	}
}

// TestFrameHeader checks the header byte for byte: the standard one that
// the LZ4 CLI and the Java client write for independent 64 KiB blocks
// (HC 0x82), and the Kafka 0.8/0.9 one for magic v0, whose HC covers the
// magic number too.
func TestFrameHeader(t *testing.T) {
	t.Parallel()
	c := Default()
	z, _ := c.AppendCompress(nil, nil)
	if got := hex.EncodeToString(z); got != "04224d18604082"+"00000000" {
		t.Fatalf("empty frame = %s", got)
	}
	z0, _ := c.AppendCompressV0(nil, nil)
	want := byte(xxh32([]byte{0x04, 0x22, 0x4d, 0x18, 0x60, 0x40}) >> 8)
	if z0[6] != want || z0[6] == 0x82 {
		t.Fatalf("v0 header checksum = %#x, want %#x", z0[6], want)
	}
	if _, err := c.AppendDecompress(nil, z0, 10); err == nil {
		t.Fatal("v0 framing accepted as v1")
	}
	if out, err := c.AppendDecompressV0(nil, z0, 10); err != nil || len(out) != 0 {
		t.Fatalf("v0 framing: %v", err)
	}
	// The header from Kafka's MessageCompressionTest, followed by an end mark.
	if _, err := c.AppendDecompressV0(nil, []byte{0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, 0x1A, 0, 0, 0, 0}, 10); err != nil {
		t.Fatal(err)
	}
	in := codectest.Payload(100 << 10)
	z0, _ = c.AppendCompressV0(nil, in)
	if out, err := c.AppendDecompressV0(nil, z0, len(in)); err != nil || !bytes.Equal(out, in) {
		t.Fatalf("v0 round trip: %v", err)
	}
}

// TestLibraryReadsOurFrames decodes our frames with pierrec's own Reader.
func TestLibraryReadsOurFrames(t *testing.T) {
	t.Parallel()
	for _, level := range []int{0, 9} {
		c, err := New(WithLevel(level))
		if err != nil {
			t.Fatal(err)
		}
		for name, in := range codectest.Inputs() {
			z, _ := c.AppendCompress(nil, in)
			out, err := io.ReadAll(lz4.NewReader(bytes.NewReader(z)))
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("level %d %s: pierrec reader: %v", level, name, err)
			}
		}
	}
}

// TestWeReadLibraryFrames decodes frames of every block size and checksum
// option pierrec's Writer offers, and concatenated frames.
func TestWeReadLibraryFrames(t *testing.T) {
	t.Parallel()
	in := codectest.Payload(3<<20 + 5)
	var all, want []byte
	for _, bs := range []lz4.BlockSize{lz4.Block64Kb, lz4.Block256Kb, lz4.Block1Mb, lz4.Block4Mb} {
		for _, sums := range []bool{false, true} {
			var buf bytes.Buffer
			w := lz4.NewWriter(&buf)
			if err := w.Apply(lz4.BlockSizeOption(bs), lz4.ChecksumOption(sums), lz4.BlockChecksumOption(sums),
				lz4.SizeOption(uint64(len(in)))); err != nil {
				t.Fatal(err)
			}
			w.Write(in)
			w.Close()
			out, err := Default().AppendDecompress(nil, buf.Bytes(), len(in))
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("block size %v checksums %v: %v", bs, sums, err)
			}
			all = append(all, buf.Bytes()...)
			want = append(want, in...)
		}
	}
	all = append(all, 0x50, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 'x', 'y') // a skippable frame
	out, err := Default().AppendDecompress(nil, all, len(want))
	if err != nil || !bytes.Equal(out, want) {
		t.Fatalf("concatenated frames: %v", err)
	}
	bad := bytes.Clone(all[:len(all)-10])
	bad[len(bad)-5] ^= 1 // content checksum of the last frame
	if _, err := Default().AppendDecompress(nil, bad, len(want)); !errors.Is(err, errCorrupt) {
		t.Fatalf("bad content checksum: %v", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, l := range []int{-1, 10} {
		if _, err := New(WithLevel(l)); err == nil {
			t.Errorf("level %d accepted", l)
		}
	}
}
