package js

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

func (r *Runtime) installGlobals() {
	vm := r.vm
	g := vm.GlobalObject()
	g.Set("self", g)
	// Annex B's Date.prototype.toGMTString, which goja lacks: the same
	// function object as toUTCString.
	if dp, ok := vm.Get("Date").(*goja.Object).Get("prototype").(*goja.Object); ok {
		dp.DefineDataProperty("toGMTString", dp.Get("toUTCString"), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	g.Set("window", g)
	r.installDOMException()
	r.installEvents()
	r.DefineInterface(InterfaceSpec{Name: "Window", Parent: "EventTarget", Attrs: []Attr{
		r.EventHandler("onerror", "error"),
		r.EventHandler("onload", "load"),
		r.EventHandler("onunhandledrejection", "unhandledrejection"),
		r.EventHandler("onrejectionhandled", "rejectionhandled"),
	}})
	g.SetPrototype(r.ifaces["Window"].Proto)
	// [Global]: the attributes live on the global object itself, so that
	// "onload = f" in strict code finds them.
	for _, name := range []string{"onerror", "onload", "onunhandledrejection", "onrejectionhandled"} {
		desc, err := r.vm.RunString("Object.getOwnPropertyDescriptor(Window.prototype, " + strconv.Quote(name) + ")")
		if err != nil {
			panic(err)
		}
		o := desc.(*goja.Object)
		g.DefineAccessorProperty(name, o.Get("get"), o.Get("set"), goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	r.global = &EventTarget{}
	r.SetBrand(g, "Window", r.global)
	r.installTimers()
	r.installConsole()
	r.installLocation()
	r.installEncoding()
	r.installStructuredClone()
	r.installHeaders()
	r.installURL()
	r.installAbort()
	r.installFetchAPI()
	r.installFetch()
	r.installCrypto()
	r.installXHR()
	r.installPerformance()
	for _, install := range extraInstallers {
		install(r)
	}
	r.installWebExtras()
	g.Set("queueMicrotask", r.fn("queueMicrotask", 1, func(fc goja.FunctionCall) goja.Value {
		cb, ok := goja.AssertFunction(fc.Argument(0))
		if !ok {
			r.TypeError("queueMicrotask: the callback is not a function")
		}
		// A resolved promise's reaction is a microtask; report what it throws.
		p, resolve, _ := vm.NewPromise()
		then, _ := goja.AssertFunction(vm.ToValue(p).(*goja.Object).Get("then"))
		then(vm.ToValue(p), vm.ToValue(func(goja.FunctionCall) goja.Value {
			if _, err := cb(goja.Undefined()); err != nil {
				if ex, ok := err.(*goja.Exception); ok {
					r.ReportException(ex)
				} else {
					panic(err)
				}
			}
			return goja.Undefined()
		}))
		resolve(nil)
		return goja.Undefined()
	}))
	g.Set("btoa", r.fn("btoa", 1, func(fc goja.FunctionCall) goja.Value {
		if len(fc.Arguments) < 1 {
			r.TypeError("btoa: 1 argument required")
		}
		u := r.UTF16(fc.Argument(0))
		b := make([]byte, len(u))
		for i, c := range u {
			if c > 0xFF {
				r.Throw(domErr("InvalidCharacterError", "btoa: the string contains characters outside of Latin1"))
			}
			b[i] = byte(c)
		}
		return vm.ToValue(base64.StdEncoding.EncodeToString(b))
	}))
	g.Set("atob", r.fn("atob", 1, func(fc goja.FunctionCall) goja.Value {
		if len(fc.Arguments) < 1 {
			r.TypeError("atob: 1 argument required")
		}
		b, ok := forgivingBase64(r.DOMString(fc.Argument(0)))
		if !ok {
			r.Throw(domErr("InvalidCharacterError", "atob: the string is not valid base64"))
		}
		return r.ByteStringValue(string(b))
	}))
}

// forgivingBase64 decodes base64 the way https://infra.spec.whatwg.org/#forgiving-base64-decode
// does: ASCII whitespace ignored, padding optional.
func forgivingBase64(s string) ([]byte, bool) {
	s = strings.Map(func(c rune) rune {
		if c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' {
			return -1
		}
		return c
	}, s)
	if len(s)%4 == 0 {
		if strings.HasSuffix(s, "==") {
			s = s[:len(s)-2]
		} else if strings.HasSuffix(s, "=") {
			s = s[:len(s)-1]
		}
	}
	if len(s)%4 == 1 {
		return nil, false
	}
	b, err := base64.RawStdEncoding.Strict().DecodeString(s)
	if err != nil {
		// Non-zero trailing bits are allowed by the forgiving decoder.
		b, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			return nil, false
		}
	}
	return b, true
}

// --- DOMException (https://webidl.spec.whatwg.org/#idl-DOMException) ---

var domExceptionConsts = []Const{
	{"INDEX_SIZE_ERR", 1}, {"DOMSTRING_SIZE_ERR", 2}, {"HIERARCHY_REQUEST_ERR", 3},
	{"WRONG_DOCUMENT_ERR", 4}, {"INVALID_CHARACTER_ERR", 5}, {"NO_DATA_ALLOWED_ERR", 6},
	{"NO_MODIFICATION_ALLOWED_ERR", 7}, {"NOT_FOUND_ERR", 8}, {"NOT_SUPPORTED_ERR", 9},
	{"INUSE_ATTRIBUTE_ERR", 10}, {"INVALID_STATE_ERR", 11}, {"SYNTAX_ERR", 12},
	{"INVALID_MODIFICATION_ERR", 13}, {"NAMESPACE_ERR", 14}, {"INVALID_ACCESS_ERR", 15},
	{"VALIDATION_ERR", 16}, {"TYPE_MISMATCH_ERR", 17}, {"SECURITY_ERR", 18},
	{"NETWORK_ERR", 19}, {"ABORT_ERR", 20}, {"URL_MISMATCH_ERR", 21},
	{"QUOTA_EXCEEDED_ERR", 22}, {"TIMEOUT_ERR", 23}, {"INVALID_NODE_TYPE_ERR", 24},
	{"DATA_CLONE_ERR", 25},
}

func (r *Runtime) installDOMException() {
	i := r.DefineInterface(InterfaceSpec{
		Name: "DOMException",
		Construct: func(c *Call) any {
			e := &errs.DOMException{Name: "Error"}
			if c.Has(0) {
				e.Message = r.DOMString(c.Arg(0))
			}
			if c.Has(1) {
				e.Name = r.DOMString(c.Arg(1))
			}
			return e
		},
		Consts: domExceptionConsts,
		Attrs: []Attr{
			{Name: "name", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*errs.DOMException).Name) }},
			{Name: "message", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*errs.DOMException).Message) }},
			{Name: "code", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*errs.DOMException).Code()) }},
		},
	})
	errProto := r.vm.Get("Error").(*goja.Object).Get("prototype").(*goja.Object)
	i.Proto.SetPrototype(errProto)
}

