package js

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/request"
)

// Runtime is a JavaScript global environment with an event loop. Its methods
// must be called from the loop goroutine (the one running Run or RunScript)
// unless their documentation says otherwise.
type Runtime struct {
	vm  *goja.Runtime
	cfg config

	mu     sync.Mutex
	posted []func()
	wake   chan struct{}
	holds  int

	timers    timerHeap
	timerByID map[int]*timer
	timerSeq  int
	nextTimer int
	// timerNesting is the nesting level of the timer task running now
	// (0 outside timers).
	timerNesting int

	stopped bool
	fatal   *UncaughtError // ends Run after the current task

	// brands maps a platform object to its Go implementation (a JS WeakMap so
	// that objects are not kept alive by the map).
	brandGet, brandSet goja.Callable
	brandMap           *goja.Object

	ifaces map[string]*Interface

	iterProto *goja.Object // %IteratorPrototype%
	asyncIter *goja.Object // %AsyncIteratorPrototype%

	rejections   []*goja.Promise
	rejectionSet map[*goja.Promise]bool
	notified     map[*goja.Promise]bool

	global *EventTarget

	errVals   map[error]goja.Value // JS values of Go errors already handed out
	signals   map[*abort.Signal]*goja.Object
	syncAbort int
	onLoop    int
	quit      chan struct{}
	ctx       context.Context // ends at Close
	cancelCtx context.CancelFunc

	streamBinding StreamBinding
	env           *request.Environment
	client        *fetch.Client
	loc           *goja.Object
	helper        map[string]goja.Callable
	inspectFn     goja.Callable
}

type config struct {
	location   string
	console    io.Writer
	consoleErr io.Writer // console.warn/error and reports; nil: console
	onError    func(msg string)
	server     bool
	rejections ErrorMode
	exceptions ErrorMode
	origin     string
	client     *fetch.Client
}

// Option configures a Runtime.
type Option func(*config)

// WithLocation sets the URL of the global object (location, the base URL for
// relative URLs). The default is "about:blank".
func WithLocation(u string) Option { return func(c *config) { c.location = u } }

// WithConsole sends console output (and reported errors) to w (default
// os.Stderr).
func WithConsole(w io.Writer) Option {
	return func(c *config) { c.console, c.consoleErr = w, nil }
}

// withStdoutConsole sends console.log/info/debug/dir/table to os.Stdout and
// console.warn/error/trace and reported errors to os.Stderr, as Node does.
func withStdoutConsole() Option {
	return func(c *config) { c.console, c.consoleErr = os.Stdout, os.Stderr }
}

// errOut is where console.warn/error and reported errors go.
func (r *Runtime) errOut() io.Writer {
	if r.cfg.consoleErr != nil {
		return r.cfg.consoleErr
	}
	return r.cfg.console
}

// WithErrorReporter receives uncaught exceptions and unhandled promise
// rejections that no listener handled, as one line each.
func WithErrorReporter(f func(msg string)) Option { return func(c *config) { c.onError = f } }

// New creates a Runtime with the Web API globals installed.
func New(opts ...Option) *Runtime {
	r := &Runtime{
		vm:           goja.New(),
		wake:         make(chan struct{}, 1),
		timerByID:    map[int]*timer{},
		ifaces:       map[string]*Interface{},
		rejectionSet: map[*goja.Promise]bool{},
		notified:     map[*goja.Promise]bool{},
		helper:       map[string]goja.Callable{},
		errVals:      map[error]goja.Value{},
		signals:      map[*abort.Signal]*goja.Object{},
		quit:         make(chan struct{}),
		cfg:          config{location: "about:blank", console: os.Stderr, exceptions: ReportErrors},
	}
	for _, o := range opts {
		o(&r.cfg)
	}
	r.client = r.cfg.client
	r.ctx, r.cancelCtx = context.WithCancel(context.Background())
	r.vm.SetFieldNameMapper(goja.UncapFieldNameMapper())
	r.vm.SetPromiseRejectionTracker(r.trackRejection)
	r.initBrands()
	r.installGlobals()
	return r
}

// Close stops the goroutines the Runtime started for pending work (stream
// reads, waits on closed promises). The Runtime must not be used after.
func (r *Runtime) Close() {
	select {
	case <-r.quit:
	default:
		close(r.quit)
		r.cancelCtx()
	}
}

