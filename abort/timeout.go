package abort

import (
	"runtime"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

// Stopper is a timer that can be stopped; *time.Timer is one. Stop reports
// whether it stopped the timer before it fired.
type Stopper = interface{ Stop() bool }

// Clock schedules functions; [Timeout] uses it. The default is the system
// clock (time.AfterFunc). Tests use a fake one such as aborttest.Clock.
type Clock interface {
	// AfterFunc calls f, on a goroutine of the clock's choosing, once d has
	// passed.
	AfterFunc(d time.Duration, f func()) Stopper
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) AfterFunc(d time.Duration, f func()) Stopper { return time.AfterFunc(d, f) }

// Option configures [Timeout].
type Option func(*options)

type options struct {
	clock Clock
}

// WithClock makes Timeout use c instead of the system clock. A nil c means
// the system clock.
func WithClock(c Clock) Option {
	return func(o *options) { o.clock = c }
}

// Timeout returns a signal that aborts once d has passed, with a new
// "TimeoutError" DOMException as its reason. It never aborts synchronously:
// even Timeout(0) returns a signal that is not aborted yet. A negative d
// counts as 0 (the JavaScript binding rejects negative values itself).
//
// The signal's callbacks run on the clock's goroutine (for the system
// clock, the one time.AfterFunc starts). As in the spec, the timer holds the
// signal strongly only while somebody waits for it to abort (it has
// callbacks or a Done channel, or a signal made by Any from it does):
// otherwise, once nobody holds the signal, it is garbage collected and its
// timer stopped. A fired or stopped timer is kept only as long as the
// signal.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-timeout
func Timeout(d time.Duration, opts ...Option) *Signal {
	o := options{clock: systemClock{}}
	for _, opt := range opts {
		opt(&o)
	}
	if o.clock == nil {
		o.clock = systemClock{}
	}
	d = max(d, 0)
	// 1. A new signal.
	s, a := newAnchoredSignal()
	// 2-3. After d, abort it with a TimeoutError. The spec queues a task on
	// the timer task source; Go has no event loop, so the clock's goroutine
	// aborts it directly.
	t := o.clock.AfterFunc(d, func() {
		a.abort(func() error { return errs.NewTimeoutError("") })
	})
	if t != nil {
		runtime.AddCleanup(s, func(t Stopper) { t.Stop() }, t)
	}
	// 4.
	return s
}
