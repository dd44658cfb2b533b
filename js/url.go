package js

import (
	"strings"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/weburl"
)

type urlImpl struct {
	u      *weburl.URL
	params *goja.Object // the [SameObject] searchParams
}

// installURL defines URL and URLSearchParams over weburl.
// https://url.spec.whatwg.org/#api
func (r *Runtime) installURL() {
	parse := func(c *Call, what string) (*weburl.URL, error) {
		if len(c.Args) < 1 {
			r.TypeError("%s: 1 argument required, but only 0 present", what)
		}
		in := r.USVString(c.Arg(0))
		base := ""
		hasBase := c.Has(1)
		if hasBase {
			base = r.USVString(c.Arg(1))
		}
		if !hasBase {
			return weburl.Parse(in, nil)
		}
		b, err := weburl.Parse(base, nil)
		if err != nil {
			return nil, err
		}
		return weburl.Parse(in, b)
	}
	str := func(get func(u *weburl.URL) string, set func(u *weburl.URL, v string)) (func(*Call) goja.Value, func(*Call, goja.Value)) {
		g := func(c *Call) goja.Value { return r.vm.ToValue(get(c.Impl.(*urlImpl).u)) }
		if set == nil {
			return g, nil
		}
		return g, func(c *Call, v goja.Value) { set(c.Impl.(*urlImpl).u, r.USVString(v)) }
	}
	attr := func(name string, get func(u *weburl.URL) string, set func(u *weburl.URL, v string)) Attr {
		g, s := str(get, set)
		return Attr{Name: name, Get: g, Set: s}
	}
	href := func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*urlImpl).u.Href()) }
	r.DefineInterface(InterfaceSpec{
		Name:   "URL",
		Length: 1,
		Construct: func(c *Call) any {
			u, err := parse(c, "URL")
			if err != nil {
				r.Throw(err)
			}
			return &urlImpl{u: u}
		},
		Statics: []Method{
			{Name: "canParse", Length: 1, Fn: func(c *Call) goja.Value {
				_, err := parse(c, "URL.canParse")
				return r.vm.ToValue(err == nil)
			}},
			{Name: "parse", Length: 1, Fn: func(c *Call) goja.Value {
				u, err := parse(c, "URL.parse")
				if err != nil {
					return goja.Null()
				}
				return r.NewObject("URL", &urlImpl{u: u})
			}},
		},
		Attrs: []Attr{
			{Name: "href", Get: href, Set: func(c *Call, v goja.Value) {
				if err := c.Impl.(*urlImpl).u.SetHref(r.USVString(v)); err != nil {
					r.Throw(err)
				}
			}},
			{Name: "origin", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*urlImpl).u.Origin().Serialize()) }},
			attr("protocol", (*weburl.URL).Protocol, (*weburl.URL).SetProtocol),
			attr("username", (*weburl.URL).Username, (*weburl.URL).SetUsername),
			attr("password", (*weburl.URL).Password, (*weburl.URL).SetPassword),
			attr("host", (*weburl.URL).Host, (*weburl.URL).SetHost),
			attr("hostname", (*weburl.URL).Hostname, (*weburl.URL).SetHostname),
			attr("port", (*weburl.URL).Port, (*weburl.URL).SetPort),
			attr("pathname", (*weburl.URL).Pathname, (*weburl.URL).SetPathname),
			attr("search", (*weburl.URL).Search, (*weburl.URL).SetSearch),
			{Name: "searchParams", Get: func(c *Call) goja.Value {
				impl := c.Impl.(*urlImpl)
				if impl.params == nil {
					impl.params = r.NewObject("URLSearchParams", impl.u.SearchParams())
				}
				return impl.params
			}},
			attr("hash", (*weburl.URL).Hash, (*weburl.URL).SetHash),
		},
		Methods: []Method{
			{Name: "toString", Fn: href},
			{Name: "toJSON", Fn: href},
		},
	})

	r.DefineInterface(InterfaceSpec{
		Name: "URLSearchParams",
		Construct: func(c *Call) any {
			if !c.Has(0) {
				return weburl.NewSearchParams("")
			}
			init := c.Arg(0)
			if _, isObj := init.(*goja.Object); isObj {
				if _, ok := r.IsIterable(init); ok {
					var pairs []weburl.Pair
					for _, item := range r.Sequence(init, "URLSearchParams") {
						p := r.Sequence(item, "URLSearchParams pair")
						if len(p) != 2 {
							r.TypeError("URLSearchParams: each pair must have exactly 2 items, not %d", len(p))
						}
						pairs = append(pairs, weburl.Pair{Name: r.USVString(p[0]), Value: r.USVString(p[1])})
					}
					return weburl.SearchParamsFromPairs(pairs)
				}
				var pairs []weburl.Pair
				for _, kv := range r.Record(init, func(k goja.Value) goja.Value { return r.vm.ToValue(r.USVString(k)) },
					func(v goja.Value) goja.Value { return r.vm.ToValue(r.USVString(v)) }) {
					pairs = append(pairs, weburl.Pair{Name: kv[0].String(), Value: kv[1].String()})
				}
				return weburl.SearchParamsFromPairs(pairs)
			}
			return weburl.NewSearchParams(strings.TrimPrefix(r.USVString(init), "?"))
		},
		Attrs: []Attr{
			{Name: "size", Get: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*weburl.SearchParams).Size()) }},
		},
		Methods: []Method{
			{Name: "append", Length: 2, Fn: func(c *Call) goja.Value {
				r.need(c, 2, "URLSearchParams.append")
				c.Impl.(*weburl.SearchParams).Append(r.USVString(c.Arg(0)), r.USVString(c.Arg(1)))
				return nil
			}},
			{Name: "delete", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "URLSearchParams.delete")
				c.Impl.(*weburl.SearchParams).Delete(r.USVString(c.Arg(0)), r.optUSV(c, 1))
				return nil
			}},
			{Name: "get", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "URLSearchParams.get")
				v, ok := c.Impl.(*weburl.SearchParams).Get(r.USVString(c.Arg(0)))
				if !ok {
					return goja.Null()
				}
				return r.vm.ToValue(v)
			}},
			{Name: "getAll", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "URLSearchParams.getAll")
				var out []any
				for _, v := range c.Impl.(*weburl.SearchParams).GetAll(r.USVString(c.Arg(0))) {
					out = append(out, v)
				}
				return r.vm.NewArray(out...)
			}},
			{Name: "has", Length: 1, Fn: func(c *Call) goja.Value {
				r.need(c, 1, "URLSearchParams.has")
				return r.vm.ToValue(c.Impl.(*weburl.SearchParams).Has(r.USVString(c.Arg(0)), r.optUSV(c, 1)))
			}},
			{Name: "set", Length: 2, Fn: func(c *Call) goja.Value {
				r.need(c, 2, "URLSearchParams.set")
				c.Impl.(*weburl.SearchParams).Set(r.USVString(c.Arg(0)), r.USVString(c.Arg(1)))
				return nil
			}},
			{Name: "sort", Fn: func(c *Call) goja.Value { c.Impl.(*weburl.SearchParams).Sort(); return nil }},
			{Name: "toString", Fn: func(c *Call) goja.Value { return r.vm.ToValue(c.Impl.(*weburl.SearchParams).String()) }},
		},
		Pairs: func(impl any) [][2]goja.Value {
			entries := impl.(*weburl.SearchParams).Entries()
			out := make([][2]goja.Value, len(entries))
			for i, p := range entries {
				out[i] = [2]goja.Value{r.vm.ToValue(p.Name), r.vm.ToValue(p.Value)}
			}
			return out
		},
	})
}

// need throws the WebIDL TypeError for too few arguments.
func (r *Runtime) need(c *Call, n int, what string) {
	if len(c.Args) < n {
		r.TypeError("%s: %d argument(s) required, but only %d present", what, n, len(c.Args))
	}
}

func (r *Runtime) optUSV(c *Call, i int) *string {
	if !c.Has(i) {
		return nil
	}
	s := r.USVString(c.Arg(i))
	return &s
}

// BaseURL returns the Runtime's location parsed, the base for relative
// URLs in fetch, Request and Response.redirect.
func (r *Runtime) BaseURL() *weburl.URL {
	u, err := weburl.Parse(r.cfg.location, nil)
	if err != nil {
		return nil
	}
	return u
}
