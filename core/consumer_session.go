package core

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// finalSessionEpoch in a Fetch closes the fetch session it names (KIP-227).
const finalSessionEpoch = -1

// sessionCloseTimeout bounds how long Close waits for the brokers to drop
// the consumer's fetch sessions.
const sessionCloseTimeout = time.Second

// fetchPart is one partition in a fetch, as it was when the fetch was built.
type fetchPart struct {
	ps          *partState
	tp          TopicPartition
	topicID     protocol.UUID
	gen         uint64
	offset      int64
	lastEpoch   int32 // leader epoch of the record before offset
	leaderEpoch int32 // current leader epoch, for fencing
}

// sessPart is what a fetch session on the broker holds for one partition.
type sessPart struct {
	offset   int64
	epoch    int32
	maxBytes int32
}

// fetchSession is the client side of one broker's incremental fetch
// session (KIP-227). Epoch 0 sends a full fetch that (re)creates the
// session; later fetches name only partitions that are new or changed and
// list the ones to forget. Guarded by the broker's single in-flight fetch.
type fetchSession struct {
	id, epoch int32
	parts     map[TopicPartition]sessPart
	ids       map[protocol.UUID]string // topic names by id, for responses v13+
}

// reset makes the next fetch a full one that replaces the session (the
// broker closes the old one when it sees epoch 0 with its id).
func (s *fetchSession) reset() {
	s.epoch = 0
	clear(s.parts)
}

// build fills req's session fields, topics and forgotten topics for the
// partitions in want (sorted by topic), which idx indexes.
func (s *fetchSession) build(req *protocol.FetchRequest, want []fetchPart, idx map[TopicPartition]int, maxBytes int32) {
	if s.parts == nil {
		s.parts = map[TopicPartition]sessPart{}
		s.ids = map[protocol.UUID]string{}
	}
	req.SessionId, req.SessionEpoch = s.id, s.epoch
	full := s.epoch == 0
	req.Topics = req.Topics[:0]
	for i := range want {
		w := &want[i]
		s.ids[w.topicID] = w.tp.Topic
		sp := sessPart{offset: w.offset, epoch: w.leaderEpoch, maxBytes: maxBytes}
		if old, ok := s.parts[w.tp]; !full && ok && old == sp {
			continue
		}
		n := len(req.Topics)
		if n == 0 || req.Topics[n-1].Topic != w.tp.Topic {
			req.Topics = grow1(req.Topics)
			t := &req.Topics[n]
			t.Topic, t.TopicId, t.Partitions = w.tp.Topic, w.topicID, t.Partitions[:0]
			n++
		}
		t := &req.Topics[n-1]
		t.Partitions = grow1(t.Partitions)
		p := &t.Partitions[len(t.Partitions)-1]
		p.Default()
		p.Partition, p.CurrentLeaderEpoch, p.FetchOffset, p.PartitionMaxBytes = w.tp.Partition, w.leaderEpoch, w.offset, maxBytes
	}
	req.ForgottenTopicsData = req.ForgottenTopicsData[:0]
	if full {
		return
	}
	for tp := range s.parts {
		if _, ok := idx[tp]; ok {
			continue
		}
		req.ForgottenTopicsData = s.forget(req.ForgottenTopicsData, tp)
	}
}

// forget adds tp to the forgotten topics list.
func (s *fetchSession) forget(list []protocol.FetchRequestForgottenTopic, tp TopicPartition) []protocol.FetchRequestForgottenTopic {
	for i := range list {
		if list[i].Topic == tp.Topic {
			list[i].Partitions = append(list[i].Partitions, tp.Partition)
			return list
		}
	}
	var id protocol.UUID
	for k, v := range s.ids {
		if v == tp.Topic {
			id = k
		}
	}
	return append(list, protocol.FetchRequestForgottenTopic{Topic: tp.Topic, TopicId: id, Partitions: []int32{tp.Partition}})
}

// done records a successful response: the session now holds exactly want.
func (s *fetchSession) done(sessionID int32, want []fetchPart, maxBytes int32) {
	clear(s.parts)
	if s.epoch == 0 {
		if sessionID == 0 { // the broker keeps no session: fetch in full again
			return
		}
		s.id = sessionID
	}
	for i := range want {
		w := &want[i]
		s.parts[w.tp] = sessPart{offset: w.offset, epoch: w.leaderEpoch, maxBytes: maxBytes}
	}
	if s.epoch == math.MaxInt32 {
		s.epoch = 1
	} else {
		s.epoch++
	}
}

// grow1 extends s by one element, reusing capacity (and the element's old
// nested slices) when it can.
func grow1[T any](s []T) []T {
	if len(s) < cap(s) {
		return s[:len(s)+1]
	}
	var zero T
	return append(s, zero)
}

// closeSessions asks every broker that holds a fetch session of this
// consumer to drop it (a Fetch with the final epoch and no partitions), as
// the Java consumer does on close, so that the broker's session cache
// (max.incremental.fetch.session.cache.slots) frees the slot at once rather
// than when it evicts the session. Best effort: the brokers are asked in
// parallel and Close waits at most sessionCloseTimeout (or RequestTimeout
// if shorter). Called by Close once no fetch runs any more.
func (c *Consumer) closeSessions() {
	ctx, cancel := context.WithTimeout(context.Background(), min(sessionCloseTimeout, c.cfg.RequestTimeout))
	defer cancel()
	var wg sync.WaitGroup
	for id, fb := range c.brokers {
		if fb.sess.id == 0 {
			continue
		}
		req := &protocol.FetchRequest{}
		req.Default()
		req.SessionId, req.SessionEpoch, req.MaxWaitMs = fb.sess.id, finalSessionEpoch, 0
		wg.Go(func() { _, _ = c.cl.DoCapped(ctx, id, wire.LaneFetch, req, 18) })
	}
	wg.Wait()
}
