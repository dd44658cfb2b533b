package abort

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/errs"
)

// recorder collects callback names in the order they run.
type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) add(name string) {
	r.mu.Lock()
	r.got = append(r.got, name)
	r.mu.Unlock()
}

// fn returns a callback that records name (and nothing else).
func (r *recorder) fn(name string) func(error) {
	return func(error) { r.add(name) }
}

func (r *recorder) log() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// domName returns the DOMException name of err, or "" if it is not one.
func domName(err error) string {
	var d *errs.DOMException
	if errors.As(err, &d) {
		return d.Name
	}
	return ""
}

func TestControllerAbortReason(t *testing.T) {
	custom := errors.New("error1")
	tests := []struct {
		name     string
		reason   error
		wantName string // DOMException name of the stored reason, if no custom
	}{
		{name: "no reason gives AbortError", reason: nil, wantName: "AbortError"},
		{name: "custom reason kept as is", reason: custom},
		{name: "DOMException reason kept", reason: errs.NewTimeoutError("x"), wantName: "TimeoutError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewController()
			s := c.Signal()
			if s != c.Signal() {
				t.Fatal("Signal() returned a different signal the second time")
			}
			if s.Aborted() || s.Reason() != nil || s.ThrowIfAborted() != nil {
				t.Fatalf("new signal: aborted=%v reason=%v", s.Aborted(), s.Reason())
			}
			c.Abort(tt.reason)
			got := s.Reason()
			if !s.Aborted() || got == nil {
				t.Fatalf("after Abort: aborted=%v reason=%v", s.Aborted(), got)
			}
			if tt.reason != nil && got != tt.reason {
				t.Errorf("Reason() = %v, want the very error passed to Abort", got)
			}
			if diff := cmp.Diff(tt.wantName, domName(got)); diff != "" {
				t.Errorf("reason DOMException name (-want +got):\n%s", diff)
			}
			if s.ThrowIfAborted() != got {
				t.Errorf("ThrowIfAborted() = %v, want %v", s.ThrowIfAborted(), got)
			}
			// A second abort changes nothing.
			c.Abort(errors.New("second"))
			if s.Reason() != got {
				t.Errorf("second Abort replaced the reason: %v", s.Reason())
			}
		})
	}
}

func TestDefaultReasonIsNewEachTime(t *testing.T) {
	a, b := NewController(), NewController()
	a.Abort(nil)
	b.Abort(nil)
	if a.Signal().Reason() == b.Signal().Reason() {
		t.Error("two aborts without reason share one AbortError; the spec makes a new one each time")
	}
	if !errors.Is(a.Signal().Reason(), errs.ErrAbort) {
		t.Errorf("default reason %v does not match errs.ErrAbort", a.Signal().Reason())
	}
}

func TestAbortStatic(t *testing.T) {
	custom := errors.New("custom")
	tests := []struct {
		name     string
		reason   error
		wantName string
	}{
		{"nil reason", nil, "AbortError"},
		{"custom reason", custom, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Abort(tt.reason)
			if !s.Aborted() {
				t.Fatal("Abort() returned a signal that is not aborted")
			}
			if tt.reason != nil && s.Reason() != tt.reason {
				t.Errorf("Reason() = %v, want %v", s.Reason(), tt.reason)
			}
			if diff := cmp.Diff(tt.wantName, domName(s.Reason())); diff != "" {
				t.Errorf("reason name (-want +got):\n%s", diff)
			}
			select {
			case <-s.Done():
			default:
				t.Error("Done() of an aborted signal is not closed")
			}
			// Callbacks added to an aborted signal never run.
			var r recorder
			s.AddAlgorithm(r.fn("alg"))
			s.AddEventListener(r.fn("listener"))
			if len(r.log()) != 0 {
				t.Errorf("callbacks ran: %v", r.log())
			}
		})
	}
}

func TestZeroAndNilSignals(t *testing.T) {
	var zero Signal
	var nilSig *Signal
	for name, s := range map[string]*Signal{"zero": &zero, "nil": nilSig} {
		t.Run(name, func(t *testing.T) {
			if s.Aborted() || s.Reason() != nil || s.ThrowIfAborted() != nil {
				t.Errorf("aborted=%v reason=%v", s.Aborted(), s.Reason())
			}
			select {
			case <-s.Done():
				t.Error("Done() is closed")
			default:
			}
			s.AddAlgorithm(func(error) {})()
			s.AddEventListener(func(error) {})()
			ctx, cancel := s.Context(t.Context())
			if ctx.Err() != nil {
				t.Errorf("Context() is done: %v", ctx.Err())
			}
			cancel()
		})
	}
	var zc Controller
	var r recorder
	zc.Signal().AddEventListener(r.fn("l"))
	zc.Abort(nil)
	if diff := cmp.Diff([]string{"l"}, r.log()); diff != "" {
		t.Errorf("zero Controller (-want +got):\n%s", diff)
	}
}

