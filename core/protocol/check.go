package protocol

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// StringTooLongError reports a string that a non-flexible version cannot
// carry: its length prefix is an int16, so at most 32767 bytes.
type StringTooLongError struct {
	Field string // the field's path, e.g. "CreateTopicsRequest.Topics[0].Configs[1].Value"
	Len   int    // the string's length in bytes
}

// Error implements error.
func (e *StringTooLongError) Error() string {
	return fmt.Sprintf("protocol: %s is %d bytes, more than the 32767 a non-flexible request version carries; shorten it, or use a broker new enough for the flexible version (Kafka 2.4+ for most requests)", e.Field, e.Len)
}

// CheckStrings returns a *StringTooLongError for the first string field of
// m longer than 32767 bytes, or nil. AppendTo cuts such a string at a
// non-flexible version, so call CheckStrings before encoding m at one; at a
// flexible version strings have no such bound. It walks m with reflection
// and allocates only when it finds one.
func CheckStrings(m Message) error {
	v := reflect.ValueOf(m)
	if e := checkStrings(v); e != nil {
		e.Field = reflect.Indirect(v).Type().Name() + e.Field
		return e
	}
	return nil
}

func checkStrings(v reflect.Value) *StringTooLongError {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return checkStrings(v.Elem())
		}
	case reflect.String:
		if v.Len() > math.MaxInt16 {
			return &StringTooLongError{Len: v.Len()}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if e := checkStrings(v.Field(i)); e != nil {
				e.Field = "." + t.Field(i).Name + e.Field
				return e
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes: int32 lengths
		}
		for i := range v.Len() {
			if e := checkStrings(v.Index(i)); e != nil {
				e.Field = "[" + strconv.Itoa(i) + "]" + e.Field
				return e
			}
		}
	}
	return nil
}
