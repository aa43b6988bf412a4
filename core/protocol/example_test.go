package protocol_test

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// Encode an ApiVersions request with its header, as a client sends it
// (after a 4-byte size prefix), then decode it as a broker would and answer.
func Example() {
	req := &protocol.ApiVersionsRequest{ClientSoftwareName: "kafka3-go", ClientSoftwareVersion: "0.1.0"}
	const version = 3
	clientID := "example"
	h := protocol.RequestHeader{
		RequestApiKey:     req.Key(),
		RequestApiVersion: version,
		CorrelationId:     1,
		ClientId:          &clientID,
	}
	frame := h.AppendTo(nil, req.RequestHeaderVersion(version))
	frame = req.AppendTo(frame, version)

	// The broker side: the header says which request follows.
	gotHeader, got, err := protocol.DecodeRequest(frame)
	if err != nil {
		panic(err)
	}
	fmt.Println(protocol.APIName(gotHeader.RequestApiKey), gotHeader.RequestApiVersion, *gotHeader.ClientId)
	fmt.Println(got.(*protocol.ApiVersionsRequest).ClientSoftwareName)

	// Its answer, and the client decoding it.
	resp := got.NewResponse().(*protocol.ApiVersionsResponse)
	resp.ApiKeys = []protocol.ApiVersionsResponseApiVersion{{ApiKey: 0, MinVersion: 3, MaxVersion: 13}}
	body := resp.AppendTo(nil, version)

	var decoded protocol.ApiVersionsResponse
	if err := decoded.Decode(body, version); err != nil {
		panic(err)
	}
	k := decoded.ApiKeys[0]
	fmt.Printf("%s v%d-%d, response header v%d\n", protocol.APIName(k.ApiKey), k.MinVersion, k.MaxVersion,
		decoded.ResponseHeaderVersion(version))
	// Output:
	// ApiVersions 3 example
	// kafka3-go
	// Produce v3-13, response header v0
}
