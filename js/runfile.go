package js

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/fetch"
)

// ErrorMode says what the event loop does with an uncaught exception that
// no "error" listener canceled, or an unhandled promise rejection with no
// "unhandledrejection" listener (a listener takes care of it, as a
// process "unhandledRejection" handler does in Node.js).
type ErrorMode int

const (
	// ReturnErrors ends Run (and RunScript, RunScripts) with an
	// *UncaughtError, as Node.js and Deno end the process. It is the
	// default for unhandled rejections.
	ReturnErrors ErrorMode = iota
	// ReportErrors reports the error (WithErrorReporter, or the console)
	// and goes on, as a browser does. It is the default for uncaught
	// exceptions.
	ReportErrors
)

// WithUnhandledRejections sets what happens to a promise rejected without
// a handler by the end of the task (after its microtasks) when no
// "unhandledrejection" listener is on the global object. The
// default is ReturnErrors (Node's default, --unhandled-rejections=throw);
// ReportErrors only reports it.
func WithUnhandledRejections(m ErrorMode) Option {
	return func(c *config) { c.rejections = m }
}

// WithUncaughtExceptions sets what happens to an exception that a task (a
// script, a timer or event callback, a module's evaluation) throws and no
// "error" listener cancels. The default is ReportErrors (browser
// behaviour); RunFile uses ReturnErrors.
func WithUncaughtExceptions(m ErrorMode) Option {
	return func(c *config) { c.exceptions = m }
}

// WithFetchClient makes fetch() use c: its transport, proxy, cookie jar,
// HTTP cache, file: access and user agent. Without it the Runtime makes a
// client of its own (see FetchClient).
func WithFetchClient(c *fetch.Client) Option {
	return func(cfg *config) { cfg.client = c }
}

// WithOrigin gives scripts browser semantics as a document at the URL
// origin: it becomes the location and base URL, and Request and fetch use
// it as their origin (CORS, request modes, forbidden headers, Origin and
// Referer), even when the client of WithFetchClient has none. RunFile
// without WithOrigin is a server runtime like Node.js and Deno: no origin,
// forbidden headers allowed, relative URLs a TypeError.
func WithOrigin(origin string) Option {
	return func(c *config) {
		c.origin = origin
		c.location = origin
		c.server = false
	}
}

// UncaughtError is the error Run, RunScript, RunScripts and RunFile return
// for an uncaught exception or an unhandled rejection (see ErrorMode).
type UncaughtError struct {
	// Rejection is true for an unhandled promise rejection, false for an
	// uncaught exception.
	Rejection bool
	// Value is the thrown value or rejection reason.
	Value goja.Value
	// Stack is the error's stack as JavaScript shows it (positions in the
	// user's own files), or the value's string form.
	Stack string
}

func (e *UncaughtError) Error() string {
	if e.Rejection {
		return "Uncaught (in promise) " + e.Stack
	}
	return "Uncaught " + e.Stack
}

// fail records the first fatal error of the loop; Run returns it after the
// current task.
func (r *Runtime) fail(err *UncaughtError) {
	if r.fatal == nil {
		r.fatal = err
	}
}

// takeFatal returns and clears the recorded fatal error.
func (r *Runtime) takeFatal() error {
	if r.fatal == nil {
		return nil
	}
	err := r.fatal
	r.fatal = nil
	return err
}

