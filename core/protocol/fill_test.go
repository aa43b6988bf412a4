package protocol

import (
	"math/rand/v2"
	"reflect"
)

// filler sets every field of a message to a random value, with nulls where
// the Go type can hold them and unknown tagged fields on every struct, so
// that a round trip exercises every field a version has.
type filler struct {
	rng   *rand.Rand
	nulls bool // allow nil for pointers, nullable slices and bytes
}

var taggedFieldsType = reflect.TypeFor[TaggedFields]()

func (f *filler) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(f.rng.IntN(2) == 1)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.rng.Uint64()) >> (64 - v.Type().Bits()))
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		v.SetUint(f.rng.Uint64() >> (64 - v.Type().Bits()))
	case reflect.Float64:
		v.SetFloat(f.rng.NormFloat64() * 1e6)
	case reflect.String:
		v.SetString(f.str())
	case reflect.Array: // UUID
		for i := range v.Len() {
			v.Index(i).SetUint(uint64(f.rng.IntN(256)))
		}
	case reflect.Pointer:
		if f.nulls && f.rng.IntN(3) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), depth+1)
		v.Set(p)
	case reflect.Slice:
		if v.Type() == taggedFieldsType {
			f.fillTags(v)
			return
		}
		if f.nulls && f.rng.IntN(4) == 0 {
			v.SetZero()
			return
		}
		n := f.rng.IntN(4)
		if depth > 4 {
			n = min(n, 1)
		}
		if v.Type().Elem().Kind() == reflect.Uint8 { // bytes, records
			n = f.rng.IntN(200) // sometimes over 127: two-byte lengths
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			f.fill(v.Field(i), depth+1)
		}
	default:
		panic("filler: unexpected kind " + v.Kind().String())
	}
}

func (f *filler) str() string {
	const letters = "abcdefghijklmnopqrstuvwxyz-._0123456789"
	b := make([]byte, f.rng.IntN(12))
	for i := range b {
		b[i] = letters[f.rng.IntN(len(letters))]
	}
	return string(b)
}

// fillTags adds 0-2 unknown tagged fields with tags above any known one, in
// ascending order, one of them sometimes large.
func (f *filler) fillTags(v reflect.Value) {
	var tags TaggedFields
	tag := uint32(40)
	for range f.rng.IntN(3) {
		tag += 1 + uint32(f.rng.IntN(200))
		data := make([]byte, f.rng.IntN(150))
		for i := range data {
			data[i] = byte(f.rng.IntN(256))
		}
		tags = append(tags, TaggedField{Tag: tag, Data: data})
	}
	v.Set(reflect.ValueOf(tags))
}

// fillMessage returns a new message of the same type as m, filled.
func fillMessage(m Message, seed uint64, nulls bool) Message {
	f := &filler{rng: rand.New(rand.NewPCG(seed, 0x6b61666b61)), nulls: nulls}
	p := reflect.New(reflect.TypeOf(m).Elem())
	f.fill(p.Elem(), 0)
	return p.Interface().(Message)
}

// newLike returns a new zero message of the same type as m.
func newLike(m Message) Message {
	return reflect.New(reflect.TypeOf(m).Elem()).Interface().(Message)
}