func TestDone(t *testing.T) {
	c := NewController()
	done := c.Signal().Done()
	if done != c.Signal().Done() {
		t.Error("Done() returned different channels")
	}
	var sawClosed bool
	c.Signal().AddAlgorithm(func(error) {
		select {
		case <-done:
			sawClosed = true
		default:
		}
	})
	select {
	case <-done:
		t.Fatal("Done() closed before Abort")
	default:
	}
	c.Abort(nil)
	<-done
	if !sawClosed {
		t.Error("Done() was not closed yet when the abort algorithms ran")
	}
}

// TestCallbackOrder checks the run-the-abort-steps order and the DOM's
// listener rules: algorithms first, then listeners, each in order and once.
func TestCallbackOrder(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *Signal, c *Controller, r *recorder)
		want  []string
	}{
		{
			name: "algorithms before listeners, each in order",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddEventListener(r.fn("L1"))
				s.AddAlgorithm(r.fn("A1"))
				s.AddEventListener(r.fn("L2"))
				s.AddAlgorithm(r.fn("A2"))
			},
			want: []string{"A1", "A2", "L1", "L2"},
		},
		{
			name: "removed callbacks do not run",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddAlgorithm(r.fn("A1"))
				s.AddAlgorithm(r.fn("A2"))()
				s.AddEventListener(r.fn("L1"))()
				s.AddEventListener(r.fn("L2"))
			},
			want: []string{"A1", "L2"},
		},
		{
			name: "remove twice is harmless",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				rm := s.AddAlgorithm(r.fn("A1"))
				rm()
				rm()
				s.AddAlgorithm(r.fn("A2"))
			},
			want: []string{"A2"},
		},
		{
			name: "algorithm removes a later algorithm and a listener",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				var rmA, rmL func()
				s.AddAlgorithm(func(error) { r.add("A1"); rmA(); rmL() })
				rmA = s.AddAlgorithm(r.fn("A2"))
				rmL = s.AddEventListener(r.fn("L1"))
				s.AddEventListener(r.fn("L2"))
			},
			want: []string{"A1", "L2"},
		},
		{
			name: "listener removes a later listener during dispatch",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				var rm func()
				s.AddEventListener(func(error) { r.add("L1"); rm() })
				rm = s.AddEventListener(r.fn("L2"))
				s.AddEventListener(r.fn("L3"))
			},
			want: []string{"L1", "L3"},
		},
		{
			name: "callbacks added during the abort never run",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddAlgorithm(func(error) {
					r.add("A1")
					s.AddAlgorithm(r.fn("A-late"))
					s.AddEventListener(r.fn("L-late"))
				})
				s.AddEventListener(func(error) {
					r.add("L1")
					s.AddEventListener(r.fn("L-later"))
				})
			},
			want: []string{"A1", "L1"},
		},
		{
			name: "abort from inside a listener does nothing",
			setup: func(s *Signal, c *Controller, r *recorder) {
				s.AddEventListener(func(error) { r.add("L1"); c.Abort(errors.New("again")) })
				s.AddEventListener(r.fn("L2"))
			},
			want: []string{"L1", "L2"},
		},
		{
			name: "nil callbacks are ignored",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddAlgorithm(nil)()
				s.AddEventListener(nil)()
				s.AddEventListener(r.fn("L1"))
			},
			want: []string{"L1"},
		},
		{
			name: "listener signal that aborts first removes the listener",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				other := NewController()
				s.AddEventListener(r.fn("L1"), ListenerSignal(other.Signal()))
				s.AddEventListener(r.fn("L2"), ListenerSignal(NewController().Signal()))
				other.Abort(nil)
			},
			want: []string{"L2"},
		},
		{
			name: "listener with an aborted signal is not added",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddEventListener(r.fn("L1"), ListenerSignal(Abort(nil)))
				s.AddEventListener(r.fn("L2"))
			},
			want: []string{"L2"},
		},
		{
			name: "removing a listener that has a listener signal",
			setup: func(s *Signal, _ *Controller, r *recorder) {
				s.AddEventListener(r.fn("L1"), ListenerSignal(NewController().Signal()))()
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewController()
			var r recorder
			tt.setup(c.Signal(), c, &r)
			c.Abort(nil)
			c.Abort(nil) // a second abort runs nothing
			if diff := cmp.Diff(tt.want, r.log()); diff != "" {
				t.Errorf("callbacks (-want +got):\n%s", diff)
			}
			if n := len(c.Signal().algorithms) + len(c.Signal().listeners); n != 0 {
				t.Errorf("%d callbacks still held after abort", n)
			}
		})
	}
}

