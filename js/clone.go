package js

import (
	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/internal/errs"
)

// cloneJS is structuredClone for the value kinds scripts pass around:
// primitives, wrappers, Date, RegExp, ArrayBuffer and views, Map, Set,
// errors, arrays and plain objects, with cycles kept. Platform objects go
// through host(), which clones serializable ones (DOMException, Blob, File)
// and throws a DataCloneError for the rest.
// https://html.spec.whatwg.org/#structuredserializeinternal
const cloneJS = `(function (host, dataCloneError) {
	return function structuredClone(value, options) {
		if (arguments.length < 1) throw new TypeError("structuredClone: 1 argument required");
		const memory = new Map();
		function clone(v) {
			const t = typeof v;
			if (t === "symbol") throw dataCloneError("a Symbol could not be cloned");
			if (t !== "object" && t !== "function") return v;
			if (v === null) return v;
			if (memory.has(v)) return memory.get(v);
			if (t === "function") throw dataCloneError("a function could not be cloned");
			let out;
			const tag = Object.prototype.toString.call(v);
			const h = host(v);
			if (h !== undefined) { memory.set(v, h); return h; }
			switch (tag) {
			case "[object Boolean]": out = Object(Boolean.prototype.valueOf.call(v)); break;
			case "[object Number]": out = Object(Number.prototype.valueOf.call(v)); break;
			case "[object String]": out = Object(String.prototype.valueOf.call(v)); break;
			case "[object BigInt]": out = Object(BigInt.prototype.valueOf.call(v)); break;
			case "[object Date]": out = new Date(Date.prototype.getTime.call(v)); break;
			case "[object RegExp]": out = new RegExp(v.source, v.flags); break;
			case "[object ArrayBuffer]": out = v.slice(0); break;
			case "[object DataView]":
				out = new DataView(clone(v.buffer), v.byteOffset, v.byteLength); break;
			case "[object Map]":
				out = new Map(); memory.set(v, out);
				for (const [k, x] of v) out.set(clone(k), clone(x));
				return out;
			case "[object Set]":
				out = new Set(); memory.set(v, out);
				for (const x of v) out.add(clone(x));
				return out;
			case "[object Error]": {
				let name = v.name;
				const ctors = {EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError};
				const C = ctors[name] || Error;
				out = Object.create(C.prototype);
				const desc = Object.getOwnPropertyDescriptor(v, "message");
				if (desc && "value" in desc) {
					Object.defineProperty(out, "message", {value: String(desc.value), writable: true, configurable: true});
				}
				if ("stack" in v) Object.defineProperty(out, "stack", {value: String(v.stack), writable: true, configurable: true});
				break;
			}
			case "[object Array]":
				out = new Array(v.length); memory.set(v, out);
				for (const k of Object.keys(v)) out[k] = clone(v[k]);
				return out;
			case "[object Object]":
				out = {}; memory.set(v, out);
				for (const k of Object.keys(v)) out[k] = clone(v[k]);
				return out;
			default:
				if (ArrayBuffer.isView(v)) {
					const C = Object.getPrototypeOf(Object.getPrototypeOf(v)).constructor === Object ? null : v.constructor;
					const buf = clone(v.buffer);
					out = new globalThis[tag.slice(8, -1)](buf, v.byteOffset, v.length);
					break;
				}
				throw dataCloneError(tag + " could not be cloned");
			}
			memory.set(v, out);
			return out;
		}
		return clone(value);
	};
})`

func (r *Runtime) installStructuredClone() {
	v, err := r.vm.RunString(cloneJS)
	if err != nil {
		panic(err)
	}
	mk, _ := goja.AssertFunction(v)
	host := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		b := r.brandOf(fc.Argument(0))
		if b == nil {
			return goja.Undefined()
		}
		switch x := b.impl.(type) {
		case *errs.DOMException:
			return r.NewDOMException(x.Message, x.Name)
		case cloner:
			return x.clone(r)
		}
		if b.iface.Name == "Window" {
			return goja.Undefined()
		}
		r.Throw(domErr("DataCloneError", b.iface.Name+" object could not be cloned"))
		return nil
	})
	dce := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		return r.NewDOMException(fc.Argument(0).String(), "DataCloneError")
	})
	sc, err := mk(goja.Undefined(), host, dce)
	if err != nil {
		panic(err)
	}
	r.vm.GlobalObject().Set("structuredClone", sc)
}

// cloner is implemented by serializable platform objects (Blob, File).
type cloner interface {
	clone(r *Runtime) goja.Value
}