// NewDOMException creates a DOMException object.
func (r *Runtime) NewDOMException(message, name string) *goja.Object {
	o := r.NewObject("DOMException", &errs.DOMException{Name: name, Message: message})
	// Give it a stack like other errors have, for test output.
	if st := r.vm.CaptureCallStack(10, nil); len(st) > 0 {
		var b strings.Builder
		for _, f := range st {
			b.WriteString("\n    at ")
			b.WriteString(f.Position().String())
		}
		o.DefineDataProperty("stack", r.vm.ToValue(name+": "+message+b.String()), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	return o
}

// --- timers (https://html.spec.whatwg.org/#timers) ---

func (r *Runtime) installTimers() {
	g := r.vm.GlobalObject()
	set := func(name string, repeat bool) {
		g.Set(name, r.fn(name, 1, func(fc goja.FunctionCall) goja.Value {
			h := fc.Argument(0)
			if _, ok := goja.AssertFunction(h); !ok {
				h = r.vm.ToValue(r.DOMString(h))
			}
			ms := fc.Argument(1).ToFloat()
			if ms != ms || ms < 0 {
				ms = 0
			}
			var args []goja.Value
			if len(fc.Arguments) > 2 {
				args = append(args, fc.Arguments[2:]...)
			}
			return r.vm.ToValue(r.addTimer(h, args, time.Duration(ms*float64(time.Millisecond)), repeat))
		}))
	}
	set("setTimeout", false)
	set("setInterval", true)
	clear := func(fc goja.FunctionCall) goja.Value {
		r.ClearTimeout(int(fc.Argument(0).ToInteger()))
		return goja.Undefined()
	}
	g.Set("clearTimeout", r.fn("clearTimeout", 0, clear))
	g.Set("clearInterval", r.fn("clearInterval", 0, clear))
}

// --- location ---

// installLocation makes a read-only location object from the configured
// URL, parsed with the URL Standard parser.
// https://html.spec.whatwg.org/#the-location-interface
func (r *Runtime) installLocation() {
	u, err := weburl.Parse(r.cfg.location, nil)
	if err != nil {
		u, _ = weburl.Parse("about:blank", nil)
	}
	l := r.vm.NewObject()
	props := []struct{ k, v string }{
		{"href", u.Href()}, {"origin", u.Origin().Serialize()}, {"protocol", u.Protocol()},
		{"host", u.Host()}, {"hostname", u.Hostname()}, {"port", u.Port()},
		{"pathname", u.Pathname()}, {"search", u.Search()}, {"hash", u.Hash()},
	}
	for _, p := range props {
		l.DefineDataProperty(p.k, r.vm.ToValue(p.v), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	href := u.Href()
	l.Set("toString", r.fn("toString", 0, func(goja.FunctionCall) goja.Value { return r.vm.ToValue(href) }))
	l.DefineDataPropertySymbol(goja.SymToStringTag, r.vm.ToValue("Location"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	r.loc = l
	r.vm.GlobalObject().DefineDataProperty("location", l, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// Location returns the URL the Runtime was created with (the base URL for
// relative URLs).
func (r *Runtime) Location() string { return r.cfg.location }

// installPerformance defines performance.now() and timeOrigin, measured
// from the package's start (https://w3c.github.io/hr-time/).
func (r *Runtime) installPerformance() {
	r.DefineInterface(InterfaceSpec{
		Name:   "Performance",
		Parent: "EventTarget",
		Attrs: []Attr{
			{Name: "timeOrigin", Get: func(c *Call) goja.Value {
				return r.vm.ToValue(float64(timeOrigin.UnixMicro()) / 1000)
			}},
		},
		Methods: []Method{
			{Name: "now", Fn: func(c *Call) goja.Value { return r.vm.ToValue(sinceOrigin()) }},
			{Name: "toJSON", Fn: func(c *Call) goja.Value {
				o := r.vm.NewObject()
				o.Set("timeOrigin", float64(timeOrigin.UnixMicro())/1000)
				return o
			}},
		},
	})
	r.vm.GlobalObject().DefineDataProperty("performance", r.NewObject("Performance", &EventTarget{}), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}
