package js

import (
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/internal/errs"
)

// EventTarget is the Go side of a DOM EventTarget: its listener list and
// event handler attributes. Implementations of interfaces that inherit
// from EventTarget embed it.
// https://dom.spec.whatwg.org/#interface-eventtarget
type EventTarget struct {
	listeners []*listener
	handlers  map[string]*listener
}

type listener struct {
	typ      string
	callback goja.Value // function or object with handleEvent; for a handler, the current value
	capture  bool
	once     bool
	passive  bool
	removed  bool
	handler  bool
}

// Target returns t; it lets any type embedding *EventTarget or EventTarget
// act as one.
func (t *EventTarget) Target() *EventTarget { return t }

type eventTargetImpl interface{ Target() *EventTarget }

// Event is the Go side of a DOM Event.
// https://dom.spec.whatwg.org/#interface-event
type Event struct {
	Type                 string
	Bubbles, Cancelable  bool
	Composed             bool
	Trusted              bool
	target, current      goja.Value
	phase                int
	canceled             bool
	inPassive            bool
	stopProp, stopImmed  bool
	dispatching, initted bool
	timeStamp            float64
}

var timeOrigin = time.Now()

func (r *Runtime) installEvents() {
	r.DefineInterface(InterfaceSpec{
		Name:   "Event",
		Length: 1,
		Construct: func(c *Call) any {
			if len(c.Args) < 1 {
				r.TypeError("Failed to construct 'Event': 1 argument required, but only 0 present")
			}
			e := &Event{Type: r.DOMString(c.Arg(0)), initted: true, timeStamp: sinceOrigin()}
			d := r.Dictionary(c.Arg(1), "EventInit")
			if v := Member(d, "bubbles"); v != nil {
				e.Bubbles = v.ToBoolean()
			}
			if v := Member(d, "cancelable"); v != nil {
				e.Cancelable = v.ToBoolean()
			}
			if v := Member(d, "composed"); v != nil {
				e.Composed = v.ToBoolean()
			}
			return e
		},
		Consts: []Const{{"NONE", 0}, {"CAPTURING_PHASE", 1}, {"AT_TARGET", 2}, {"BUBBLING_PHASE", 3}},
		Attrs: []Attr{
			{Name: "type", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).Type) }},
			{Name: "target", Get: func(c *Call) goja.Value { return nullIfNil(evOf(c).target) }},
			{Name: "srcElement", Get: func(c *Call) goja.Value { return nullIfNil(evOf(c).target) }},
			{Name: "currentTarget", Get: func(c *Call) goja.Value { return nullIfNil(evOf(c).current) }},
			{Name: "eventPhase", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).phase) }},
			{Name: "cancelBubble", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).stopProp) },
				Set: func(c *Call, v goja.Value) {
					if v.ToBoolean() {
						evOf(c).stopProp = true
					}
				}},
			{Name: "bubbles", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).Bubbles) }},
			{Name: "cancelable", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).Cancelable) }},
			{Name: "returnValue", Get: func(c *Call) goja.Value { return r.vm.ToValue(!evOf(c).canceled) },
				Set: func(c *Call, v goja.Value) {
					if !v.ToBoolean() {
						evOf(c).setCanceled()
					}
				}},
			{Name: "defaultPrevented", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).canceled) }},
			{Name: "composed", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).Composed) }},
			{Name: "isTrusted", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).Trusted) }},
			{Name: "timeStamp", Get: func(c *Call) goja.Value { return r.vm.ToValue(evOf(c).timeStamp) }},
		},
		Methods: []Method{
			{Name: "composedPath", Fn: func(c *Call) goja.Value {
				e := evOf(c)
				if e.current == nil || goja.IsNull(e.current) {
					return r.vm.NewArray()
				}
				return r.vm.NewArray(e.current)
			}},
			{Name: "stopPropagation", Fn: func(c *Call) goja.Value { evOf(c).stopProp = true; return nil }},
			{Name: "stopImmediatePropagation", Fn: func(c *Call) goja.Value {
				e := evOf(c)
				e.stopProp, e.stopImmed = true, true
				return nil
			}},
			{Name: "preventDefault", Fn: func(c *Call) goja.Value { evOf(c).setCanceled(); return nil }},
			{Name: "initEvent", Length: 1, Fn: func(c *Call) goja.Value {
				e := evOf(c)
				if len(c.Args) < 1 {
					r.TypeError("initEvent: 1 argument required")
				}
				if e.dispatching {
					return nil
				}
				e.initted = true
				e.stopProp, e.stopImmed, e.canceled = false, false, false
				e.Trusted = false
				e.target = nil
				e.Type = r.DOMString(c.Arg(0))
				e.Bubbles = c.Arg(1).ToBoolean()
				e.Cancelable = c.Arg(2).ToBoolean()
				return nil
			}},
		},
	})

	// https://dom.spec.whatwg.org/#interface-customevent
	r.DefineInterface(InterfaceSpec{
		Name:   "CustomEvent",
		Parent: "Event",
		Length: 1,
		Construct: func(c *Call) any {
			r.need(c, 1, "CustomEvent")
			ce := &customEvent{Event: &Event{Type: r.DOMString(c.Arg(0)), initted: true, timeStamp: sinceOrigin()}, detail: goja.Null()}
			d := r.Dictionary(c.Arg(1), "CustomEventInit")
			if v := Member(d, "bubbles"); v != nil {
				ce.Bubbles = v.ToBoolean()
			}
			if v := Member(d, "cancelable"); v != nil {
				ce.Cancelable = v.ToBoolean()
			}
			if v := Member(d, "composed"); v != nil {
				ce.Composed = v.ToBoolean()
			}
			if v := Member(d, "detail"); v != nil {
				ce.detail = v
			}
			return ce
		},
		Attrs: []Attr{{Name: "detail", Get: func(c *Call) goja.Value { return c.Impl.(*customEvent).detail }}},
	})

	r.DefineInterface(InterfaceSpec{
		Name: "EventTarget",
		Construct: func(c *Call) any {
			return &EventTarget{}
		},
		Methods: []Method{
			{Name: "addEventListener", Length: 2, Fn: func(c *Call) goja.Value {
				if len(c.Args) < 2 {
					r.TypeError("addEventListener: 2 arguments required, but only %d present", len(c.Args))
				}
				t := c.Impl.(eventTargetImpl).Target()
				typ := r.DOMString(c.Arg(0))
				cb := c.Arg(1)
				l := &listener{typ: typ, callback: cb}
				if o, ok := c.Arg(2).(*goja.Object); ok {
					l.capture = o.Get("capture") != nil && o.Get("capture").ToBoolean()
					l.once = o.Get("once") != nil && o.Get("once").ToBoolean()
					l.passive = o.Get("passive") != nil && o.Get("passive").ToBoolean()
					if s := o.Get("signal"); s != nil && !goja.IsUndefined(s) {
						sig, ok := r.Impl(s, "AbortSignal").(signalImpl)
						if !ok {
							r.TypeError("addEventListener: signal is not an AbortSignal")
						}
						if sig.aborted() {
							return nil
						}
						sig.onAbort(func() { t.remove(l.typ, l.callback, l.capture) })
					}
				} else {
					l.capture = c.Arg(2).ToBoolean()
				}
				if goja.IsNull(cb) || goja.IsUndefined(cb) {
					return nil
				}
				if _, ok := cb.(*goja.Object); !ok {
					r.TypeError("addEventListener: the listener is not an object")
				}
				for _, x := range t.listeners {
					if !x.handler && x.typ == typ && x.capture == l.capture && x.callback.SameAs(cb) {
						return nil
					}
				}
				t.listeners = append(t.listeners, l)
				r.listened(c.Impl, typ)
				return nil
			}},
			{Name: "removeEventListener", Length: 2, Fn: func(c *Call) goja.Value {
				if len(c.Args) < 2 {
					r.TypeError("removeEventListener: 2 arguments required, but only %d present", len(c.Args))
				}
				t := c.Impl.(eventTargetImpl).Target()
				capture := false
				if o, ok := c.Arg(2).(*goja.Object); ok {
					capture = o.Get("capture") != nil && o.Get("capture").ToBoolean()
				} else {
					capture = c.Arg(2).ToBoolean()
				}
				t.remove(r.DOMString(c.Arg(0)), c.Arg(1), capture)
				return nil
			}},
			{Name: "dispatchEvent", Length: 1, Fn: func(c *Call) goja.Value {
				ei, ok := r.Impl(c.Arg(0), "Event").(eventImpl)
				var e *Event
				if ok {
					e = ei.event()
				}
				if !ok {
					r.TypeError("dispatchEvent: the argument is not an Event")
				}
				if e.dispatching || !e.initted {
					r.Throw(domErr("InvalidStateError", "the event is already being dispatched or was not initialized"))
				}
				e.Trusted = false
				return r.vm.ToValue(r.dispatch(c.This, c.Arg(0).(*goja.Object), e))
			}},
		},
	})
}

