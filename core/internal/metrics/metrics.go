// Package metrics keeps the client's measurements the way the Java client
// does: each Sensor samples values into two time windows (30 s each by
// default) and reports rates, averages and maxima over the windows it holds,
// plus totals since it was created.
//
// Clients record per batch or per request, not per record, so a mutex per
// Sensor costs nothing measurable.
package metrics

import (
	"sync"
	"time"
)

// Window is the length of one sample window; a Sensor keeps two.
const Window = 30 * time.Second

type sample struct {
	start time.Time
	count int64
	sum   float64
	max   float64
}

// Sensor accumulates recorded values. The zero value is ready to use. Safe
// for concurrent use.
type Sensor struct {
	mu      sync.Mutex
	created time.Time
	cur     int
	samples [2]sample
	count   int64   // since creation
	total   float64 // since creation
	now     func() time.Time
}

func (s *Sensor) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// Record adds one value.
func (s *Sensor) Record(v float64) { s.RecordN(1, v, v) }

// RecordN adds n values whose sum is sum and largest is max, at once.
func (s *Sensor) RecordN(n int64, sum, max float64) {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.roll(now)
	cur.count += n
	cur.sum += sum
	if cur.count == n || max > cur.max {
		cur.max = max
	}
	s.count += n
	s.total += sum
}

// roll moves to a new window when the current one is over; callers hold mu.
func (s *Sensor) roll(now time.Time) *sample {
	if s.created.IsZero() {
		s.created = now
		s.samples[0].start = now
	}
	cur := &s.samples[s.cur]
	if now.Sub(cur.start) < Window {
		return cur
	}
	s.cur = 1 - s.cur
	s.samples[s.cur] = sample{start: now}
	if now.Sub(cur.start) >= 2*Window { // both windows are stale
		s.samples[1-s.cur] = sample{start: now}
	}
	return &s.samples[s.cur]
}

// Stats are a Sensor's figures at one moment.
type Stats struct {
	Rate      float64 // sum of values per second over the windows held
	CountRate float64 // values per second over the windows held
	Avg       float64 // average value over the windows held (0 with none)
	Max       float64 // largest value over the windows held (0 with none)
	Count     int64   // values since the sensor was created
	Total     float64 // sum of values since the sensor was created
}

// Stats returns the sensor's figures now.
func (s *Sensor) Stats() Stats {
	now := s.clock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.created.IsZero() {
		return Stats{}
	}
	s.roll(now)
	var count int64
	var sum, max float64
	oldest := now
	for _, x := range s.samples {
		if x.start.IsZero() || now.Sub(x.start) >= 2*Window {
			continue
		}
		if x.start.Before(oldest) {
			oldest = x.start
		}
		if x.count > 0 && (count == 0 || x.max > max) {
			max = x.max
		}
		count += x.count
		sum += x.sum
	}
	// As in Java, the elapsed time is at least one full window less a bit,
	// so a rate right after start is not inflated by a tiny denominator.
	elapsed := max64(now.Sub(oldest).Seconds(), Window.Seconds())
	st := Stats{Rate: sum / elapsed, CountRate: float64(count) / elapsed, Max: max, Count: s.count, Total: s.total}
	if count > 0 {
		st.Avg = sum / float64(count)
	}
	return st
}

func max64(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