// RunModule evaluates the ES module (JavaScript or TypeScript, by its
// extension) at path with the local modules it imports, statically or
// with import() of a string literal, bundled by esbuild: top-level await,
// ES2024 syntax and TypeScript types are handled, and source maps make
// stack traces name the original files and lines. Bare specifiers resolve
// through node_modules. It returns the module's evaluation promise, which
// settles once its top-level await is done; a rejection of it is reported
// as an uncaught exception (see WithUncaughtExceptions). Errors found
// before any code runs (syntax, unresolved imports) are a *CompileError.
func (r *Runtime) RunModule(path string) (*goja.Promise, error) {
	code, err := bundleModule(path)
	if err != nil {
		return nil, err
	}
	prog, err := goja.Compile(path, code, true)
	if err != nil {
		// esbuild accepted the modules, so what goja rejects is what the
		// bundle keeps as written: import() of a computed specifier.
		return nil, &CompileError{Messages: []string{path + ": import() of a computed specifier is not supported (" + err.Error() + ")"}}
	}
	fv, err := r.vm.RunProgram(prog)
	if err != nil {
		return nil, err
	}
	fn, ok := goja.AssertFunction(fv)
	if !ok {
		return nil, errors.New("js: the module bundle is not a function")
	}
	var p *goja.Promise
	hook := r.vm.ToValue(func(goja.FunctionCall) goja.Value {
		v, err := fn(goja.Undefined())
		if err != nil {
			panic(err)
		}
		p, _ = v.Export().(*goja.Promise)
		then, _ := goja.AssertFunction(v.(*goja.Object).Get("then"))
		then(v, goja.Undefined(), r.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
			r.reportUncaught(fc.Argument(0))
			return goja.Undefined()
		}))
		return goja.Undefined()
	})
	// Called through a JavaScript frame so that the module's synchronous
	// part and its microtasks run as one task.
	if _, err := r.helper["call"](goja.Undefined(), hook); err != nil {
		return nil, err
	}
	r.notifyRejections()
	if p == nil {
		return nil, errors.New("js: the module did not start")
	}
	return p, r.takeFatal()
}

// RunFile runs the JavaScript or TypeScript module at path (see RunModule)
// in a new Runtime configured by opts, and runs its event loop until
// nothing is left to do or ctx ends. It is what `wfetch run FILE` does.
//
// Defaults differ from New: the Runtime is a server runtime (no origin,
// forbidden headers allowed) unless WithOrigin is given; uncaught
// exceptions and unhandled rejections end the run with an *UncaughtError
// (override with WithUncaughtExceptions / WithUnhandledRejections); console
// output goes to os.Stderr for warn/error and os.Stdout otherwise unless
// WithConsole is given. file: URLs are fetched only if the client of
// WithFetchClient was made with fetch.WithFileAccess.
func RunFile(ctx context.Context, path string, opts ...Option) error {
	all := append([]Option{WithServerEnvironment(), WithUncaughtExceptions(ReturnErrors), withStdoutConsole()}, opts...)
	r := New(all...)
	defer r.Close()
	p, err := r.RunModule(path)
	if err != nil {
		return err
	}
	if err := r.Run(ctx); err != nil {
		return err
	}
	if p.State() == goja.PromiseStatePending {
		// Nothing is left that could settle it (Node exits with code 13).
		return ErrUnsettledTopLevelAwait
	}
	return nil
}

// ErrUnsettledTopLevelAwait is RunFile's error when the event loop ran out
// of work while the module still awaited a promise that nothing can
// settle any more.
var ErrUnsettledTopLevelAwait = errors.New("js: the module's top-level await never settled (nothing is left that could settle it)")

// reportUncaught reports a thrown value like an uncaught exception: an
// "error" event on the global object, then (not canceled) the error
// reporter, or the end of the run (ReturnErrors).
func (r *Runtime) reportUncaught(val goja.Value) {
	if !r.dispatchErrorEvent(val) {
		return
	}
	stack := stackOf(val)
	if r.cfg.exceptions == ReturnErrors {
		r.fail(&UncaughtError{Value: val, Stack: stack})
		return
	}
	r.reportError("Uncaught " + stack)
}

// stackOf is the stack of an Error (goja's "stack" property, with its
// "(pc)" suffixes dropped), else the value's inspection.
func stackOf(v goja.Value) string {
	s := describe(v)
	return cleanStack(s)
}

// pcSuffix is goja's program counter after a frame's line:column.
var pcSuffix = regexp.MustCompile(`(:\d+:\d+)\(\d+\)`)

// cleanStack turns goja's "\tat f (file:1:2(34))" frames into Node's
// "    at f (file:1:2)", and leaves out the package's own frames.
func cleanStack(s string) string {
	if !strings.Contains(s, "\tat ") {
		return s
	}
	s = pcSuffix.ReplaceAllString(s, "$1")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if t, ok := strings.CutPrefix(l, "\tat "); ok {
			if strings.Contains(t, "github.com/wfetch/wfetch/") || strings.Contains(t, "(<eval>:") ||
				strings.Contains(t, "(console.js:") || strings.Contains(t, "(web-extras.js:") {
				continue
			}
			l = "    at " + t
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
