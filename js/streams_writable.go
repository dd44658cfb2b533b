package js

import (
	"math"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/abort"

	"github.com/wfetch/wfetch/internal/errs"
)

// WritableStream, its writer and controller, and ReadableStream's pipeTo
// and pipeThrough. https://streams.spec.whatwg.org/#ws-class
//
// Writable streams live only in script (no Go code writes to one), so they
// run wholly on the loop. The model is the spec's, simplified: one sink
// operation in flight at a time from a queue of writes and the close; an
// abort rejects the queued writes and calls the sink's abort() at once
// (the spec first waits for the write in flight); the controller's signal
// is not provided.

// wsOp is a queued write (or the close request).
type wsOp struct {
	chunk   goja.Value
	size    float64
	isClose bool
	resolve func(any) error
	reject  func(any) error
}

// wsImpl is the Go implementation behind a WritableStream object.
type wsImpl struct {
	r      *Runtime
	obj    *goja.Object
	state  string // "writable", "closed", "errored"
	stored goja.Value

	sink                goja.Value
	write, close, abort goja.Callable
	ctrlObj             *goja.Object

	started        bool
	inFlight       bool
	closeRequested bool
	queue          []*wsOp
	queued         float64
	hwm            float64
	size           goja.Callable

	writer *writerImpl
	signal *abort.Controller // the controller's signal, aborted by abort()
}

// writerImpl is the Go implementation behind a WritableStreamDefaultWriter.
type writerImpl struct {
	ws                    *wsImpl
	closed, ready         *goja.Promise
	closedRes, readyRes   func(any) error
	closedRej, readyRej   func(any) error
	closedDone, readyDone bool
	released              bool
}

// newWritableStream runs the WritableStream constructor.
// https://streams.spec.whatwg.org/#ws-constructor
func (r *Runtime) newWritableStream(c *Call) *wsImpl {
	strategy := r.convertStrategy(c.Arg(1), "WritableStream")
	// 1-2. Convert the underlying sink (abort, close, start, type, write).
	w := &wsImpl{r: r, state: "writable", sink: goja.Undefined(), signal: abort.NewController()}
	var d *goja.Object
	if c.Has(0) {
		o, ok := c.Arg(0).(*goja.Object)
		if !ok {
			r.TypeError("WritableStream: the underlying sink %s is not an object", describe(c.Arg(0)))
		}
		d, w.sink = o, o
	}
	w.abort = r.callback(d, "abort", "WritableStream underlying sink")
	w.close = r.callback(d, "close", "WritableStream underlying sink")
	start := r.callback(d, "start", "WritableStream underlying sink")
	if v := Member(d, "type"); v != nil {
		r.RangeError("WritableStream: the type member must be undefined")
	}
	w.write = r.callback(d, "write", "WritableStream underlying sink")
	// 3-4. The strategy (high-water mark 1 by default).
	w.hwm = r.extractHighWaterMark(strategy, 1, "WritableStream")
	w.size = strategy.size
	// 5. Set up the controller and run start(controller).
	w.ctrlObj = r.NewObject("WritableStreamDefaultController", w)
	var res goja.Value = goja.Undefined()
	if start != nil {
		v, err := start(w.sink, w.ctrlObj)
		if err != nil {
			panic(err)
		}
		res = v
	}
	r.whenSettled(res, func(goja.Value) {
		w.started = true
		w.advance()
	}, func(e goja.Value) {
		w.started = true
		w.fail(e)
	})
	return w
}

func (w *wsImpl) desiredSize() float64 { return w.hwm - w.queued }

// updateBackpressure swaps the writer's ready promise when backpressure
// starts or ends.
// https://streams.spec.whatwg.org/#writable-stream-update-backpressure
func (w *wsImpl) updateBackpressure() {
	wr := w.writer
	if wr == nil || w.state != "writable" || w.closeRequested {
		return
	}
	bp := w.desiredSize() <= 0
	if bp && wr.readyDone {
		wr.ready, wr.readyRes, wr.readyRej = w.r.vm.NewPromise()
		wr.readyDone = false
		w.r.markHandled(wr.ready)
	} else if !bp && !wr.readyDone {
		wr.readyDone = true
		wr.readyRes(goja.Undefined())
	}
}