// VM returns the underlying goja runtime, for code that adds its own
// bindings. Use it only on the loop goroutine.
func (r *Runtime) VM() *goja.Runtime { return r.vm }

// RunScript compiles and runs src as a classic script. Pending microtasks
// run before it returns. An uncaught exception is returned as a
// *goja.Exception; a syntax error as a *goja.CompilerSyntaxError or a
// *CompileError; an unhandled rejection (see WithUnhandledRejections) as an
// *UncaughtError.
//
// Any ES2024 syntax is accepted: what goja cannot parse (async generators,
// for await, using, decorators) is lowered by esbuild first, and a name
// ending in .ts (or .mts, .cts, .tsx) is TypeScript, whose types are
// stripped; an inline source map keeps positions in stack traces those of
// src. Modules (import/export, top-level await) run with RunModule.
func (r *Runtime) RunScript(name, src string) (goja.Value, error) {
	p, err := compileClassic(name, src)
	if err != nil {
		return nil, err
	}
	v, err := r.vm.RunProgram(p)
	r.notifyRejections()
	if err == nil {
		err = r.takeFatal()
	}
	return v, err
}

// Script is one classic script for RunScripts.
type Script struct {
	Name, Source string
}

// RunScripts runs scripts one after another as a single task, like
// <script> elements that a page parses together: an exception (or syntax
// error) in one is reported as an "error" event on the global object and
// the next still runs, and pending microtasks run only after the last one
// (goja would otherwise run them between separate top-level scripts).
// It returns an error only for uncatchable conditions (an interrupt).
func (r *Runtime) RunScripts(scripts ...Script) error {
	var fatal error
	run := r.vm.ToValue(func(goja.FunctionCall) goja.Value {
		for _, s := range scripts {
			p, err := compileClassic(s.Name, s.Source)
			if err != nil {
				r.reportSyntaxError(err)
				continue
			}
			if _, err := r.vm.RunProgram(p); err != nil {
				var ex *goja.Exception
				if errors.As(err, &ex) {
					r.ReportException(ex)
					continue
				}
				fatal = err
				return goja.Undefined()
			}
		}
		return goja.Undefined()
	})
	// Called through a JavaScript frame, the nested RunProgram calls do not
	// drain the job queue; the outer call does, after the last script.
	_, err := r.helper["call"](goja.Undefined(), run)
	r.notifyRejections()
	if fatal != nil {
		return fatal
	}
	if err == nil {
		err = r.takeFatal()
	}
	return err
}

func (r *Runtime) reportSyntaxError(err error) {
	v := r.newError("SyntaxError", err.Error(), nil)
	ex := r.vm.Try(func() { panic(v) })
	if ex != nil {
		r.ReportException(ex)
	}
}

