package js

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/internal/errs"
)

// ReadableStream bindings over body.Stream.
// https://streams.spec.whatwg.org/#rs-class
//
// Every ReadableStream object, whether script made it or Go did (a fetch
// response body, Blob.stream()), is backed by one body.Stream, which holds
// its state: locked, disturbed, closed, errored and the queue. So Request,
// Response and Go code see exactly what script did to a stream, and script
// sees what Go did. Script-made streams run their underlying source on the
// loop: a Go reader's pull posts the source's pull() to the loop and waits
// for its promise. Chunks enqueued by script are kept as JavaScript values
// (a Uint8Array also carries a copy of its bytes for Go readers); reads by
// script run on a goroutine per reader and settle on the loop.
//
// Script reads follow the spec's pull steps on the loop (pull() after
// start(), at each read, and while the queue is below the high-water mark,
// one at a time), but the chunk itself comes from the Go stream.
//
// Deviations:
//   - A script read settles in a later task, not at once, even when a chunk
//     is queued (the Go read runs on a goroutine). Its promise still
//     settles after the reader's closed promise, in the spec's order.
//   - desiredSize and the eager pulls count only the chunks script readers
//     take: chunks a Go reader (a Response consuming the stream) takes are
//     not subtracted, so the source is then pulled only on demand.
//   - A byte stream controller's byobRequest is always null; reads into a
//     view are served from the queued bytes.
//   - cancel() of a source posted from another goroutine (a Go consumer
//     cancelling) runs in a later task; from the loop it runs at once.
//   - A default reader of a Go-made stream whose closed promise script
//     awaits after reading reads one chunk ahead (network errors then
//     settle closed as in a browser); releasing that reader drops the chunk.
//   - The tee of a body clone structured-clones a script chunk for the
//     branch that reads it second (the spec: always branch 2).

func init() {
	extraInstallers = append(extraInstallers, (*Runtime).installStreams)
}

var hostStateKey = goja.NewSymbol("wfetch.streams")

// hostState is the per-Runtime state of the stream, Blob and FormData
// bindings. It lives on the global object under a private symbol, so that
// it is collected with the Runtime.
type hostState struct {
	files   map[*body.File]*goja.Object
	streams map[*body.Stream]*goja.Object
	glue    map[string]goja.Callable
	clone   goja.Callable
	loop    atomic.Int64 // id of the goroutine last seen running script
	inline  atomic.Int64 // id of a goroutine running an inline cancel, or 0
}

func (r *Runtime) hostState() *hostState {
	g := r.vm.GlobalObject()
	if v := g.GetSymbol(hostStateKey); v != nil {
		if st, ok := v.Export().(*hostState); ok {
			return st
		}
	}
	st := &hostState{
		files:   map[*body.File]*goja.Object{},
		streams: map[*body.Stream]*goja.Object{},
		glue:    map[string]goja.Callable{},
	}
	g.DefineDataPropertySymbol(hostStateKey, r.vm.ToValue(st), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return st
}

// goid returns the current goroutine's id (used to tell whether a source's
// cancel runs on the loop, where it can call script at once).
func goid() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		n, _ := strconv.ParseInt(string(b[:i]), 10, 64)
		return n
	}
	return -1
}

// --- chunks ---

// jsChunk is a chunk that script enqueued.
type jsChunk struct {
	v         goja.Value
	size      float64
	delivered bool // handed to a script reader once (loop only)
}

// jsBytesChunk is a Uint8Array chunk: Go readers read the copy of its
// bytes taken at enqueue time.
type jsBytesChunk struct {
	jsChunk
	b []byte
}

// Bytes implements body.ByteChunk.
func (c *jsBytesChunk) Bytes() []byte { return c.b }

// --- ReadableStream ---

// rsImpl is the Go implementation behind a ReadableStream object.
type rsImpl struct {
	s      *body.Stream
	ctrl   *body.Controller // script-made streams
	src    *jsSource        // script-made streams
	bytes  bool             // a byte stream: type "bytes", or made by Go
	share  bool             // never clone chunks (branches of tee())
	hwm    float64
	size   goja.Callable
	queued float64
	obj    *goja.Object

	closeRequested bool        // script called controller.close()
	reader         *readerImpl // the script reader holding the lock, if any

	// Queue accounting for script-made default streams (loop only): the
	// sizes of the chunks queued, and script reads waiting for a chunk.
	// Chunks Go readers take are not seen here (desiredSize stays lower).
	sizes   []float64
	waiting int
	jsReads atomic.Int32  // Go reads running for script reads
	epoch   atomic.Uint64 // source events a script read's Go read has seen
}

// settleReaderClosed settles the current reader's closed promise once the
// stream has closed or errored (as ReadableStreamClose and
// ReadableStreamError do at once).
func (impl *rsImpl) settleReaderClosed() {
	if rd := impl.reader; rd != nil && !rd.released && impl.s.State() != body.StateReadable {
		rd.settleClosed()
	}
}

// jsSource is a script underlying source as a body.Source.
type jsSource struct {
	r        *Runtime
	host     *hostState // for Cancel, which may run off the loop
	st       *rsImpl
	obj      goja.Value
	pull     goja.Callable
	cancel   goja.Callable
	ctrlObj  goja.Value
	started  chan struct{}
	inline   goja.Value // what cancel() returned in an inline cancel
	inlineOK bool

	// Loop only:
	startDone, pulling, pullAgain bool
	waiters                       []chan error

	events atomic.Uint64 // count of notify calls
}

