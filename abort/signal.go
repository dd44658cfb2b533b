package abort

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/wfetch/wfetch/internal/errs"
)

// Signal is the DOM's AbortSignal: it says whether an operation was asked to
// stop and why (its abort reason). A Signal is aborted at most once; after
// that its state never changes.
//
// A Signal is safe for concurrent use. The zero Signal, and a nil *Signal,
// are signals that never abort; all methods work on both.
//
// Callbacks (abort algorithms and "abort" event listeners) run synchronously
// on the goroutine that aborts the signal: the one calling
// [Controller.Abort], the timer's goroutine for [Timeout], or the goroutine
// context.AfterFunc starts for [FromContext]. No lock is held while they
// run, so they may use the signal (and others) freely. If a callback
// panics, the remaining callbacks (and those of dependent signals) still
// run, and then the panic continues up to the goroutine that aborted the
// signal (the last one, if several panicked).
//
// https://dom.spec.whatwg.org/#interface-AbortSignal
type Signal struct {
	mu sync.Mutex

	// reason is the abort reason; nil means not aborted. aborted mirrors
	// reason != nil for lock-free readers (a source pruning its list).
	reason  error
	aborted atomic.Bool
	done    chan struct{} // made lazily; closed when reason is set

	algorithms []*callback // the abort algorithms, in order of adding
	listeners  []*callback // the "abort" event listeners, in order of adding

	// dependent is the spec's "dependent" flag: s was made by Any.
	dependent bool
	// sources are s's source signals (only for dependent signals): one link
	// per source, shared with the source's dependents list.
	sources []*link

	// dependents are s's dependent signals, in order of adding, weakly held.
	dependents []*link
	// pruneAt is the length of dependents that triggers the next pruning.
	pruneAt int

	// anchor is set for a signal that a timer or a context aborts: that
	// holds s only through anchor, strongly while s is kept.
	anchor *anchor
	// keptDeps counts s's dependents that are kept (they need s alive).
	keptDeps int
	// kept says s is strongly held by whatever aborts it (its sources'
	// links, or its anchor) because somebody is waiting for it to abort:
	// it has callbacks, a Done channel or kept dependents. See
	// updateKeepLocked.
	kept bool
}

// callback is one abort algorithm or event listener. removed is set when it
// is removed, so that a removal during the abort steps still takes effect.
type callback struct {
	fn      func(reason error)
	removed atomic.Bool
}

// closedChan is the Done channel of signals aborted before anyone asked.
var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func noop() {}

// Abort returns a signal that is already aborted with reason, or with a new
// "AbortError" DOMException when reason is nil.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-abort
func Abort(reason error) *Signal {
	// 1. A new signal.
	s := new(Signal)
	// 2. Its reason is the given one or a fresh AbortError.
	if reason == nil {
		reason = errs.NewAbortError("")
	}
	s.setReasonLocked(reason) // s is not shared yet
	// 3. Return it.
	return s
}

// Aborted reports whether s has been aborted.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-aborted
func (s *Signal) Aborted() bool {
	if s == nil {
		return false
	}
	return s.aborted.Load()
}

// Reason returns s's abort reason, or nil while s is not aborted. The reason
// is returned as given, never wrapped.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-reason
func (s *Signal) Reason() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// ThrowIfAborted returns s's abort reason if s is aborted, and nil
// otherwise.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-throwifaborted
func (s *Signal) ThrowIfAborted() error {
	return s.Reason()
}

// Done returns a channel that is closed once s is aborted, like
// context.Context's Done. It is closed as soon as the reason is set, which
// may be before s's callbacks have run. A nil *Signal returns a nil channel
// (one that never closes).
//
// Like a callback, a Done channel counts as somebody waiting: a signal made
// by Any, Timeout or FromContext whose Done was called stays registered
// with what aborts it (its sources, timer or context) until it aborts, even
// if nobody holds the signal. For a signal that may never abort, on a
// long-lived source or context, prefer AddAlgorithm or Context, which can be
// undone.
func (s *Signal) Done() <-chan struct{} {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		if s.reason != nil {
			return closedChan
		}
		s.done = make(chan struct{})
		s.updateKeepLocked()
	}
	return s.done
}

