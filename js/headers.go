package js

import (
	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/headers"
)

// installHeaders defines the Headers interface over package headers.
// https://fetch.spec.whatwg.org/#headers-class
func (r *Runtime) installHeaders() {
	name := func(c *Call, what string) string {
		if len(c.Args) < 1 {
			r.TypeError("Headers.%s: 1 argument required, but only 0 present", what)
		}
		return r.ByteString(c.Arg(0))
	}
	nameValue := func(c *Call, what string) (string, string) {
		if len(c.Args) < 2 {
			r.TypeError("Headers.%s: 2 arguments required, but only %d present", what, len(c.Args))
		}
		return r.ByteString(c.Arg(0)), r.ByteString(c.Arg(1))
	}
	r.DefineInterface(InterfaceSpec{
		Name: "Headers",
		Construct: func(c *Call) any {
			h := headers.New(headers.GuardNone)
			if c.Has(0) {
				init := r.HeadersInit(c.Arg(0))
				if err := h.Fill(init); err != nil {
					r.Throw(err)
				}
			}
			return h
		},
		Methods: []Method{
			{Name: "append", Length: 2, Fn: func(c *Call) goja.Value {
				n, v := nameValue(c, "append")
				if err := c.Impl.(*headers.Headers).Append(n, v); err != nil {
					r.Throw(err)
				}
				return nil
			}},
			{Name: "delete", Length: 1, Fn: func(c *Call) goja.Value {
				if err := c.Impl.(*headers.Headers).Delete(name(c, "delete")); err != nil {
					r.Throw(err)
				}
				return nil
			}},
			{Name: "get", Length: 1, Fn: func(c *Call) goja.Value {
				v, ok, err := c.Impl.(*headers.Headers).Get(name(c, "get"))
				if err != nil {
					r.Throw(err)
				}
				if !ok {
					return goja.Null()
				}
				return r.ByteStringValue(v)
			}},
			{Name: "getSetCookie", Fn: func(c *Call) goja.Value {
				var vals []any
				for _, v := range c.Impl.(*headers.Headers).GetSetCookie() {
					vals = append(vals, r.ByteStringValue(v))
				}
				return r.vm.NewArray(vals...)
			}},
			{Name: "has", Length: 1, Fn: func(c *Call) goja.Value {
				ok, err := c.Impl.(*headers.Headers).Has(name(c, "has"))
				if err != nil {
					r.Throw(err)
				}
				return r.vm.ToValue(ok)
			}},
			{Name: "set", Length: 2, Fn: func(c *Call) goja.Value {
				n, v := nameValue(c, "set")
				if err := c.Impl.(*headers.Headers).Set(n, v); err != nil {
					r.Throw(err)
				}
				return nil
			}},
		},
		// Each step sorts and combines the current list again.
		// https://fetch.spec.whatwg.org/#concept-headers-sort-and-combine
		Pairs: func(impl any) [][2]goja.Value {
			entries := impl.(*headers.Headers).Entries()
			out := make([][2]goja.Value, len(entries))
			for i, f := range entries {
				out[i] = [2]goja.Value{r.ByteStringValue(f.Name), r.ByteStringValue(f.Value)}
			}
			return out
		},
	})
}

// HeadersInit converts a JavaScript HeadersInit
// ((sequence<sequence<ByteString>> or record<ByteString, ByteString>)) to
// a headers.Init.
// https://fetch.spec.whatwg.org/#typedefdef-headersinit
func (r *Runtime) HeadersInit(v goja.Value) headers.Init {
	if _, ok := v.(*goja.Object); !ok {
		r.TypeError("Headers: the init value %s is neither a sequence of pairs nor a record", describe(v))
	}
	if _, ok := r.IsIterable(v); ok {
		var pairs headers.Pairs
		for _, item := range r.Sequence(v, "HeadersInit") {
			var pair []string
			for _, s := range r.Sequence(item, "HeadersInit pair") {
				pair = append(pair, r.ByteString(s))
			}
			pairs = append(pairs, pair)
		}
		return pairs
	}
	var rec headers.Record
	for _, kv := range r.Record(v, func(k goja.Value) goja.Value { return r.ByteStringValue(r.ByteString(k)) },
		func(x goja.Value) goja.Value { return r.ByteStringValue(r.ByteString(x)) }) {
		rec = append(rec, headers.Field{Name: r.ByteString(kv[0]), Value: r.ByteString(kv[1])})
	}
	return rec
}

// NewHeaders returns a Headers object for h (a request's or response's
// headers, sharing its list).
func (r *Runtime) NewHeaders(h *headers.Headers) *goja.Object {
	return r.NewObject("Headers", h)
}