func sinceOrigin() float64 {
	return float64(time.Since(timeOrigin).Microseconds()) / 1000
}

func nullIfNil(v goja.Value) goja.Value {
	if v == nil {
		return goja.Null()
	}
	return v
}

func (e *Event) setCanceled() {
	if e.Cancelable && !e.inPassive {
		e.canceled = true
	}
}

func (t *EventTarget) remove(typ string, cb goja.Value, capture bool) {
	for i, x := range t.listeners {
		if !x.handler && x.typ == typ && x.capture == capture && x.callback.SameAs(cb) {
			x.removed = true
			t.listeners = append(t.listeners[:i:i], t.listeners[i+1:]...)
			return
		}
	}
}

// NewEvent creates an Event object of the given type (not trusted, not
// cancelable, not bubbling).
func (r *Runtime) NewEvent(typ string) (*goja.Object, *Event) {
	e := &Event{Type: typ, initted: true, timeStamp: sinceOrigin()}
	return r.NewObject("Event", e), e
}

// Dispatch fires a trusted event of the given type at target, first
// running init (which may be nil) to add fields such as "reason". It
// returns false when a listener canceled the event.
// https://dom.spec.whatwg.org/#concept-event-fire
func (r *Runtime) Dispatch(target *goja.Object, typ string, cancelable bool, init func(ev *goja.Object)) bool {
	o, e := r.NewEvent(typ)
	e.Trusted = true
	e.Cancelable = cancelable
	if init != nil {
		init(o)
	}
	return r.dispatch(target, o, e)
}

