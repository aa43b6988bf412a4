package codecs

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"testing"

	"github.com/pierrec/lz4/v4"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/record"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestFetchDecodeMemory is the regression test for the consumer's memory
// blow-up on compressed topics: decoding one partition's 1 MiB of 16 KiB
// zstd batches used to reallocate and copy the whole decompression buffer
// for every batch (5.8 GB allocated per fetch, 851 MiB peak RSS in the
// comparison harness), and every lz4 batch of a 4 MiB-block frame (what
// franz-go and sarama write) reserved 4 MiB. Decoding now allocates about
// a small multiple of what the batches decompress to (the
// buffer and the record slice grow geometrically), and nothing once warm.
func TestFetchDecodeMemory(t *testing.T) {
	for _, name := range []string{"lz4", "zstd", "snappy", "gzip"} {
		t.Run(name, func(t *testing.T) {
			data, n := fetchData(t, name, 100, 16<<10, 1<<20)
			var d record.Decoder
			d.Codecs = core.CodecByID
			var out []record.Record
			var raw int
			got := allocated(func() {
				out = decodeAll(t, &d, data, out)
			})
			if len(out) != n {
				t.Fatalf("%d records, want %d", len(out), n)
			}
			for i := range out {
				raw += len(out[i].Key) + len(out[i].Value) + 30
			}
			recs := uint64(cap(out)) * uint64(recordSize)
			if limit := 8*uint64(raw) + 3*recs; got > limit { // geometric growth of both: a few times the final size
				t.Errorf("decoding %d records (%d bytes of keys and values) allocated %d bytes, want at most %d", n, raw, got, limit)
			}
			if raceEnabled {
				return
			}
			out = decodeAll(t, &d, data, out[:0]) // the buffer settles at the fetch's size
			// The least of three decodes: codecs keep their readers in a
			// sync.Pool, which garbage collections empty, so a decode during
			// which the collector ran (often on a loaded machine) may make a
			// new reader (gzip: ~78 KB).
			again := uint64(1 << 62)
			for range 3 {
				again = min(again, allocated(func() { out = decodeAll(t, &d, data, out[:0]) }))
			}
			if again > 64<<10 {
				t.Errorf("decoding the fetch again with the same Decoder allocated %d bytes, want ~0", again)
			}
		})
	}
}

// recordSize approximates unsafe.Sizeof(record.Record{}).
const recordSize = 160

// TestLZ4LargeBlockFrames decodes batches whose LZ4 frames declare 4 MiB
// blocks, as pierrec/lz4's Writer (franz-go, sarama) writes them: a 16 KiB
// batch must not cost 4 MiB of buffer.
func TestLZ4LargeBlockFrames(t *testing.T) {
	recs := benchRecords(100, 16<<10)
	var bl record.Builder
	for i := range recs {
		bl.Append(&recs[i])
	}
	plain, err := bl.AppendBatch(nil, new(record.NoProducer()))
	if err != nil {
		t.Fatal(err)
	}
	batch := relz4(t, plain)
	var d record.Decoder
	d.Codecs = core.CodecByID
	var out []record.Record
	got := allocated(func() { out = decodeAll(t, &d, batch, out) })
	if len(out) != len(recs) {
		t.Fatalf("%d records, want %d", len(out), len(recs))
	}
	if limit := uint64(256 << 10); got > limit {
		t.Errorf("decoding one %d-byte batch allocated %d bytes, want at most %d", len(plain), got, limit)
	}
}

// relz4 turns an uncompressed v2 batch into one compressed by
// pierrec/lz4's Writer with its defaults (4 MiB blocks).
func relz4(t *testing.T, plain []byte) []byte {
	const hdr = 61 // record.BatchHeaderSize
	var z bytes.Buffer
	w := lz4.NewWriter(&z)
	if _, err := w.Write(plain[hdr:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := append(bytes.Clone(plain[:hdr]), z.Bytes()...)
	be := binary.BigEndian
	be.PutUint32(out[8:], uint32(len(out)-12))                          // batch length
	be.PutUint16(out[21:], be.Uint16(out[21:])|uint16(record.CodecLZ4)) // attributes
	be.PutUint32(out[17:], crc32.Checksum(out[21:], crc32.MakeTable(crc32.Castagnoli)))
	return out
}