// advance starts the next sink operation when none is in flight.
// https://streams.spec.whatwg.org/#writable-stream-default-controller-advance-queue-if-needed
func (w *wsImpl) advance() {
	r := w.r
	if !w.started || w.inFlight || w.state != "writable" || len(w.queue) == 0 {
		return
	}
	op := w.queue[0]
	w.inFlight = true
	if op.isClose {
		// https://streams.spec.whatwg.org/#writable-stream-default-controller-process-close
		var res goja.Value = goja.Undefined()
		if w.close != nil {
			v, err := w.close(w.sink)
			if err != nil {
				res = r.promiseRejected(exceptionValue(err))
			} else {
				res = v
			}
		}
		r.whenSettled(res, func(goja.Value) {
			w.inFlight = false
			w.queue = w.queue[1:]
			if w.state != "writable" {
				op.reject(w.stored)
				return
			}
			w.state = "closed"
			op.resolve(goja.Undefined())
			if wr := w.writer; wr != nil && !wr.closedDone {
				wr.closedDone = true
				wr.closedRes(goja.Undefined())
			}
		}, func(e goja.Value) {
			w.inFlight = false
			w.fail(e)
		})
		return
	}
	// https://streams.spec.whatwg.org/#writable-stream-default-controller-process-write
	var res goja.Value = goja.Undefined()
	if w.write != nil {
		v, err := w.write(w.sink, op.chunk, w.ctrlObj)
		if err != nil {
			res = r.promiseRejected(exceptionValue(err))
		} else {
			res = v
		}
	}
	r.whenSettled(res, func(goja.Value) {
		w.inFlight = false
		if w.state != "writable" {
			return
		}
		w.queue = w.queue[1:]
		w.queued = math.Max(0, w.queued-op.size)
		op.resolve(goja.Undefined())
		w.updateBackpressure()
		w.advance()
	}, func(e goja.Value) {
		w.inFlight = false
		w.fail(e)
	})
}

// fail errors the stream: queued operations and the writer's promises are
// rejected with e.
// https://streams.spec.whatwg.org/#writable-stream-start-erroring
func (w *wsImpl) fail(e goja.Value) {
	if w.state != "writable" {
		return
	}
	w.state = "errored"
	w.stored = e
	q := w.queue
	w.queue = nil
	for _, op := range q {
		op.reject(e)
	}
	if wr := w.writer; wr != nil {
		wr.rejectPromises(e)
	}
}

func (wr *writerImpl) rejectPromises(e goja.Value) {
	if !wr.closedDone {
		wr.closedDone = true
		wr.closedRej(e)
	}
	if !wr.readyDone {
		wr.readyDone = true
		wr.readyRej(e)
	} else {
		p, _, rej := wr.ws.r.vm.NewPromise()
		wr.ws.r.markHandled(p)
		rej(e)
		wr.ready = p
	}
}

// writeChunk runs WritableStreamDefaultWriterWrite.
// https://streams.spec.whatwg.org/#writable-stream-default-writer-write
func (w *wsImpl) writeChunk(chunk goja.Value) goja.Value {
	r := w.r
	size := 1.0
	if w.size != nil {
		v, err := w.size(goja.Undefined(), chunk)
		if err != nil {
			e := exceptionValue(err)
			w.fail(e)
			return r.promiseRejected(e)
		}
		size = v.ToFloat()
		if math.IsNaN(size) || size < 0 || math.IsInf(size, 1) {
			e := r.ErrorValue(errs.RangeErrorf("the chunk size %v is not a finite non-negative number", size))
			w.fail(e)
			return r.promiseRejected(e)
		}
	}
	switch {
	case w.state == "errored":
		return r.promiseRejected(w.stored)
	case w.state == "closed" || w.closeRequested:
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("WritableStream: cannot write to a closed or closing stream")))
	}
	p, resolve, reject := r.vm.NewPromise()
	w.queue = append(w.queue, &wsOp{chunk: chunk, size: size, resolve: resolve, reject: reject})
	w.queued += size
	w.updateBackpressure()
	w.advance()
	return r.vm.ToValue(p)
}

// closeStream runs WritableStreamClose.
// https://streams.spec.whatwg.org/#writable-stream-close
func (w *wsImpl) closeStream() goja.Value {
	r := w.r
	if w.state != "writable" || w.closeRequested {
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("WritableStream: the stream is already closed, closing or errored")))
	}
	p, resolve, reject := r.vm.NewPromise()
	w.closeRequested = true
	w.queue = append(w.queue, &wsOp{isClose: true, resolve: resolve, reject: reject})
	if wr := w.writer; wr != nil && !wr.readyDone {
		wr.readyDone = true
		wr.readyRes(goja.Undefined())
	}
	w.advance()
	return r.vm.ToValue(p)
}

