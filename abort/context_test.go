package abort

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/errs"
)

// waitDone waits for s to abort, failing the test after a generous limit
// (the abort happens within microseconds; the limit only guards a hang).
func waitDone(t *testing.T, s *Signal) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("signal did not abort")
	}
}

func TestFromContext(t *testing.T) {
	custom := errors.New("custom cause")
	type want struct {
		Aborted     bool // right after FromContext returns
		Name        string
		Exact       bool // reason is custom itself
		IsCanceled  bool
		IsDeadline  bool
		NeverAborts bool
	}
	tests := []struct {
		name string
		// ctx returns the context and a function that ends it (or nil).
		ctx  func(t *testing.T) (context.Context, func())
		want want
	}{
		{
			name: "background never aborts",
			ctx:  func(*testing.T) (context.Context, func()) { return context.Background(), nil },
			want: want{NeverAborts: true},
		},
		{
			name: "already cancelled",
			ctx: func(*testing.T) (context.Context, func()) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, nil
			},
			want: want{Aborted: true, Name: "AbortError", IsCanceled: true},
		},
		{
			name: "cancelled later",
			ctx: func(*testing.T) (context.Context, func()) {
				ctx, cancel := context.WithCancel(context.Background())
				return ctx, cancel
			},
			want: want{Name: "AbortError", IsCanceled: true},
		},
		{
			name: "deadline already passed",
			ctx: func(t *testing.T) (context.Context, func()) {
				ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
				t.Cleanup(cancel)
				return ctx, nil
			},
			want: want{Aborted: true, Name: "TimeoutError", IsDeadline: true},
		},
		{
			name: "deadline passes later",
			ctx: func(t *testing.T) (context.Context, func()) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
				t.Cleanup(cancel)
				return ctx, func() {}
			},
			want: want{Name: "TimeoutError", IsDeadline: true},
		},
		{
			name: "cancel cause is the reason",
			ctx: func(*testing.T) (context.Context, func()) {
				ctx, cancel := context.WithCancelCause(context.Background())
				return ctx, func() { cancel(custom) }
			},
			want: want{Exact: true},
		},
		{
			name: "timeout cause is the reason",
			ctx: func(t *testing.T) (context.Context, func()) {
				ctx, cancel := context.WithDeadlineCause(context.Background(), time.Unix(0, 0), custom)
				t.Cleanup(cancel)
				return ctx, nil
			},
			want: want{Aborted: true, Exact: true},
		},
		{
			name: "cancelled with a nil cause",
			ctx: func(*testing.T) (context.Context, func()) {
				ctx, cancel := context.WithCancelCause(context.Background())
				return ctx, func() { cancel(nil) }
			},
			want: want{Name: "AbortError", IsCanceled: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, end := tt.ctx(t)
			s := FromContext(ctx)
			got := want{Aborted: s.Aborted()}
			if end != nil {
				end()
			}
			if tt.want.NeverAborts {
				got.NeverAborts = s.Done() != nil && !s.Aborted()
				if ctx.Done() != nil {
					t.Fatal("test context can be done")
				}
			} else {
				waitDone(t, s)
			}
			r := s.Reason()
			got.Name = domName(r)
			got.Exact = r != nil && r == custom
			got.IsCanceled = errors.Is(r, context.Canceled)
			got.IsDeadline = errors.Is(r, context.DeadlineExceeded)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignalContext(t *testing.T) {
	custom := errors.New("custom")
	tests := []struct {
		name string
		// run returns the signal to use, and a step to run after Context.
		run       func() (*Signal, func())
		wantCause error // nil: check name instead
		wantName  string
	}{
		{
			name: "abort cancels with the reason as cause",
			run: func() (*Signal, func()) {
				c := NewController()
				return c.Signal(), func() { c.Abort(custom) }
			},
			wantCause: custom,
		},
		{
			name: "default reason",
			run: func() (*Signal, func()) {
				c := NewController()
				return c.Signal(), func() { c.Abort(nil) }
			},
			wantName: "AbortError",
		},
		{
			name:      "already aborted",
			run:       func() (*Signal, func()) { return Abort(custom), func() {} },
			wantCause: custom,
		},
		{
			name: "dependent signal",
			run: func() (*Signal, func()) {
				c := NewController()
				return Any(c.Signal(), NewController().Signal()), func() { c.Abort(custom) }
			},
			wantCause: custom,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, step := tt.run()
			ctx, cancel := s.Context(context.Background())
			defer cancel()
			step()
			select {
			case <-ctx.Done():
			default:
				t.Fatal("context not done right after the abort")
			}
			if ctx.Err() != context.Canceled {
				t.Errorf("ctx.Err() = %v, want context.Canceled", ctx.Err())
			}
			cause := context.Cause(ctx)
			if cause != s.Reason() {
				t.Errorf("context.Cause = %v, want the signal's reason %v", cause, s.Reason())
			}
			if tt.wantCause != nil && cause != tt.wantCause {
				t.Errorf("context.Cause = %v, want %v", cause, tt.wantCause)
			}
			if tt.wantName != "" && domName(cause) != tt.wantName {
				t.Errorf("cause %v is not a %s", cause, tt.wantName)
			}
		})
	}
}

func TestSignalContextCancelStopsWatching(t *testing.T) {
	c := NewController()
	ctx, cancel := c.Signal().Context(context.Background())
	if n := len(c.Signal().algorithms); n != 1 {
		t.Fatalf("%d algorithms while watching, want 1", n)
	}
	cancel()
	if n := len(c.Signal().algorithms); n != 0 {
		t.Errorf("%d algorithms after cancel, want 0", n)
	}
	if context.Cause(ctx) != context.Canceled {
		t.Errorf("cause = %v, want context.Canceled", context.Cause(ctx))
	}
	c.Abort(nil)
	if context.Cause(ctx) != context.Canceled {
		t.Errorf("cause changed to %v after a later abort", context.Cause(ctx))
	}
}

func TestSignalContextParentCancelStopsWatching(t *testing.T) {
	c := NewController()
	parent, cancelParent := context.WithCancel(context.Background())
	_, cancel := c.Signal().Context(parent)
	defer cancel()
	cancelParent()
	// The algorithm is removed on the goroutine context.AfterFunc starts.
	for i := 0; c.Signal().algorithmCount() != 0; i++ {
		if i > 10000 {
			t.Fatal("algorithm still registered after the parent was cancelled")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestContextRoundTrip(t *testing.T) {
	// signal → context → signal keeps the very reason.
	for _, reason := range []error{errors.New("custom"), nil, errs.NewTimeoutError("")} {
		c := NewController()
		ctx, cancel := c.Signal().Context(context.Background())
		back := FromContext(ctx)
		c.Abort(reason)
		waitDone(t, back)
		if back.Reason() != c.Signal().Reason() {
			t.Errorf("round trip of %v gave %v", c.Signal().Reason(), back.Reason())
		}
		cancel()
	}
	// context → signal → context keeps the cause.
	custom := errors.New("custom")
	ctx, cancel := context.WithCancelCause(context.Background())
	ctx2, cancel2 := FromContext(ctx).Context(context.Background())
	defer cancel2()
	cancel(custom)
	<-ctx2.Done()
	if context.Cause(ctx2) != custom {
		t.Errorf("cause after round trip = %v, want %v", context.Cause(ctx2), custom)
	}
}

func TestContextOfUnheldDependent(t *testing.T) {
	// Nobody holds the Any signal; its context must still be cancelled.
	c := NewController()
	ctx, cancel := Any(c.Signal()).Context(context.Background())
	defer cancel()
	for range 3 {
		runtime.GC()
	}
	c.Abort(nil)
	select {
	case <-ctx.Done():
	default:
		t.Fatal("context of a collected dependent signal was not cancelled")
	}
}

func TestFromContextListenerRuns(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := FromContext(ctx)
	got := make(chan error, 1)
	s.AddEventListener(func(r error) { got <- r })
	cancel()
	select {
	case r := <-got:
		if domName(r) != "AbortError" {
			t.Errorf("listener got %v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("listener did not run")
	}
}

// TestFromContextReleasesSignal checks that once ctx is done and the
// signal aborted, the context no longer holds the signal.
func TestFromContextReleasesSignal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fired := make(chan struct{})
	var w weak.Pointer[Signal]
	func() {
		s := FromContext(ctx)
		s.AddEventListener(func(error) { close(fired) })
		w = weak.Make(s)
	}()
	runtime.GC()
	if w.Value() == nil {
		t.Fatal("signal collected while its context can still cancel it")
	}
	cancel()
	<-fired
	for i := 0; w.Value() != nil; i++ {
		if i > 1000 {
			t.Fatal("signal still reachable after its context was cancelled")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
