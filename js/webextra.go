package js

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/dop251/goja"

	"github.com/wfetch/wfetch/fetch"
)

// installWebExtras defines TextEncoderStream and TextDecoderStream
// (https://encoding.spec.whatwg.org/#interface-textdecoderstream),
// CompressionStream and DecompressionStream
// (https://compression.spec.whatwg.org/), navigator
// (https://html.spec.whatwg.org/#the-navigator-object) and reportError
// (https://html.spec.whatwg.org/#dom-reporterror). The stream classes are
// TransformStreams built in JavaScript around Go codecs; their private
// fields make the accessors brand-checked.
func (r *Runtime) installWebExtras() {
	g := r.vm.GlobalObject()
	ua := fetch.DefaultUserAgent
	lang := "en-US"
	f, err := r.vm.RunProgram(webExtrasProgram())
	if err != nil {
		panic(err)
	}
	install, _ := goja.AssertFunction(f)
	host := r.vm.NewObject()
	host.Set("codec", r.fn("codec", 2, func(fc goja.FunctionCall) goja.Value {
		return r.newCodec(fc.Argument(0).String(), fc.Argument(1).ToBoolean())
	}))
	host.Set("userAgent", ua)
	host.Set("language", lang)
	host.Set("cores", runtime.NumCPU())
	host.Set("reportError", r.fn("reportError", 1, func(fc goja.FunctionCall) goja.Value {
		if len(fc.Arguments) < 1 {
			r.TypeError("reportError: 1 argument required")
		}
		r.reportUncaught(fc.Argument(0))
		return goja.Undefined()
	}))
	if _, err := install(goja.Undefined(), g, host); err != nil {
		panic(err)
	}
}

// newCodec returns {push(bytes) → Uint8Array, finish() → Uint8Array} for a
// compression format ("gzip", "deflate", "deflate-raw"); an unknown format
// is a TypeError. Errors in compressed data are TypeErrors, as the
// decompress and flush algorithms say.
// https://compression.spec.whatwg.org/#compress-and-enqueue-a-chunk
func (r *Runtime) newCodec(format string, decompress bool) goja.Value {
	switch format {
	case "gzip", "deflate", "deflate-raw":
	default:
		r.TypeError("%q is not a supported compression format", format)
	}
	o := r.vm.NewObject()
	var push func([]byte) ([]byte, error)
	var finish func() ([]byte, error)
	if decompress {
		in := newInflater(r.ctx, format)
		push, finish = in.push, in.finish
	} else {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch format {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		default:
			w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
		}
		take := func() []byte {
			b := append([]byte(nil), buf.Bytes()...)
			buf.Reset()
			return b
		}
		push = func(b []byte) ([]byte, error) {
			if _, err := w.Write(b); err != nil {
				return nil, err
			}
			return take(), nil
		}
		finish = func() ([]byte, error) {
			if err := w.Close(); err != nil {
				return nil, err
			}
			return take(), nil
		}
	}
	out := func(b []byte, err error) goja.Value {
		if err != nil {
			r.TypeError("%s: %v", format, err)
		}
		return r.NewUint8Array(b)
	}
	o.Set("push", r.fn("push", 1, func(fc goja.FunctionCall) goja.Value {
		b, ok := r.BufferSourceBytes(fc.Argument(0))
		if !ok {
			r.TypeError("the chunk is not a BufferSource")
		}
		return out(push(append([]byte(nil), b...)))
	}))
	o.Set("finish", r.fn("finish", 0, func(goja.FunctionCall) goja.Value { return out(finish()) }))
	return o
}

// inflater decompresses pushed chunks as they come: a goroutine reads the
// decompressor, whose input is a reader that hands it the chunks; push
// returns once the decompressor has consumed the chunk and is waiting for
// more (so all output it can produce is out), and finish once it ended.
type inflater struct {
	mu       sync.Mutex
	cond     *sync.Cond
	cur      []byte
	closed   bool // no more input (finish, or the Runtime closed)
	starving bool // the decompressor waits for input
	done     bool // the decompressor ended
	err      error
	out      []byte
	stop     func() bool
}

func newInflater(ctx context.Context, format string) *inflater {
	in := &inflater{}
	in.cond = sync.NewCond(&in.mu)
	in.stop = context.AfterFunc(ctx, func() {
		in.mu.Lock()
		in.closed = true
		in.cond.Broadcast()
		in.mu.Unlock()
	})
	go in.run(format)
	return in
}

func (in *inflater) run(format string) {
	var zr io.Reader
	var err error
	src := feeder{in}
	switch format {
	case "gzip":
		var gz *gzip.Reader
		if gz, err = gzip.NewReader(src); err == nil {
			gz.Multistream(false)
			zr = gz
		}
	case "deflate":
		zr, err = zlib.NewReader(src)
	default:
		zr = flate.NewReader(src)
	}
	buf := make([]byte, 32*1024)
	for err == nil {
		var n int
		n, err = zr.Read(buf)
		in.mu.Lock()
		in.out = append(in.out, buf[:n]...)
		in.mu.Unlock()
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	in.mu.Lock()
	in.done, in.err = true, err
	in.cond.Broadcast()
	in.mu.Unlock()
}

// feeder is the decompressor's input.
type feeder struct{ in *inflater }

func (f feeder) Read(p []byte) (int, error) {
	in := f.in
	in.mu.Lock()
	defer in.mu.Unlock()
	for len(in.cur) == 0 && !in.closed {
		in.starving = true
		in.cond.Broadcast()
		in.cond.Wait()
	}
	if len(in.cur) == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, in.cur)
	in.cur = in.cur[n:]
	return n, nil
}