// Pull is the Go stream's pull, run on a reading goroutine: it asks the
// loop for a pull() and waits until that pull's promise settles.
func (src *jsSource) Pull(ctx context.Context, c *body.Controller) error {
	// 1. Pull only once start() has settled.
	select {
	case <-src.started:
	case <-ctx.Done():
		return nil
	case <-src.r.quit:
		return errs.TypeErrorf("the JavaScript runtime running the stream's source was closed")
	}
	// 2. Have the loop call pull(controller) (or wait for the one running).
	// A script read has already pulled as the spec says (pullSteps): its
	// Go read only waits for the next chunk or pull.
	// Events since the read last looked at the queue end the wait at once
	// (the read looks again), so a chunk enqueued meanwhile is not missed.
	forScript := src.st.jsReads.Load() > 0
	seen := src.st.epoch.Load()
	done := make(chan error, 1)
	src.r.postJS(func() {
		if forScript && src.events.Load() != seen {
			done <- nil
			return
		}
		src.waiters = append(src.waiters, done)
		if !forScript {
			src.callPull(true)
		}
	})
	select {
	case err := <-done:
		src.st.epoch.Store(src.events.Load())
		return err
	case <-ctx.Done():
		return nil
	case <-src.r.quit:
		return errs.TypeErrorf("the JavaScript runtime running the stream's source was closed")
	}
}

// callPull runs ReadableStreamDefaultControllerCallPullIfNeeded on the
// loop; forced is a Go reader waiting (the spec's pending read request).
// https://streams.spec.whatwg.org/#readable-stream-default-controller-call-pull-if-needed
func (src *jsSource) callPull(forced bool) {
	r := src.r
	// 1-2. Not before start() settled, and only when wanted.
	if !src.startDone || src.pull == nil {
		src.notify(nil)
		return
	}
	if !forced && !src.shouldPull() {
		return
	}
	// 3. One pull at a time: a request during a pull repeats it after.
	if src.pulling {
		src.pullAgain = true
		return
	}
	// 4-5. Call pull(controller) and react to its promise.
	src.pulling = true
	v, err := src.pull(src.obj, src.ctrlObj)
	if err != nil {
		v = r.promiseRejected(exceptionValue(err))
	}
	r.whenSettled(v, func(goja.Value) {
		src.pulling = false
		src.notify(nil)
		if src.pullAgain {
			src.pullAgain = false
			src.callPull(false)
		}
	}, func(e goja.Value) {
		src.pulling = false
		jerr := &JSError{Value: e}
		src.st.ctrl.Error(jerr)
		src.st.settleReaderClosed()
		src.notify(jerr)
	})
}

// shouldPull runs ReadableStreamDefaultControllerShouldCallPull, less the
// pending-read case (Go readers force their pulls).
// https://streams.spec.whatwg.org/#readable-stream-default-controller-should-call-pull
func (src *jsSource) shouldPull() bool {
	st := src.st
	return !st.closeRequested && st.s.State() == body.StateReadable && (st.waiting > 0 || st.hwm-st.queued > 0)
}

// notify records an event (a chunk, the end, a pull settled) and ends the
// Go pulls waiting for one.
func (src *jsSource) notify(err error) {
	src.events.Add(1)
	for _, w := range src.waiters {
		w <- err
	}
	src.waiters = nil
}

// Cancel runs the source's cancel(reason): at once when called on the loop
// (from script, or from Go code script called, such as fetch with an
// aborted signal), else as a task.
func (src *jsSource) Cancel(reason error) error {
	r := src.r
	if src.cancel == nil {
		return nil
	}
	if id := goid(); src.host.loop.Load() == id || src.host.inline.Load() == id {
		v, err := src.cancel(src.obj, r.reasonValue(reason))
		if err != nil {
			return &JSError{Value: exceptionValue(err)}
		}
		src.inline, src.inlineOK = v, true
		return nil
	}
	r.postJS(func() {
		if _, err := src.cancel(src.obj, r.reasonValue(reason)); err != nil {
			if _, ok := err.(*goja.Exception); !ok {
				panic(err)
			}
		}
	})
	return nil
}

func exceptionValue(err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	panic(err) // interrupts and other uncatchable conditions
}

// reasonValue converts a cancel reason or stream error to JavaScript: the
// value script gave (*JSError), undefined for nil, an array for the two
// joined reasons of a tee, else the error's JavaScript counterpart.
func (r *Runtime) reasonValue(err error) goja.Value {
	if err == nil {
		return goja.Undefined()
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var vals []any
		for _, e := range j.Unwrap() {
			vals = append(vals, r.reasonValue(e))
		}
		return r.vm.NewArray(vals...)
	}
	return r.ReasonValue(err)
}

// jsReason wraps a script value as a Go error (nil for undefined).
func jsReason(v goja.Value) error {
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return &JSError{Value: v}
}

// inJS runs f, which settles promises or calls script, inside a script
// frame: goja runs pending promise jobs whenever Go calls into script with
// no script on the stack, which would run reactions in the middle of f;
// under a frame they run after f, at the microtask checkpoint. A script
// exception f throws is reported like an uncaught one.
func (r *Runtime) inJS(f func()) {
	fn := r.vm.ToValue(func(goja.FunctionCall) goja.Value { f(); return goja.Undefined() })
	if _, err := r.glue("run")(goja.Undefined(), fn); err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) {
			r.ReportException(ex)
			return
		}
		panic(err)
	}
}

// runtimeClosed reports whether Close was called on r.
func (r *Runtime) runtimeClosed() bool {
	select {
	case <-r.quit:
		return true
	default:
		return false
	}
}

// postJS is Post with f run by inJS.
func (r *Runtime) postJS(f func()) { r.Post(func() { r.inJS(f) }) }