// Post queues fn to run as a task on the loop. It is safe to call from any
// goroutine. Post alone does not keep Run from returning when the loop is
// idle; use Ref for work that is still under way.
func (r *Runtime) Post(fn func()) {
	r.mu.Lock()
	r.posted = append(r.posted, fn)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Ref keeps the loop alive until the returned settle function is called;
// settle queues fn (which may be nil) as a task. Call Ref on the loop
// goroutine before starting Go work, and settle exactly once from any
// goroutine when it ends.
func (r *Runtime) Ref() (settle func(fn func())) {
	r.mu.Lock()
	r.holds++
	r.mu.Unlock()
	var once sync.Once
	return func(fn func()) {
		once.Do(func() {
			r.mu.Lock()
			r.holds--
			if fn != nil {
				r.posted = append(r.posted, fn)
			}
			r.mu.Unlock()
			select {
			case r.wake <- struct{}{}:
			default:
			}
		})
	}
}

// Stop makes Run return after the current task. Call it on the loop
// goroutine (for example from a Go function that JavaScript calls).
func (r *Runtime) Stop() { r.stopped = true }

// Run runs the event loop until there is nothing left to do (no tasks, no
// timers, no outstanding Ref), Stop is called, or ctx ends. When ctx ends
// while JavaScript is running, the script is interrupted; Run then returns
// ctx.Err().
func (r *Runtime) Run(ctx context.Context) error {
	r.stopped = false
	stop := context.AfterFunc(ctx, func() {
		r.vm.Interrupt(ctx.Err())
		select {
		case r.wake <- struct{}{}:
		default:
		}
	})
	defer func() {
		if !stop() {
			// The interrupt may have been set after the last JS call returned.
			r.vm.ClearInterrupt()
		}
	}()
	for {
		if err := r.takeFatal(); err != nil {
			return err
		}
		if r.stopped {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		r.mu.Lock()
		tasks := r.posted
		r.posted = nil
		holds := r.holds
		r.mu.Unlock()
		for i, t := range tasks {
			if err := r.runTask(t); err != nil {
				r.requeue(tasks[i+1:])
				return err
			}
			if r.fatal != nil {
				r.requeue(tasks[i+1:])
				return r.takeFatal()
			}
			if r.stopped {
				r.requeue(tasks[i+1:])
				return nil
			}
		}
		ranTimer := false
		if len(r.timers) > 0 && !r.timers[0].when.After(time.Now()) {
			t := heap.Pop(&r.timers).(*timer)
			ranTimer = true
			if err := r.runTask(func() { r.fire(t) }); err != nil {
				return err
			}
		}
		if len(tasks) > 0 || ranTimer {
			continue
		}
		if r.strongTimers() == 0 && holds == 0 {
			r.mu.Lock()
			n := len(r.posted)
			r.mu.Unlock()
			if n == 0 {
				return nil
			}
			continue
		}
		var tc <-chan time.Time
		var tm *time.Timer
		if len(r.timers) > 0 {
			tm = time.NewTimer(time.Until(r.timers[0].when))
			tc = tm.C
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-tc:
		}
		if tm != nil {
			tm.Stop()
		}
	}
}

// requeue puts tasks that a stopped loop did not run back in front.
func (r *Runtime) requeue(tasks []func()) {
	if len(tasks) == 0 {
		return
	}
	r.mu.Lock()
	r.posted = append(append([]func(){}, tasks...), r.posted...)
	r.mu.Unlock()
}

// runTask runs one task and reports what it threw. Uncatchable errors
// (interrupts, stack overflows) end the loop.
func (r *Runtime) runTask(fn func()) (err error) {
	defer func() {
		if x := recover(); x != nil {
			if e, ok := x.(error); ok {
				var ie *goja.InterruptedError
				if errors.As(e, &ie) {
					err = e
					return
				}
			}
			panic(x)
		}
	}()
	fn()
	r.notifyRejections()
	return nil
}

// Call calls the JavaScript function fn with this and args as the body of a
// task: an exception it throws is reported like an uncaught exception
// (an "error" event on the global object) and returned.
func (r *Runtime) Call(fn goja.Value, this goja.Value, args ...goja.Value) (goja.Value, error) {
	f, ok := goja.AssertFunction(fn)
	if !ok {
		return nil, fmt.Errorf("js: %s is not a function", fn)
	}
	v, err := f(this, args...)
	if err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) {
			r.ReportException(ex)
		} else {
			panic(err) // interrupts
		}
	}
	return v, err
}

// --- timers ---

type timer struct {
	id       int
	when     time.Time
	seq      int
	interval time.Duration
	repeat   bool
	fn       goja.Value
	args     []goja.Value
	index    int
	nesting  int // the timer nesting level
	weak     bool
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	t.index = -1
	return t
}

// SetTimeout runs fn on the loop after d, like setTimeout. It returns an id
// for ClearTimeout.
func (r *Runtime) SetTimeout(fn func(), d time.Duration) int {
	return r.addTimer(r.vm.ToValue(func(goja.FunctionCall) goja.Value { fn(); return goja.Undefined() }), nil, d, false)
}

// ClearTimeout cancels a timer made by SetTimeout, setTimeout or setInterval.
func (r *Runtime) ClearTimeout(id int) {
	t, ok := r.timerByID[id]
	if !ok {
		return
	}
	delete(r.timerByID, id)
	if t.index >= 0 {
		heap.Remove(&r.timers, t.index)
	}
}

// SetWeakTimeout is SetTimeout for a timer that does not keep Run going:
// when only weak timers are left, Run returns (they fire if Run is called
// again later). AbortSignal.timeout uses one until its signal gets an
// "abort" listener, so that fetch(url, {signal: AbortSignal.timeout(5000)})
// does not hold the loop for five seconds after the fetch is done.
func (r *Runtime) SetWeakTimeout(fn func(), d time.Duration) int {
	id := r.SetTimeout(fn, d)
	r.timerByID[id].weak = true
	return id
}

