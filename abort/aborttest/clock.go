// Package aborttest provides a fake clock for testing code that uses
// abort.Timeout (or anything else that takes an abort.Clock) without
// waiting for real time to pass.
package aborttest

import (
	"slices"
	"sync"
	"time"
)

// Clock is a fake clock: time stands still until Advance moves it, and
// timers fire inside Advance, on its goroutine. It satisfies abort.Clock.
// The zero Clock starts at the zero time; it is safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64
	timers []*Timer // pending, in no particular order
}

// NewClock returns a fake clock whose time is start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f to run when the clock has advanced by d (at once on
// the next Advance, even Advance(0), if d <= 0).
func (c *Clock) AfterFunc(d time.Duration, f func()) interface{ Stop() bool } {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &Timer{c: c, when: c.now.Add(max(d, 0)), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock forward by d and runs, in order of their due
// times (then of scheduling), every timer due by then, each with the clock
// set to its due time. Timers that those functions schedule run too if
// they are due. No lock is held while they run.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(max(d, 0))
	for {
		i := c.nextDueLocked(end)
		if i < 0 {
			break
		}
		t := c.timers[i]
		c.timers = slices.Delete(c.timers, i, i+1)
		if t.when.After(c.now) {
			c.now = t.when
		}
		c.mu.Unlock()
		t.f()
		c.mu.Lock()
	}
	c.now = end
	c.mu.Unlock()
}

// nextDueLocked returns the index of the earliest timer due by end, or -1.
func (c *Clock) nextDueLocked(end time.Time) int {
	best := -1
	for i, t := range c.timers {
		if t.when.After(end) {
			continue
		}
		if best < 0 || t.when.Before(c.timers[best].when) ||
			(t.when.Equal(c.timers[best].when) && t.seq < c.timers[best].seq) {
			best = i
		}
	}
	return best
}

// Pending returns the number of timers that have neither fired nor been
// stopped. A fired or stopped timer is no longer referenced by the clock.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Timer is a timer scheduled on a fake Clock.
type Timer struct {
	c    *Clock
	when time.Time
	seq  uint64
	f    func()
}

// Stop cancels the timer and reports whether it had not fired or been
// stopped yet.
func (t *Timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	i := slices.Index(t.c.timers, t)
	if i < 0 {
		return false
	}
	t.c.timers = slices.Delete(t.c.timers, i, i+1)
	return true
}