// dispatch runs the listeners of a target that has no parent.
// https://dom.spec.whatwg.org/#concept-event-dispatch
func (r *Runtime) dispatch(target, evObj *goja.Object, e *Event) bool {
	impl, ok := r.brandOf(target).implOK()
	if !ok {
		return true
	}
	et, ok := impl.(eventTargetImpl)
	if !ok {
		return true
	}
	t := et.Target()
	// 1-4. Mark the event as being dispatched at this target.
	e.dispatching = true
	e.target = target
	e.current = target
	e.phase = 2
	// 5. Run capturing listeners, then the others (both "at target").
	list := append([]*listener(nil), t.listeners...)
	for _, phaseCapture := range []bool{true, false} {
		for _, l := range list {
			if e.stopImmed {
				break
			}
			if l.removed || l.typ != e.Type || l.capture != phaseCapture {
				continue
			}
			if l.once {
				t.remove(l.typ, l.callback, l.capture)
			}
			r.invokeListener(target, evObj, e, l)
		}
	}
	// 6. Reset the dispatch state.
	e.dispatching = false
	e.phase = 0
	e.current = nil
	e.stopProp, e.stopImmed = false, false
	return !e.canceled
}

func (b *brand) implOK() (any, bool) {
	if b == nil {
		return nil, false
	}
	return b.impl, true
}

func (r *Runtime) invokeListener(target, evObj *goja.Object, e *Event, l *listener) {
	cb := l.callback
	if cb == nil || goja.IsNull(cb) || goja.IsUndefined(cb) {
		return
	}
	if l.passive {
		e.inPassive = true
	}
	defer func() { e.inPassive = false }()
	var err error
	var ret goja.Value
	if f, ok := goja.AssertFunction(cb); ok {
		if l.handler && e.Type == "error" && target == r.vm.GlobalObject() {
			// OnErrorEventHandler: (message, source, lineno, colno, error);
			// returning true cancels.
			// https://html.spec.whatwg.org/#the-event-handler-processing-algorithm
			ret, err = f(target, evObj.Get("message"), evObj.Get("filename"), evObj.Get("lineno"), evObj.Get("colno"), evObj.Get("error"))
			if err == nil && ret != nil && ret.StrictEquals(r.vm.ToValue(true)) {
				e.setCanceled()
			}
			ret = nil
		} else {
			ret, err = f(target, evObj)
		}
	} else {
		o := cb.(*goja.Object)
		h := o.Get("handleEvent")
		f, ok := goja.AssertFunction(h)
		if !ok {
			r.reportError("Uncaught TypeError: the " + e.Type + " listener has no handleEvent method")
			return
		}
		_, err = f(o, evObj)
	}
	if err != nil {
		if ex, ok := err.(*goja.Exception); ok {
			if e.Type == "error" && target == r.vm.GlobalObject() {
				r.reportError("Uncaught " + describe(ex.Value()))
			} else {
				r.ReportException(ex)
			}
			return
		}
		panic(err)
	}
	// An event handler returning false cancels the event.
	if l.handler && ret != nil && ret.StrictEquals(r.vm.ToValue(false)) {
		e.setCanceled()
	}
}

