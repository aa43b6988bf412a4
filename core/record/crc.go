package record

// CRC32C arithmetic for batches whose records were checksummed as they were
// appended. A CRC is a polynomial remainder, so the CRC of a concatenation
// follows from the CRCs of its parts: crc(A‖B) = shift(crc(A), len(B)) ⊕
// crc(B), where shift multiplies by x^(8·len(B)) modulo the polynomial.
// That lets a Builder checksum each record while it is still in the cache
// (a CRC over a batch written long before runs at a fifth of the speed on
// data that has left the cache) and add the header's part at the end, and
// lets SetProducer fix the CRC after rewriting header fields without
// reading the records again.

// castagnoliReversed is the CRC32C polynomial in the bit order of
// hash/crc32 (least significant bit first).
const castagnoliReversed = 0x82f63b78

// gfMul multiplies a and b, polynomials over GF(2) in reversed bit order
// (bit 31 is x^0), modulo the CRC32C polynomial.
func gfMul(a, b uint32) uint32 {
	var p uint32
	for range 32 {
		p ^= b & -(a >> 31) // a's top bit is the current power of x
		a <<= 1
		b = b>>1 ^ castagnoliReversed&-(b&1) // b *= x
	}
	return p
}

// xPow8Pow2 holds x^(8·2^k) modulo the CRC32C polynomial for k = 0..31.
var xPow8Pow2 = func() (t [32]uint32) {
	t[0] = 1 << 23 // x^8
	for k := 1; k < len(t); k++ {
		t[k] = gfMul(t[k-1], t[k-1])
	}
	return t
}()

// crcShift returns the CRC register c advanced over n zero bytes, without
// the pre- and post-inversion of a checksum: crc(A‖B) = crcShift(crc(A),
// len(B)) ^ crc(B) for checksums as hash/crc32 computes them.
func crcShift(c uint32, n int) uint32 {
	for k := 0; n > 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			c = gfMul(xPow8Pow2[k], c)
		}
	}
	return c
}

// crcConcat returns the CRC32C of A‖B from crcA, crcB and len(B).
func crcConcat(crcA, crcB uint32, lenB int) uint32 {
	return crcShift(crcA, lenB) ^ crcB
}
