package abort

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wfetch/wfetch/abort/aborttest"
)

// gcUntil runs the garbage collector until cond holds (cleanups run on
// their own goroutine, shortly after a collection), failing after a while.
func gcUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 2000 {
			t.Fatalf("%s: still not true after %d collections", what, i)
		}
		runtime.GC()
		time.Sleep(time.Millisecond / 2)
	}
}

// gc runs a few collections and gives cleanups a moment to run.
func gc() {
	for range 3 {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// env is what the keep-alive cases abort their signals with.
type env struct {
	clk      *aborttest.Clock
	ctx      context.Context
	cleanups []func()
}

// TestSignalsNobodyHoldsButSomebodyWaitsFor checks that a signal that
// nobody holds still aborts, and runs its callbacks or closes its Done
// channel, when somebody waits for it: the garbage collection rules of the
// spec, extended to Done channels and to timer and context sources.
func TestSignalsNobodyHoldsButSomebodyWaitsFor(t *testing.T) {
	const timer, ctx = "timer", "context"
	tests := []struct {
		name string
		uses []string // the triggers that abort it
		// watch makes a signal, keeps nothing but a way to observe it, and
		// returns that observation.
		watch func(e *env) (aborted func() bool)
	}{
		{"timeout with listener", []string{timer}, func(e *env) func() bool { return listen(Timeout(time.Hour, WithClock(e.clk))) }},
		{"timeout with algorithm", []string{timer}, func(e *env) func() bool { return algo(Timeout(time.Hour, WithClock(e.clk))) }},
		{"timeout Done", []string{timer}, func(e *env) func() bool { return isClosed(Timeout(time.Hour, WithClock(e.clk)).Done()) }},
		{"context with listener", []string{ctx}, func(e *env) func() bool { return listen(FromContext(e.ctx)) }},
		{"context Done", []string{ctx}, func(e *env) func() bool { return isClosed(FromContext(e.ctx).Done()) }},
		{"Any of timeout with listener", []string{timer}, func(e *env) func() bool {
			return listen(Any(Timeout(time.Hour, WithClock(e.clk))))
		}},
		{"Any of context with listener", []string{ctx}, func(e *env) func() bool { return listen(Any(FromContext(e.ctx))) }},
		{"Any of Any of context, Done", []string{ctx}, func(e *env) func() bool {
			return isClosed(Any(Any(FromContext(e.ctx))).Done())
		}},
		{"Any of timeout and context, algorithm", []string{timer, ctx}, func(e *env) func() bool {
			return algo(Any(NewController().Signal(), Timeout(time.Hour, WithClock(e.clk)), FromContext(e.ctx)))
		}},
		{"Context of Any of timeout", []string{timer}, func(e *env) func() bool {
			c, cancel := Any(Timeout(time.Hour, WithClock(e.clk))).Context(context.Background())
			e.cleanups = append(e.cleanups, cancel)
			return func() bool { return c.Err() != nil }
		}},
		{"held Any of context, polled", []string{ctx}, func(e *env) func() bool {
			d := Any(FromContext(e.ctx))
			return d.Aborted // holds d, and nothing else
		}},
	}
	for _, tt := range tests {
		for _, trigger := range []string{timer, ctx} {
			t.Run(tt.name+"/"+trigger, func(t *testing.T) {
				c, cancel := context.WithCancel(context.Background())
				defer cancel()
				e := &env{clk: aborttest.NewClock(time.Unix(0, 0)), ctx: c}
				defer func() {
					for _, f := range e.cleanups {
						f()
					}
				}()
				aborted := tt.watch(e)
				gc()
				if aborted() {
					t.Fatal("aborted before anything happened")
				}
				if trigger == timer {
					e.clk.Advance(time.Hour)
				} else {
					cancel()
				}
				if !slices.Contains(tt.uses, trigger) {
					gc()
					if aborted() {
						t.Fatalf("aborted by the %s, which it does not use", trigger)
					}
					return
				}
				// A context aborts on its own goroutine: wait a little.
				deadline := time.Now().Add(10 * time.Second)
				for !aborted() {
					if time.Now().After(deadline) {
						t.Fatal("signal was collected or never aborted")
					}
					time.Sleep(time.Millisecond / 2)
				}
			})
		}
	}
}

// listen adds a listener to s and returns whether it ran; the returned
// function does not hold s.
func listen(s *Signal) func() bool {
	var mu sync.Mutex
	ran := false
	s.AddEventListener(func(error) { mu.Lock(); ran = true; mu.Unlock() })
	return func() bool { mu.Lock(); defer mu.Unlock(); return ran }
}

// algo is listen with an abort algorithm.
func algo(s *Signal) func() bool {
	var mu sync.Mutex
	ran := false
	s.AddAlgorithm(func(error) { mu.Lock(); ran = true; mu.Unlock() })
	return func() bool { mu.Lock(); defer mu.Unlock(); return ran }
}

func isClosed(ch <-chan struct{}) func() bool {
	return func() bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	}
}

func TestUnheldTimeoutIsStopped(t *testing.T) {
	clk := aborttest.NewClock(time.Unix(0, 0))
	for range 100 {
		Timeout(time.Hour, WithClock(clk))
	}
	// A listener that was removed again does not keep it either.
	Timeout(time.Hour, WithClock(clk)).AddEventListener(func(error) {})()
	gcUntil(t, "unheld timeouts' timers stopped", func() bool { return clk.Pending() == 0 })
}

// countingCtx is a context that counts the AfterFunc registrations on it
// (context.AfterFunc uses a parent's AfterFunc method when it has one).
type countingCtx struct {
	done   chan struct{}
	mu     sync.Mutex
	active int
}

func (c *countingCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *countingCtx) Done() <-chan struct{}       { return c.done }
func (c *countingCtx) Err() error                  { return nil }
func (c *countingCtx) Value(any) any               { return nil }

func (c *countingCtx) AfterFunc(f func()) func() bool {
	c.mu.Lock()
	c.active++
	c.mu.Unlock()
	var once sync.Once
	return func() bool {
		stopped := false
		once.Do(func() {
			c.mu.Lock()
			c.active--
			c.mu.Unlock()
			stopped = true
		})
		return stopped
	}
}

func (c *countingCtx) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.active
}

// TestFromContextDoesNotGrowLongLivedContext calls FromContext many times on
// one long-lived context: signals nobody holds are collected and their
// registrations with the context removed.
func TestFromContextDoesNotGrowLongLivedContext(t *testing.T) {
	ctx := &countingCtx{done: make(chan struct{})}
	const n = 10_000
	held := FromContext(ctx)
	listened := FromContext(ctx)
	listened.AddEventListener(func(error) {})
	listened = nil
	for range n {
		FromContext(ctx)
	}
	gcUntil(t, "unheld signals' context registrations removed", func() bool { return ctx.count() <= 2 })
	if got := ctx.count(); got != 2 {
		t.Errorf("%d registrations remain, want 2 (one held signal, one with a listener)", got)
	}
	runtime.KeepAlive(held)
}