// AddAlgorithm adds fn to s's abort algorithms: fn runs once, with the
// reason, when s aborts, after the algorithms added before it and before
// any "abort" event listener. This is the hook fetch and other APIs use to
// observe a signal. If s is already aborted nothing is added and fn never
// runs (check [Signal.Aborted] first). The returned function removes fn; it
// may be called any number of times, even from inside a callback.
//
// https://dom.spec.whatwg.org/#abortsignal-add
func (s *Signal) AddAlgorithm(fn func(reason error)) (remove func()) {
	if s == nil {
		return noop
	}
	remove, _ = s.add(&s.algorithms, fn)
	return remove
}

// AddEventListener adds fn as a listener of s's "abort" event: fn runs once,
// with the reason, when s aborts, after all abort algorithms and after the
// listeners added before it. As in the DOM, a listener added after s aborted
// never runs. The returned function removes the listener; a listener removed
// while the event is being dispatched does not run if it has not yet.
//
// Unlike the DOM, adding the same function twice adds two listeners (Go
// functions cannot be compared).
//
// https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener
func (s *Signal) AddEventListener(fn func(reason error), opts ...ListenerOption) (remove func()) {
	if s == nil {
		return noop
	}
	var cfg listenerConfig
	for _, o := range opts {
		o(&cfg)
	}
	// The DOM's add an event listener, with the parts that apply here:
	// a listener whose own signal is aborted is not added.
	if cfg.signal.Aborted() {
		return noop
	}
	rm, added := s.add(&s.listeners, fn)
	// Its signal, when it aborts, removes the listener.
	if added && cfg.signal != nil {
		stop := cfg.signal.AddAlgorithm(func(error) { rm() })
		return func() { stop(); rm() }
	}
	return rm
}

// ListenerOption configures [Signal.AddEventListener].
type ListenerOption func(*listenerConfig)

type listenerConfig struct {
	signal *Signal
}

// ListenerSignal is addEventListener's "signal" option: when sig aborts, the
// listener is removed; if sig is already aborted, the listener is not added.
//
// https://dom.spec.whatwg.org/#dom-addeventlisteneroptions-signal
func ListenerSignal(sig *Signal) ListenerOption {
	return func(c *listenerConfig) { c.signal = sig }
}

// add appends fn to the list at *list (s's algorithms or listeners) unless s
// is aborted, and reports whether it did.
//
// https://dom.spec.whatwg.org/#abortsignal-add
func (s *Signal) add(list *[]*callback, fn func(reason error)) (remove func(), added bool) {
	if fn == nil {
		return noop, false
	}
	s.mu.Lock()
	// 1. Nothing to add to an aborted signal.
	if s.reason != nil {
		s.mu.Unlock()
		return noop, false
	}
	// 2. Append.
	cb := &callback{fn: fn}
	*list = append(*list, cb)
	s.updateKeepLocked()
	s.mu.Unlock()
	return func() { s.remove(list, cb) }, true
}

// remove takes cb out of the list at *list.
//
// https://dom.spec.whatwg.org/#abortsignal-remove
func (s *Signal) remove(list *[]*callback, cb *callback) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cb.removed.Swap(true) {
		return
	}
	if i := slices.Index(*list, cb); i >= 0 {
		*list = slices.Delete(*list, i, i+1)
	}
	s.updateKeepLocked()
}

// updateKeepLocked decides whether s must be kept alive by what aborts it,
// and makes it so. The spec holds dependent signals weakly, and lets a
// timeout's timer hold its signal weakly, except while the signal has
// listeners or abort algorithms; here, too, a Done channel that has been
// handed out counts, as does a kept dependent (which needs its source).
// Without that, a signal nobody holds is garbage collected, and with it its
// place in its sources' lists and its timer or context registration.
//
// It may lock s's sources (never the other way round: a source does not
// lock its dependents while holding its own lock).
//
// https://dom.spec.whatwg.org/#abort-signal-garbage-collection
func (s *Signal) updateKeepLocked() {
	waited := s.reason == nil &&
		(len(s.algorithms)+len(s.listeners) > 0 || s.done != nil || s.keptDeps > 0)
	want := waited && (s.anchor != nil || (s.dependent && len(s.sources) > 0))
	if want == s.kept {
		return
	}
	s.kept = want
	var self *Signal
	delta := -1
	if want {
		self, delta = s, 1
	}
	if s.anchor != nil {
		s.anchor.strong = self
	}
	for _, l := range s.sources {
		l.strong = self
		l.src.addKeptDependents(delta)
	}
}

