package record

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// DefaultMaxDecompressedBytes is the default bound on the decompressed size
// of one batch (Decoder.MaxDecompressedBytes), a guard against decompression
// bombs: 256 MiB.
const DefaultMaxDecompressedBytes = 256 << 20

// maxInternedKeys bounds the decoder's cache of header key strings.
const maxInternedKeys = 1024

// Decoder reads the batches of a records field (from a Fetch response, a
// Produce request or a log segment): RecordBatch v2 and legacy messages,
// possibly mixed. A batch cut short at the end of the input is normal (the
// broker fills up to the fetch size): Next stops there with io.EOF and
// Truncated reports it.
//
// Memory: decoded records, their keys, values, header values and Headers
// slices alias the input passed to Reset, the decoder's decompression buffer
// and its header arena. They stay valid until the next Reset, which reuses
// those buffers. Header keys are strings that never alias a buffer: they come
// from a per-decoder intern cache, so repeated keys allocate only the first
// time. Once warm, decoding into a reused []Record allocates nothing.
//
// Configure the exported fields before the first Reset. A Decoder is not
// safe for concurrent use; use one per goroutine.
type Decoder struct {
	// Codecs looks a codec up by id, typically core.CodecByID. A nil
	// function or a nil result makes compressed batches fail with
	// *UnknownCodecError.
	Codecs func(id int8) Codec
	// SkipCRC disables the CRC check (on by default).
	SkipCRC bool
	// MaxDecompressedBytes bounds the decompressed size of one batch;
	// 0 means DefaultMaxDecompressedBytes.
	MaxDecompressedBytes int
	// Buffers, when set, lends the buffers compressed batches are
	// decompressed into, and gets them back from Reset and Release, which
	// so end the records decoded into them. Nil: the decoder allocates
	// them and keeps the newest across Reset (records stay valid as long
	// as they are referenced).
	Buffers BufferPool

	topic     string
	partition int32
	data      []byte
	off       int
	truncated bool
	cur       Batch
	buf       []byte            // decompression output, appended to until Reset
	slab      int               // size of the last buffer started for buf
	lent      [][]byte          // buffers from Buffers since Reset (buf among them)
	inflated  int               // bytes decompressed since Reset
	headers   []Header          // header arena, appended to until Reset
	keys      map[string]string // interned header keys
}

// Reset starts decoding data, the records of the given topic and partition
// (used in errors and in the decoded records). It invalidates records
// decoded before, and gives the buffers they used back to Buffers.
func (d *Decoder) Reset(topic string, partition int32, data []byte) {
	d.topic, d.partition, d.data = topic, partition, data
	d.off = 0
	d.truncated = false
	d.cur = Batch{}
	if d.Buffers != nil {
		d.giveBack()
		d.slab = d.inflated / 2 // the next first buffer: what the last input took
	} else {
		d.buf = d.buf[:0]
	}
	d.inflated = 0
	clear(d.headers) // drop references into old inputs
	d.headers = d.headers[:0]
}

// Truncated reports whether Next stopped at a partial batch at the end of
// the input (rather than at its exact end).
func (d *Decoder) Truncated() bool { return d.truncated }

// Remaining returns the input not consumed yet.
func (d *Decoder) Remaining() []byte { return d.data[d.off:] }

func (d *Decoder) corrupt(offset int64, format string, args ...any) *CorruptError {
	return &CorruptError{Topic: d.topic, Partition: d.partition, Offset: offset, Reason: fmt.Sprintf(format, args...)}
}

// Next reads the next batch's header and checks its length and CRC. It
// returns io.EOF at the end of the input or at a partial trailing batch. A
// corrupt batch returns a *CorruptError; if its length was readable, Next
// has moved past it and may be called again, otherwise it returns io.EOF
// afterwards. The returned Batch is owned by the decoder and overwritten by
// the next call.
func (d *Decoder) Next() (*Batch, error) {
	rest := d.data[d.off:]
	if len(rest) < offMagic+1 {
		d.truncated = len(rest) > 0
		return nil, io.EOF
	}
	be := binary.BigEndian
	base := int64(be.Uint64(rest))
	size := int32(be.Uint32(rest[offBatchLength:]))
	magic := int8(rest[offMagic])
	if size < 0 {
		d.off = len(d.data)
		return nil, d.corrupt(base, "negative batch length %d", size)
	}
	end := offLeaderEpoch + int(size)
	if end > len(rest) {
		d.truncated = true
		return nil, io.EOF
	}
	d.off += end
	raw := rest[:end:end]
	switch magic {
	case 2:
		return d.parseV2(raw, base)
	case 0, 1:
		return d.parseLegacy(raw, base, magic)
	}
	return nil, d.corrupt(base, "unsupported magic %d", magic)
}

