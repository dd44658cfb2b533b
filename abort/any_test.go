package abort

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/abort/aborttest"
)

// sourcesOf returns the live source signals of s, in order.
func sourcesOf(s *Signal) []*Signal {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Signal
	for _, l := range s.sources {
		out = append(out, l.src)
	}
	return out
}

func TestAny(t *testing.T) {
	e1, e2 := errors.New("e1"), errors.New("e2")
	type result struct {
		Aborted  bool
		Reason   string
		Sources  int
		Deps     []int // dependentCount of each controller
		Depended bool  // result's dependent flag
	}
	tests := []struct {
		name string
		// build makes the input signals from three fresh controllers; then
		// the result is made, then act runs.
		build func(c []*Controller) []*Signal
		act   func(c []*Controller)
		want  result
	}{
		{
			name:  "no signals: never aborts",
			build: func([]*Controller) []*Signal { return nil },
			want:  result{Depended: true, Deps: []int{0, 0, 0}},
		},
		{
			name: "first already aborted signal wins",
			build: func(c []*Controller) []*Signal {
				c[1].Abort(e1)
				c[2].Abort(e2)
				return []*Signal{c[0].Signal(), c[2].Signal(), c[1].Signal()}
			},
			want: result{Aborted: true, Reason: "e2", Deps: []int{0, 0, 0}},
		},
		{
			name:  "Abort() input gives an aborted result",
			build: func([]*Controller) []*Signal { return []*Signal{Abort(e1)} },
			want:  result{Aborted: true, Reason: "e1", Deps: []int{0, 0, 0}},
		},
		{
			name:  "aborts with the reason of the signal that aborts first",
			build: func(c []*Controller) []*Signal { return []*Signal{c[0].Signal(), c[1].Signal()} },
			act:   func(c []*Controller) { c[1].Abort(e2); c[0].Abort(e1) },
			want:  result{Aborted: true, Reason: "e2", Depended: true, Deps: []int{0, 0, 0}},
		},
		{
			name:  "not aborted while no source is",
			build: func(c []*Controller) []*Signal { return []*Signal{c[0].Signal(), c[1].Signal()} },
			act:   func(c []*Controller) { c[2].Abort(e1) },
			want:  result{Sources: 2, Depended: true, Deps: []int{1, 1, 0}},
		},
		{
			name: "duplicates are one source",
			build: func(c []*Controller) []*Signal {
				return []*Signal{c[0].Signal(), c[0].Signal(), nil, c[0].Signal()}
			},
			want: result{Sources: 1, Depended: true, Deps: []int{1, 0, 0}},
		},
		{
			name: "duplicates among many signals are one source",
			build: func(c []*Controller) []*Signal {
				var in []*Signal
				for range 5 {
					in = append(in, c[0].Signal(), c[1].Signal())
				}
				return in
			},
			want: result{Sources: 2, Depended: true, Deps: []int{1, 1, 0}},
		},
		{
			name: "a dependent input is flattened to its sources",
			build: func(c []*Controller) []*Signal {
				d := Any(c[0].Signal(), c[1].Signal())
				return []*Signal{d, c[2].Signal(), Any(d, c[1].Signal())}
			},
			want: result{Sources: 3, Depended: true, Deps: []int{3, 3, 1}},
		},
		{
			name: "aborting a source of a flattened input aborts the result",
			build: func(c []*Controller) []*Signal {
				return []*Signal{Any(Any(c[0].Signal()))}
			},
			act:  func(c []*Controller) { c[0].Abort(e1) },
			want: result{Aborted: true, Reason: "e1", Depended: true, Deps: []int{0, 0, 0}},
		},
		{
			name: "an aborted dependent input gives an aborted result",
			build: func(c []*Controller) []*Signal {
				d := Any(c[0].Signal())
				c[0].Abort(e1)
				return []*Signal{c[1].Signal(), d}
			},
			want: result{Aborted: true, Reason: "e1", Deps: []int{0, 0, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := []*Controller{NewController(), NewController(), NewController()}
			in := tt.build(c)
			s := Any(in...)
			if tt.act != nil {
				tt.act(c)
			}
			got := result{
				Aborted:  s.Aborted(),
				Sources:  len(sourcesOf(s)),
				Depended: s.dependent,
			}
			if r := s.Reason(); r != nil {
				got.Reason = r.Error()
			}
			for _, cc := range c {
				got.Deps = append(got.Deps, cc.Signal().dependentCount())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Any (-want +got):\n%s", diff)
			}
			if s.Aborted() {
				select {
				case <-s.Done():
				default:
					t.Error("aborted, but Done() is not closed")
				}
			}
		})
	}
}

// TestDependentAbortOrder checks signal abort's order: the source's reason
// and all dependents' reasons are set first, then the source's algorithms
// and listeners run, then each dependent's, in the order they were made.
func TestDependentAbortOrder(t *testing.T) {
	c := NewController()
	other := NewController()
	src := c.Signal()
	d1 := Any(src)
	d2 := Any(other.Signal(), d1) // flattened: depends on src directly
	d3 := Any(src)
	var r recorder
	var seen []bool
	src.AddEventListener(func(error) {
		r.add("src-L")
		seen = append(seen, d1.Aborted(), d2.Aborted(), d3.Aborted())
	})
	src.AddAlgorithm(r.fn("src-A"))
	d2.AddEventListener(r.fn("d2-L"))
	d1.AddEventListener(r.fn("d1-L"))
	d1.AddAlgorithm(r.fn("d1-A"))
	d3.AddAlgorithm(r.fn("d3-A"))
	reason := errors.New("why")
	c.Abort(reason)
	want := []string{"src-A", "src-L", "d1-A", "d1-L", "d2-L", "d3-A"}
	if diff := cmp.Diff(want, r.log()); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, true, true}, seen); diff != "" {
		t.Errorf("dependents aborted when the source's listener ran (-want +got):\n%s", diff)
	}
	for i, d := range []*Signal{d1, d2, d3} {
		if d.Reason() != reason {
			t.Errorf("d%d reason = %v, want the source's", i+1, d.Reason())
		}
	}
	// Aborting the other source later changes nothing.
	other.Abort(nil)
	if d2.Reason() != reason {
		t.Errorf("d2 reason changed to %v", d2.Reason())
	}
	if n := len(r.log()); n != len(want) {
		t.Errorf("%d callbacks ran, want %d", n, len(want))
	}
}

