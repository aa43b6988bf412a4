package metrics

import (
	"testing"
	"time"
)

func TestSensorWindows(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	s := &Sensor{now: func() time.Time { return now }}
	if st := s.Stats(); st != (Stats{}) {
		t.Fatalf("empty sensor stats = %+v", st)
	}
	s.Record(10)
	s.RecordN(3, 30, 20)
	st := s.Stats()
	if st.Count != 4 || st.Total != 40 || st.Avg != 10 || st.Max != 20 {
		t.Fatalf("stats = %+v", st)
	}
	if want := 40 / Window.Seconds(); st.Rate != want {
		t.Fatalf("rate = %v, want %v (at least one window)", st.Rate, want)
	}
	now = now.Add(Window + time.Second) // second window
	s.Record(1)
	if st = s.Stats(); st.Avg != 41.0/5 || st.Max != 20 {
		t.Fatalf("two windows: %+v", st)
	}
	now = now.Add(Window) // first window rolls out
	s.Record(2)
	if st = s.Stats(); st.Max != 2 || st.Avg != 1.5 || st.Count != 6 || st.Total != 43 {
		t.Fatalf("after rolling: %+v", st)
	}
	now = now.Add(5 * Window) // everything stale
	if st = s.Stats(); st.Avg != 0 || st.Rate != 0 || st.Count != 6 {
		t.Fatalf("stale: %+v", st)
	}
}
