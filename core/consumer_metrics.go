package core

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/metrics"
)

// consumerMetrics are the consumer's sensors. They are recorded once per
// Poll and once per fetch, never per record.
type consumerMetrics struct {
	recordsConsumed   metrics.Sensor // records per Poll
	bytesConsumed     metrics.Sensor // wire bytes of the chunks Poll used up
	fetchLatency      metrics.Sensor // ms per Fetch
	fetchSize         metrics.Sensor // bytes of records per Fetch response
	recordsPerRequest metrics.Sensor // records per Fetch response
	recordsLag        metrics.Sensor // lag of each partition Poll returned from
}

// recordLagLocked records the lag of the partitions in f after the Poll:
// high watermark (last stable offset with read_committed) minus position.
// c.mu is held.
func (c *Consumer) recordLagLocked(f Fetches) {
	var n int64
	var sum, mx float64
	for i := range f {
		if i > 0 && f[i].Topic == f[i-1].Topic && f[i].Partition == f[i-1].Partition {
			continue
		}
		ps := c.parts[TopicPartition{f[i].Topic, f[i].Partition}]
		if ps == nil {
			continue
		}
		if lag := ps.lag(c.cfg.IsolationLevel); lag >= 0 {
			n++
			sum += float64(lag)
			mx = max(mx, float64(lag))
		}
	}
	if n > 0 {
		c.m.recordsLag.RecordN(n, sum, mx)
	}
}

// lag returns the partition's lag, or -1 when unknown.
func (ps *partState) lag(level IsolationLevel) int64 {
	end := ps.hw
	if level == ReadCommitted && ps.lso >= 0 {
		end = ps.lso
	}
	if end < 0 || !ps.hasPos {
		return -1
	}
	return max(end-ps.pos.Offset, 0)
}

// Metrics returns the consumer's metrics under the Java client's names
// (consumer-fetch-manager-metrics), over the last two 30 s windows:
//
//	records-consumed-rate     records returned by Poll per second
//	records-consumed-total    records returned since the start
//	bytes-consumed-rate       fetched bytes used up by Poll per second
//	bytes-consumed-total
//	fetch-latency-avg, fetch-latency-max   Fetch round trips, in ms
//	fetch-rate                Fetch responses per second
//	fetch-size-avg, fetch-size-max         bytes of records per Fetch response
//	records-per-request-avg   records per Fetch response
//	records-lag-max           largest partition lag seen in Poll
//	records-lag-avg
//	records-lag{topic=T,partition=P}       current lag of each assigned partition
//	interceptor-panic-total   interceptor calls that panicked (see Interceptor)
//
// Safe for concurrent use.
func (c *Consumer) Metrics() map[string]float64 {
	out := map[string]float64{}
	rc, bc := c.m.recordsConsumed.Stats(), c.m.bytesConsumed.Stats()
	out["records-consumed-rate"], out["records-consumed-total"] = rc.Rate, rc.Total
	out["bytes-consumed-rate"], out["bytes-consumed-total"] = bc.Rate, bc.Total
	fl := c.m.fetchLatency.Stats()
	out["fetch-latency-avg"], out["fetch-latency-max"], out["fetch-rate"] = fl.Avg, fl.Max, fl.CountRate
	fs := c.m.fetchSize.Stats()
	out["fetch-size-avg"], out["fetch-size-max"] = fs.Avg, fs.Max
	out["records-per-request-avg"] = c.m.recordsPerRequest.Stats().Avg
	lag := c.m.recordsLag.Stats()
	out["records-lag-max"], out["records-lag-avg"] = lag.Max, lag.Avg
	out["interceptor-panic-total"] = float64(c.ics.panicCount())
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ps := range c.order {
		if l := ps.lag(c.cfg.IsolationLevel); l >= 0 {
			out[fmt.Sprintf("records-lag{topic=%s,partition=%d}", ps.tp.Topic, ps.tp.Partition)] = float64(l)
		}
	}
	return out
}
