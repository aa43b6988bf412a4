package wire_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"

	"github.com/kafka3/kafka3-go/core/internal/wire"
)

// pipeBroker is a DialFunc whose "broker" answers every header-v1 request
// with "hello" in a header-v0 response: a stand-in for a Transport plugin.
func pipeBroker(ctx context.Context, network, addr string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		var size [4]byte
		for {
			if _, err := io.ReadFull(server, size[:]); err != nil {
				return
			}
			frame := make([]byte, binary.BigEndian.Uint32(size[:]))
			if _, err := io.ReadFull(server, frame); err != nil {
				return
			}
			resp := binary.BigEndian.AppendUint32(nil, 4+5)
			resp = append(resp, frame[4:8]...) // the correlation id
			server.Write(append(resp, "hello"...))
		}
	}()
	return client, nil
}

func Example() {
	b := wire.NewBroker("broker-1:9092", wire.BrokerOptions{
		Dial: pipeBroker, // nil means plain TCP
		Conn: wire.Options{ClientID: "example"},
	})
	defer b.Close()

	// ApiVersions v0 (key 18): request header v1, response header v0.
	req := &wire.Request{Key: 18, Version: 0, HeaderVersion: 1}
	resp, err := b.RoundTrip(context.Background(), wire.LaneAdmin, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Release() // optional: recycles resp.Body
	fmt.Printf("correlation id %d: %s\n", resp.CorrelationID, resp.Body)
	// Output: correlation id 1: hello
}
