package record

import "errors"

// ErrHeadersInLegacy is returned when records with headers are to be
// encoded as a legacy message set (magic 0 or 1), which cannot carry them:
// headers need a broker of Kafka 0.11 or newer (RecordBatch v2).
var ErrHeadersInLegacy = errors.New("record: legacy message sets (magic 0 and 1) cannot carry headers")

// AppendMessageSet appends the builder's records as a legacy message set of
// the given magic (0 or 1), for a broker older than 0.11 (Produce v0-2),
// compressed with codec unless it is nil; see the package function
// AppendMessageSet. It fails with ErrHeadersInLegacy when a record has
// headers. The builder is unchanged, so the same records can be encoded
// again as a v2 batch with AppendBatch.
func (b *Builder) AppendMessageSet(dst []byte, magic int8, codec Codec) ([]byte, error) {
	if b.n == 0 {
		return dst, errEmptyBatch
	}
	recs, err := b.records(make([]Record, 0, b.n))
	if err != nil {
		return dst, err
	}
	return AppendMessageSet(dst, magic, codec, recs)
}

var errBuilderCorrupt = errors.New("record: builder holds a malformed record")

// records parses the builder's encoded records back (keys and values alias
// the builder's buffer; headers are not returned: a record with headers is
// ErrHeadersInLegacy).
func (b *Builder) records(dst []Record) ([]Record, error) {
	buf := b.body()
	for len(buf) > 0 {
		size, n := readVarint32(buf)
		if n == 0 || size < 0 || int(size) > len(buf)-n {
			return dst, errBuilderCorrupt
		}
		body := buf[n : n+int(size)]
		buf = buf[n+int(size):]
		if len(body) < 1 {
			return dst, errBuilderCorrupt
		}
		pos := 1 // attributes
		tsDelta, n := readVarint(body[pos:], 10)
		if n == 0 {
			return dst, errBuilderCorrupt
		}
		pos += n
		if _, n = readVarint32(body[pos:]); n == 0 { // offset delta
			return dst, errBuilderCorrupt
		}
		pos += n
		var r Record
		var ok bool
		if r.Key, pos, ok = builderBytes(body, pos); !ok {
			return dst, errBuilderCorrupt
		}
		if r.Value, pos, ok = builderBytes(body, pos); !ok {
			return dst, errBuilderCorrupt
		}
		nh, n := readVarint32(body[pos:])
		if n == 0 {
			return dst, errBuilderCorrupt
		}
		if nh > 0 {
			return dst, ErrHeadersInLegacy
		}
		if b.baseTs >= 0 {
			r.Timestamp = fromMillis(b.baseTs + tsDelta)
		}
		dst = append(dst, r)
	}
	return dst, nil
}

// builderBytes reads a varint-length-prefixed nullable byte array at pos.
func builderBytes(b []byte, pos int) ([]byte, int, bool) {
	l, n := readVarint32(b[pos:])
	if n == 0 {
		return nil, pos, false
	}
	pos += n
	if l < 0 {
		return nil, pos, true
	}
	if int(l) > len(b)-pos {
		return nil, pos, false
	}
	return b[pos : pos+int(l) : pos+int(l)], pos + int(l), true
}
