// Package groupproto encodes and decodes the metadata that consumer group
// members exchange through the group coordinator in the classic protocol:
// Java's ConsumerProtocol Subscription (the JoinGroup protocol metadata) and
// Assignment (the SyncGroup assignment), versions 0 to 3.
//
// The encoding is Kafka's non-flexible one: a big-endian int16 version first,
// then the fields of that version. Decoding a version above the highest known
// one reads the known fields and ignores the rest, as Java's client does, so a
// group can mix members of newer and older clients.
//
// Decoders never panic on malformed input: every length is checked against the
// bytes that remain before anything is allocated. Decoded values never retain
// the input buffer.
//
// The package uses only the standard library so that it does not depend on
// the generated protocol package.
package groupproto
