package reliability

import (
	"time"

	"github.com/kafka3/kafka3-go/internal/faultproxy"
)

// fault is one network fault: on turns it on (for modes) or performs it
// (for one-shot actions); Clear on the network turns every mode off.
type fault struct {
	name string
	on   func(n *faultproxy.Network)
	// slow: the fault slows traffic but loses nothing, so calls must
	// succeed while it is on (not merely end in time).
	slow bool
	// hold is how long the schedule keeps the fault on.
	hold time.Duration
}

// faults are every fault the proxy injects. The holds are longer than the
// clients' RequestTimeout (2s, see netConfig) where a fault should make
// requests time out.
var faults = []fault{
	{name: "latency-50ms", on: func(n *faultproxy.Network) { n.SetLatency(50 * time.Millisecond) }, slow: true, hold: time.Second},
	{name: "bandwidth-256kBps", on: func(n *faultproxy.Network) { n.SetBandwidth(256 << 10) }, slow: true, hold: time.Second},
	{name: "reset-all", on: func(n *faultproxy.Network) { n.ResetAll() }},
	{name: "blackhole", on: func(n *faultproxy.Network) { n.SetBlackhole(true) }, hold: 3 * time.Second},
	{name: "stall-responses", on: func(n *faultproxy.Network) { n.SetStall(faultproxy.Downstream, true) }, hold: 3 * time.Second},
	{name: "stall-requests", on: func(n *faultproxy.Network) { n.SetStall(faultproxy.Upstream, true) }, hold: 3 * time.Second},
	{name: "half-close-responses", on: func(n *faultproxy.Network) { n.HalfClose(faultproxy.Downstream) }},
	{name: "half-close-requests", on: func(n *faultproxy.Network) { n.HalfClose(faultproxy.Upstream) }},
	{name: "broker-down", on: func(n *faultproxy.Network) { n.SetRefuse(true); n.ResetAll() }, hold: 1500 * time.Millisecond},
}

// schedule injects each fault in turn (holding it, then clearing it and
// letting traffic flow for gap), repeating for at least minDur, until stop
// closes. It returns the number of faults injected.
func schedule(n *faultproxy.Network, stop <-chan struct{}, minDur, gap time.Duration) int {
	injected := 0
	start := time.Now()
	for {
		for _, f := range faults {
			f.on(n)
			injected++
			select {
			case <-stop:
				n.Clear()
				return injected
			case <-time.After(f.hold):
			}
			n.Clear()
			select {
			case <-stop:
				return injected
			case <-time.After(gap):
			}
		}
		if time.Since(start) >= minDur {
			return injected
		}
	}
}
