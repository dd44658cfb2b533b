package abort

import (
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/abort/aborttest"
	"github.com/wfetch/wfetch/internal/errs"
)

func TestTimeout(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
	}{
		{"zero", 0},
		{"negative counts as zero", -time.Second},
		{"one millisecond", time.Millisecond},
		{"one hour", time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := aborttest.NewClock(time.Unix(0, 0))
			var r recorder
			s := Timeout(tt.d, WithClock(clk))
			s.AddAlgorithm(r.fn("A"))
			s.AddEventListener(r.fn("L"))
			if s.Aborted() {
				t.Fatal("Timeout aborted synchronously")
			}
			if got := clk.Pending(); got != 1 {
				t.Fatalf("%d timers pending, want 1", got)
			}
			if d := max(tt.d, 0); d > 0 {
				clk.Advance(d - time.Nanosecond)
				if s.Aborted() {
					t.Fatalf("aborted %v early", time.Nanosecond)
				}
				clk.Advance(time.Nanosecond)
			} else {
				clk.Advance(0)
			}
			if !s.Aborted() {
				t.Fatal("not aborted once the time has passed")
			}
			if got := domName(s.Reason()); got != "TimeoutError" {
				t.Errorf("reason %v is not a TimeoutError", s.Reason())
			}
			if !errors.Is(s.Reason(), errs.ErrTimeout) {
				t.Errorf("reason %v does not match errs.ErrTimeout", s.Reason())
			}
			clk.Advance(time.Hour)
			if diff := cmp.Diff([]string{"A", "L"}, r.log()); diff != "" {
				t.Errorf("callbacks (-want +got):\n%s", diff)
			}
			if got := clk.Pending(); got != 0 {
				t.Errorf("%d timers still pending after firing, want 0", got)
			}
		})
	}
}

func TestTimeoutRealClock(t *testing.T) {
	s := Timeout(time.Millisecond, WithClock(nil))
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Timeout(1ms) did not abort within 10s")
	}
	if got := domName(s.Reason()); got != "TimeoutError" {
		t.Errorf("reason %v is not a TimeoutError", s.Reason())
	}
}

func TestTimeoutsFireInOrder(t *testing.T) {
	clk := aborttest.NewClock(time.Unix(0, 0))
	var r recorder
	for _, d := range []time.Duration{3, 1, 2, 1} {
		name := d.String()
		Timeout(d*time.Second, WithClock(clk)).AddEventListener(r.fn(name))
	}
	clk.Advance(time.Minute)
	want := []string{"1ns", "1ns", "2ns", "3ns"}
	if diff := cmp.Diff(want, r.log()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestTimeoutReleasesSignalAfterFiring checks that once the timer has fired
// nothing holds the signal any more (it is collectable), with the real
// clock.
func TestTimeoutReleasesSignalAfterFiring(t *testing.T) {
	fired := make(chan struct{})
	var w weak.Pointer[Signal]
	func() {
		s := Timeout(time.Millisecond)
		s.AddEventListener(func(error) { close(fired) })
		w = weak.Make(s)
	}()
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatal("timeout did not fire")
	}
	for i := 0; w.Value() != nil; i++ {
		if i > 1000 {
			t.Fatal("signal still reachable after its timer fired")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}