func TestCallbacksGetReason(t *testing.T) {
	c := NewController()
	reason := errors.New("why")
	var got []error
	c.Signal().AddAlgorithm(func(r error) { got = append(got, r) })
	c.Signal().AddEventListener(func(r error) { got = append(got, r) })
	c.Abort(reason)
	if diff := cmp.Diff([]error{reason, reason}, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("reasons passed (-want +got):\n%s", diff)
	}
}

func TestRemoveListenerSignalAlgorithm(t *testing.T) {
	// Removing a listener also stops its listener signal from holding the
	// removal algorithm.
	c, ls := NewController(), NewController()
	rm := c.Signal().AddEventListener(func(error) {}, ListenerSignal(ls.Signal()))
	if n := len(ls.Signal().algorithms); n != 1 {
		t.Fatalf("listener signal has %d algorithms, want 1", n)
	}
	rm()
	if n := len(ls.Signal().algorithms); n != 0 {
		t.Errorf("listener signal has %d algorithms after removal, want 0", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	const goroutines = 16
	for round := range 20 {
		c := NewController()
		var mu sync.Mutex
		runs := map[string]int{}
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				name := fmt.Sprint(g)
				s := c.Signal()
				d := Any(s)
				d.AddEventListener(func(error) { mu.Lock(); runs["d"+name]++; mu.Unlock() })
				s.AddAlgorithm(func(error) { mu.Lock(); runs["a"+name]++; mu.Unlock() })
				_ = s.Aborted()
				_ = d.Reason()
				<-s.Done()
			})
		}
		for range goroutines {
			wg.Go(func() { c.Abort(fmt.Errorf("round %d", round)) })
		}
		wg.Wait()
		for name, n := range runs {
			if n != 1 {
				t.Errorf("round %d: callback %s ran %d times", round, name, n)
			}
		}
	}
}

func BenchmarkControllerAbort(b *testing.B) {
	for b.Loop() {
		c := NewController()
		c.Signal().AddAlgorithm(func(error) {})
		c.Signal().AddEventListener(func(error) {})
		c.Abort(nil)
	}
}

func TestPanickingCallbacks(t *testing.T) {
	tests := []struct {
		name      string
		panics    []string // callbacks that panic (by name)
		wantPanic string   // the value recovered by Abort's caller
	}{
		{name: "one algorithm panics", panics: []string{"A1"}, wantPanic: "A1"},
		{name: "one listener panics", panics: []string{"L2"}, wantPanic: "L2"},
		{name: "dependent listener panics", panics: []string{"dL"}, wantPanic: "dL"},
		{name: "several panic: the last one wins", panics: []string{"A1", "L1", "dA"}, wantPanic: "dA"},
		{name: "none panics", wantPanic: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r recorder
			cb := func(name string) func(error) {
				return func(error) {
					r.add(name)
					if slices.Contains(tt.panics, name) {
						panic(name)
					}
				}
			}
			c := NewController()
			d := Any(c.Signal())
			d.AddEventListener(cb("dL"))
			d.AddAlgorithm(cb("dA"))
			c.Signal().AddEventListener(cb("L1"))
			c.Signal().AddEventListener(cb("L2"))
			c.Signal().AddAlgorithm(cb("A1"))
			c.Signal().AddAlgorithm(cb("A2"))
			var got any
			func() {
				defer func() { got = recover() }()
				c.Abort(nil)
			}()
			want := []string{"A1", "A2", "L1", "L2", "dA", "dL"}
			if diff := cmp.Diff(want, r.log()); diff != "" {
				t.Errorf("callbacks run (-want +got):\n%s", diff)
			}
			gotS, _ := got.(string)
			if gotS != tt.wantPanic {
				t.Errorf("recovered %v, want %q", got, tt.wantPanic)
			}
			if !c.Signal().Aborted() || !d.Aborted() {
				t.Error("signals not aborted")
			}
		})
	}
}
