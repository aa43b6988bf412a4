// Package interoptest checks the compression codecs and core/record against
// a real Kafka broker and the Java client, the reference implementation. It
// has no API: everything is in its tests, which need the broker that
// scripts/kafka starts and the Kafka tools classpath (see internal/kafkatest;
// under CI=true they fail instead of skipping when either is missing).
//
// For each codec (gzip, snappy, lz4, zstd) the tests check both directions:
//
//   - Java writes, kafka3-go reads: records produced by the Java tools
//     ProducerPerformance (2000 random 200-byte values) and ConsoleProducer
//     (keys, headers, null and empty keys, values and header values, UTF-8)
//     are fetched with a raw Fetch request and decoded with record.Decoder
//     and the registered codecs; every batch must carry the expected codec,
//     and keys, values, headers and offsets must be exactly what was sent.
//   - kafka3-go writes, Java reads: batches encoded with record.Builder and
//     each codec are sent with a raw Produce request, read back with the Java
//     ConsoleConsumer and compared byte for byte with what was encoded; the
//     compressed bytes fetched back must be the ones sent (the broker kept,
//     rather than recompressed, them after decompressing them to validate).
//
// It also checks that a batch compressed with a codec the decoder's lookup
// does not know fails at once with a *record.UnknownCodecError naming the
// topic, partition, offset and the import to add.
//
// Not covered here: the legacy message formats (magic v0 and v1, with the
// KAFKA-3160 lz4 framing of magic v0). Kafka 4.x brokers reject produce
// requests in those formats and never down-convert on fetch, so they cannot
// be exercised against the broker the tests run; they are covered by unit
// tests in core/record and codecs/lz4 against fixed vectors, and
// compatibility with old brokers is a later issue.
//
// The directory's _test suffix says that it holds only tests; the package
// is named interoptest, as Go names have no underscores. It is not under an
// internal/ directory because scripts/test (make test, hence CI) does not
// run the tests of plugin packages under internal/.
package interoptest
