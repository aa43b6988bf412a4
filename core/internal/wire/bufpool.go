package wire

import (
	"math/bits"
	"sync"
)

// Response buffers are pooled in power-of-two size classes from 4 KiB to
// 64 MiB; larger frames are allocated and left to the GC. Fetch responses
// of several MiB (1 MiB per partition by default) are the ones worth
// pooling: allocating one zeroes it, and a consumer reads one every few
// milliseconds. A sync.Pool drops what stays unused for two garbage
// collections, so an idle client does not pin them; the unused tail of a
// class's buffer is never written, so it costs address space, not memory,
// until a larger frame needs it.
const (
	minClassBits = 12
	maxClassBits = 26
)

var bufPools [maxClassBits - minClassBits + 1]sync.Pool

// sizeClass returns the pool index for a buffer of n bytes (n <= 64 MiB).
func sizeClass(n int) int {
	if n <= 1<<minClassBits {
		return 0
	}
	return bits.Len(uint(n-1)) - minClassBits
}

// getBuf returns a buffer of length n, pooled when n is at most 64 MiB.
func getBuf(n int) *[]byte {
	if bp := pooledBuf(n); bp != nil {
		return bp
	}
	if n > 1<<maxClassBits {
		b := make([]byte, n)
		return &b
	}
	b := make([]byte, n, 1<<(sizeClass(n)+minClassBits))
	return &b
}

// pooledBuf returns a buffer of length n from the pool, or nil when the
// pool has none (or n is over 64 MiB): taking it allocates nothing.
func pooledBuf(n int) *[]byte {
	if n > 1<<maxClassBits {
		return nil
	}
	if v := bufPools[sizeClass(n)].Get(); v != nil {
		bp := v.(*[]byte)
		*bp = (*bp)[:n]
		return bp
	}
	return nil
}

// putBuf returns a buffer from getBuf to its pool; others are dropped.
func putBuf(bp *[]byte) {
	if bp == nil {
		return
	}
	c := cap(*bp)
	if c < 1<<minClassBits || c > 1<<maxClassBits || c&(c-1) != 0 {
		return
	}
	*bp = (*bp)[:0]
	bufPools[sizeClass(c)].Put(bp)
}

// Buffers lends the response buffers' size classes to others whose large
// buffers come and go as often, such as the consumer's decompression
// buffers (a record.BufferPool). The zero value is ready and safe for
// concurrent use.
type Buffers struct{}

// Get returns an empty buffer with a capacity of at least n: a pooled one
// of n's size class when there is one.
func (Buffers) Get(n int) []byte { return (*getBuf(n))[:0] }

// Put pools b if its capacity is one of the size classes, and drops it
// otherwise; b must not be used afterwards.
func (Buffers) Put(b []byte) { putBuf(&b) }
