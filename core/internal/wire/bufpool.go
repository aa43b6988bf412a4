package wire

import (
	"math/bits"
	"sync"
)

// Response buffers are pooled in power-of-two size classes from 4 KiB to
// 1 MiB. Larger frames (big fetches) are allocated and left to the GC so that
// the pool never pins tens of megabytes.
const (
	minClassBits = 12
	maxClassBits = 20
)

var bufPools [maxClassBits - minClassBits + 1]sync.Pool

// sizeClass returns the pool index for a buffer of n bytes (n <= 1 MiB).
func sizeClass(n int) int {
	if n <= 1<<minClassBits {
		return 0
	}
	return bits.Len(uint(n-1)) - minClassBits
}

// getBuf returns a buffer of length n, pooled when n is at most 1 MiB.
func getBuf(n int) *[]byte {
	if n > 1<<maxClassBits {
		b := make([]byte, n)
		return &b
	}
	c := sizeClass(n)
	if v := bufPools[c].Get(); v != nil {
		bp := v.(*[]byte)
		*bp = (*bp)[:n]
		return bp
	}
	b := make([]byte, n, 1<<(c+minClassBits))
	return &b
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