// signalImpl is what addEventListener needs from an AbortSignal.
type signalImpl interface {
	aborted() bool
	onAbort(func())
}

func domErr(name, msg string) error { return &errs.DOMException{Name: name, Message: msg} }

// EventHandler returns the getter and setter of an event handler IDL
// attribute such as onabort.
// https://html.spec.whatwg.org/#event-handler-idl-attributes
func (r *Runtime) EventHandler(name, typ string) Attr {
	return Attr{
		Name: name,
		Get: func(c *Call) goja.Value {
			t := c.Impl.(eventTargetImpl).Target()
			if h := t.handlers[typ]; h != nil && h.callback != nil {
				return h.callback
			}
			return goja.Null()
		},
		Set: func(c *Call, v goja.Value) {
			t := c.Impl.(eventTargetImpl).Target()
			if _, ok := v.(*goja.Object); !ok {
				v = nil
			}
			if t.handlers == nil {
				t.handlers = map[string]*listener{}
			}
			h := t.handlers[typ]
			if h == nil {
				if v == nil {
					return
				}
				h = &listener{typ: typ, handler: true}
				t.handlers[typ] = h
				t.listeners = append(t.listeners, h)
				r.listened(c.Impl, typ)
			}
			h.callback = v
		},
	}
}

// ReportException reports an exception that no script caught: an "error"
// event on the global object, or a line on the error reporter when no
// listener canceled it.
// https://html.spec.whatwg.org/#report-an-exception
func (r *Runtime) ReportException(ex *goja.Exception) {
	val := ex.Value()
	if r.dispatchErrorEvent(val) {
		if r.cfg.exceptions == ReturnErrors {
			r.fail(&UncaughtError{Value: val, Stack: cleanStack(ex.String())})
			return
		}
		r.reportError("Uncaught " + ex.String())
	}
}

// dispatchErrorEvent fires an "error" event (an ErrorEvent for val) on
// the global object and reports whether no listener canceled it.
func (r *Runtime) dispatchErrorEvent(val goja.Value) bool {
	msg := describe(val)
	if o, ok := val.(*goja.Object); ok {
		if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
			msg = m.String()
		}
	}
	return r.Dispatch(r.vm.GlobalObject(), "error", true, func(ev *goja.Object) {
		ev.Set("message", msg)
		ev.Set("error", val)
		ev.Set("filename", r.cfg.location)
		ev.Set("lineno", 0)
		ev.Set("colno", 0)
	})
}

// dispatchRejection fires typ for p; it reports whether the global object
// has a listener for typ and whether the event was not canceled.
func (r *Runtime) dispatchRejection(typ string, p *goja.Promise) (listened, notCanceled bool) {
	handled := false
	notCanceled = r.Dispatch(r.vm.GlobalObject(), typ, typ == "unhandledrejection", func(ev *goja.Object) {
		ev.Set("reason", p.Result())
		ev.Set("promise", p)
	})
	// Without listeners the rejection is reported by the caller.
	if t := r.global; t != nil {
		for _, l := range t.listeners {
			if l.typ == typ {
				handled = true
			}
		}
	}
	return handled, notCanceled
}

type customEvent struct {
	*Event
	detail goja.Value
}

// eventImpl is implemented by *Event and by event types that embed it
// (ProgressEvent).
type eventImpl interface{ event() *Event }

func (e *Event) event() *Event { return e }

func evOf(c *Call) *Event { return c.Impl.(eventImpl).event() }
