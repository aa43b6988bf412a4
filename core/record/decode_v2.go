package record

import (
	"fmt"
	"slices"
)

// minRecordSize is the smallest encoded v2 record: a length and six
// one-byte fields (attributes, timestamp delta, offset delta, key length,
// value length, header count).
const minRecordSize = 7

// recordParser walks the records section of a v2 batch.
type recordParser struct {
	b   []byte
	pos int
	err string
}

func (p *recordParser) varint32(what string) int32 {
	// Fast paths: most fields of a record (lengths, deltas, counts) take
	// one or two bytes.
	if i := p.pos; i+1 < len(p.b) {
		if c := p.b[i]; c < 0x80 {
			p.pos++
			return int32(c>>1) ^ -int32(c&1)
		} else if d := p.b[i+1]; d < 0x80 {
			ux := uint32(c&0x7f) | uint32(d)<<7
			p.pos += 2
			return int32(ux>>1) ^ -int32(ux&1)
		}
	}
	x, n := readVarint32(p.b[p.pos:])
	if n == 0 {
		p.fail("bad varint for " + what)
		return 0
	}
	p.pos += n
	return x
}

func (p *recordParser) varint64(what string) int64 {
	if i := p.pos; i < len(p.b) && p.b[i] < 0x80 { // a timestamp delta of 0..63 ms
		c := p.b[i]
		p.pos++
		return int64(c>>1) ^ -int64(c&1)
	}
	x, n := readVarint(p.b[p.pos:], 10)
	if n == 0 {
		p.fail("bad varlong for " + what)
		return 0
	}
	p.pos += n
	return x
}

func (p *recordParser) fail(msg string) {
	if p.err == "" {
		p.err = msg
	}
	p.pos = len(p.b) // stop reading
}

// bytes reads a nullable byte array whose length was just read.
func (p *recordParser) bytes(n int32, end int, what string) []byte {
	if n < 0 {
		if n != -1 {
			p.fail("negative " + what + " length")
		}
		return nil
	}
	if int(n) > end-p.pos {
		p.fail(what + " longer than its record")
		return nil
	}
	s := p.b[p.pos : p.pos+int(n) : p.pos+int(n)]
	p.pos += int(n)
	return s
}

func (d *Decoder) appendV2(dst []Record, b *Batch, data []byte) ([]Record, error) {
	n := int(b.NumRecords)
	if n > len(data)/minRecordSize {
		return dst, d.corrupt(b.BaseOffset, "record count %d impossible in %d bytes of records", n, len(data))
	}
	orig := len(dst)
	dst = slices.Grow(dst, n)
	logAppend := b.Attributes&attrLogAppendTime != 0
	tsType := CreateTime
	if logAppend {
		tsType = LogAppendTime
	}
	p := recordParser{b: data}
	dst = dst[:orig+n] // decoded in place: no copy of each record
	for i := range n {
		r := &dst[orig+i]
		if !d.parseV2Record(&p, b, r) {
			clear(dst[orig:])
			return dst[:orig], d.corrupt(b.BaseOffset, "record %d of %d: %s", i, n, p.err)
		}
		if logAppend {
			r.Timestamp = fromMillis(b.MaxTimestamp)
		}
		r.TimestampType = tsType
	}
	if p.pos != len(data) {
		clear(dst[orig:]) // no reference to data past the length returned
		return dst[:orig], d.corrupt(b.BaseOffset, "%d bytes left after the %d records the header announces", len(data)-p.pos, n)
	}
	return dst, nil
}

// parseV2Record decodes the next record into r and reports whether it
// could; on failure p.err says why.
func (d *Decoder) parseV2Record(p *recordParser, b *Batch, r *Record) bool {
	length := p.varint32("record length")
	if p.err != "" {
		return false
	}
	if length < minRecordSize-1 || int(length) > len(p.b)-p.pos {
		p.fail(fmt.Sprintf("record length %d impossible with %d bytes left", length, len(p.b)-p.pos))
		return false
	}
	end := p.pos + int(length)
	p.pos++ // attributes: unused
	tsDelta := p.varint64("timestamp delta")
	offDelta := p.varint32("offset delta")
	key := p.bytes(p.varint32("key length"), end, "key")
	value := p.bytes(p.varint32("value length"), end, "value")
	nh := p.varint32("header count")
	var headers []Header
	if nh < 0 || int(nh) > (end-p.pos)/2 {
		p.fail(fmt.Sprintf("header count %d impossible", nh))
	} else if nh > 0 && p.err == "" {
		headers = d.parseHeaders(p, int(nh), end)
	}
	if p.err == "" && p.pos != end {
		p.fail(fmt.Sprintf("record length %d does not match its %d bytes of fields", length, int(length)-(end-p.pos)))
	}
	if p.err != "" {
		return false
	}
	*r = Record{
		Topic:       d.topic,
		Partition:   d.partition,
		Offset:      b.BaseOffset + int64(offDelta),
		Timestamp:   fromMillis(b.FirstTimestamp + tsDelta),
		Key:         key,
		Value:       value,
		Headers:     headers,
		LeaderEpoch: b.PartitionLeaderEpoch,
	}
	return true
}

func (d *Decoder) parseHeaders(p *recordParser, n, end int) []Header {
	start := len(d.headers)
	for range n {
		kl := p.varint32("header key length")
		if kl < 0 {
			p.fail("null header key")
		}
		kb := p.bytes(kl, end, "header key")
		v := p.bytes(p.varint32("header value length"), end, "header value")
		if p.err != "" {
			d.headers = d.headers[:start]
			return nil
		}
		d.headers = append(d.headers, Header{Key: d.intern(kb), Value: v})
	}
	return d.headers[start:len(d.headers):len(d.headers)]
}

// intern returns kb as a string, from the decoder's cache when seen before.
func (d *Decoder) intern(kb []byte) string {
	if s, ok := d.keys[string(kb)]; ok { // no allocation for the lookup
		return s
	}
	s := string(kb)
	if d.keys == nil {
		d.keys = make(map[string]string)
	}
	if len(d.keys) < maxInternedKeys {
		d.keys[s] = s
	}
	return s
}
