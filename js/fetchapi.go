package js

import (
	"encoding/json"
	"io"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// StreamBinding connects Request and Response to the ReadableStream
// binding, which lives in its own file: how to show a Go stream to script,
// and how to get the Go stream behind a script's ReadableStream.
type StreamBinding struct {
	Object func(s *body.Stream) goja.Value
	Stream func(v goja.Value) (*body.Stream, bool)
}

// SetStreamBinding installs the ReadableStream hooks Request and Response
// use for their body attribute and stream bodies.
func (r *Runtime) SetStreamBinding(b StreamBinding) { r.streamBinding = b }

// Environment returns the environment settings object Request uses: the
// location as base URL and, for an http(s) location, its origin (browser
// semantics: forbidden headers are dropped, referrers checked).
func (r *Runtime) Environment() *request.Environment {
	if r.env != nil {
		return r.env
	}
	if r.client != nil && r.cfg.origin == "" {
		if env := r.client.Environment(); env != nil {
			r.env = env
			return env
		}
	}
	env := &request.Environment{BaseURL: r.BaseURL()}
	if env.BaseURL != nil && !r.cfg.server {
		if o := env.BaseURL.Origin(); !o.IsOpaque() {
			env.Origin = &o
		}
	}
	r.env = env
	return env
}

// WithServerEnvironment makes Request and fetch behave as in a server
// runtime (no origin: no CORS, forbidden headers allowed), as undici and
// Deno do, instead of as a page at the location's origin.
func WithServerEnvironment() Option { return func(c *config) { c.server = true } }

// bodyOwner is what the body mixin methods need from a Request or Response.
type bodyOwner interface {
	mixin() *body.Mixin
	mimeType() *mime.Type
	bodyUsed() bool
	abortedReason() error
}

func (q *requestImpl) abortedReason() error { return nil }
func (p *responseImpl) abortedReason() error {
	if p.signal != nil && p.signal.Aborted() {
		if s := p.resp.Body(); s != nil && s.State() == body.StateReadable {
			return p.signal.Reason()
		}
	}
	return nil
}

type requestImpl struct {
	req     *request.Request
	headers *goja.Object
}

func (q *requestImpl) mixin() *body.Mixin { return &q.req.Mixin }
func (q *requestImpl) bodyUsed() bool     { return q.req.BodyUsed() }
func (q *requestImpl) mimeType() *mime.Type {
	mt, _ := q.req.Headers().List().ExtractMIMEType()
	return mt
}

type responseImpl struct {
	resp    *response.Response
	headers *goja.Object
	// signal is the signal of the fetch that made the response: once it
	// aborts, the body is errored with its reason (the Go fetch does that
	// on its own goroutine; the binding makes it visible at once).
	signal *abort.Signal
}

func (p *responseImpl) mixin() *body.Mixin { return &p.resp.Mixin }
func (p *responseImpl) bodyUsed() bool     { return p.resp.BodyUsed() }
func (p *responseImpl) mimeType() *mime.Type {
	mt, _ := p.resp.Headers().List().ExtractMIMEType()
	return mt
}

// BodyInit converts a JavaScript BodyInit to a body.Init: strings,
// BufferSources (copied), Blob, File, FormData, URLSearchParams and
// ReadableStream.
// https://fetch.spec.whatwg.org/#bodyinit-unions
func (r *Runtime) BodyInit(v goja.Value) body.Init {
	if o, ok := v.(*goja.Object); ok {
		if b := r.brandOf(o); b != nil {
			switch x := b.impl.(type) {
			case *body.Blob, *body.File, *body.FormData:
				return x
			case interface{ GoBlob() *body.Blob }:
				return x.GoBlob()
			case interface{ GoFormData() *body.FormData }:
				return x.GoFormData()
			}
			if sp, ok := b.impl.(body.URLSearchParams); ok {
				return sp
			}
			if r.streamBinding.Stream != nil {
				if s, ok := r.streamBinding.Stream(v); ok {
					return s
				}
			}
		}
		if b, ok := r.Bytes(o); ok {
			return append([]byte(nil), b...)
		}
	}
	return r.USVString(v)
}

func (r *Runtime) bodyAttr(c *Call) goja.Value {
	m := c.Impl.(bodyOwner).mixin()
	s := m.Body()
	if s == nil {
		return goja.Null()
	}
	if r.streamBinding.Object == nil {
		r.TypeError("ReadableStream is not available in this runtime")
	}
	return r.streamBinding.Object(s)
}

// consumeBody runs https://fetch.spec.whatwg.org/#concept-body-consume:
// an unusable body rejects at once; otherwise the stream is locked and
// marked disturbed now, read to the end on a goroutine, and convert runs
// on the loop with the bytes.
func (r *Runtime) consumeBody(owner bodyOwner, convert func(b []byte) (goja.Value, error)) goja.Value {
	m := owner.mixin()
	// A body whose stream errored (an aborted fetch) rejects with that
	// error at once, even when it was read before, as browsers do.
	if s := m.Body(); s != nil && s.State() == body.StateErrored {
		return r.rejectedWithValue(r.ReasonValue(s.Err()))
	}
	if reason := owner.abortedReason(); reason != nil {
		return r.rejectedWithValue(r.ReasonValue(reason))
	}
	if body.Unusable(m) || owner.bodyUsed() {
		return r.rejectedWith(errs.TypeErrorf("the body has already been used or is locked"))
	}
	p, resolve, reject := r.vm.NewPromise()
	finish := func(b []byte, err error) {
		if err != nil {
			reject(r.ReasonValue(err))
			return
		}
		var v goja.Value
		ex := r.vm.Try(func() { v, err = convert(b) })
		switch {
		case ex != nil:
			reject(ex.Value())
		case err != nil:
			reject(r.ErrorValue(err))
		default:
			resolve(v)
		}
	}
	s := m.Body()
	if s == nil {
		finish([]byte{}, nil)
		return r.vm.ToValue(p)
	}
	rd, err := s.GetReader()
	if err != nil {
		return r.rejectedWith(err)
	}
	first := rd.ReadChunkAsync()
	settle := r.Ref()
	go func() {
		var buf []byte
		res := <-first
		err := res.Err
		buf = append(buf, res.Chunk...)
		for err == nil {
			var c []byte
			c, err = rd.ReadChunk()
			buf = append(buf, c...)
		}
		if err == io.EOF {
			err = nil
		}
		if buf == nil {
			buf = []byte{}
		}
		settle(func() { finish(buf, err) })
	}()
	return r.vm.ToValue(p)
}

func (r *Runtime) rejectedWith(err error) goja.Value {
	p, _, reject := r.vm.NewPromise()
	reject(r.ErrorValue(err))
	return r.vm.ToValue(p)
}

func (r *Runtime) resolvedWith(v goja.Value) goja.Value {
	p, resolve, _ := r.vm.NewPromise()
	resolve(v)
	return r.vm.ToValue(p)
}

// bodyMethods are the Body mixin's operations and attributes.
// https://fetch.spec.whatwg.org/#body-mixin
func (r *Runtime) bodyMethods() ([]Method, []Attr) {
	owner := func(c *Call) bodyOwner { return c.Impl.(bodyOwner) }
	methods := []Method{
		{Name: "arrayBuffer", Fn: func(c *Call) goja.Value {
			return r.consumeBody(owner(c), func(b []byte) (goja.Value, error) { return r.NewArrayBuffer(b), nil })
		}},
		{Name: "blob", Fn: func(c *Call) goja.Value {
			o := owner(c)
			return r.consumeBody(o, func(b []byte) (goja.Value, error) {
				// The type is the MIME type serialized, without the Blob
				// constructor's normalization.
				m := body.NewMixin(body.FromBytes(b), o.mimeType)
				blob, err := m.Blob()
				if err != nil {
					return nil, err
				}
				return r.NewObject("Blob", blob), nil
			})
		}},
		{Name: "bytes", Fn: func(c *Call) goja.Value {
			return r.consumeBody(owner(c), func(b []byte) (goja.Value, error) { return r.NewUint8Array(b), nil })
		}},
		{Name: "formData", Fn: func(c *Call) goja.Value {
			o := owner(c)
			return r.consumeBody(o, func(b []byte) (goja.Value, error) {
				m := body.NewMixin(body.FromBytes(b), o.mimeType)
				fd, err := m.FormData()
				if err != nil {
					return nil, err
				}
				return r.NewObject("FormData", fd), nil
			})
		}},
		{Name: "json", Fn: func(c *Call) goja.Value {
			return r.consumeBody(owner(c), func(b []byte) (goja.Value, error) {
				parse, _ := goja.AssertFunction(r.vm.Get("JSON").(*goja.Object).Get("parse"))
				v, err := parse(goja.Undefined(), r.vm.ToValue(DecodeUTF8(b)))
				if err != nil {
					if ex, ok := err.(*goja.Exception); ok {
						return nil, &JSError{Value: ex.Value()}
					}
					return nil, err
				}
				return v, nil
			})
		}},
		{Name: "text", Fn: func(c *Call) goja.Value {
			return r.consumeBody(owner(c), func(b []byte) (goja.Value, error) { return stringValue(DecodeUTF8(b)), nil })
		}},
	}
	attrs := []Attr{
		{Name: "body", Get: r.bodyAttr},
		{Name: "bodyUsed", Get: func(c *Call) goja.Value { return r.vm.ToValue(owner(c).bodyUsed()) }},
	}
	return methods, attrs
}

// enumMember converts an optional enum dictionary member.
func (r *Runtime) enumMember(d *goja.Object, name string, values ...string) *string {
	v := Member(d, name)
	if v == nil {
		return nil
	}
	s := r.Enum(v, "RequestInit."+name, values...)
	return &s
}

// requestInit converts a RequestInit dictionary, members in lexicographic
// order as WebIDL reads them.
// https://fetch.spec.whatwg.org/#requestinit
func (r *Runtime) requestInit(v goja.Value) *request.Init {
	d := r.Dictionary(v, "RequestInit")
	if d == nil {
		return nil
	}
	init := &request.Init{}
	if b := d.Get("body"); b != nil && !goja.IsUndefined(b) {
		init.BodySet = true
		if !goja.IsNull(b) {
			init.Body = r.BodyInit(b)
		}
	}
	if s := r.enumMember(d, "cache", "default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"); s != nil {
		init.Cache = (*request.Cache)(s)
	}
	if s := r.enumMember(d, "credentials", "omit", "same-origin", "include"); s != nil {
		init.Credentials = (*request.Credentials)(s)
	}
	if s := r.enumMember(d, "duplex", "half"); s != nil {
		init.Duplex = (*request.Duplex)(s)
	}
	if h := Member(d, "headers"); h != nil {
		init.Headers = r.HeadersInit(h)
	}
	if s := Member(d, "integrity"); s != nil {
		x := r.DOMString(s)
		init.Integrity = &x
	}
	if k := Member(d, "keepalive"); k != nil {
		x := k.ToBoolean()
		init.Keepalive = &x
	}
	if m := Member(d, "method"); m != nil {
		x := r.ByteString(m)
		init.Method = &x
	}
	if s := r.enumMember(d, "mode", "navigate", "same-origin", "no-cors", "cors"); s != nil {
		init.Mode = (*request.Mode)(s)
	}
	if s := r.enumMember(d, "priority", "high", "low", "auto"); s != nil {
		init.Priority = (*request.Priority)(s)
	}
	if s := r.enumMember(d, "redirect", "follow", "error", "manual"); s != nil {
		init.Redirect = (*request.Redirect)(s)
	}
	if s := Member(d, "referrer"); s != nil {
		x := r.USVString(s)
		init.Referrer = &x
	}
	if s := r.enumMember(d, "referrerPolicy", "", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
		"strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"); s != nil {
		init.ReferrerPolicy = (*request.ReferrerPolicy)(s)
	}
	if s := d.Get("signal"); s != nil && !goja.IsUndefined(s) {
		init.SignalSet = true
		if !goja.IsNull(s) {
			sig := r.AbortSignal(s)
			if sig == nil {
				r.TypeError("RequestInit.signal: %s is not an AbortSignal", describe(s))
			}
			init.Signal = sig
		}
	}
	if w := d.Get("window"); w != nil && !goja.IsUndefined(w) {
		init.WindowSet = true
		if !goja.IsNull(w) {
			init.Window = w
		}
	}
	return init
}

// NewRequest returns a Request object for req.
func (r *Runtime) NewRequest(req *request.Request) *goja.Object {
	return r.NewObject("Request", &requestImpl{req: req})
}

// NewResponse returns a Response object for resp.
func (r *Runtime) NewResponse(resp *response.Response) *goja.Object {
	return r.NewObject("Response", &responseImpl{resp: resp})
}

// RequestFrom returns the Go request behind a JavaScript Request, or nil.
func (r *Runtime) RequestFrom(v goja.Value) *request.Request {
	if q, ok := r.Impl(v, "Request").(*requestImpl); ok {
		return q.req
	}
	return nil
}

// installFetchAPI defines Request and Response.
// https://fetch.spec.whatwg.org/#request-class
// https://fetch.spec.whatwg.org/#response-class
func (r *Runtime) installFetchAPI() {
	bm, ba := r.bodyMethods()
	q := func(c *Call) *request.Request { return c.Impl.(*requestImpl).req }
	str := func(f func(*request.Request) string) func(*Call) goja.Value {
		return func(c *Call) goja.Value { return r.vm.ToValue(f(q(c))) }
	}
	r.DefineInterface(InterfaceSpec{
		Name:   "Request",
		Length: 1,
		Construct: func(c *Call) any {
			r.need(c, 1, "Request")
			var input any
			if in := r.RequestFrom(c.Arg(0)); in != nil {
				input = in
			} else {
				input = r.USVString(c.Arg(0))
			}
			init := r.requestInit(c.Arg(1))
			req, err := request.New(input, init, request.WithEnvironment(r.Environment()))
			if err != nil {
				r.Throw(err)
			}
			return &requestImpl{req: req}
		},
		Attrs: append([]Attr{
			{Name: "method", Get: func(c *Call) goja.Value { return r.ByteStringValue(q(c).Method()) }},
			{Name: "url", Get: str((*request.Request).URL)},
			{Name: "headers", Get: func(c *Call) goja.Value {
				impl := c.Impl.(*requestImpl)
				if impl.headers == nil {
					impl.headers = r.NewHeaders(impl.req.Headers())
				}
				return impl.headers
			}},
			{Name: "destination", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Destination())) }},
			{Name: "referrer", Get: str((*request.Request).Referrer)},
			{Name: "referrerPolicy", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).ReferrerPolicy())) }},
			{Name: "mode", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Mode())) }},
			{Name: "credentials", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Credentials())) }},
			{Name: "cache", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Cache())) }},
			{Name: "redirect", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Redirect())) }},
			{Name: "integrity", Get: str((*request.Request).Integrity)},
			{Name: "keepalive", Get: func(c *Call) goja.Value { return r.vm.ToValue(q(c).Keepalive()) }},
			{Name: "isReloadNavigation", Get: func(c *Call) goja.Value { return r.vm.ToValue(q(c).IsReloadNavigation()) }},
			{Name: "isHistoryNavigation", Get: func(c *Call) goja.Value { return r.vm.ToValue(q(c).IsHistoryNavigation()) }},
			{Name: "signal", Get: func(c *Call) goja.Value {
				s := q(c).Signal()
				if s == nil {
					s = abort.NewController().Signal()
				}
				return r.NewAbortSignal(s)
			}},
			{Name: "duplex", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(q(c).Duplex())) }},
		}, ba...),
		Methods: append([]Method{
			{Name: "clone", Fn: func(c *Call) goja.Value {
				cl, err := q(c).Clone()
				if err != nil {
					r.Throw(err)
				}
				return r.NewRequest(cl)
			}},
		}, bm...),
	})

	p := func(c *Call) *response.Response { return c.Impl.(*responseImpl).resp }
	r.DefineInterface(InterfaceSpec{
		Name: "Response",
		Construct: func(c *Call) any {
			var b body.Init
			if c.Has(0) && !goja.IsNull(c.Arg(0)) {
				b = r.BodyInit(c.Arg(0))
			}
			resp, err := response.New(b, r.responseInit(c.Arg(1)))
			if err != nil {
				r.Throw(err)
			}
			return &responseImpl{resp: resp}
		},
		Statics: []Method{
			{Name: "error", Fn: func(c *Call) goja.Value { return r.NewResponse(response.Error()) }},
			{Name: "redirect", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "Response.redirect")
				u := r.USVString(c.Arg(0))
				status := 302
				if c.Has(1) {
					status = int(uint16(c.Arg(1).ToInteger()))
					if status == 0 {
						status = -1 // 0 means "default" in Go; in JS it is a RangeError
					}
				}
				var opts []response.Option
				if base := r.BaseURL(); base != nil {
					opts = append(opts, response.WithBaseURL(base))
				}
				resp, err := response.Redirect(u, status, opts...)
				if err != nil {
					r.Throw(err)
				}
				return r.NewResponse(resp)
			}},
			{Name: "json", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "Response.json")
				stringify, _ := goja.AssertFunction(r.vm.Get("JSON").(*goja.Object).Get("stringify"))
				s, err := stringify(goja.Undefined(), c.Arg(0))
				if err != nil {
					panic(err)
				}
				if goja.IsUndefined(s) {
					r.TypeError("Response.json: the data cannot be serialized to JSON")
				}
				init := r.responseInit(c.Arg(1))
				resp, err := response.JSON(json.RawMessage(s.String()), init)
				if err != nil {
					r.Throw(err)
				}
				return r.NewResponse(resp)
			}},
		},
		Attrs: append([]Attr{
			{Name: "type", Get: func(c *Call) goja.Value { return r.vm.ToValue(string(p(c).Type())) }},
			{Name: "url", Get: func(c *Call) goja.Value { return r.vm.ToValue(p(c).URL()) }},
			{Name: "redirected", Get: func(c *Call) goja.Value { return r.vm.ToValue(p(c).Redirected()) }},
			{Name: "status", Get: func(c *Call) goja.Value { return r.vm.ToValue(p(c).Status()) }},
			{Name: "ok", Get: func(c *Call) goja.Value { return r.vm.ToValue(p(c).OK()) }},
			{Name: "statusText", Get: func(c *Call) goja.Value { return r.ByteStringValue(p(c).StatusText()) }},
			{Name: "headers", Get: func(c *Call) goja.Value {
				impl := c.Impl.(*responseImpl)
				if impl.headers == nil {
					impl.headers = r.NewHeaders(impl.resp.Headers())
				}
				return impl.headers
			}},
		}, ba...),
		Methods: append([]Method{
			{Name: "clone", Fn: func(c *Call) goja.Value {
				cl, err := p(c).Clone()
				if err != nil {
					r.Throw(err)
				}
				return r.NewResponse(cl)
			}},
		}, bm...),
	})
}

// responseInit converts a ResponseInit dictionary.
// https://fetch.spec.whatwg.org/#responseinit
func (r *Runtime) responseInit(v goja.Value) *response.Init {
	d := r.Dictionary(v, "ResponseInit")
	init := &response.Init{}
	if d == nil {
		return init
	}
	if h := Member(d, "headers"); h != nil {
		init.Headers = r.HeadersInit(h)
	}
	if s := Member(d, "status"); s != nil {
		// unsigned short: modulo 2^16.
		init.Status = int(uint16(s.ToInteger()))
		if init.Status == 0 {
			init.Status = -1 // {status: 0} is a RangeError, not the default
		}
	}
	if s := Member(d, "statusText"); s != nil {
		init.StatusText = r.ByteString(s)
	}
	return init
}

func (r *Runtime) rejectedWithValue(v goja.Value) goja.Value {
	p, _, reject := r.vm.NewPromise()
	reject(v)
	return r.vm.ToValue(p)
}