// abortStream runs WritableStreamAbort.
// https://streams.spec.whatwg.org/#writable-stream-abort
func (w *wsImpl) abortStream(reason goja.Value) goja.Value {
	r := w.r
	if w.state == "closed" || w.state == "errored" {
		return r.promiseResolved(goja.Undefined())
	}
	// Signal the abort to the sink's in-flight work first.
	r.abortSync(func() { w.signal.Abort(r.abortReason(reason)) })
	w.fail(reason)
	var res goja.Value = goja.Undefined()
	if w.abort != nil {
		v, err := w.abort(w.sink, reason)
		if err != nil {
			return r.promiseRejected(exceptionValue(err))
		}
		res = v
	}
	p, resolve, reject := r.vm.NewPromise()
	r.whenSettled(res, func(goja.Value) { resolve(goja.Undefined()) }, func(e goja.Value) { reject(e) })
	return r.vm.ToValue(p)
}

// acquireWriter locks w to a new writer.
// https://streams.spec.whatwg.org/#acquire-writable-stream-default-writer
func (r *Runtime) acquireWriter(w *wsImpl) *writerImpl {
	if w.writer != nil {
		r.TypeError("WritableStream: the stream is locked to a writer")
	}
	wr := &writerImpl{ws: w}
	wr.closed, wr.closedRes, wr.closedRej = r.vm.NewPromise()
	wr.ready, wr.readyRes, wr.readyRej = r.vm.NewPromise()
	r.markHandled(wr.closed)
	r.markHandled(wr.ready)
	w.writer = wr
	switch w.state {
	case "writable":
		if w.closeRequested || w.desiredSize() > 0 {
			wr.readyDone = true
			wr.readyRes(goja.Undefined())
		}
	case "closed":
		wr.readyDone, wr.closedDone = true, true
		wr.readyRes(goja.Undefined())
		wr.closedRes(goja.Undefined())
	default:
		wr.rejectPromises(w.stored)
	}
	return wr
}

// release runs WritableStreamDefaultWriterRelease.
// https://streams.spec.whatwg.org/#writable-stream-default-writer-release
func (wr *writerImpl) release() {
	if wr.released {
		return
	}
	r := wr.ws.r
	wr.released = true
	e := r.ErrorValue(errs.TypeErrorf("the writer's lock was released"))
	wr.closedDone, wr.readyDone = false, false
	if wr.ws.state == "writable" {
		wr.rejectPromises(e)
	} else {
		wr.closedDone, wr.readyDone = true, true
		p1, _, rej1 := r.vm.NewPromise()
		p2, _, rej2 := r.vm.NewPromise()
		r.markHandled(p1)
		r.markHandled(p2)
		rej1(e)
		rej2(e)
		wr.closed, wr.ready = p1, p2
	}
	wr.ws.writer = nil
}

