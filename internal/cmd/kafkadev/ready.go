package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// ready polls the brokers until one answers a Metadata request that lists at
// least the wanted number of brokers and a controller. It speaks just enough
// of the protocol (ApiVersions v0, Metadata v1..v8, all non-flexible) to work
// against any broker from 0.10 on, and so does not depend on the library it
// is used to test.
func ready(args []string) error {
	fs := flag.NewFlagSet("ready", flag.ContinueOnError)
	brokers := fs.String("brokers", "", "comma-separated host:port list")
	nodes := fs.Int("nodes", 1, "number of brokers that must be listed")
	timeout := fs.Duration("timeout", 60*time.Second, "how long to wait")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *brokers == "" {
		return errors.New("ready: -brokers is required")
	}
	deadline := time.Now().Add(*timeout)
	var last error
	for time.Now().Before(deadline) {
		for _, addr := range strings.Split(*brokers, ",") {
			n, err := metadataBrokers(addr)
			if err == nil && n >= *nodes {
				return nil
			}
			if err == nil {
				err = fmt.Errorf("%s lists %d of %d brokers", addr, n, *nodes)
			}
			last = err
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("no broker ready within %v: %v", *timeout, last)
}

// metadataBrokers returns how many brokers addr's Metadata response lists,
// or an error when it has no controller yet.
func metadataBrokers(addr string) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r, err := roundTrip(conn, 18, 0, nil)
	if err != nil {
		return 0, fmt.Errorf("ApiVersions: %w", err)
	}
	version, err := metadataVersion(r)
	if err != nil {
		return 0, err
	}
	body := binary.BigEndian.AppendUint32(nil, 0xffffffff) // all topics
	if version >= 4 {
		body = append(body, 0) // allow_auto_topic_creation
	}
	if version >= 8 {
		body = append(body, 0, 0) // include authorized operations
	}
	if r, err = roundTrip(conn, 3, version, body); err != nil {
		return 0, fmt.Errorf("Metadata: %w", err)
	}
	return parseMetadata(r, version)
}

func metadataVersion(r *reader) (int16, error) {
	if code := r.int16(); code != 0 {
		return 0, fmt.Errorf("ApiVersions error code %d", code)
	}
	for n := r.int32(); n > 0 && r.err == nil; n-- {
		key, lo, hi := r.int16(), r.int16(), r.int16()
		if key == 3 {
			v := min(hi, 8)
			if v < lo || v < 1 {
				return 0, fmt.Errorf("no Metadata version in 1..8 (broker has %d..%d)", lo, hi)
			}
			return v, r.err
		}
	}
	return 0, errors.New("broker lists no Metadata API")
}

func parseMetadata(r *reader, version int16) (int, error) {
	if version >= 3 {
		r.int32() // throttle
	}
	n := int(r.int32())
	for i := 0; i < n && r.err == nil; i++ {
		r.int32()  // node id
		r.string() // host
		r.int32()  // port
		r.string() // rack (nullable: length -1 reads as empty)
	}
	if version >= 2 {
		r.string() // cluster id
	}
	controller := r.int32()
	if r.err != nil {
		return 0, r.err
	}
	if controller < 0 {
		return n, errors.New("no controller yet")
	}
	return n, nil
}

func roundTrip(conn net.Conn, key, version int16, body []byte) (*reader, error) {
	const correlation = 7
	var req []byte
	req = binary.BigEndian.AppendUint32(req, 0)
	req = binary.BigEndian.AppendUint16(req, uint16(key))
	req = binary.BigEndian.AppendUint16(req, uint16(version))
	req = binary.BigEndian.AppendUint32(req, correlation)
	req = binary.BigEndian.AppendUint16(req, 7)
	req = append(req, "kafkadev"[:7]...)
	req = append(req, body...)
	binary.BigEndian.PutUint32(req, uint32(len(req)-4))
	if _, err := conn.Write(req); err != nil {
		return nil, err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 4 || n > 64<<20 {
		return nil, fmt.Errorf("implausible response size %d", n)
	}
	resp := make([]byte, n)
	if _, err := io.ReadFull(conn, resp); err != nil {
		return nil, err
	}
	r := &reader{b: bytes.NewReader(resp)}
	if got := r.int32(); got != correlation {
		return nil, fmt.Errorf("correlation id %d, want %d", got, correlation)
	}
	return r, nil
}

type reader struct {
	b   *bytes.Reader
	err error
}

func (r *reader) read(n int) []byte {
	p := make([]byte, n)
	if r.err == nil {
		_, r.err = io.ReadFull(r.b, p)
	}
	return p
}

func (r *reader) int16() int16 { return int16(binary.BigEndian.Uint16(r.read(2))) }
func (r *reader) int32() int32 { return int32(binary.BigEndian.Uint32(r.read(4))) }

func (r *reader) string() string {
	n := r.int16()
	if n <= 0 {
		return ""
	}
	return string(r.read(int(n)))
}
