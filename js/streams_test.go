package js

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runJS runs src and the loop, and returns globalThis.out as a string,
// followed by anything written to the console.
func runJS(t *testing.T, src string) string {
	t.Helper()
	var console bytes.Buffer
	rt := New(WithLocation("http://web-platform.test:8000/x.html"), WithConsole(&console))
	if _, err := rt.RunScript("test.js", src); err != nil {
		t.Fatalf("script: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		t.Fatalf("loop: %v (out so far: %v)", err, rt.VM().Get("out"))
	}
	return rt.VM().Get("out").String() + console.String()
}

type jsCase struct{ name, src, want string }

func runCases(t *testing.T, tests []jsCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runJS(t, tc.src)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadableStream(t *testing.T) {
	runCases(t, []jsCase{
		{"read loop", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); }});
			const rd = rs.getReader();
			(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value; } out += "|" + rs.locked; })();`,
			"ab|true"},
		{"pull", `var out = ""; let n = 0;
			const rs = new ReadableStream({pull(c) { n++; if (n > 3) c.close(); else c.enqueue(n); }});
			const it = rs[Symbol.asyncIterator]();
			(async () => { for (;;) { const {value, done} = await it.next(); if (done) break; out += value; } out += "|" + rs.locked; })();`,
			"123|false"},
		{"async pull", `var out = ""; let n = 0;
			const rs = new ReadableStream({pull(c) { return new Promise(res => setTimeout(() => { n++; if (n > 2) c.close(); else c.enqueue(n); res(); }, 1)); }});
			(async () => { const rd = rs.getReader(); let r; while (!(r = await rd.read()).done) out += r.value; })();`,
			"12"},
		{"cancel reaches source", `var out = "";
			const rs = new ReadableStream({cancel(reason) { out += "cancel:" + reason; return new Promise(r => setTimeout(r, 1)); }});
			rs.cancel("why").then(v => out += "|done:" + v);`,
			"cancel:why|done:undefined"},
		{"reader cancel", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue(1); }, cancel(r) { out += "c" + r; }});
			const rd = rs.getReader(); rd.cancel(7).then(() => rd.read()).then(r => { out += "|" + r.done; return rd.closed; }).then(() => out += "|closed");`,
			"c7|true|closed"},
		{"error from start", `var out = ""; const err = new Error("boom");
			const rs = new ReadableStream({start(c) { c.error(err); }});
			rs.getReader().read().catch(e => out += (e === err));`,
			"true"},
		{"error from pull", `var out = ""; const err = new Error("boom");
			const rs = new ReadableStream({pull(c) { c.error(err); }});
			const rd = rs.getReader(); rd.read().catch(e => out += (e === err)); rd.closed.catch(e => out += "|" + (e === err));`,
			"|truetrue"},
		{"start throws", `var out; try { new ReadableStream({start() { throw new RangeError("x"); }}); } catch (e) { out = e.name; }`, "RangeError"},
		{"locked and getReader twice", `const rs = new ReadableStream(); rs.getReader(); var out = rs.locked;
			try { rs.getReader(); } catch (e) { out += e.name; }
			rs.cancel().catch(e => out += "|" + e.name);`, "trueTypeError|TypeError"},
		{"releaseLock rejects pending read", `var out = ""; const rs = new ReadableStream(); const rd = rs.getReader();
			rd.read().catch(e => out += e.name); rd.releaseLock(); rd.closed.catch(e => out += "|" + e.name); out += rs.locked;`,
			"false|TypeErrorTypeError"},
		{"tee", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue("x"); c.enqueue("y"); c.close(); }});
			const [a, b] = rs.tee();
			(async () => { for (const [n, s] of [["a", a], ["b", b]]) { const it = s.values(); for (;;) { const {value, done} = await it.next(); if (done) break; out += n + value; } } })();`,
			"axaybxby"},
		{"tee cancel both", `var out = "";
			const rs = new ReadableStream({cancel(r) { out += JSON.stringify(r); }});
			const [a, b] = rs.tee(); a.cancel(1); b.cancel(2);`,
			"[1,2]"},
		{"disturbed synchronously by read", `const rs = new ReadableStream(); const rd = rs.getReader(); rd.read().catch(() => {}); rd.releaseLock();
			var out = "x"; try { new Response(rs); } catch (e) { out = e.name; }`, "TypeError"},
		{"byte stream default reader", `var out = "";
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); }});
			rs.getReader().read().then(r => out += r.value.constructor.name + r.value.join());`,
			"Uint8Array1,2"},
		{"byob reader", `var out = "";
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); }});
			const rd = rs.getReader({mode: "byob"}); const buf = new ArrayBuffer(4);
			rd.read(new Uint8Array(buf, 1, 2)).then(r => { out += r.value.byteOffset + ":" + r.value.join() + ":" + buf.byteLength + ":" + r.value.buffer.byteLength; });`,
			"1:1,2:0:4"},
		{"byob min", `var out = "";
			const rs = new ReadableStream({type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.enqueue(new Uint8Array([2, 3])); c.enqueue(new Uint8Array([4, 5])); c.close(); }});
			const rd = rs.getReader({mode: "byob"});
			rd.read(new Uint8Array(4), {min: 3}).then(r => { out += r.value.join(); return rd.read(new Uint16Array(2)); })
				.then(r => { out += "|" + r.value.length + r.done; return rd.read(new Uint8Array(2), {min: 3}); }).catch(e => out += "|" + e.name);`,
			"1,2,3,4|0true|RangeError"},
		{"byob on default stream", `var out; try { new ReadableStream().getReader({mode: "byob"}); } catch (e) { out = e.name; }`, "TypeError"},
		{"from", `var out = ""; const rd = ReadableStream.from([1, Promise.resolve(2), 3]).getReader();
			(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value; } })();`, "123"},
		{"strategy", `var out = ""; new ReadableStream({start(c) { out += c.desiredSize; c.enqueue("ab"); out += c.desiredSize; }}, {highWaterMark: 4, size: s => s.length});
			try { new ReadableStream({}, {highWaterMark: -1}); } catch (e) { out += e.name; }
			out += new CountQueuingStrategy({highWaterMark: 3}).highWaterMark + "" + new ByteLengthQueuingStrategy({highWaterMark: 2}).size(new Uint8Array(5));`,
			"42RangeError35"},
		{"brand checks", `var out = "";
			try { ReadableStream.prototype.getReader.call({}); } catch (e) { out += e.name; }
			try { Object.getOwnPropertyDescriptor(ReadableStream.prototype, "locked").get.call({}); } catch (e) { out += e.name; }
			try { ReadableStream(); } catch (e) { out += e.name; }
			try { new ReadableStreamDefaultController(); } catch (e) { out += e.name; }
			out += Object.prototype.toString.call(new ReadableStream()) + Object.prototype.toString.call(new ReadableStream().getReader());`,
			"TypeErrorTypeErrorTypeErrorTypeError[object ReadableStream][object ReadableStreamDefaultReader]"},
		{"pull after start", `var out = ""; let calls = 0;
			new ReadableStream({start() { out += "s"; return new Promise(r => setTimeout(r, 1)); }, pull(c) { calls++; out += "p" + c.desiredSize; }});
			new ReadableStream({pull(c) { c.enqueue(1); out += "q" + c.desiredSize; }}, {highWaterMark: 2});
			setTimeout(() => out += "|" + calls, 10);`, "sq1q0p1|1"},
		{"closed settles with close", `var out = ""; let ctrl;
			const rs = new ReadableStream({start(c) { ctrl = c; }}); const rd = rs.getReader();
			rd.closed.then(() => out += "closed"); rd.read().then(r => out += "read" + r.done); ctrl.close(); out += "|";`, "|closedreadtrue"},
		{"pull once on start", `var out = ""; let n = 0; const sp = Promise.resolve();
			new ReadableStream({start() { return sp; }, pull() { n++; }});
			sp.then(() => { out += n; setTimeout(() => out += n, 5); });`, "11"},
		{"pull on read of empty stream", `var out = ""; let n = 0; const sp = Promise.resolve();
			const rs = new ReadableStream({start() { return sp; }, pull(c) { if (n > 0) c.enqueue(n); ++n; }});
			sp.then(() => { out += n; }).then(() => { const p = rs.getReader().read(); out += n; return p; }).then(r => out += n + ":" + r.value);`, "123:1"},
		{"pull on read of full stream", `var out = ""; let n = 0; const sp = Promise.resolve();
			const rs = new ReadableStream({start(c) { c.enqueue("a"); return sp; }, pull() { n++; }});
			sp.then(() => { out += n; const p = rs.getReader().read(); out += n; return p; }).then(r => { out += r.value; setTimeout(() => out += n, 5); });`, "01a1"},
		{"no pull when draining", `var out = ""; let n = 0, ctrl; const sp = Promise.resolve();
			const rs = new ReadableStream({start(c) { ctrl = c; return sp; }, pull() { n++; }}); const rd = rs.getReader();
			sp.then(() => { ctrl.enqueue("a"); ctrl.close(); return rd.read(); }).then(() => setTimeout(() => out += n, 5));`, "1"},
		{"close twice", `var out = ""; new ReadableStream({start(c) { c.close(); try { c.close(); } catch (e) { out += e.name; } try { c.enqueue(1); } catch (e) { out += e.name; } }});`,
			"TypeErrorTypeError"},
	})
}

func TestWritableAndPipes(t *testing.T) {
	runCases(t, []jsCase{
		{"writer", `var out = "";
			const ws = new WritableStream({write(c) { out += c; }, close() { out += "|closed"; }});
			const w = ws.getWriter(); w.write("a"); w.write("b"); w.close().then(() => w.closed).then(() => out += "|" + ws.locked);`,
			"ab|closed|true"},
		{"pipeTo", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue("x"); c.enqueue("y"); c.close(); }});
			const ws = new WritableStream({write(c) { out += c; }, close() { out += "|close"; }});
			rs.pipeTo(ws).then(v => out += "|" + v + rs.locked + ws.locked);`,
			"xy|close|undefinedfalsefalse"},
		{"pipeTo write error cancels source", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue(1); }, cancel(r) { out += "cancel:" + r.message; }});
			const ws = new WritableStream({write() { throw new Error("w"); }});
			rs.pipeTo(ws).catch(e => out += "|" + e.message);`,
			"cancel:w|w"},
		{"pipeThrough TransformStream", `var out = "";
			const rs = new ReadableStream({start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); }});
			const ts = new TransformStream({transform(chunk, c) { c.enqueue(chunk.toUpperCase()); }});
			const rd = rs.pipeThrough(ts).getReader();
			(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value; } out += Object.prototype.toString.call(ts); })();`,
			"AB[object TransformStream]"},
		{"writer backpressure and ready", `var out = ""; let release;
			const ws = new WritableStream({write(c) { out += "w" + c; return new Promise(r => release = r); }}, {highWaterMark: 2});
			const w = ws.getWriter(); out += w.desiredSize; w.write(1); out += w.desiredSize; w.write(2); out += w.desiredSize;
			let ready = false; w.ready.then(() => { ready = true; out += "|ready"; });
			setTimeout(() => { out += "|" + ready; release(); }, 2);`, "210w1|falsew2|ready"},
		{"sink error rejects writes and closed", `var out = ""; const e = new Error("x");
			const ws = new WritableStream({write() { return Promise.reject(e); }}); const w = ws.getWriter();
			w.write("a").catch(x => out += (x === e)); w.write("b").catch(x => out += (x === e)); w.closed.catch(x => out += "|closed" + (x === e));`,
			"truetrue|closedtrue"},
		{"writer releaseLock", `var out = ""; const ws = new WritableStream(); const w = ws.getWriter(); w.releaseLock();
			w.closed.catch(e => out += e.name); out += ws.locked; try { w.desiredSize; } catch (e) { out += e.name; }
			w.write("x").catch(e => out += "|" + e.name);`, "falseTypeErrorTypeError|TypeError"},
		{"abort", `var out = ""; const ws = new WritableStream({abort(r) { out += "abort:" + r; }}); const w = ws.getWriter();
			w.abort("why").then(() => out += "|ok"); w.closed.catch(e => out += "|closed:" + e); w.write(1).catch(e => out += "|write:" + e);`,
			"abort:why|closed:why|write:why|ok"},
		{"TransformStream flush and identity", `var out = "";
			const ts = new TransformStream({flush(c) { c.enqueue("end"); }}); const w = ts.writable.getWriter(); const rd = ts.readable.getReader();
			w.write("a"); w.close();
			(async () => { for (;;) { const {value, done} = await rd.read(); if (done) break; out += value + ","; } })();`, "a,end,"},
		{"TransformStream error", `var out = ""; const e = new Error("t");
			const ts = new TransformStream({transform() { throw e; }}); const w = ts.writable.getWriter();
			w.write("a").catch(x => out += "w" + (x === e)); ts.readable.getReader().read().catch(x => out += "r" + (x === e));`, "wtruertrue"},
		{"values preventCancel", `var out = ""; let cancelled = false;
			const rs = new ReadableStream({start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { cancelled = true; }});
			const it = rs.values({preventCancel: true});
			it.next().then(r => { out += r.value; return it.return("x"); }).then(r => { out += r.value + r.done + cancelled + rs.locked;
				const it2 = rs[Symbol.asyncIterator](); return it2.next().then(r => { out += r.value; return it2.return(); }); }).then(() => out += cancelled);`,
			"1xtruefalsefalse2true"},
		{"pipeTo disturbs synchronously", `const r = new Response(new ReadableStream({start(c) { c.close(); }})); r.body.pipeTo(new WritableStream({}, {highWaterMark: 0}));
			var out = r.bodyUsed;`, "true"},
	})
}

func TestPipeSignal(t *testing.T) {
	runCases(t, []jsCase{
		{"abort before", `var out = ""; const ac = new AbortController(); ac.abort("stop");
			const rs = new ReadableStream({cancel(r) { out += "cancel:" + r; }});
			const ws = new WritableStream({abort(r) { out += "|abort:" + r; }});
			rs.pipeTo(ws, {signal: ac.signal}).catch(e => out += "|" + e + rs.locked + ws.locked);`,
			"|abort:stopcancel:stop|stopfalsefalse"},
		{"abort during", `var out = ""; const ac = new AbortController();
			const rs = new ReadableStream({start(c) { c.enqueue("a"); }, cancel(r) { out += "|cancel:" + r.name; }});
			const ws = new WritableStream({write(c) { out += c; setTimeout(() => ac.abort(), 1); }, abort(r) { out += "|abort:" + r.name; }});
			rs.pipeTo(ws, {signal: ac.signal, preventAbort: true}).catch(e => out += "|" + e.name);`,
			"a|cancel:AbortError|AbortError"},
		{"controller signal", `var out = ""; let sig;
			const ws = new WritableStream({start(c) { sig = c.signal; }});
			ws.abort("r").then(() => out += sig.aborted + ":" + sig.reason + ":" + Object.prototype.toString.call(sig));`,
			"true:r:[object AbortSignal]"},
		{"bad signal", `var out = ""; new ReadableStream().pipeTo(new WritableStream(), {signal: {}}).catch(e => out += e.name);`, "TypeError"},
	})
}