func (d *Decoder) parseV2(raw []byte, base int64) (*Batch, error) {
	if len(raw) < BatchHeaderSize {
		return nil, d.corrupt(base, "batch length %d is shorter than a v2 header", len(raw)-offLeaderEpoch)
	}
	be := binary.BigEndian
	b := &d.cur
	*b = Batch{
		BaseOffset:           base,
		Length:               int32(len(raw) - offLeaderEpoch),
		PartitionLeaderEpoch: int32(be.Uint32(raw[offLeaderEpoch:])),
		Magic:                2,
		CRC:                  be.Uint32(raw[offCRC:]),
		Attributes:           int16(be.Uint16(raw[offAttributes:])),
		LastOffsetDelta:      int32(be.Uint32(raw[offLastOffsetDelta:])),
		FirstTimestamp:       int64(be.Uint64(raw[offBaseTimestamp:])),
		MaxTimestamp:         int64(be.Uint64(raw[offMaxTimestamp:])),
		ProducerID:           int64(be.Uint64(raw[offProducerID:])),
		ProducerEpoch:        int16(be.Uint16(raw[offProducerEpoch:])),
		BaseSequence:         int32(be.Uint32(raw[offBaseSequence:])),
		NumRecords:           int32(be.Uint32(raw[offRecordCount:])),
		Raw:                  raw,
		records:              raw[BatchHeaderSize:],
	}
	if !d.SkipCRC {
		if crc := crc32.Checksum(raw[offAttributes:], castagnoli); crc != b.CRC {
			return nil, d.corrupt(base, "crc mismatch: stored %#08x, computed %#08x", b.CRC, crc)
		}
	}
	if b.NumRecords < 0 {
		return nil, d.corrupt(base, "negative record count %d", b.NumRecords)
	}
	if b.LastOffsetDelta < 0 {
		return nil, d.corrupt(base, "negative last offset delta %d", b.LastOffsetDelta)
	}
	return b, nil
}

func (d *Decoder) limit() int {
	if d.MaxDecompressedBytes > 0 {
		return d.MaxDecompressedBytes
	}
	return DefaultMaxDecompressedBytes
}

// codec returns the codec for a compressed batch, or an *UnknownCodecError.
func (d *Decoder) codec(id int8, offset int64) (Codec, error) {
	var c Codec
	if d.Codecs != nil {
		c = d.Codecs(id)
	}
	if c == nil {
		return nil, &UnknownCodecError{Topic: d.topic, Partition: d.partition, Offset: offset, ID: id}
	}
	return c, nil
}

// minSlab is the size of the decoder's first decompression buffer.
const minSlab = 64 << 10

// decompress decompresses src into the decoder's buffer and returns the
// new part. The codec only ever sees the free tail of the buffer, so when
// it has to grow it never copies the batches decoded before (whose records
// alias them); when the tail looks too small a new buffer of twice the
// previous size is started instead, and the old one lives on only as long
// as those records. Reset keeps the newest (largest) buffer, so a decoder
// that is reused for similar inputs stops allocating.
func (d *Decoder) decompress(c Codec, src []byte, offset int64, v0 bool) ([]byte, error) {
	if cap(d.buf)-len(d.buf) < 4*len(src) {
		d.slab = max(2*d.slab, minSlab, 8*len(src))
		if len(d.buf) == 0 {
			d.slab = max(d.slab, cap(d.buf))
		}
		d.buf = d.newBuffer(d.slab)
	}
	start := len(d.buf)
	tail := d.buf[start:start]
	var out []byte
	var err error
	if vc, ok := c.(V0Codec); ok && v0 {
		out, err = vc.AppendDecompressV0(tail, src, d.limit())
	} else {
		out, err = c.AppendDecompress(tail, src, d.limit())
	}
	if err != nil {
		return nil, &CorruptError{Topic: d.topic, Partition: d.partition, Offset: offset,
			Reason: "cannot decompress " + c.Name(), Err: err}
	}
	d.inflated += len(out)
	if cap(out) == cap(tail) && (cap(out) == 0 || &out[:1][0] == &d.buf[:start+1][start]) {
		d.buf = d.buf[:start+len(out)] // decoded in place
	} else {
		d.buf = out // the codec allocated: its buffer is the new one
		d.slab = max(d.slab, cap(out))
		if d.Buffers != nil {
			d.lent = append(d.lent, out[:0]) // ours now: given to Buffers with the rest
		}
	}
	return out[:len(out):len(out)], nil
}