// TestRequestCloneOrder mirrors WPT fetch/api/abort/general.any.js "Clone
// aborts with original controller": a request's signal is Any(signal) and
// its clone's is Any(request signal).
func TestRequestCloneOrder(t *testing.T) {
	c := NewController()
	req := Any(c.Signal())
	clone := Any(req)
	var r recorder
	req.AddEventListener(r.fn("original-aborted"))
	clone.AddEventListener(r.fn("clone-aborted"))
	c.Abort(nil)
	if diff := cmp.Diff([]string{"original-aborted", "clone-aborted"}, r.log()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !req.Aborted() || !clone.Aborted() {
		t.Error("signals not aborted")
	}
}

// TestAnyDoesNotGrowLongLivedSource calls Any on a long-lived source many
// times and checks that the source's dependents list stays bounded: results
// nobody holds are garbage collected and pruned.
func TestAnyDoesNotGrowLongLivedSource(t *testing.T) {
	c := NewController()
	src := c.Signal()
	const n = 100_000
	const gcEvery = 10_000
	maxLen := 0
	for i := range n {
		Any(src)
		if i%gcEvery == gcEvery-1 {
			runtime.GC()
		}
		maxLen = max(maxLen, src.dependentCount())
	}
	// After a prune following each GC the list holds at most the results
	// made since the GC before, and pruning waits for the list to double.
	if maxLen > 4*gcEvery {
		t.Errorf("dependents list reached %d entries for %d calls; want it bounded by about %d", maxLen, n, 4*gcEvery)
	}
	runtime.GC()
	src.mu.Lock()
	src.pruneDependentsLocked()
	src.mu.Unlock()
	if got := src.dependentCount(); got != 0 {
		t.Errorf("after GC and pruning %d dependents remain, want 0", got)
	}
	t.Logf("max dependents list length over %d Any calls: %d", n, maxLen)
}

func TestAbortedDependentsArePruned(t *testing.T) {
	c := NewController()
	src := c.Signal()
	var held []*Signal
	for range 3 * minPrune {
		other := NewController()
		held = append(held, Any(src, other.Signal()))
		other.Abort(nil)
	}
	if got := src.dependentCount(); got > 2*minPrune {
		t.Errorf("source holds %d dependents, all aborted; want pruning to keep it under %d", got, 2*minPrune)
	}
	runtime.KeepAlive(held)
}

// TestDependentWithCallbacksIsKeptAlive checks the spec's garbage
// collection rule: a dependent signal with callbacks is not collected while
// its sources can still abort it, even if nobody else holds it.
func TestDependentWithCallbacksIsKeptAlive(t *testing.T) {
	tests := []struct {
		name   string
		attach func(d *Signal, r *recorder) (remove func())
		want   []string
	}{
		{"listener", func(d *Signal, r *recorder) func() { return d.AddEventListener(r.fn("L")) }, []string{"L"}},
		{"algorithm", func(d *Signal, r *recorder) func() { return d.AddAlgorithm(r.fn("A")) }, []string{"A"}},
		{"removed listener", func(d *Signal, r *recorder) func() {
			d.AddEventListener(r.fn("L"))()
			return nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewController()
			var r recorder
			func() {
				d := Any(c.Signal())
				tt.attach(d, &r)
			}()
			for range 3 {
				runtime.GC()
			}
			c.Abort(nil)
			if diff := cmp.Diff(tt.want, r.log()); diff != "" {
				t.Errorf("callbacks (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnheldDependentIsCollected(t *testing.T) {
	c := NewController()
	var w func() *Signal
	func() {
		d := Any(c.Signal())
		rm := d.AddEventListener(func(error) {})
		rm() // no callbacks left: only weakly held now
		p := sourcesOf(d)[0].dependents[0].dep
		w = p.Value
	}()
	for range 3 {
		runtime.GC()
	}
	if w() != nil {
		t.Error("dependent without callbacks and without holders was not collected")
	}
}

// TestAnyRacesAbort creates dependents while their source aborts: every
// result must end up aborted once both are done.
func TestAnyRacesAbort(t *testing.T) {
	for range 200 {
		c := NewController()
		mid := Any(c.Signal())
		var wg sync.WaitGroup
		results := make([]*Signal, 8)
		for i := range results {
			wg.Go(func() { results[i] = Any(NewController().Signal(), mid) })
		}
		wg.Go(func() { c.Abort(nil) })
		wg.Wait()
		for i, s := range results {
			if !s.Aborted() {
				t.Fatalf("result %d not aborted after its source aborted", i)
			}
		}
	}
}

func TestAnyWithTimeout(t *testing.T) {
	custom := errors.New("custom")
	tests := []struct {
		name      string
		abortAt   time.Duration // controller abort time; 0 = never
		advance   time.Duration
		wantName  string
		wantExact error
	}{
		{name: "timeout first", advance: 10 * time.Second, wantName: "TimeoutError"},
		{name: "controller first", abortAt: time.Second, advance: 10 * time.Second, wantExact: custom},
		{name: "neither yet", advance: 9 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := aborttest.NewClock(time.Unix(0, 0))
			c := NewController()
			var r recorder
			s := Any(c.Signal(), Timeout(10*time.Second, WithClock(clk)))
			s.AddEventListener(r.fn("abort"))
			if tt.abortAt > 0 {
				clk.AfterFunc(tt.abortAt, func() { c.Abort(custom) })
			}
			clk.Advance(tt.advance)
			if diff := cmp.Diff(tt.wantName, domName(s.Reason())); diff != "" {
				t.Errorf("reason name (-want +got):\n%s", diff)
			}
			if tt.wantExact != nil && s.Reason() != tt.wantExact {
				t.Errorf("reason = %v, want %v", s.Reason(), tt.wantExact)
			}
			// Whatever happened first, the listener runs exactly once in the
			// end (the timer fires at 10s at the latest).
			clk.Advance(time.Hour)
			if diff := cmp.Diff([]string{"abort"}, r.log()); diff != "" {
				t.Errorf("listener runs (-want +got):\n%s", diff)
			}
			if clk.Pending() != 0 {
				t.Errorf("%d timers still pending", clk.Pending())
			}
		})
	}
}

func BenchmarkAnyLongLivedSource(b *testing.B) {
	c := NewController()
	for b.Loop() {
		Any(c.Signal())
	}
}

func BenchmarkAnyAndAbort(b *testing.B) {
	for b.Loop() {
		c1, c2 := NewController(), NewController()
		d := Any(c1.Signal(), c2.Signal())
		d.AddEventListener(func(error) {})
		c1.Abort(nil)
	}
}
