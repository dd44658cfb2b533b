package abort

import (
	"context"
	"runtime"

	"github.com/wfetch/wfetch/internal/errs"
)

// FromContext returns a signal that aborts when ctx is done. Its reason is:
//
//   - ctx's cause, unchanged, when ctx was cancelled with a cause of its own
//     (context.WithCancelCause, WithDeadlineCause, WithTimeoutCause, or a
//     context made by [Signal.Context], whose cause is the signal's reason,
//     so reasons survive the round trip exactly);
//   - otherwise, for a deadline, a "TimeoutError" DOMException wrapping
//     context.DeadlineExceeded;
//   - otherwise an "AbortError" DOMException wrapping context.Canceled.
//
// Both DOMExceptions match errors.Is against the context error too.
//
// If ctx is already done the signal is returned aborted. A ctx that can
// never be done (context.Background) gives a signal that never aborts.
// Otherwise the signal aborts, and its callbacks run, on the goroutine that
// context.AfterFunc starts; no goroutine waits in the meantime. ctx holds
// the signal strongly only while somebody waits for it to abort (it has
// callbacks or a Done channel, or a signal made by Any from it does);
// otherwise a signal nobody holds is garbage collected and its
// registration with ctx removed, so FromContext may be called any number of
// times on a long-lived context.
func FromContext(ctx context.Context) *Signal {
	if ctx.Done() == nil {
		return new(Signal)
	}
	if ctx.Err() != nil {
		s := new(Signal)
		s.setReasonLocked(reasonFromContext(ctx)) // s is not shared yet
		return s
	}
	s, a := newAnchoredSignal()
	stop := context.AfterFunc(ctx, func() {
		a.abort(func() error { return reasonFromContext(ctx) })
	})
	runtime.AddCleanup(s, func(stop func() bool) { stop() }, stop)
	return s
}

// reasonFromContext maps a done ctx to an abort reason (see FromContext).
func reasonFromContext(ctx context.Context) error {
	cause := context.Cause(ctx)
	switch cause {
	case nil, context.Canceled:
		return &errs.DOMException{Name: "AbortError", Message: "context canceled", Err: context.Canceled}
	case context.DeadlineExceeded:
		return &errs.DOMException{Name: "TimeoutError", Message: "context deadline exceeded", Err: context.DeadlineExceeded}
	}
	return cause
}

// Context returns a copy of parent that is cancelled when s aborts, with
// s's reason as its cause: context.Cause(ctx) returns the reason itself,
// and ctx.Err() returns context.Canceled. If s is already aborted, ctx is
// returned cancelled. Calling the CancelFunc cancels ctx (with cause
// context.Canceled, unless it was cancelled already) and stops watching s;
// call it when done, as with context.WithCancel. When ctx ends for any
// reason it stops watching s by itself.
//
// A nil *Signal never aborts, so then Context is context.WithCancel.
func (s *Signal) Context(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	if s == nil {
		return ctx, func() { cancel(nil) }
	}
	remove, added := s.add(&s.algorithms, func(reason error) { cancel(reason) })
	if !added {
		// Already aborted (s is never nil here and the callback is not).
		cancel(s.Reason())
		return ctx, func() { cancel(nil) }
	}
	stop := context.AfterFunc(ctx, remove)
	return ctx, func() {
		stop()
		remove()
		cancel(nil)
	}
}
