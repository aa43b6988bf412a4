package tls_test

import (
	"fmt"

	kafkatls "github.com/kafka3/kafka3-go/transport/tls"
)

// Carrying a kafka-python configuration over: the ssl_ properties become a
// *crypto/tls.Config for core.Config.TLS.
func ExampleFromProperties() {
	cfg, err := kafkatls.FromProperties(map[string]string{
		"bootstrap_servers":  "broker:9093", // not an ssl property: ignored
		"ssl_check_hostname": "true",
	})
	fmt.Println(cfg.MinVersion == 0x0303, cfg.InsecureSkipVerify, err)
	// Output: true false <nil>
}
