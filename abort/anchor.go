package abort

import "weak"

// anchor is how a timer or a context holds the signal it will abort:
// weakly, and strongly too while the signal is kept (somebody waits for
// it; see updateKeepLocked). A signal nobody holds or waits for is garbage
// collected, and a cleanup then stops its timer or context registration.
//
// https://dom.spec.whatwg.org/#dom-abortsignal-timeout (the strong
// reference "if signal has any event listeners")
type anchor struct {
	w      weak.Pointer[Signal]
	strong *Signal // written under the signal's lock only
}

// newAnchoredSignal returns a new signal and its anchor.
func newAnchoredSignal() (*Signal, *anchor) {
	s := new(Signal)
	a := &anchor{w: weak.Make(s)}
	s.anchor = a
	return s, a
}

// abort aborts the anchored signal with reason(), unless it is gone.
func (a *anchor) abort(reason func() error) {
	if s := a.w.Value(); s != nil {
		s.signalAbort(reason())
	}
}