// whenSettled runs onOK or onErr on the loop when v (a promise or any
// value, as with Promise.resolve) settles.
func (r *Runtime) whenSettled(v goja.Value, onOK, onErr func(goja.Value)) {
	f := r.glue("whenSettled")
	ok := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value { onOK(fc.Argument(0)); return goja.Undefined() })
	bad := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value { onErr(fc.Argument(0)); return goja.Undefined() })
	if v == nil {
		v = goja.Undefined()
	}
	if _, err := f(goja.Undefined(), v, ok, bad); err != nil {
		onErr(exceptionValue(err))
	}
}

func (r *Runtime) glue(name string) goja.Callable {
	st := r.hostState()
	if f, ok := st.glue[name]; ok {
		return f
	}
	panic("js: stream glue " + name + " missing")
}

// streamObject returns the ReadableStream object for s, the same object
// for the same stream. A stream made by Go is a byte stream.
func (r *Runtime) streamObject(s *body.Stream) *goja.Object {
	st := r.hostState()
	if o, ok := st.streams[s]; ok {
		return o
	}
	impl := &rsImpl{s: s, bytes: true}
	return r.registerStream(impl)
}

func (r *Runtime) registerStream(impl *rsImpl) *goja.Object {
	o := r.NewObject("ReadableStream", impl)
	impl.obj = o
	r.hostState().streams[impl.s] = o
	return o
}

// NewReadableStream returns the ReadableStream object for a Go stream (the
// same object each time for the same stream). Its chunks are Uint8Arrays.
func (r *Runtime) NewReadableStream(s *body.Stream) *goja.Object { return r.streamObject(s) }

// ReadableStreamOf returns the Go stream behind a ReadableStream object, or
// nil when v is not one. Reading it from Go needs the loop running when
// script made the stream (its source runs there).
func (r *Runtime) ReadableStreamOf(v goja.Value) *body.Stream {
	if impl, ok := r.Impl(v, "ReadableStream").(*rsImpl); ok {
		return impl.s
	}
	return nil
}

// callback converts a dictionary member to a callback function (nil when
// absent).
func (r *Runtime) callback(d *goja.Object, name, what string) goja.Callable {
	v := Member(d, name)
	if v == nil {
		return nil
	}
	f, ok := goja.AssertFunction(v)
	if !ok {
		r.TypeError("%s: %s is not a function", what, name)
	}
	return f
}

// queuingStrategy is a converted QueuingStrategy dictionary.
// https://streams.spec.whatwg.org/#dictdef-queuingstrategy
type queuingStrategy struct {
	hwm    float64
	hasHWM bool
	size   goja.Callable
}

// convertStrategy converts a QueuingStrategy argument (members
// highWaterMark, then size), as WebIDL does before the constructor's steps.
func (r *Runtime) convertStrategy(v goja.Value, what string) queuingStrategy {
	d := r.Dictionary(v, what+" strategy")
	var q queuingStrategy
	if hv := Member(d, "highWaterMark"); hv != nil {
		q.hwm, q.hasHWM = hv.ToFloat(), true
	}
	q.size = r.callback(d, "size", what+" strategy")
	return q
}

// extractHighWaterMark returns the strategy's high-water mark, def when
// absent; NaN or negative is a RangeError.
// https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark
func (r *Runtime) extractHighWaterMark(q queuingStrategy, def float64, what string) float64 {
	if !q.hasHWM {
		return def
	}
	if math.IsNaN(q.hwm) || q.hwm < 0 {
		r.RangeError("%s: highWaterMark %v is invalid (must be a non-negative number)", what, q.hwm)
	}
	return q.hwm
}

// newReadableStream runs the ReadableStream constructor.
// https://streams.spec.whatwg.org/#rs-constructor
func (r *Runtime) newReadableStream(c *Call) *rsImpl {
	// The strategy argument is converted first (WebIDL argument
	// conversion), then, in the steps, the underlying source.
	strategy := r.convertStrategy(c.Arg(1), "ReadableStream")
	// 1-2. Convert the underlying source dictionary (members in WebIDL
	// order: autoAllocateChunkSize, cancel, pull, start, type).
	var srcObj goja.Value = goja.Undefined()
	var d *goja.Object
	if c.Has(0) {
		o, ok := c.Arg(0).(*goja.Object)
		if !ok {
			r.TypeError("ReadableStream: the underlying source %s is not an object", describe(c.Arg(0)))
		}
		d, srcObj = o, o
	}
	if v := Member(d, "autoAllocateChunkSize"); v != nil {
		if n := v.ToFloat(); n <= 0 || math.IsNaN(n) || math.IsInf(n, 0) {
			r.TypeError("ReadableStream: autoAllocateChunkSize must be a positive integer")
		}
	}
	cancel := r.callback(d, "cancel", "ReadableStream underlying source")
	pull := r.callback(d, "pull", "ReadableStream underlying source")
	start := r.callback(d, "start", "ReadableStream underlying source")
	isBytes := false
	if v := Member(d, "type"); v != nil {
		isBytes = r.Enum(v, "ReadableStream type", "bytes") == "bytes"
	}
	// 3-4. The strategy: a byte stream takes no size and defaults to 0.
	impl := &rsImpl{bytes: isBytes}
	if isBytes {
		if strategy.size != nil {
			r.RangeError("ReadableStream: a byte stream cannot have a size function")
		}
		impl.hwm = r.extractHighWaterMark(strategy, 0, "ReadableStream")
	} else {
		impl.hwm = r.extractHighWaterMark(strategy, 1, "ReadableStream")
		impl.size = strategy.size
	}
	r.hostState().loop.Store(goid())
	// 5. Set up the controller over a Go stream.
	src := &jsSource{r: r, host: r.hostState(), st: impl, obj: srcObj, pull: pull, cancel: cancel, started: make(chan struct{})}
	impl.src = src
	funcs := body.SourceFuncs{CancelFunc: src.Cancel}
	if pull != nil {
		funcs.PullFunc = src.Pull
	}
	impl.s, impl.ctrl = body.NewStream(funcs)
	ctrlIface := "ReadableStreamDefaultController"
	if isBytes {
		ctrlIface = "ReadableByteStreamController"
	}
	ctrlObj := r.NewObject(ctrlIface, impl)
	src.ctrlObj = ctrlObj
	// 6. Run start(controller); pulls wait for its promise.
	var startResult goja.Value = goja.Undefined()
	if start != nil {
		v, err := start(srcObj, ctrlObj)
		if err != nil {
			panic(err)
		}
		startResult = v
	}
	r.whenSettled(startResult, func(goja.Value) {
		src.startDone = true
		close(src.started)
		src.callPull(false)
	}, func(e goja.Value) {
		src.startDone = true
		impl.ctrl.Error(&JSError{Value: e})
		impl.settleReaderClosed()
		close(src.started)
	})
	return impl
}