// errTrailing is the error for input after the end of the compressed data.
var errTrailing = errors.New("data after the end of the compressed stream")

func (in *inflater) push(b []byte) ([]byte, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.done {
		if in.err == nil && len(b) > 0 {
			in.err = errTrailing
		}
		return in.take(), in.err
	}
	in.cur = b
	in.starving = false
	in.cond.Broadcast()
	for !in.done && !(in.starving && len(in.cur) == 0) {
		in.cond.Wait()
	}
	if in.done && in.err == nil && len(in.cur) > 0 {
		in.err = errTrailing
	}
	return in.take(), in.err
}

func (in *inflater) finish() ([]byte, error) {
	in.stop()
	in.mu.Lock()
	defer in.mu.Unlock()
	in.closed = true
	in.cond.Broadcast()
	for !in.done {
		in.cond.Wait()
	}
	if errors.Is(in.err, io.ErrUnexpectedEOF) {
		in.err = errors.New("the compressed data is truncated")
	}
	return in.take(), in.err
}

func (in *inflater) take() []byte {
	b := in.out
	in.out = nil
	return b
}

// webExtrasProgram is webExtrasJS compiled once for all Runtimes.
var webExtrasProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("web-extras.js", webExtrasJS, true)
})

const webExtrasJS = `(function (g, host) {
	"use strict";
	const def = (o, props) => {
		for (const [k, v] of Object.entries(props)) Object.defineProperty(o, k, {value: v, writable: true, configurable: true});
	};
	const tag = (C, name) => Object.defineProperty(C.prototype, Symbol.toStringTag, {value: name, configurable: true});
	const expose = (name, C) => Object.defineProperty(g, name, {value: C, writable: true, configurable: true});

	class TextDecoderStream {
		#dec; #ts;
		constructor(label = "utf-8", options = {}) {
			const dec = new TextDecoder(label, options);
			this.#dec = dec;
			this.#ts = new TransformStream({
				transform(chunk, c) {
					const s = dec.decode(chunk, {stream: true});
					if (s !== "") c.enqueue(s);
				},
				flush(c) {
					const s = dec.decode();
					if (s !== "") c.enqueue(s);
				},
			});
		}
		get encoding() { return this.#dec.encoding; }
		get fatal() { return this.#dec.fatal; }
		get ignoreBOM() { return this.#dec.ignoreBOM; }
		get readable() { return this.#ts.readable; }
		get writable() { return this.#ts.writable; }
	}
	tag(TextDecoderStream, "TextDecoderStream");
	expose("TextDecoderStream", TextDecoderStream);

	// https://encoding.spec.whatwg.org/#encode-and-enqueue-a-chunk: a
	// high surrogate at the end of a chunk waits for the next one.
	class TextEncoderStream {
		#ts;
		constructor() {
			const enc = new TextEncoder();
			let pending = "";
			this.#ts = new TransformStream({
				transform(chunk, c) {
					let s = pending + String(chunk);
					pending = "";
					const last = s.charCodeAt(s.length - 1);
					if (last >= 0xD800 && last <= 0xDBFF) {
						pending = s.slice(-1);
						s = s.slice(0, -1);
					}
					if (s !== "") c.enqueue(enc.encode(s));
				},
				flush(c) {
					if (pending !== "") c.enqueue(new Uint8Array([0xEF, 0xBF, 0xBD]));
				},
			});
		}
		get encoding() { return "utf-8"; }
		get readable() { return this.#ts.readable; }
		get writable() { return this.#ts.writable; }
	}
	tag(TextEncoderStream, "TextEncoderStream");
	expose("TextEncoderStream", TextEncoderStream);

	const codecStream = (name, decompress) => {
		const C = class {
			#ts;
			constructor(format) {
				if (arguments.length < 1) throw new TypeError(name + ": 1 argument required");
				const codec = host.codec(String(format), decompress);
				this.#ts = new TransformStream({
					transform(chunk, c) {
						const out = codec.push(chunk);
						if (out.length > 0) c.enqueue(out);
					},
					flush(c) {
						const out = codec.finish();
						if (out.length > 0) c.enqueue(out);
					},
				});
			}
			get readable() { return this.#ts.readable; }
			get writable() { return this.#ts.writable; }
		};
		Object.defineProperty(C, "name", {value: name});
		tag(C, name);
		expose(name, C);
	};
	codecStream("CompressionStream", false);
	codecStream("DecompressionStream", true);

	class Navigator {
		constructor() { throw new TypeError("Illegal constructor"); }
		get userAgent() { return host.userAgent; }
		get language() { return host.language; }
		get languages() { return [host.language]; }
		get hardwareConcurrency() { return host.cores; }
		get onLine() { return true; }
	}
	tag(Navigator, "Navigator");
	expose("Navigator", Navigator);
	const nav = Object.create(Navigator.prototype);
	Object.defineProperty(g, "navigator", {get: function navigator() { return nav; }, configurable: true, enumerable: true});

	def(g, {reportError: host.reportError});

	// ES2024 library pieces goja lacks (the syntax is lowered by esbuild).
	// https://tc39.es/ecma262/#sec-object.groupby
	const groupBy = (items, callback, toKey) => {
		if (items === null || items === undefined) throw new TypeError("groupBy: items is null or undefined");
		if (typeof callback !== "function") throw new TypeError("groupBy: the callback is not a function");
		const groups = new Map();
		let k = 0;
		for (const v of items) {
			const key = toKey(callback(v, k++));
			const list = groups.get(key);
			if (list) list.push(v); else groups.set(key, [v]);
		}
		return groups;
	};
	if (typeof Object.groupBy !== "function") def(Object, {groupBy(items, callback) {
		const obj = Object.create(null);
		for (const [k, v] of groupBy(items, callback, k => typeof k === "symbol" ? k : String(k))) obj[k] = v;
		return obj;
	}});
	if (typeof Map.groupBy !== "function") def(Map, {groupBy(items, callback) {
		return groupBy(items, callback, k => Object.is(k, -0) ? 0 : k);
	}});
	// https://tc39.es/ecma262/#sec-promise.withResolvers
	if (typeof Promise.withResolvers !== "function") def(Promise, {withResolvers() {
		let resolve, reject;
		const promise = new this((a, b) => { resolve = a; reject = b; });
		return {promise, resolve, reject};
	}});
	// https://tc39.es/proposal-array-from-async/
	if (typeof Array.fromAsync !== "function") {
		const fromAsync = async function (items, mapfn = undefined, thisArg = undefined) {
			if (mapfn !== undefined && typeof mapfn !== "function") throw new TypeError("Array.fromAsync: mapfn is not a function");
			const C = typeof this === "function" ? this : Array;
			const out = C === Array ? [] : new C();
			let k = 0;
			const add = async v => {
				v = await v;
				if (mapfn !== undefined) v = await mapfn.call(thisArg, v, k);
				Object.defineProperty(out, k, {value: v, writable: true, enumerable: true, configurable: true});
				k++;
			};
			if (items === null || items === undefined) throw new TypeError("Array.fromAsync: items is null or undefined");
			const am = items[Symbol.asyncIterator];
			if (am !== undefined && am !== null) {
				const it = am.call(items);
				for (;;) {
					const r = await it.next();
					if (r.done) break;
					try { await add(r.value); } catch (e) { if (typeof it.return === "function") await it.return(); throw e; }
				}
			} else if (items[Symbol.iterator] !== undefined && items[Symbol.iterator] !== null) {
				for (const v of items) await add(v);
			} else {
				const o = Object(items), n = Math.min(Math.max(Math.trunc(Number(o.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
				for (let i = 0; i < n; i++) await add(o[i]);
			}
			out.length = k;
			return out;
		};
		Object.defineProperty(fromAsync, "name", {value: "fromAsync"});
		Object.defineProperty(fromAsync, "length", {value: 1});
		def(Array, {fromAsync});
	}
	// https://tc39.es/ecma262/#sec-string.prototype.iswellformed
	if (typeof String.prototype.isWellFormed !== "function") def(String.prototype, {
		isWellFormed() {
			if (this === null || this === undefined) throw new TypeError("String.prototype.isWellFormed called on null or undefined");
			const s = String(this);
			for (let i = 0; i < s.length; i++) {
				const c = s.charCodeAt(i);
				if (c >= 0xD800 && c <= 0xDBFF) {
					const d = s.charCodeAt(i + 1);
					if (d >= 0xDC00 && d <= 0xDFFF) { i++; continue; }
					return false;
				}
				if (c >= 0xDC00 && c <= 0xDFFF) return false;
			}
			return true;
		},
		toWellFormed() {
			if (this === null || this === undefined) throw new TypeError("String.prototype.toWellFormed called on null or undefined");
			const s = String(this);
			let out = "";
			for (let i = 0; i < s.length; i++) {
				const c = s.charCodeAt(i);
				if (c >= 0xD800 && c <= 0xDBFF) {
					const d = s.charCodeAt(i + 1);
					if (d >= 0xDC00 && d <= 0xDFFF) { out += s[i] + s[i + 1]; i++; continue; }
					out += "\uFFFD";
				} else if (c >= 0xDC00 && c <= 0xDFFF) out += "\uFFFD";
				else out += s[i];
			}
			return out;
		},
	});
	// Well-known symbols for explicit resource management (lowered using
	// declarations look them up here).
	for (const name of ["dispose", "asyncDispose"]) {
		if (Symbol[name] === undefined) Object.defineProperty(Symbol, name, {value: Symbol("Symbol." + name)});
	}
})`
