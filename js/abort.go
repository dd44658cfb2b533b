package js

import (
	"errors"
	"reflect"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/internal/errs"
)

// abortSignal is the Go side of a JavaScript AbortSignal: an EventTarget
// over an *abort.Signal.
type abortSignal struct {
	EventTarget
	sig   *abort.Signal
	timer int // the weak timer of AbortSignal.timeout, or 0
}

// listened makes the timeout timer of a signal that script now listens to
// keep the loop going.
func (r *Runtime) listened(impl any, typ string) {
	if s, ok := impl.(*abortSignal); ok && typ == "abort" && s.timer != 0 {
		r.StrengthenTimer(s.timer)
	}
}

func (s *abortSignal) aborted() bool { return s.sig.Aborted() }

func (s *abortSignal) onAbort(f func()) { s.sig.AddAlgorithm(func(error) { f() }) }

// installAbort defines AbortController and AbortSignal over package abort.
// https://dom.spec.whatwg.org/#aborting-ongoing-activities
func (r *Runtime) installAbort() {
	r.DefineInterface(InterfaceSpec{
		Name:   "AbortSignal",
		Parent: "EventTarget",
		Statics: []Method{
			{Name: "abort", Fn: func(c *Call) goja.Value {
				return r.NewAbortSignal(abort.Abort(r.abortReason(c.Arg(0))))
			}},
			{Name: "timeout", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "AbortSignal.timeout")
				ms := r.UnsignedLongLong(c.Arg(0), true)
				// The timer is a task on this loop, as in
				// https://dom.spec.whatwg.org/#dom-abortsignal-timeout.
				ctrl := abort.NewController()
				id := r.SetWeakTimeout(func() {
					r.abortSync(func() { ctrl.Abort(errs.NewTimeoutError("")) })
				}, time.Duration(ms)*time.Millisecond)
				o := r.NewAbortSignal(ctrl.Signal())
				r.Impl(o, "AbortSignal").(*abortSignal).timer = id
				return o
			}},
			{Name: "any", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "AbortSignal.any")
				var sigs []*abort.Signal
				for _, v := range r.Sequence(c.Arg(0), "AbortSignal.any") {
					s, ok := r.Impl(v, "AbortSignal").(*abortSignal)
					if !ok {
						r.TypeError("AbortSignal.any: %s is not an AbortSignal", describe(v))
					}
					sigs = append(sigs, s.sig)
				}
				return r.NewAbortSignal(abort.Any(sigs...))
			}},
		},
		Attrs: []Attr{
			{Name: "aborted", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*abortSignal).sig.Aborted()) }},
			{Name: "reason", Get: func(c *Call) goja.Value {
				reason := c.Impl.(*abortSignal).sig.Reason()
				if reason == nil {
					return goja.Undefined()
				}
				return r.ReasonValue(reason)
			}},
			r.EventHandler("onabort", "abort"),
		},
		Methods: []Method{
			{Name: "throwIfAborted", Fn: func(c *Call) goja.Value {
				if err := c.Impl.(*abortSignal).sig.ThrowIfAborted(); err != nil {
					panic(r.ReasonValue(err))
				}
				return nil
			}},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name: "AbortController",
		Construct: func(c *Call) any {
			ctrl := abort.NewController()
			return &abortController{ctrl: ctrl, signal: r.NewAbortSignal(ctrl.Signal())}
		},
		Attrs: []Attr{
			{Name: "signal", Get: func(c *Call) goja.Value { return c.Impl.(*abortController).signal }},
		},
		Methods: []Method{
			{Name: "abort", Fn: func(c *Call) goja.Value {
				reason := r.abortReason(c.Arg(0))
				r.abortSync(func() { c.Impl.(*abortController).ctrl.Abort(reason) })
				return nil
			}},
		},
	})
}

type abortController struct {
	ctrl   *abort.Controller
	signal *goja.Object
}

// abortReason turns a JavaScript reason into a Go error (nil for
// undefined: the default AbortError).
func (r *Runtime) abortReason(v goja.Value) error {
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	if de, ok := r.Impl(v, "DOMException").(*errs.DOMException); ok {
		// Keep the object itself: reason must be the same value.
		r.errVals[de] = v
		return de
	}
	return &JSError{Value: v}
}

// ReasonValue converts an abort reason (or any error) to the JavaScript
// value it stands for, returning the same object for the same error each
// time, so that signal.reason === signal.reason and a dependent signal
// shares its source's reason object.
func (r *Runtime) ReasonValue(err error) goja.Value {
	var je *JSError
	if errors.As(err, &je) {
		return je.Value
	}
	if reflect.TypeOf(err).Kind() != reflect.Pointer {
		return r.ErrorValue(err)
	}
	if v, ok := r.errVals[err]; ok {
		return v
	}
	v := r.ErrorValue(err)
	r.errVals[err] = v
	return v
}

// abortSync runs f (which aborts a signal) with "abort" events fired
// synchronously, as they are when script calls abort().
func (r *Runtime) abortSync(f func()) {
	r.syncAbort++
	defer func() { r.syncAbort-- }()
	f()
}

// NewAbortSignal returns the AbortSignal object for sig, the same object
// for the same signal. Its "abort" event fires on the loop: at once when
// the signal aborts from script, as a task when it aborts from another
// goroutine.
func (r *Runtime) NewAbortSignal(sig *abort.Signal) *goja.Object {
	if o, ok := r.signals[sig]; ok {
		return o
	}
	impl := &abortSignal{sig: sig}
	o := r.NewObject("AbortSignal", impl)
	r.signals[sig] = o
	if !sig.Aborted() {
		fire := func() {
			r.Dispatch(o, "abort", false, nil)
		}
		sig.AddEventListener(func(error) {
			if r.syncAbort > 0 {
				fire()
				return
			}
			r.Post(fire)
		})
	}
	return o
}

// AbortSignal returns the Go signal behind a JavaScript AbortSignal, or
// nil when v is not one.
func (r *Runtime) AbortSignal(v goja.Value) *abort.Signal {
	if s, ok := r.Impl(v, "AbortSignal").(*abortSignal); ok {
		return s.sig
	}
	return nil
}