func (r *Runtime) installWritableStream() {
	ws := func(c *Call) *wsImpl { return c.Impl.(*wsImpl) }
	r.DefineInterface(InterfaceSpec{
		Name: "WritableStream",
		Construct: func(c *Call) any {
			w := r.newWritableStream(c)
			w.obj = c.This
			return w
		},
		Methods: []Method{
			{Name: "abort", Fn: func(c *Call) goja.Value {
				w := ws(c)
				if w.writer != nil {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("WritableStream.abort: the stream is locked")))
				}
				return w.abortStream(c.Arg(0))
			}},
			{Name: "close", Fn: func(c *Call) goja.Value {
				w := ws(c)
				if w.writer != nil {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("WritableStream.close: the stream is locked")))
				}
				return w.closeStream()
			}},
			{Name: "getWriter", Fn: func(c *Call) goja.Value {
				return r.NewObject("WritableStreamDefaultWriter", r.acquireWriter(ws(c)))
			}},
		},
		Attrs: []Attr{
			{Name: "locked", Get: func(c *Call) goja.Value { return r.vm.ToValue(ws(c).writer != nil) }},
		},
	})
	wrOf := func(c *Call) *writerImpl { return c.Impl.(*writerImpl) }
	releasedErr := func(what string) goja.Value {
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("WritableStreamDefaultWriter.%s: the writer's lock was released", what)))
	}
	r.DefineInterface(InterfaceSpec{
		Name:   "WritableStreamDefaultWriter",
		Length: 1,
		Construct: func(c *Call) any {
			w, ok := r.Impl(c.Arg(0), "WritableStream").(*wsImpl)
			if !ok {
				r.TypeError("WritableStreamDefaultWriter: the argument is not a WritableStream")
			}
			return r.acquireWriter(w)
		},
		Methods: []Method{
			{Name: "abort", Fn: func(c *Call) goja.Value {
				wr := wrOf(c)
				if wr.released {
					return releasedErr("abort")
				}
				return wr.ws.abortStream(c.Arg(0))
			}},
			{Name: "close", Fn: func(c *Call) goja.Value {
				wr := wrOf(c)
				if wr.released {
					return releasedErr("close")
				}
				return wr.ws.closeStream()
			}},
			{Name: "releaseLock", Fn: func(c *Call) goja.Value {
				wrOf(c).release()
				return nil
			}},
			{Name: "write", Fn: func(c *Call) goja.Value {
				wr := wrOf(c)
				if wr.released {
					return releasedErr("write")
				}
				return wr.ws.writeChunk(c.Arg(0))
			}},
		},
		Attrs: []Attr{
			{Name: "closed", Get: func(c *Call) goja.Value { return r.vm.ToValue(wrOf(c).closed) }},
			{Name: "ready", Get: func(c *Call) goja.Value { return r.vm.ToValue(wrOf(c).ready) }},
			{Name: "desiredSize", Get: func(c *Call) goja.Value {
				wr := wrOf(c)
				if wr.released {
					r.TypeError("WritableStreamDefaultWriter.desiredSize: the writer's lock was released")
				}
				switch wr.ws.state {
				case "errored":
					return goja.Null()
				case "closed":
					return r.vm.ToValue(0)
				}
				return r.vm.ToValue(wr.ws.desiredSize())
			}},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name: "WritableStreamDefaultController",
		Attrs: []Attr{
			{Name: "signal", Get: func(c *Call) goja.Value { return r.NewAbortSignal(c.Impl.(*wsImpl).signal.Signal()) }},
		},
		Methods: []Method{
			{Name: "error", Fn: func(c *Call) goja.Value {
				c.Impl.(*wsImpl).fail(c.Arg(0))
				return nil
			}},
		},
	})
}

// pipeOptions are the StreamPipeOptions members.
type pipeOptions struct {
	preventAbort, preventCancel, preventClose bool
	signal                                    *abort.Signal
}

func (r *Runtime) streamPipeOptions(v goja.Value) pipeOptions {
	d := r.Dictionary(v, "StreamPipeOptions")
	var o pipeOptions
	if x := Member(d, "preventAbort"); x != nil {
		o.preventAbort = x.ToBoolean()
	}
	if x := Member(d, "preventCancel"); x != nil {
		o.preventCancel = x.ToBoolean()
	}
	if x := Member(d, "preventClose"); x != nil {
		o.preventClose = x.ToBoolean()
	}
	if x := Member(d, "signal"); x != nil {
		if o.signal = r.AbortSignal(x); o.signal == nil {
			r.TypeError("StreamPipeOptions: signal is not an AbortSignal")
		}
	}
	return o
}

// pipeTo runs ReadableStream.prototype.pipeTo.
// https://streams.spec.whatwg.org/#rs-pipe-to
func (r *Runtime) pipeTo(c *Call) goja.Value {
	src := c.Impl.(*rsImpl)
	dest, ok := r.Impl(c.Arg(0), "WritableStream").(*wsImpl)
	if !ok {
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStream.pipeTo: the destination is not a WritableStream")))
	}
	var opts pipeOptions
	if ex := r.vm.Try(func() { opts = r.streamPipeOptions(c.Arg(1)) }); ex != nil {
		return r.promiseRejected(ex.Value())
	}
	if src.s.Locked() {
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStream.pipeTo: the stream is locked")))
	}
	if dest.writer != nil {
		return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStream.pipeTo: the destination is locked")))
	}
	p, resolve, reject := r.vm.NewPromise()
	r.readableStreamPipeTo(src, dest, opts, func(e goja.Value, failed bool) {
		if failed {
			reject(e)
		} else {
			resolve(goja.Undefined())
		}
	})
	return r.vm.ToValue(p)
}

