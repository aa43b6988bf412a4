package core

import "github.com/kafka3/kafka3-go/core/internal/metrics"

// producerMetrics are the producer's sensors. They are recorded per batch
// or per request, never per record.
type producerMetrics struct {
	sent, bytes, compression, queueTime, retries, errors metrics.Sensor
	requestLatency, recordsPerRequest                    metrics.Sensor
}

func (m *producerMetrics) init() {}

// request records one Produce request's record count.
func (m *producerMetrics) request(req *produceRequest) {
	n := 0
	for _, bs := range req.batches {
		for _, b := range bs {
			n += b.len()
		}
	}
	m.recordsPerRequest.Record(float64(n))
}

// batchDone records a batch's final outcome.
func (m *producerMetrics) batchDone(b *producerBatch, err error) {
	n := int64(b.len())
	if err != nil {
		m.errors.RecordN(n, 0, 0)
		return
	}
	m.sent.RecordN(n, 0, 0)
	size := float64(len(b.encoded))
	m.bytes.Record(size)
	if raw := b.rawSize(); raw > 0 {
		m.compression.Record(size / float64(raw))
	}
}

// Metrics returns a snapshot of the producer's metrics under the Java
// producer's names (producer-metrics group): record-send-rate,
// record-send-total, byte-rate, batch-size-avg, batch-size-max,
// compression-rate-avg, record-queue-time-avg, record-queue-time-max (ms),
// record-retry-rate, record-retry-total, record-error-rate,
// record-error-total, request-latency-avg, request-latency-max (ms),
// records-per-request-avg, buffer-available-bytes, buffer-total-bytes,
// requests-in-flight and interceptor-panic-total. Rates are per second over the last 30 to 60 seconds,
// as in Java. Safe for concurrent use; it allocates the map.
func (p *Producer) Metrics() map[string]float64 {
	m := &p.m
	sent, bytes, q := m.sent.Stats(), m.bytes.Stats(), m.queueTime.Stats()
	retries, errs := m.retries.Stats(), m.errors.Stats()
	lat, rpr := m.requestLatency.Stats(), m.recordsPerRequest.Stats()
	return map[string]float64{
		"record-send-rate":        sent.CountRate,
		"record-send-total":       float64(sent.Count),
		"byte-rate":               bytes.Rate,
		"batch-size-avg":          bytes.Avg,
		"batch-size-max":          bytes.Max,
		"compression-rate-avg":    m.compression.Stats().Avg,
		"record-queue-time-avg":   q.Avg,
		"record-queue-time-max":   q.Max,
		"record-retry-rate":       retries.CountRate,
		"record-retry-total":      float64(retries.Count),
		"record-error-rate":       errs.CountRate,
		"record-error-total":      float64(errs.Count),
		"request-latency-avg":     lat.Avg,
		"request-latency-max":     lat.Max,
		"records-per-request-avg": rpr.Avg,
		"buffer-available-bytes":  float64(p.pool.available()),
		"buffer-total-bytes":      float64(p.pool.total),
		"requests-in-flight":      float64(p.inFlight.Load()),
		"interceptor-panic-total": float64(p.ics.panicCount()),
	}
}