// desiredSize computes a controller's desired size (null when errored).
// https://streams.spec.whatwg.org/#readable-stream-default-controller-get-desired-size
func (r *Runtime) desiredSize(impl *rsImpl) goja.Value {
	switch impl.s.State() {
	case body.StateErrored:
		return goja.Null()
	case body.StateClosed:
		return r.vm.ToValue(0)
	}
	return r.vm.ToValue(impl.hwm - impl.queued)
}

// enqueueValue runs ReadableStreamDefaultControllerEnqueue for script.
// https://streams.spec.whatwg.org/#readable-stream-default-controller-enqueue
func (r *Runtime) enqueueValue(impl *rsImpl, v goja.Value) {
	// 1. A closing or ended stream takes no more chunks.
	if impl.closeRequested || impl.s.State() != body.StateReadable {
		r.TypeError("ReadableStreamDefaultController.enqueue: the stream is %s", impl.s.State())
	}
	// 2. Measure the chunk; a failing size() errors the stream.
	size := 1.0
	if impl.size != nil {
		sv, err := impl.size(goja.Undefined(), v)
		if err != nil {
			impl.ctrl.Error(&JSError{Value: exceptionValue(err)})
			panic(err)
		}
		size = sv.ToFloat()
		if math.IsNaN(size) || size < 0 || math.IsInf(size, 1) {
			e := r.ErrorValue(errs.RangeErrorf("the chunk size %v is not a finite non-negative number", size))
			impl.ctrl.Error(&JSError{Value: e})
			panic(e)
		}
	}
	// 3. Queue it (Uint8Arrays with a copy of their bytes for Go readers).
	var chunk any = &jsChunk{v: v, size: size}
	if r.isUint8Array(v) {
		b, _ := r.BufferSourceBytes(v)
		chunk = &jsBytesChunk{jsChunk: jsChunk{v: v, size: size}, b: append([]byte{}, b...)}
	}
	if err := impl.ctrl.EnqueueValue(chunk); err != nil {
		r.Throw(err)
	}
	// 4. A waiting read takes it at once; else it counts as queued.
	if impl.waiting > 0 {
		impl.waiting--
	} else {
		impl.sizes = append(impl.sizes, size)
		impl.queued += size
	}
	// 5. Pull again if the queue is still below the high-water mark.
	impl.src.notify(nil)
	impl.src.callPull(false)
}

// pullSteps runs the controller's [[PullSteps]] for a script read of a
// script-made stream, at the time of the read: the read takes the head
// chunk (then pulls if the queue is below the high-water mark and not
// draining), or waits for one and pulls at once.
// https://streams.spec.whatwg.org/#rs-default-controller-private-pull
func (impl *rsImpl) pullSteps() {
	src := impl.src
	if src == nil {
		return
	}
	if impl.bytes {
		// https://streams.spec.whatwg.org/#rbs-controller-private-pull
		if impl.queued <= 0 {
			src.callPull(true)
		}
		return
	}
	if len(impl.sizes) > 0 {
		impl.queued = math.Max(0, impl.queued-impl.sizes[0])
		impl.sizes = impl.sizes[1:]
		if !impl.closeRequested || len(impl.sizes) > 0 {
			src.callPull(false)
		}
		return
	}
	impl.waiting++
	src.callPull(true)
}

// chunkValue converts a chunk read from a Go stream for a script reader of
// impl. A script chunk read a second time (the other branch of a body
// clone) is structured-cloned, as a body's tee clones for branch 2.
func (r *Runtime) chunkValue(impl *rsImpl, v any) goja.Value {
	var c *jsChunk
	switch x := v.(type) {
	case *jsChunk:
		c = x
	case *jsBytesChunk:
		c = &x.jsChunk
	case []byte:
		if impl.src != nil {
			impl.queued = math.Max(0, impl.queued-float64(len(x)))
		}
		return r.NewUint8Array(x)
	case body.ByteChunk:
		return r.NewUint8Array(x.Bytes())
	default:
		return r.vm.ToValue(v)
	}
	if !c.delivered || impl.share {
		c.delivered = true
		return c.v
	}
	if cl := r.hostState().clone; cl != nil {
		if out, err := cl(goja.Undefined(), c.v); err == nil {
			return out
		}
	}
	return c.v
}

// --- readers ---

