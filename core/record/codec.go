package record

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Codec is a compression codec for record batches. Implementations must be
// safe for concurrent use; they pool their own encoders and decoders.
//
// The plugins in github.com/kafka3/kafka3-go/codecs/... implement it and
// register themselves in package core (core.Codec is an alias of this type).
type Codec interface {
	// ID is the codec's id in a batch's attributes: 1 gzip, 2 snappy, 3 lz4, 4 zstd.
	ID() int8
	// Name is the codec's name as in the Java property compression.type:
	// "gzip", "snappy", "lz4", "zstd".
	Name() string
	// AppendCompress appends the compressed form of src to dst and returns
	// the extended slice. src is not retained.
	AppendCompress(dst, src []byte) ([]byte, error)
	// AppendDecompress appends the decompressed form of src to dst and
	// returns the extended slice. If the decompressed output would be longer
	// than limit bytes it stops and returns an error wrapping
	// ErrDecompressLimit (a guard against decompression bombs). src is not
	// retained.
	AppendDecompress(dst, src []byte, limit int) ([]byte, error)
}

// V0Codec is implemented by codecs whose framing inside magic v0 message
// sets differs from the later formats: lz4, whose Kafka 0.8/0.9 framing
// computes the frame header checksum over the magic number too (KAFKA-3160).
// The encoder and decoder of legacy message sets use it when a codec
// provides it.
type V0Codec interface {
	Codec
	// AppendCompressV0 is AppendCompress with the magic v0 framing.
	AppendCompressV0(dst, src []byte) ([]byte, error)
	// AppendDecompressV0 is AppendDecompress accepting the magic v0 framing.
	AppendDecompressV0(dst, src []byte, limit int) ([]byte, error)
}

// Codec ids as stored in the low three bits of a batch's attributes.
const (
	CodecNone   int8 = 0
	CodecGzip   int8 = 1
	CodecSnappy int8 = 2
	CodecLZ4    int8 = 3
	CodecZstd   int8 = 4
)

// CodecName returns the name of the Kafka codec with the given attribute id,
// such as "zstd" for 4, "none" for 0, or "codec(7)" for ids Kafka does not
// define.
func CodecName(id int8) string {
	switch id {
	case CodecNone:
		return "none"
	case CodecGzip:
		return "gzip"
	case CodecSnappy:
		return "snappy"
	case CodecLZ4:
		return "lz4"
	case CodecZstd:
		return "zstd"
	}
	return "codec(" + strconv.Itoa(int(id)) + ")"
}

// CodecImportPath is the import path of the plugin package for a codec name.
func CodecImportPath(name string) string {
	return "github.com/kafka3/kafka3-go/codecs/" + name
}

// ErrDecompressLimit is wrapped by codec errors when decompressed output
// would exceed the caller's limit.
var ErrDecompressLimit = errors.New("decompressed size exceeds the limit")

// LimitError returns an error wrapping ErrDecompressLimit for a codec named
// name and the given limit; codecs use it so that messages are uniform.
func LimitError(name string, limit int) error {
	return fmt.Errorf("%s: %w of %d bytes", name, ErrDecompressLimit, limit)
}

// ErrCodecNotRegistered is matched (errors.Is) by *UnknownCodecError.
var ErrCodecNotRegistered = errors.New("compression codec is not registered")

// UnknownCodecError is returned by the Decoder for a batch compressed with a
// codec its lookup does not know. It is not retriable: the program must be
// built with the codec's package imported.
type UnknownCodecError struct {
	Topic     string
	Partition int32
	Offset    int64 // base offset of the batch
	ID        int8  // codec id from the batch attributes
}

// Name returns the codec's name, such as "zstd".
func (e *UnknownCodecError) Name() string { return CodecName(e.ID) }

func (e *UnknownCodecError) Error() string {
	name := e.Name()
	if e.ID < CodecGzip || e.ID > CodecZstd {
		return fmt.Sprintf("record: topic %q partition %d offset %d: batch uses %s, which Kafka does not define",
			e.Topic, e.Partition, e.Offset, name)
	}
	return fmt.Sprintf("record: topic %q partition %d offset %d: batch is compressed with %s, but compression codec %q is not registered (forgotten import _ %q?)",
		e.Topic, e.Partition, e.Offset, name, name, CodecImportPath(name))
}

// Is reports whether target is ErrCodecNotRegistered.
func (e *UnknownCodecError) Is(target error) bool { return target == ErrCodecNotRegistered }

// CorruptError reports a batch or message that cannot be decoded: a CRC
// mismatch, an impossible length, a bad varint, a record count that does not
// match, or data a codec rejects. Retrying the same fetch returns the same
// bytes, so callers should surface it rather than retry.
type CorruptError struct {
	Topic     string
	Partition int32
	Offset    int64  // base offset of the batch (or offset of the legacy message)
	Reason    string // what is wrong, e.g. "crc mismatch: stored 0x1, computed 0x2"
	Err       error  // underlying error (from a codec), or nil
}

func (e *CorruptError) Error() string {
	s := fmt.Sprintf("record: corrupt batch in topic %q partition %d at offset %d: %s",
		e.Topic, e.Partition, e.Offset, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *CorruptError) Unwrap() error { return e.Err }

// AppendReadLimit reads r to its end, appending to dst, for codecs built on
// streaming readers. It fails with LimitError(name, limit) as soon as more
// than limit bytes were read, so a decompression bomb costs at most limit
// bytes of memory (plus the growth slack of dst). Errors from r are
// prefixed with name.
func AppendReadLimit(dst []byte, r io.Reader, limit int, name string) ([]byte, error) {
	start := len(dst)
	limit = max(limit, 0)
	for {
		if len(dst) == cap(dst) {
			dst = append(dst[:cap(dst)], 0)[:len(dst)] // grow amortized
		}
		room := dst[len(dst):cap(dst)]
		if over := start + limit + 1 - len(dst); len(room) > over {
			room = room[:over] // read at most one byte past the limit
		}
		n, err := r.Read(room)
		dst = dst[:len(dst)+n]
		if len(dst)-start > limit {
			return dst[:start], LimitError(name, limit)
		}
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst[:start], fmt.Errorf("%s: %w", name, err)
		}
	}
}