// newBuffer returns an empty buffer of capacity n or more, from Buffers
// when it is set.
func (d *Decoder) newBuffer(n int) []byte {
	if d.Buffers == nil {
		return make([]byte, 0, n)
	}
	b := d.Buffers.Get(n)[:0]
	d.lent = append(d.lent, b)
	return b
}

// giveBack returns the buffers lent since Reset to Buffers.
func (d *Decoder) giveBack() {
	for i, b := range d.lent {
		d.Buffers.Put(b)
		d.lent[i] = nil
	}
	d.lent = d.lent[:0]
	d.buf = nil
}

// BufferPool lends a Decoder its decompression buffers (Decoder.Buffers).
// One shared by several decoders must be safe for concurrent use.
type BufferPool interface {
	// Get returns an empty buffer with a capacity of at least n.
	Get(n int) []byte
	// Put takes back a buffer that Get returned or that a codec grew from
	// one; nothing uses it afterwards.
	Put(b []byte)
}

// Inflated returns the bytes decompressed since the last Reset: the memory
// the records decoded since hold beyond the input.
func (d *Decoder) Inflated() int { return d.inflated }

// Release drops the decoder's buffers, as if new (keeping its exported
// configuration and header key cache); call it after Reset on a decoder
// that will stay idle. Records decoded before stay valid, keeping what
// they alias alive, unless the buffers came from Buffers: those go back.
func (d *Decoder) Release() {
	if d.Buffers != nil {
		d.giveBack()
	}
	d.buf, d.slab = nil, 0
	d.headers = nil
	d.data = nil
	d.cur = Batch{}
}

// AppendRecords decodes the records of b, the batch last returned by Next,
// appends them to dst and returns the extended slice. Compressed batches are
// decompressed with d.Codecs into the decoder's buffer. Control batches
// decode like others (see ParseControl); records the log cleaner removed are
// simply absent. On error dst is returned unextended.
func (d *Decoder) AppendRecords(dst []Record, b *Batch) ([]Record, error) {
	if b.Magic < 2 {
		return d.appendLegacy(dst, b)
	}
	data := b.records
	if id := b.CodecID(); id != CodecNone {
		c, err := d.codec(id, b.BaseOffset)
		if err != nil {
			return dst, err
		}
		if data, err = d.decompress(c, data, b.BaseOffset, false); err != nil {
			return dst, err
		}
	}
	return d.appendV2(dst, b, data)
}

// CountRecords returns the number of records the complete RecordBatch v2
// batches in data announce in their headers (a legacy message counts as
// one), without checking or decoding them, and at most one per 8 bytes: a
// cheap capacity hint for the slice AppendRecords fills.
func CountRecords(data []byte) int {
	n := 0
	for len(data) >= BatchHeaderSize {
		size := int32(binary.BigEndian.Uint32(data[offBatchLength:]))
		end := offLeaderEpoch + int(size)
		if size < 0 || end > len(data) {
			break
		}
		if data[offMagic] == 2 {
			// A corrupt or hostile header cannot make the hint large:
			// at most one record per 8 bytes of batch.
			n += min(max(int(int32(binary.BigEndian.Uint32(data[offRecordCount:]))), 0), end/8)
		} else {
			n++
		}
		data = data[end:]
	}
	return n
}

// NextOffset returns the offset that follows the last complete RecordBatch
// v2 batch in data (its base offset plus last offset delta, plus one),
// reading only batch headers: no CRC check, no decompression. A consumer
// can fetch on from there while it decodes data. ok is false when data
// holds no complete batch, or a legacy message, whose offsets need
// decoding. A corrupt batch is not detected: Next still reports it.
func NextOffset(data []byte) (next int64, ok bool) {
	be := binary.BigEndian
	for len(data) > offMagic {
		size := int32(be.Uint32(data[offBatchLength:]))
		end := offLeaderEpoch + int(size)
		if size < 0 || end > len(data) {
			break // partial (or corrupt: Next reports it)
		}
		if data[offMagic] != 2 {
			return 0, false
		}
		if end < BatchHeaderSize {
			break // corrupt: Next reports it
		}
		next, ok = int64(be.Uint64(data))+int64(int32(be.Uint32(data[offLastOffsetDelta:])))+1, true
		data = data[end:]
	}
	return next, ok
}
