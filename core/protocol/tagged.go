package protocol

// TaggedField is a tagged field of a flexible message that this package does
// not know, kept so that it can be re-emitted: its tag and its raw value. A
// decoded Data is a sub-slice of the decoder's input.
type TaggedField struct {
	Tag  uint32
	Data []byte
}

// TaggedFields is a list of unknown tagged fields, in ascending tag order.
// Every generated struct of a flexible message has one, named
// UnknownTaggedFields; encoding merges it with the known tagged fields by tag.
type TaggedFields []TaggedField

// AppendTaggedField appends one tagged field: its tag, the size of data and
// data.
func AppendTaggedField(dst []byte, tag uint32, data []byte) []byte {
	dst = AppendUvarint(dst, uint64(tag))
	dst = AppendUvarint(dst, uint64(len(data)))
	return append(dst, data...)
}

// AppendTaggedFields appends a whole tagged-field section holding only
// fields: their count, then each field.
func AppendTaggedFields(dst []byte, fields TaggedFields) []byte {
	dst = AppendUvarint(dst, uint64(len(fields)))
	return appendRawTags(dst, fields)
}

func appendRawTags(dst []byte, fields TaggedFields) []byte {
	for _, f := range fields {
		dst = AppendTaggedField(dst, f.Tag, f.Data)
	}
	return dst
}

// appendRawTagsBefore appends the fields of u whose tag is below tag and
// returns the rest, so that known and unknown fields go out in tag order.
func appendRawTagsBefore(dst []byte, u TaggedFields, tag uint32) ([]byte, TaggedFields) {
	i := 0
	for i < len(u) && u[i].Tag < tag {
		dst = AppendTaggedField(dst, u[i].Tag, u[i].Data)
		i++
	}
	return dst, u[i:]
}

// beginTagged appends a tag and a one-byte size placeholder; endTagged
// patches the size once the value has been appended after it, moving the
// value when the size needs more than one byte. Nothing is allocated.
func beginTagged(dst []byte, tag uint32) ([]byte, int) {
	dst = AppendUvarint(dst, uint64(tag))
	dst = append(dst, 0)
	return dst, len(dst)
}

func endTagged(dst []byte, mark int) []byte {
	size := len(dst) - mark
	extra := SizeUvarint(uint64(size)) - 1
	if extra > 0 {
		for range extra {
			dst = append(dst, 0)
		}
		copy(dst[mark+extra:], dst[mark:mark+size])
	}
	AppendUvarint(dst[:mark-1], uint64(size))
	return dst
}
