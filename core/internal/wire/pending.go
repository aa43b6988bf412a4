package wire

import "sync"

// pending is one request awaiting its response. The reader goroutine (or
// fail) fills resp or err and signals done exactly once; the waiter
// receives from done before touching them. A pending is recycled only after
// its signal was received, so a late signal never reaches a reused one.
type pending struct {
	corr int32
	rhv  int16
	done chan struct{} // capacity 1
	resp Response
	bufp *[]byte
	err  error
}

var pendingPool = sync.Pool{New: func() any {
	return &pending{done: make(chan struct{}, 1)}
}}

func getPending(rhv int16) *pending {
	p := pendingPool.Get().(*pending)
	p.rhv = rhv
	return p
}

func putPending(p *pending) {
	p.resp = Response{}
	p.bufp, p.err, p.corr, p.rhv = nil, nil, 0, 0
	pendingPool.Put(p)
}

// queue is a FIFO ring of pending requests in the order they were written.
// It never holds more than MaxInFlight entries because a slot of the
// in-flight semaphore is held by every queued request.
type queue struct {
	ring []*pending
	head int
	n    int
}

func (q *queue) push(p *pending) {
	q.ring[(q.head+q.n)%len(q.ring)] = p
	q.n++
}

func (q *queue) peek() *pending {
	if q.n == 0 {
		return nil
	}
	return q.ring[q.head]
}

func (q *queue) pop() {
	q.ring[q.head] = nil
	q.head = (q.head + 1) % len(q.ring)
	q.n--
}