// addKeptDependents adjusts the number of s's kept dependents.
func (s *Signal) addKeptDependents(delta int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keptDeps += delta
	s.updateKeepLocked()
}

// setReasonLocked records reason and closes Done. The caller holds s.mu (or
// s is not shared yet) and has checked that s is not aborted.
func (s *Signal) setReasonLocked(reason error) {
	s.reason = reason
	s.aborted.Store(true)
	if s.done != nil {
		close(s.done)
	}
	// An aborted signal needs nobody to keep it, and is never read for its
	// sources again.
	s.updateKeepLocked()
	s.sources = nil
}

// setReasonIfNotAborted sets s's reason unless s already has one, and
// reports whether it did.
func (s *Signal) setReasonIfNotAborted(reason error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reason != nil {
		return false
	}
	s.setReasonLocked(reason)
	return true
}

// signalAbort aborts s with reason (nil meaning a new AbortError), and with
// it every dependent signal.
//
// https://dom.spec.whatwg.org/#abortsignal-signal-abort
func (s *Signal) signalAbort(reason error) {
	if reason == nil {
		reason = errs.NewAbortError("")
	}
	s.mu.Lock()
	// 1. Already aborted: nothing to do.
	if s.reason != nil {
		s.mu.Unlock()
		return
	}
	// 2. Record the reason.
	s.setReasonLocked(reason)
	// An aborted signal never aborts again, so its dependents list is
	// finished with; take it.
	deps := s.dependents
	s.dependents = nil
	s.mu.Unlock()

	// 3-4. Give each dependent that is not aborted yet the same reason, and
	// remember it; all reasons are set before any callback runs.
	var toAbort []*Signal
	for _, l := range deps {
		if d := l.dep.Value(); d != nil && d.setReasonIfNotAborted(reason) {
			toAbort = append(toAbort, d)
		}
	}
	// 5. s's own abort steps, 6. then those of each dependent, in order.
	each(0, 1+len(toAbort), func(i int) {
		if i == 0 {
			s.runAbortSteps()
		} else {
			toAbort[i-1].runAbortSteps()
		}
	})
}

// runAbortSteps runs s's abort algorithms, empties them and fires the
// "abort" event at s. s is aborted.
//
// https://dom.spec.whatwg.org/#run-the-abort-steps
func (s *Signal) runAbortSteps() {
	s.mu.Lock()
	reason := s.reason
	algorithms, listeners := s.algorithms, s.listeners
	// 2. Empty the abort algorithms (done up front so no lock is held while
	// they run); the listener list is taken for the dispatch, which can
	// happen only once.
	s.algorithms, s.listeners = nil, nil
	s.mu.Unlock()

	// 1. Run each abort algorithm, skipping any removed meanwhile.
	// 3. Fire "abort": each listener in order, once, unless removed before
	// its turn.
	each(0, len(algorithms)+len(listeners), func(i int) {
		if i < len(algorithms) {
			if cb := algorithms[i]; !cb.removed.Load() {
				cb.fn(reason)
			}
			return
		}
		if cb := listeners[i-len(algorithms)]; !cb.removed.Swap(true) {
			cb.fn(reason)
		}
	})
}

// each calls f(i) for i from i to n-1. If a call panics, the remaining
// calls still happen, from a deferred call, before the panic goes on (the
// DOM reports a listener's exception and carries on; a Go panic still
// reaches the caller, with its original stack, once every callback has
// had its turn).
func each(i, n int, f func(i int)) {
	defer func() {
		if i < n { // f(i) panicked
			each(i+1, n, f)
		}
	}()
	for ; i < n; i++ {
		f(i)
	}
}

// algorithmCount returns the number of abort algorithms (for tests).
func (s *Signal) algorithmCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.algorithms)
}
