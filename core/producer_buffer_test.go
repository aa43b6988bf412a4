package core

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBufferPoolBlocksAndGrantsInOrder(t *testing.T) {
	t.Parallel()
	p := newBufferPool(100)
	ctx := context.Background()
	if err := p.reserve(ctx, 80, time.Second); err != nil {
		t.Fatal(err)
	}
	got := make(chan int64, 2)
	go func() { _ = p.reserve(ctx, 50, time.Minute); got <- 50 }()
	time.Sleep(20 * time.Millisecond) // let the large one queue first
	go func() { _ = p.reserve(ctx, 10, time.Minute); got <- 10 }()
	time.Sleep(20 * time.Millisecond)
	select {
	case n := <-got:
		t.Fatalf("reservation of %d granted while the pool was short or out of order", n)
	default:
	}
	p.release(80)
	first, second := <-got, <-got
	if first != 50 && second != 50 {
		t.Fatalf("grants %d, %d", first, second)
	}
	if p.available() != 40 {
		t.Fatalf("available = %d, want 40", p.available())
	}
}

func TestBufferPoolMaxBlockAndContext(t *testing.T) {
	t.Parallel()
	p := newBufferPool(10)
	err := p.reserve(context.Background(), 20, 10*time.Millisecond)
	if !errors.Is(err, errBufferExhausted) {
		t.Fatalf("err = %v, want buffer exhausted", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.reserve(ctx, 20, time.Minute); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want canceled", err)
	}
	if p.available() != 10 || len(p.waiters) != 0 {
		t.Fatalf("pool leaked: free %d, waiters %d", p.available(), len(p.waiters))
	}
}

// Pooled waiters are reused across grants, timeouts and cancellations (some
// granted while giving up) without losing or double-counting bytes.
func TestBufferPoolReusedWaitersKeepTheBalance(t *testing.T) {
	t.Parallel()
	p := newBufferPool(100)
	ctx := context.Background()
	var wg sync.WaitGroup
	var granted, refused atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				n := int64(10 + (g*7+i)%50)
				if err := p.reserve(ctx, n, time.Duration(i%3)*50*time.Microsecond); err != nil {
					if !errors.Is(err, errBufferExhausted) {
						t.Errorf("reserve: %v", err)
					}
					refused.Add(1)
					continue
				}
				granted.Add(1)
				p.release(n)
			}
		})
	}
	wg.Wait()
	if p.available() != 100 || len(p.waiters) != 0 {
		t.Fatalf("after %d grants and %d refusals: free %d of 100, %d waiters left", granted.Load(), refused.Load(), p.available(), len(p.waiters))
	}
	if granted.Load() == 0 {
		t.Fatal("no reservation was granted")
	}
}
