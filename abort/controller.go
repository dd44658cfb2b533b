package abort

import "sync"

// Controller is the DOM's AbortController: it owns a [Signal] and aborts it.
// The zero Controller is ready to use; a Controller must not be copied after
// first use. It is safe for concurrent use.
//
// https://dom.spec.whatwg.org/#interface-abortcontroller
type Controller struct {
	once   sync.Once
	signal *Signal
}

// NewController returns a controller with a new, not aborted signal.
//
// https://dom.spec.whatwg.org/#dom-abortcontroller-abortcontroller
func NewController() *Controller {
	// 1-2. A new signal, which becomes the controller's.
	c := &Controller{signal: new(Signal)}
	c.once.Do(noop)
	return c
}

// Signal returns c's signal; it is the same signal every time.
//
// https://dom.spec.whatwg.org/#dom-abortcontroller-signal
func (c *Controller) Signal() *Signal {
	c.once.Do(func() { c.signal = new(Signal) })
	return c.signal
}

// Abort aborts c's signal with reason, or with a new "AbortError"
// DOMException when reason is nil. The signal's abort algorithms and then
// its "abort" event listeners run on the calling goroutine before Abort
// returns, followed by those of the signals that depend on it (see [Any]).
// Aborting an aborted signal does nothing: the first reason stays.
//
// https://dom.spec.whatwg.org/#dom-abortcontroller-abort
func (c *Controller) Abort(reason error) {
	c.Signal().signalAbort(reason)
}