// readRequest is a pending read: its steps run on the loop.
// https://streams.spec.whatwg.org/#read-request
type readRequest struct {
	chunk func(v goja.Value)
	close func(v goja.Value) // v: the empty view for BYOB reads, else undefined
	fail  func(e goja.Value)

	ahead    bool         // a read ahead (see observeClosed)
	view     *goja.Object // BYOB reads: the view given,
	buf      []byte       // the memory to fill (the transferred buffer's),
	newBuf   goja.Value   // the ArrayBuffer now owning it,
	off      int64        // and the new view's offset, element size and type
	elem     int64
	dataView bool
	ctor     goja.Value
	min      int // bytes a BYOB read waits for
	settle   func(func())
}

// readerImpl is the Go implementation behind a ReadableStreamDefaultReader
// or ReadableStreamBYOBReader.
type readerImpl struct {
	r    *Runtime
	st   *rsImpl
	gr   *body.Reader
	byob bool

	closed               *goja.Promise
	closedRes, closedRej func(any) error
	closedSettled        bool
	released             bool
	releasedCh           chan struct{}
	mu                   sync.Mutex // guards queue and serving
	queue                []*readRequest
	serving              bool
	internal             bool         // a pipe's reader, not visible to script
	ahead                []readResult // read ahead while closed was awaited
	aheadBusy            bool
}

// readResult is the outcome of a Go read.
type readResult struct {
	v   any
	err error
}

// acquireReader locks impl's stream to a new reader.
// https://streams.spec.whatwg.org/#acquire-readable-stream-reader
func (r *Runtime) acquireReader(impl *rsImpl, byob bool) *readerImpl {
	gr, err := impl.s.GetReader()
	if err != nil {
		r.Throw(err)
	}
	rd := &readerImpl{r: r, st: impl, gr: gr, byob: byob, releasedCh: make(chan struct{})}
	impl.reader = rd
	rd.closed, rd.closedRes, rd.closedRej = r.vm.NewPromise()
	r.markHandled(rd.closed)
	switch impl.s.State() {
	case body.StateClosed:
		rd.settleClosed()
	case body.StateErrored:
		rd.settleClosed()
	default:
		s := impl.s
		go func() {
			select {
			case <-s.Done():
				r.postJS(func() {
					if !rd.released {
						rd.settleClosed()
					}
				})
			case <-rd.releasedCh:
			case <-r.quit:
				// The Runtime is closed: end the reads still waiting.
				gr.ReleaseLock()
			}
		}()
	}
	return rd
}

// markHandled attaches a no-op rejection handler, as the spec's
// [[PromiseIsHandled]] does for closed promises.
func (r *Runtime) markHandled(p *goja.Promise) {
	if _, err := r.glue("markHandled")(goja.Undefined(), r.vm.ToValue(p)); err != nil {
		panic(err)
	}
}

func (rd *readerImpl) settleClosed() {
	if rd.closedSettled {
		return
	}
	rd.closedSettled = true
	if err := rd.st.s.Err(); err != nil {
		rd.closedRej(rd.r.reasonValue(err))
		return
	}
	rd.closedRes(goja.Undefined())
}

// read starts a read; its steps run on the loop when it completes.
// https://streams.spec.whatwg.org/#readable-stream-default-reader-read
func (rd *readerImpl) read(req *readRequest) {
	r := rd.r
	// A result read ahead serves the read at once.
	if len(rd.ahead) > 0 && req.view == nil && !rd.aheadBusy && rd.idle() {
		res := rd.ahead[0]
		rd.ahead = rd.ahead[1:]
		rd.deliver(req, res.v, res.err)
		return
	}
	req.settle = r.Ref()
	rd.mu.Lock()
	rd.queue = append(rd.queue, req)
	start := !rd.serving
	rd.serving = true
	rd.mu.Unlock()
	if start {
		go rd.serve()
	}
	// Reading disturbs the stream now, as script sees it: wait for the
	// serving goroutine to have begun its read.
	for !rd.st.s.Disturbed() && !rd.r.runtimeClosed() {
		runtime.Gosched()
	}
	// A script source pulls now, as the spec's read does.
	if !req.ahead && rd.st.s.State() == body.StateReadable {
		rd.st.pullSteps()
	}
}

// idle reports whether no read is queued or running.
func (rd *readerImpl) idle() bool {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return len(rd.queue) == 0 && !rd.serving
}

// observeClosed runs when script looks at the closed promise of a default
// reader of a Go-made stream (a network body) that script has read from:
// Go streams are pulled, so, as a browser's network task would, it reads
// ahead one chunk, which lets an error or the end of the stream settle
// closed while no read is pending. The chunk goes to the next read.
func (rd *readerImpl) observeClosed() {
	if rd.st.src != nil || rd.byob || rd.released || rd.closedSettled || rd.aheadBusy ||
		len(rd.ahead) > 0 || !rd.st.s.Disturbed() || !rd.idle() {
		return
	}
	rd.aheadBusy = true
	rd.read(&readRequest{ahead: true})
}

// serve runs the pending reads in order on a goroutine.
func (rd *readerImpl) serve() {
	for {
		rd.mu.Lock()
		if len(rd.queue) == 0 {
			rd.serving = false
			rd.mu.Unlock()
			return
		}
		req := rd.queue[0]
		rd.queue = rd.queue[1:]
		rd.mu.Unlock()
		if src := rd.st.src; src != nil {
			rd.st.epoch.Store(src.events.Load())
			rd.st.jsReads.Add(1)
		}
		if req.view != nil {
			// Fill at least min bytes (whole elements), unless the stream
			// ends first.
			n, err := rd.gr.Read(req.buf)
			for err == nil && (n < req.min || n%int(req.elem) != 0) {
				var k int
				k, err = rd.gr.Read(req.buf[n:])
				n += k
			}
			n -= n % int(req.elem) // a partial element at the end is dropped
			if rd.st.src != nil {
				rd.st.jsReads.Add(-1)
			}
			if n > 0 {
				err = nil // the next read reports the end or the error
			}
			req.settle(func() { rd.r.inJS(func() { rd.deliverBYOB(req, n, err) }) })
			continue
		}
		v, err := rd.gr.ReadValue()
		if rd.st.src != nil {
			rd.st.jsReads.Add(-1)
		}
		if req.ahead {
			req.settle(func() {
				rd.aheadBusy = false // (no script runs here)
				rd.ahead = append(rd.ahead, readResult{v, err})
				if err != nil && !rd.released {
					rd.settleClosed()
				}
			})
			continue
		}
		req.settle(func() { rd.r.inJS(func() { rd.deliver(req, v, err) }) })
	}
}

