package aborttest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClock(t *testing.T) {
	start := time.Unix(100, 0)
	tests := []struct {
		name    string
		setup   func(c *Clock, log *[]string)
		advance []time.Duration
		want    []string
		pending int
	}{
		{
			name: "fires due timers in due order, ties in scheduling order",
			setup: func(c *Clock, log *[]string) {
				for _, s := range []struct {
					d    time.Duration
					name string
				}{{3 * time.Second, "c"}, {time.Second, "a1"}, {2 * time.Second, "b"}, {time.Second, "a2"}} {
					c.AfterFunc(s.d, func() { *log = append(*log, s.name+"@"+c.Now().Sub(start).String()) })
				}
			},
			advance: []time.Duration{2 * time.Second},
			want:    []string{"a1@1s", "a2@1s", "b@2s"},
			pending: 1,
		},
		{
			name: "zero and negative delays fire on Advance(0)",
			setup: func(c *Clock, log *[]string) {
				c.AfterFunc(0, func() { *log = append(*log, "zero") })
				c.AfterFunc(-time.Second, func() { *log = append(*log, "negative") })
			},
			advance: []time.Duration{0},
			want:    []string{"zero", "negative"},
		},
		{
			name: "stopped timers do not fire",
			setup: func(c *Clock, log *[]string) {
				tm := c.AfterFunc(time.Second, func() { *log = append(*log, "stopped") })
				c.AfterFunc(time.Second, func() { *log = append(*log, "kept") })
				if !tm.Stop() {
					panic("Stop of a pending timer returned false")
				}
				if tm.Stop() {
					panic("second Stop returned true")
				}
			},
			advance: []time.Duration{time.Second},
			want:    []string{"kept"},
		},
		{
			name: "timers scheduled by timers fire if due",
			setup: func(c *Clock, log *[]string) {
				c.AfterFunc(time.Second, func() {
					*log = append(*log, "outer")
					c.AfterFunc(time.Second, func() { *log = append(*log, "inner") })
					c.AfterFunc(time.Hour, func() { *log = append(*log, "late") })
				})
			},
			advance: []time.Duration{time.Second, time.Second},
			want:    []string{"outer", "inner"},
			pending: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClock(start)
			var log []string
			tt.setup(c, &log)
			var total time.Duration
			for _, d := range tt.advance {
				c.Advance(d)
				total += d
			}
			if diff := cmp.Diff(tt.want, log); diff != "" {
				t.Errorf("fired (-want +got):\n%s", diff)
			}
			if got := c.Pending(); got != tt.pending {
				t.Errorf("Pending() = %d, want %d", got, tt.pending)
			}
			if got := c.Now(); !got.Equal(start.Add(total)) {
				t.Errorf("Now() = %v, want %v", got, start.Add(total))
			}
		})
	}
}

func TestFiredTimerStopReturnsFalse(t *testing.T) {
	c := NewClock(time.Time{})
	tm := c.AfterFunc(time.Second, func() {})
	c.Advance(time.Second)
	if tm.Stop() {
		t.Error("Stop after firing returned true")
	}
}
