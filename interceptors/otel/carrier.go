package otel

import "github.com/kafka3/kafka3-go/core"

// headers is a propagation.TextMapCarrier over a record's headers. Set
// never replaces or duplicates a header: a key already present (set by the
// application, or by an earlier propagator) is left as it is.
type headers struct{ h *[]core.Header }

// Get returns the value of the first header named key, or "".
func (c headers) Get(key string) string {
	for _, h := range *c.h {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// Set appends the header key unless the record has it already.
func (c headers) Set(key, value string) {
	for _, h := range *c.h {
		if h.Key == key {
			return
		}
	}
	*c.h = append(*c.h, core.Header{Key: key, Value: []byte(value)})
}

// Keys returns the header names.
func (c headers) Keys() []string {
	keys := make([]string, len(*c.h))
	for i, h := range *c.h {
		keys[i] = h.Key
	}
	return keys
}