func (rd *readerImpl) deliver(req *readRequest, v any, err error) {
	r := rd.r
	// Results read ahead come first.
	if len(rd.ahead) > 0 {
		rd.ahead = append(rd.ahead, readResult{v, err})
		v, err = rd.ahead[0].v, rd.ahead[0].err
		rd.ahead = rd.ahead[1:]
	}
	switch {
	case err == io.EOF:
		if !rd.released {
			rd.settleClosed()
		}
		req.close(goja.Undefined())
	case err != nil:
		if !rd.released {
			rd.settleClosed()
		}
		req.fail(r.reasonValue(err))
	default:
		cv := r.chunkValue(rd.st, v)
		// The last chunk of a closing stream closes it first.
		if !rd.released && rd.st.s.State() != body.StateReadable {
			rd.settleClosed()
		}
		if rd.st.src != nil && rd.st.bytes {
			rd.st.src.callPull(false)
		}
		req.chunk(cv)
	}
}

// deliverBYOB completes a BYOB read into the buffer transferred at read
// time: a view of the bytes read over the new ArrayBuffer.
// https://streams.spec.whatwg.org/#readable-byte-stream-controller-convert-pull-into-descriptor
func (rd *readerImpl) deliverBYOB(req *readRequest, n int, err error) {
	r := rd.r
	if err != nil && err != io.EOF {
		if !rd.released {
			rd.settleClosed()
		}
		req.fail(r.reasonValue(err))
		return
	}
	if rd.st.src != nil {
		rd.st.queued = math.Max(0, rd.st.queued-float64(n))
		rd.st.src.callPull(false)
	}
	args := []goja.Value{req.newBuf, r.vm.ToValue(req.off), r.vm.ToValue(int64(n) / req.elem)}
	if req.dataView {
		args[2] = r.vm.ToValue(n)
	}
	out, cerr := r.vm.New(req.ctor, args...)
	if cerr != nil {
		req.fail(exceptionValue(cerr))
		return
	}
	if err == io.EOF {
		if !rd.released {
			rd.settleClosed()
		}
		req.close(out)
		return
	}
	req.chunk(out)
}

// transferView transfers a BYOB read's view: its ArrayBuffer is detached
// and a new one takes over the same memory, which the read fills.
// https://streams.spec.whatwg.org/#transfer-array-buffer
func (r *Runtime) transferView(req *readRequest, view *goja.Object) {
	ab, _ := view.Get("buffer").Export().(goja.ArrayBuffer)
	data := ab.Bytes()
	off := view.Get("byteOffset").ToInteger()
	n := view.Get("byteLength").ToInteger()
	req.elem = 1
	if e := view.Get("BYTES_PER_ELEMENT"); e != nil && !goja.IsUndefined(e) {
		req.elem = e.ToInteger()
		n -= n % req.elem
	}
	req.dataView = r.isDataView(view)
	req.ctor = view.Get("constructor")
	ab.Detach()
	req.newBuf = r.vm.ToValue(r.vm.NewArrayBuffer(data))
	req.off = off
	req.buf = data[off : off+n]
}

func (r *Runtime) isDataView(o *goja.Object) bool {
	dv, ok := r.vm.Get("DataView").(*goja.Object)
	return ok && r.vm.InstanceOf(o, dv)
}

// release runs ReadableStreamReaderGenericRelease: pending reads fail
// with a TypeError, and closed is rejected.
// https://streams.spec.whatwg.org/#readable-stream-reader-generic-release
func (rd *readerImpl) release() {
	if rd.released {
		return
	}
	r := rd.r
	rd.released = true
	close(rd.releasedCh)
	if rd.st.reader == rd {
		rd.st.reader = nil
	}
	rd.st.waiting = 0
	rd.gr.ReleaseLock()
	e := r.ErrorValue(errs.TypeErrorf("the reader's lock was released"))
	if !rd.closedSettled {
		rd.closedSettled = true
		rd.closedRej(e)
	} else {
		p, _, rej := r.vm.NewPromise()
		r.markHandled(p)
		rej(e)
		rd.closed = p
	}
}

// cancelInline cancels through f (a Stream or Reader cancel) with script's
// reason and returns cancel()'s promise, which waits for the source's
// cancel() promise.
// https://streams.spec.whatwg.org/#readable-stream-cancel
func (r *Runtime) cancelInline(impl *rsImpl, f func() error) goja.Value {
	r.hostState().loop.Store(goid())
	src := impl.src
	if src != nil {
		src.inline, src.inlineOK = nil, false
	}
	err := f()
	impl.settleReaderClosed()
	if err != nil {
		return r.promiseRejected(r.reasonValue(err))
	}
	p, resolve, reject := r.vm.NewPromise()
	if src != nil && src.inlineOK {
		r.whenSettled(src.inline, func(goja.Value) { resolve(goja.Undefined()) }, func(e goja.Value) { reject(e) })
	} else {
		resolve(goja.Undefined())
	}
	return r.vm.ToValue(p)
}

