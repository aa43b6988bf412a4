package core

import (
	"runtime"
	"sync"
)

// Decode workers. A fetch goroutine hands the records of each partition to
// a decode worker and ends its Fetch at once, so that the broker is asked
// for the next records while these are decompressed and decoded, and the
// partitions of a response decode in parallel on up to maxDecodeWorkers
// cores. A partition always goes to the same worker, whose queue is first
// in, first out: records reach Poll in offset order.

// maxDecodeWorkers bounds the decode workers of a Consumer (fewer when
// GOMAXPROCS is lower).
const maxDecodeWorkers = 4

// decodeWorker is one decode goroutine and its queue.
type decodeWorker struct {
	mu   sync.Mutex
	jobs []*decodeJob
	wake chan struct{} // buffered 1: there are jobs
}

// startWorkers starts the consumer's decode workers.
func (c *Consumer) startWorkers() {
	n := max(1, min(runtime.GOMAXPROCS(0), maxDecodeWorkers))
	c.workers = make([]*decodeWorker, n)
	for i := range c.workers {
		wk := &decodeWorker{wake: make(chan struct{}, 1)}
		c.workers[i] = wk
		c.wg.Add(1)
		go c.decodeLoop(wk)
	}
}

// queueLocked queues j for ps's decode worker; c.mu is held.
func (c *Consumer) queueLocked(ps *partState, j *decodeJob) {
	wk := c.workers[ps.worker%len(c.workers)]
	wk.mu.Lock()
	wk.jobs = append(wk.jobs, j)
	wk.mu.Unlock()
	select {
	case wk.wake <- struct{}{}:
	default:
	}
}

// decodeLoop decodes wk's jobs in order until the consumer closes.
func (c *Consumer) decodeLoop(wk *decodeWorker) {
	defer c.wg.Done()
	for {
		wk.mu.Lock()
		var j *decodeJob
		if len(wk.jobs) > 0 {
			j = wk.jobs[0]
			wk.jobs[0] = nil
			wk.jobs = wk.jobs[1:]
		}
		wk.mu.Unlock()
		if j == nil {
			select {
			case <-c.ctx.Done():
				return
			case <-wk.wake:
			}
			continue
		}
		c.decodePartition(j)
		c.mu.Lock()
		if !j.early {
			j.w.ps.busy = false
		}
		c.releaseBufferLocked(j.buf)
		c.mu.Unlock()
		c.kick()
	}
}
