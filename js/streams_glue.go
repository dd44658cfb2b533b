package js

import (
	"github.com/dop251/goja"
)

// streamsGlueJS holds the stream pieces that are plain compositions of the
// public API, simpler to express in JavaScript: promise reactions for Go,
// the async iterator, ReadableStream.from, TransformStream and the
// queuing strategies. init receives the intrinsics it needs, captured
// before script can replace them.
const streamsGlueJS = `(function () {
	let RS, WS, getReader, read, releaseLock, cancelReader, asyncIterProto;
	const PromiseResolve = Promise.resolve.bind(Promise);
	const PromiseReject = Promise.reject.bind(Promise);
	const then = Function.prototype.call.bind(Promise.prototype.then);
	const call = Function.prototype.call.bind(Function.prototype.call);
	const iterState = new WeakMap();
	let iterProto;

	// https://streams.spec.whatwg.org/#rs-asynciterator
	function values(stream, options) {
		let preventCancel = false;
		if (options !== undefined && options !== null) {
			if (typeof options !== "object" && typeof options !== "function") {
				throw new TypeError("ReadableStream.values: options is not an object");
			}
			preventCancel = !!options.preventCancel;
		}
		const reader = call(getReader, stream);
		const st = {reader, preventCancel, ongoing: undefined, finished: false};
		const it = Object.create(iterProto);
		iterState.set(it, st);
		return it;
	}
	function nextSteps(st) {
		if (st.finished) return PromiseResolve({value: undefined, done: true});
		return then(call(read, st.reader), (res) => {
			if (res.done) {
				st.finished = true;
				call(releaseLock, st.reader);
				return {value: undefined, done: true};
			}
			return {value: res.value, done: false};
		}, (e) => {
			st.finished = true;
			call(releaseLock, st.reader);
			throw e;
		});
	}
	function returnSteps(st, value) {
		if (st.finished) return PromiseResolve({value, done: true});
		st.finished = true;
		if (!st.preventCancel) {
			const p = call(cancelReader, st.reader, value);
			call(releaseLock, st.reader);
			return then(p, () => ({value, done: true}));
		}
		call(releaseLock, st.reader);
		return PromiseResolve({value, done: true});
	}

	// https://streams.spec.whatwg.org/#rs-from
	function from(asyncIterable) {
		if (asyncIterable === null || asyncIterable === undefined) {
			throw new TypeError("ReadableStream.from: the argument is not iterable");
		}
		let it, next;
		const am = asyncIterable[Symbol.asyncIterator];
		if (am !== undefined && am !== null) {
			it = call(am, asyncIterable);
		} else {
			const sm = asyncIterable[Symbol.iterator];
			if (typeof sm !== "function") throw new TypeError("ReadableStream.from: the argument is not iterable");
			const sync = call(sm, asyncIterable);
			const snext = sync.next;
			it = {
				next() {
					const r = call(snext, sync);
					if (typeof r !== "object" || r === null) throw new TypeError("iterator result is not an object");
					return then(PromiseResolve(r.value), (v) => ({value: v, done: !!r.done}));
				},
				return(v) {
					const ret = sync.return;
					if (ret === undefined || ret === null) return PromiseResolve({value: v, done: true});
					return PromiseResolve(call(ret, sync, v));
				},
			};
		}
		if (typeof it !== "object" || it === null) throw new TypeError("ReadableStream.from: the iterator is not an object");
		next = it.next;
		return new RS({
			pull(c) {
				return then(PromiseResolve(call(next, it)), (r) => {
					if (typeof r !== "object" || r === null) throw new TypeError("iterator result is not an object");
					if (r.done) c.close(); else c.enqueue(r.value);
				});
			},
			cancel(reason) {
				const ret = it.return;
				if (ret === undefined || ret === null) return undefined;
				return then(PromiseResolve(call(ret, it, reason)), (r) => {
					if (typeof r !== "object" || r === null) throw new TypeError("iterator result is not an object");
				});
			},
		}, {highWaterMark: 0});
	}

	// https://streams.spec.whatwg.org/#ts-class (simplified: backpressure
	// from the readable side is not propagated to the writable side).
	const tsState = new WeakMap();
	const tscState = new WeakMap();
	function brand(map, o, what) {
		const s = map.get(o);
		if (s === undefined) throw new TypeError("Illegal invocation: " + what);
		return s;
	}
	// settle returns a promise of f's result, rejected when f throws.
	function settle(f) {
		try { return PromiseResolve(f()); } catch (e) { return PromiseReject(e); }
	}
	class TransformStreamDefaultController {
		constructor() { throw new TypeError("Illegal constructor"); }
		get desiredSize() { return brand(tscState, this, "desiredSize").rc.desiredSize; }
		enqueue(chunk) {
			const s = brand(tscState, this, "enqueue");
			try { s.rc.enqueue(chunk); } catch (e) { s.error(e); throw s.storedError !== undefined ? s.storedError : e; }
		}
		error(e) { brand(tscState, this, "error").error(e); }
		terminate() {
			const s = brand(tscState, this, "terminate");
			try { s.rc.close(); } catch (e) {}
			s.wc.error(new TypeError("TransformStream terminated"));
		}
	}
	class TransformStream {
		constructor(transformer, writableStrategy, readableStrategy) {
			if (transformer === null) transformer = undefined;
			if (transformer !== undefined && typeof transformer !== "object" && typeof transformer !== "function") {
				throw new TypeError("TransformStream: the transformer is not an object");
			}
			const t = transformer === undefined ? {} : transformer;
			const cancelFn = t.cancel, flush = t.flush;
			if (t.readableType !== undefined) throw new RangeError("TransformStream: readableType must be undefined");
			const start = t.start, transform = t.transform;
			if (t.writableType !== undefined) throw new RangeError("TransformStream: writableType must be undefined");
			for (const [n, f] of [["cancel", cancelFn], ["flush", flush], ["start", start], ["transform", transform]]) {
				if (f !== undefined && typeof f !== "function") throw new TypeError("TransformStream: " + n + " is not a function");
			}
			const ws = writableStrategy === undefined ? {highWaterMark: 1} : writableStrategy;
			const rs = readableStrategy === undefined ? {highWaterMark: 0} : readableStrategy;
			const ctrl = Object.create(TransformStreamDefaultController.prototype);
			const s = {rc: undefined, wc: undefined, storedError: undefined, errored: false};
			s.error = (e) => {
				if (s.errored) return;
				s.errored = true;
				s.storedError = e;
				try { s.rc.error(e); } catch (x) {}
				try { s.wc.error(e); } catch (x) {}
			};
			tscState.set(ctrl, s);
			let startPromise;
			const readable = new RS({
				start(c) { s.rc = c; return startPromise; },
				cancel(reason) {
					s.error(reason);
					if (cancelFn !== undefined) return call(cancelFn, t, reason);
				},
			}, rs);
			const writable = new WS({
				start(c) { s.wc = c; return startPromise; },
				write(chunk) {
					if (transform === undefined) { ctrl.enqueue(chunk); return; }
					return then(settle(() => call(transform, t, chunk, ctrl)), undefined, (e) => { s.error(e); throw e; });
				},
				close() {
					const p = flush === undefined ? PromiseResolve() : settle(() => call(flush, t, ctrl));
					return then(p, () => { if (!s.errored) { try { s.rc.close(); } catch (e) {} } }, (e) => { s.error(e); throw e; });
				},
				abort(reason) {
					s.error(reason);
					if (cancelFn !== undefined) return call(cancelFn, t, reason);
				},
			}, ws);
			startPromise = PromiseResolve(start === undefined ? undefined : call(start, t, ctrl));
			tsState.set(this, {readable, writable});
		}
		get readable() { return brand(tsState, this, "readable").readable; }
		get writable() { return brand(tsState, this, "writable").writable; }
	}
	Object.defineProperty(TransformStream.prototype, Symbol.toStringTag, {value: "TransformStream", configurable: true});
	Object.defineProperty(TransformStreamDefaultController.prototype, Symbol.toStringTag, {value: "TransformStreamDefaultController", configurable: true});

	// https://streams.spec.whatwg.org/#qs
	const qsState = new WeakMap();
	function strategy(name, sizeFn) {
		const size = {size: sizeFn}.size;
		Object.defineProperty(size, "name", {value: "size"});
		const C = class {
			constructor(init) {
				if (init === undefined || init === null || typeof init !== "object") {
					throw new TypeError(name + ": the init dictionary is required");
				}
				if (!("highWaterMark" in init)) throw new TypeError(name + ": highWaterMark is required");
				qsState.set(this, {hwm: Number(init.highWaterMark), C});
			}
			get highWaterMark() {
				const s = qsState.get(this);
				if (s === undefined || s.C !== C) throw new TypeError("Illegal invocation: highWaterMark");
				return s.hwm;
			}
			get size() {
				const s = qsState.get(this);
				if (s === undefined || s.C !== C) throw new TypeError("Illegal invocation: size");
				return size;
			}
		};
		Object.defineProperty(C, "name", {value: name});
		Object.defineProperty(C.prototype, Symbol.toStringTag, {value: name, configurable: true});
		return C;
	}

	return {
		// The reactions are script functions, so that the Go callbacks run
		// under a script frame (see inJS).
		whenSettled(v, onOK, onErr) { then(PromiseResolve(v), (x) => { onOK(x); }, (e) => { onErr(e); }); },
		run(f) { f(); },
		markHandled(p) { then(p, undefined, () => {}); },
		values,
		init(rs, ws, readerProto, aip) {
			RS = rs; WS = ws;
			Object.defineProperty(rs.prototype, Symbol.asyncIterator, {value: rs.prototype.values, writable: true, configurable: true});
			getReader = rs.prototype.getReader;
			read = readerProto.read;
			releaseLock = readerProto.releaseLock;
			cancelReader = readerProto.cancel;
			asyncIterProto = aip;
			iterProto = Object.create(aip, {
				next: {writable: true, configurable: true, value: function next() {
					const st = iterState.get(this);
					if (st === undefined) return Promise.reject(new TypeError("Illegal invocation: next"));
					const run = () => nextSteps(st);
					st.ongoing = st.ongoing === undefined ? run() : then(st.ongoing, run, run);
					return st.ongoing;
				}},
				return: {writable: true, configurable: true, value: function (value) {
					const st = iterState.get(this);
					if (st === undefined) return Promise.reject(new TypeError("Illegal invocation: return"));
					const run = () => returnSteps(st, value);
					st.ongoing = st.ongoing === undefined ? run() : then(st.ongoing, run, run);
					return st.ongoing;
				}},
			});
			Object.defineProperty(iterProto, Symbol.toStringTag, {value: "ReadableStream AsyncIterator", configurable: true});
			return {
				from,
				TransformStream,
				TransformStreamDefaultController,
				ByteLengthQueuingStrategy: strategy("ByteLengthQueuingStrategy", (chunk) => chunk.byteLength),
				CountQueuingStrategy: strategy("CountQueuingStrategy", () => 1),
			};
		},
	};
})()`

// installStreamExtras defines ReadableStream.from, TransformStream and
// the queuing strategies from the glue.
func (r *Runtime) installStreamExtras() {
	rs := r.Interface("ReadableStream")
	out, err := r.glue("init")(goja.Undefined(), rs.Ctor, r.Interface("WritableStream").Ctor,
		r.Interface("ReadableStreamDefaultReader").Proto, r.asyncIter)
	if err != nil {
		panic(err)
	}
	o := out.(*goja.Object)
	from := o.Get("from")
	from.(*goja.Object).DefineDataProperty("name", r.vm.ToValue("from"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	rs.Ctor.DefineDataProperty("from", from, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	g := r.vm.GlobalObject()
	for _, name := range []string{"TransformStream", "TransformStreamDefaultController", "ByteLengthQueuingStrategy", "CountQueuingStrategy"} {
		g.DefineDataProperty(name, o.Get(name), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}