// readPromise makes a read request that settles a promise with a
// {value, done} result.
func (r *Runtime) readPromise() (*readRequest, goja.Value) {
	p, resolve, reject := r.vm.NewPromise()
	req := &readRequest{
		chunk: func(v goja.Value) { resolve(r.iterResult(v, false)) },
		close: func(v goja.Value) { resolve(r.iterResult(v, true)) },
		fail:  func(e goja.Value) { reject(e) },
	}
	return req, r.vm.ToValue(p)
}

func (r *Runtime) installStreams() {
	st := r.hostState()
	gv, err := r.vm.RunString(streamsGlueJS)
	if err != nil {
		panic(err)
	}
	g := gv.(*goja.Object)
	for _, k := range g.Keys() {
		f, _ := goja.AssertFunction(g.Get(k))
		st.glue[k] = f
	}
	if f, ok := goja.AssertFunction(r.vm.Get("structuredClone")); ok {
		st.clone = f
	}
	r.SetStreamBinding(StreamBinding{
		Object: func(s *body.Stream) goja.Value { return r.streamObject(s) },
		Stream: func(v goja.Value) (*body.Stream, bool) {
			s := r.ReadableStreamOf(v)
			return s, s != nil
		},
	})
	r.installReadableStream()
	r.installWritableStream()
	r.installStreamExtras()
}

