package js

import (
	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/request"
)

// SetFetchClient makes fetch() use c (its transport, origin, cookies,
// cache). Call it before running scripts. Without it, the first fetch
// makes a client whose origin and base URL are the Runtime's location (or,
// with WithServerEnvironment, only the base URL).
func (r *Runtime) SetFetchClient(c *fetch.Client) {
	r.client = c
	r.env = nil
}

// FetchClient returns the client fetch() uses.
func (r *Runtime) FetchClient() *fetch.Client {
	if r.client == nil {
		var opts []fetch.Option
		if base := r.BaseURL(); base != nil {
			opts = append(opts, fetch.WithBaseURL(base.Href()))
			if !r.cfg.server && !base.Origin().IsOpaque() {
				opts = append(opts, fetch.WithOrigin(base.Href()))
			}
		}
		r.client = fetch.NewClient(opts...)
	}
	return r.client
}

// installFetch defines the global fetch().
// https://fetch.spec.whatwg.org/#fetch-method
func (r *Runtime) installFetch() {
	f := r.fn("fetch", 1, func(fc goja.FunctionCall) goja.Value {
		var req *request.Request
		// Argument conversion and the Request constructor throw; a
		// promise-returning operation turns that into a rejection.
		ex := r.vm.Try(func() {
			c := &Call{R: r, Args: fc.Arguments}
			r.need(c, 1, "fetch")
			var input any
			if in := r.RequestFrom(c.Arg(0)); in != nil {
				input = in
			} else {
				input = r.USVString(c.Arg(0))
			}
			init := r.requestInit(c.Arg(1))
			var err error
			req, err = request.New(input, init, request.WithEnvironment(r.Environment()))
			if err != nil {
				r.Throw(err)
			}
		})
		if ex != nil {
			return r.rejectedWithValue(ex.Value())
		}
		// An aborted signal rejects at once with its reason.
		// https://fetch.spec.whatwg.org/#abort-fetch: the request body is
		// cancelled with the reason, synchronously.
		if sig := req.Signal(); sig != nil && sig.Aborted() {
			reason := sig.Reason()
			if b := req.Internal().Body; b != nil && b.Stream != nil && b.Stream.State() == body.StateReadable {
				b.Stream.Cancel(reason)
			}
			return r.rejectedWithValue(r.ReasonValue(reason))
		}
		p, resolve, reject := r.vm.NewPromise()
		client := r.FetchClient()
		settle := r.Ref()
		go func() {
			// r.ctx ends with the Runtime; the request's signal aborts
			// the fetch itself, body included.
			resp, err := client.FetchRequest(r.ctx, req)
			settle(func() {
				if err != nil {
					reject(r.ReasonValue(err))
					return
				}
				o := r.NewResponse(resp)
				r.Impl(o, "Response").(*responseImpl).signal = req.Signal()
				resolve(o)
			})
		}()
		return r.vm.ToValue(p)
	})
	r.vm.GlobalObject().DefineDataProperty("fetch", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)

	// URL.createObjectURL and URL.revokeObjectURL over the client's blob
	// URL store. https://w3c.github.io/FileAPI/#creating-revoking
	u := r.ifaces["URL"].Ctor
	u.DefineDataProperty("createObjectURL", r.fn("createObjectURL", 1, func(fc goja.FunctionCall) goja.Value {
		b := r.blobOf(fc.Argument(0))
		if b == nil {
			r.TypeError("URL.createObjectURL: the argument is not a Blob")
		}
		return r.vm.ToValue(r.FetchClient().CreateObjectURL(b))
	}), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	u.DefineDataProperty("revokeObjectURL", r.fn("revokeObjectURL", 1, func(fc goja.FunctionCall) goja.Value {
		if len(fc.Arguments) < 1 {
			r.TypeError("URL.revokeObjectURL: 1 argument required")
		}
		r.FetchClient().RevokeObjectURL(r.USVString(fc.Argument(0)))
		return goja.Undefined()
	}), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// blobOf returns the Go Blob behind a JavaScript Blob or File, or nil.
func (r *Runtime) blobOf(v goja.Value) *body.Blob {
	b := r.brandOf(v)
	if b == nil {
		return nil
	}
	switch x := b.impl.(type) {
	case *body.Blob:
		return x
	case *body.File:
		return x.AsBlob()
	case interface{ GoBlob() *body.Blob }:
		return x.GoBlob()
	}
	return nil
}