// readableStreamPipeTo pipes src into dest, one chunk at a time: each read
// waits for the previous write. Reads use internal read requests (no
// promise is resolved with a {value, done} object, so Object.prototype.then
// cannot interfere). An abort signal aborts the destination and cancels
// the source (unless prevented), both at once rather than one after the
// other as the spec orders them.
// https://streams.spec.whatwg.org/#readable-stream-pipe-to
func (r *Runtime) readableStreamPipeTo(src *rsImpl, dest *wsImpl, opts pipeOptions, finish func(e goja.Value, failed bool)) {
	// 1-4. Lock both streams; the source is disturbed at once.
	rd := r.acquireReader(src, false)
	rd.internal = true
	wr := r.acquireWriter(dest)
	done := false
	removeAbort := func() {}
	end := func(e goja.Value, failed bool) {
		if done {
			return
		}
		done = true
		removeAbort()
		wr.release()
		rd.release()
		finish(e, failed)
	}
	// A failing destination cancels the source (unless prevented), then
	// the pipe fails with the destination's error.
	cancelThenEnd := func(e goja.Value) {
		if opts.preventCancel {
			end(e, true)
			return
		}
		cp := r.cancelInline(src, func() error { return rd.gr.Cancel(jsReason(e)) })
		r.whenSettled(cp, func(goja.Value) { end(e, true) }, func(goja.Value) { end(e, true) })
	}
	var step func()
	step = func() {
		if dest.state == "errored" {
			// Destination errored: cancel the source unless prevented.
			cancelThenEnd(dest.stored)
			return
		}
		rd.read(&readRequest{
			chunk: func(v goja.Value) {
				if done {
					return
				}
				wp := dest.writeChunk(v)
				r.whenSettled(wp, func(goja.Value) { step() }, cancelThenEnd)
			},
			close: func(goja.Value) {
				if done {
					return
				}
				if opts.preventClose {
					end(nil, false)
					return
				}
				cp := dest.closeStream()
				r.whenSettled(cp, func(goja.Value) { end(nil, false) }, func(e goja.Value) { end(e, true) })
			},
			fail: func(e goja.Value) {
				if done {
					return
				}
				if !opts.preventAbort {
					dest.abortStream(e)
				}
				end(e, true)
			},
		})
	}
	// https://streams.spec.whatwg.org/#readable-stream-pipe-to (step 14:
	// the abort algorithm)
	if sig := opts.signal; sig != nil {
		abortPipe := func() {
			if done {
				return
			}
			e := r.ReasonValue(sig.Reason())
			if !opts.preventAbort && dest.state == "writable" {
				dest.abortStream(e)
			}
			if opts.preventCancel {
				end(e, true)
				return
			}
			cp := r.cancelInline(src, func() error { return rd.gr.Cancel(jsReason(e)) })
			r.whenSettled(cp, func(goja.Value) { end(e, true) }, func(goja.Value) { end(e, true) })
		}
		if sig.Aborted() {
			abortPipe()
			return
		}
		removeAbort = sig.AddAlgorithm(func(error) { r.postJS(abortPipe) })
	}
	step()
}

// pipeThrough runs ReadableStream.prototype.pipeThrough.
// https://streams.spec.whatwg.org/#rs-pipe-through
func (r *Runtime) pipeThrough(c *Call) goja.Value {
	src := c.Impl.(*rsImpl)
	d := r.Dictionary(c.Arg(0), "ReadableStream.pipeThrough transform")
	if d == nil {
		r.TypeError("ReadableStream.pipeThrough: the transform is not an object")
	}
	readable := d.Get("readable")
	if r.Impl(readable, "ReadableStream") == nil {
		r.TypeError("ReadableStream.pipeThrough: transform.readable is not a ReadableStream")
	}
	dest, ok := r.Impl(d.Get("writable"), "WritableStream").(*wsImpl)
	if !ok {
		r.TypeError("ReadableStream.pipeThrough: transform.writable is not a WritableStream")
	}
	opts := r.streamPipeOptions(c.Arg(1))
	if src.s.Locked() {
		r.TypeError("ReadableStream.pipeThrough: the stream is locked")
	}
	if dest.writer != nil {
		r.TypeError("ReadableStream.pipeThrough: the writable side is locked")
	}
	r.readableStreamPipeTo(src, dest, opts, func(goja.Value, bool) {})
	return readable
}