func (r *Runtime) installReadableStream() {
	rs := func(c *Call) *rsImpl { return c.Impl.(*rsImpl) }
	r.DefineInterface(InterfaceSpec{
		Name: "ReadableStream",
		Construct: func(c *Call) any {
			impl := r.newReadableStream(c)
			impl.obj = c.This
			r.hostState().streams[impl.s] = c.This
			return impl
		},
		Methods: []Method{
			// https://streams.spec.whatwg.org/#rs-cancel
			{Name: "cancel", Fn: func(c *Call) goja.Value {
				impl := rs(c)
				if impl.s.Locked() {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStream.cancel: the stream is locked to a reader")))
				}
				reason := jsReason(c.Arg(0))
				return r.cancelInline(impl, func() error { return impl.s.Cancel(reason) })
			}},
			// https://streams.spec.whatwg.org/#rs-get-reader
			{Name: "getReader", Fn: func(c *Call) goja.Value {
				impl := rs(c)
				d := r.Dictionary(c.Arg(0), "ReadableStream.getReader options")
				byob := false
				if v := Member(d, "mode"); v != nil {
					byob = r.Enum(v, "ReadableStream.getReader mode", "byob") == "byob"
				}
				if byob && !impl.bytes {
					r.TypeError("ReadableStream.getReader: a BYOB reader needs a byte stream")
				}
				rd := r.acquireReader(impl, byob)
				if byob {
					return r.NewObject("ReadableStreamBYOBReader", rd)
				}
				return r.NewObject("ReadableStreamDefaultReader", rd)
			}},
			// https://streams.spec.whatwg.org/#rs-tee
			{Name: "tee", Fn: func(c *Call) goja.Value {
				impl := rs(c)
				b1, b2, err := impl.s.Tee()
				if err != nil {
					r.Throw(err)
				}
				o1 := r.registerStream(&rsImpl{s: b1, bytes: impl.bytes, share: true})
				o2 := r.registerStream(&rsImpl{s: b2, bytes: impl.bytes, share: true})
				return r.vm.NewArray(o1, o2)
			}},
			{Name: "pipeTo", Length: 1, Fn: func(c *Call) goja.Value { return r.pipeTo(c) }},
			{Name: "pipeThrough", Length: 1, Fn: func(c *Call) goja.Value { return r.pipeThrough(c) }},
			{Name: "values", Fn: func(c *Call) goja.Value {
				v, err := r.glue("values")(goja.Undefined(), c.This, c.Arg(0))
				if err != nil {
					panic(err)
				}
				return v
			}},
		},
		Attrs: []Attr{
			{Name: "locked", Get: func(c *Call) goja.Value { return r.vm.ToValue(rs(c).s.Locked()) }},
		},
	})

	ctrlMethods := func(name string, isBytes bool) []Method {
		return []Method{
			{Name: "close", Fn: func(c *Call) goja.Value {
				impl := c.Impl.(*rsImpl)
				if err := impl.ctrl.Close(); err != nil {
					r.Throw(err)
				}
				impl.closeRequested = true
				impl.settleReaderClosed()
				impl.src.notify(nil)
				return nil
			}},
			{Name: "enqueue", Length: map[bool]int{false: 0, true: 1}[isBytes], Fn: func(c *Call) goja.Value {
				impl := c.Impl.(*rsImpl)
				if !isBytes {
					r.enqueueValue(impl, c.Arg(0))
					return nil
				}
				if len(c.Args) < 1 {
					r.TypeError("%s.enqueue: 1 argument required", name)
				}
				b, ok := r.BufferSourceBytes(c.Arg(0))
				if !ok || !r.isView(c.Arg(0).(*goja.Object)) {
					r.TypeError("%s.enqueue: the chunk is not an ArrayBufferView", name)
				}
				if len(b) == 0 {
					r.TypeError("%s.enqueue: the chunk is empty", name)
				}
				if err := impl.ctrl.Enqueue(append([]byte{}, b...)); err != nil {
					r.Throw(err)
				}
				impl.queued += float64(len(b))
				impl.src.notify(nil)
				impl.src.callPull(false)
				return nil
			}},
			{Name: "error", Fn: func(c *Call) goja.Value {
				impl := c.Impl.(*rsImpl)
				impl.ctrl.Error(&JSError{Value: c.Arg(0)})
				impl.settleReaderClosed()
				impl.src.notify(nil)
				return nil
			}},
		}
	}
	r.DefineInterface(InterfaceSpec{
		Name:    "ReadableStreamDefaultController",
		Methods: ctrlMethods("ReadableStreamDefaultController", false),
		Attrs: []Attr{
			{Name: "desiredSize", Get: func(c *Call) goja.Value { return r.desiredSize(c.Impl.(*rsImpl)) }},
		},
	})
	r.DefineInterface(InterfaceSpec{
		Name:    "ReadableByteStreamController",
		Methods: ctrlMethods("ReadableByteStreamController", true),
		Attrs: []Attr{
			{Name: "byobRequest", Get: func(c *Call) goja.Value { return goja.Null() }},
			{Name: "desiredSize", Get: func(c *Call) goja.Value { return r.desiredSize(c.Impl.(*rsImpl)) }},
		},
	})

	// Byte stream controllers never hand out a BYOB request here (reads
	// into a view are served by the Go stream), so the interface has no
	// instances. https://streams.spec.whatwg.org/#rs-byob-request-class
	noRequest := func(c *Call) goja.Value {
		r.TypeError("ReadableStreamBYOBRequest: the request is no longer valid")
		return nil
	}
	r.DefineInterface(InterfaceSpec{
		Name: "ReadableStreamBYOBRequest",
		Attrs: []Attr{
			{Name: "view", Get: func(c *Call) goja.Value { return goja.Null() }},
		},
		Methods: []Method{
			{Name: "respond", Length: 1, Fn: noRequest},
			{Name: "respondWithNewView", Length: 1, Fn: noRequest},
		},
	})

	// Readers. https://streams.spec.whatwg.org/#generic-reader-mixin
	rdr := func(c *Call) *readerImpl { return c.Impl.(*readerImpl) }
	genericMethods := func(name string) []Method {
		return []Method{
			{Name: "releaseLock", Fn: func(c *Call) goja.Value {
				rdr(c).release()
				return nil
			}},
			{Name: "cancel", Fn: func(c *Call) goja.Value {
				rd := rdr(c)
				if rd.released {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("%s.cancel: the reader's lock was released", name)))
				}
				reason := jsReason(c.Arg(0))
				return r.cancelInline(rd.st, func() error { return rd.gr.Cancel(reason) })
			}},
		}
	}
	closedAttr := Attr{Name: "closed", Get: func(c *Call) goja.Value {
		rd := rdr(c)
		rd.observeClosed()
		return r.vm.ToValue(rd.closed)
	}}
	newReader := func(byob bool) func(c *Call) any {
		return func(c *Call) any {
			impl, ok := r.Impl(c.Arg(0), "ReadableStream").(*rsImpl)
			if !ok {
				r.TypeError("the reader constructor needs a ReadableStream")
			}
			if byob && !impl.bytes {
				r.TypeError("a BYOB reader needs a byte stream")
			}
			return r.acquireReader(impl, byob)
		}
	}
	r.DefineInterface(InterfaceSpec{
		Name:      "ReadableStreamDefaultReader",
		Length:    1,
		Construct: newReader(false),
		Methods: append(genericMethods("ReadableStreamDefaultReader"), Method{
			// https://streams.spec.whatwg.org/#default-reader-read
			Name: "read", Fn: func(c *Call) goja.Value {
				rd := rdr(c)
				if rd.released {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamDefaultReader.read: the reader's lock was released")))
				}
				req, p := r.readPromise()
				rd.read(req)
				return p
			}}),
		Attrs: []Attr{closedAttr},
	})
	r.DefineInterface(InterfaceSpec{
		Name:      "ReadableStreamBYOBReader",
		Length:    1,
		Construct: newReader(true),
		Methods: append(genericMethods("ReadableStreamBYOBReader"), Method{
			// https://streams.spec.whatwg.org/#byob-reader-read
			Name: "read", Length: 1, Fn: func(c *Call) goja.Value {
				rd := rdr(c)
				o, ok := c.Arg(0).(*goja.Object)
				if !ok || !r.isView(o) {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamBYOBReader.read: the argument is not an ArrayBufferView")))
				}
				b, _ := r.BufferSourceBytes(o)
				if len(b) == 0 {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamBYOBReader.read: the view is empty")))
				}
				if ab, ok := o.Get("buffer").Export().(goja.ArrayBuffer); ok && ab.Detached() {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamBYOBReader.read: the view's buffer is detached")))
				}
				// options.min: elements to wait for (1 by default).
				min := uint64(1)
				var ex *goja.Exception
				if ex = r.vm.Try(func() {
					if v := Member(r.Dictionary(c.Arg(1), "ReadableStreamBYOBReaderReadOptions"), "min"); v != nil {
						min = r.UnsignedLongLong(v, true)
					}
				}); ex != nil {
					return r.promiseRejected(ex.Value())
				}
				if min == 0 {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamBYOBReader.read: options.min must be greater than 0")))
				}
				elems := uint64(len(b))
				if e := o.Get("BYTES_PER_ELEMENT"); e != nil && !goja.IsUndefined(e) {
					elems /= uint64(e.ToInteger())
				}
				if min > elems {
					return r.promiseRejected(r.ErrorValue(errs.RangeErrorf("ReadableStreamBYOBReader.read: options.min %d is more than the view's %d elements", min, elems)))
				}
				if rd.released {
					return r.promiseRejected(r.ErrorValue(errs.TypeErrorf("ReadableStreamBYOBReader.read: the reader's lock was released")))
				}
				req, p := r.readPromise()
				req.view = o
				r.transferView(req, o)
				req.min = int(min) * int(req.elem)
				rd.read(req)
				return p
			}}),
		Attrs: []Attr{closedAttr},
	})
}
