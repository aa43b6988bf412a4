//go:build race

package codecs

// sync.Pool drops items at random under the race detector, so warm
// decoders may allocate there.
const raceEnabled = true