// StrengthenTimer makes a weak timer keep Run going again.
func (r *Runtime) StrengthenTimer(id int) {
	if t, ok := r.timerByID[id]; ok {
		t.weak = false
	}
}

func (r *Runtime) strongTimers() int {
	n := 0
	for _, t := range r.timers {
		if !t.weak {
			n++
		}
	}
	return n
}

// addTimer runs the timer initialization steps: beyond a nesting level of
// 5, delays under 4 ms become 4 ms.
// https://html.spec.whatwg.org/#timer-initialisation-steps
func (r *Runtime) addTimer(fn goja.Value, args []goja.Value, d time.Duration, repeat bool) int {
	if d < 0 {
		d = 0
	}
	nesting := r.timerNesting + 1
	if nesting > 5 && d < 4*time.Millisecond {
		d = 4 * time.Millisecond
	}
	r.nextTimer++
	r.timerSeq++
	t := &timer{id: r.nextTimer, when: time.Now().Add(d), seq: r.timerSeq, interval: d, repeat: repeat, fn: fn, args: args, nesting: nesting}
	r.timerByID[t.id] = t
	heap.Push(&r.timers, t)
	return t.id
}

func (r *Runtime) fire(t *timer) {
	if _, ok := r.timerByID[t.id]; !ok {
		return
	}
	if t.repeat {
		r.timerSeq++
		t.seq = r.timerSeq
		t.when = time.Now().Add(t.interval)
		heap.Push(&r.timers, t)
	} else {
		delete(r.timerByID, t.id)
	}
	r.timerNesting = t.nesting
	defer func() { r.timerNesting = 0 }()
	if _, ok := goja.AssertFunction(t.fn); ok {
		r.Call(t.fn, r.vm.GlobalObject(), t.args...)
		return
	}
	// A string handler is compiled and run as a script.
	if _, err := r.vm.RunString(t.fn.String()); err != nil {
		var ex *goja.Exception
		if errors.As(err, &ex) {
			r.ReportException(ex)
		} else {
			panic(err)
		}
	}
}

// --- unhandled rejections ---

func (r *Runtime) trackRejection(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		if !r.rejectionSet[p] {
			r.rejectionSet[p] = true
			r.rejections = append(r.rejections, p)
		}
	case goja.PromiseRejectionHandle:
		if r.rejectionSet[p] {
			delete(r.rejectionSet, p)
			return
		}
		if r.notified[p] {
			delete(r.notified, p)
			r.dispatchRejection("rejectionhandled", p)
		}
	}
}

// notifyRejections fires "unhandledrejection" for promises rejected during
// the last task that still have no handler
// (https://html.spec.whatwg.org/#notify-about-rejected-promises).
func (r *Runtime) notifyRejections() {
	for len(r.rejections) > 0 {
		list := r.rejections
		r.rejections = nil
		for _, p := range list {
			if !r.rejectionSet[p] {
				continue
			}
			delete(r.rejectionSet, p)
			r.notified[p] = true
			// As in Node.js, a listener takes care of the rejection (like
			// a process "unhandledRejection" handler); only a rejection
			// nobody listens for is reported or ends the run.
			if listened, _ := r.dispatchRejection("unhandledrejection", p); listened {
				continue
			}
			if r.cfg.rejections == ReturnErrors {
				r.fail(&UncaughtError{Rejection: true, Value: p.Result(), Stack: stackOf(p.Result())})
				continue
			}
			r.reportError("Uncaught (in promise) " + stackOf(p.Result()))
		}
	}
}

func (r *Runtime) reportError(msg string) {
	if r.cfg.onError != nil {
		r.cfg.onError(msg)
		return
	}
	fmt.Fprintln(r.errOut(), msg)
}

func describe(v goja.Value) string {
	if v == nil {
		return "undefined"
	}
	if o, ok := v.(*goja.Object); ok {
		if s := o.Get("stack"); s != nil && !goja.IsUndefined(s) {
			return s.String()
		}
		name, msg := o.Get("name"), o.Get("message")
		if name != nil && msg != nil && !goja.IsUndefined(name) {
			return name.String() + ": " + msg.String()
		}
	}
	return v.String()
}
