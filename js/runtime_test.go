package js

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// eval runs src, then the event loop, and returns globalThis.out as a
// string.
func eval(t *testing.T, src string) string {
	t.Helper()
	var console bytes.Buffer
	rt := New(WithLocation("http://web-platform.test:8000/fetch/api/basic/x.any.html?q#f"), WithConsole(&console))
	if _, err := rt.RunScript("test.js", src); err != nil {
		t.Fatalf("script: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		t.Fatalf("loop: %v", err)
	}
	return rt.VM().Get("out").String() + console.String()
}

func TestScripts(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"timers order", `var out = ""; setTimeout(() => out += "b", 2); setTimeout(() => out += "a", 0);
			Promise.resolve().then(() => out += "m"); queueMicrotask(() => out += "q");`, "mqab"},
		{"clearTimeout", `var out = "x"; const id = setTimeout(() => out += "bad", 0); clearTimeout(id);`, "x"},
		{"setInterval", `var out = 0; const id = setInterval(() => { if (++out === 3) clearInterval(id); }, 1);`, "3"},
		{"timer args", `var out; setTimeout((a, b) => out = a + b, 0, "x", "y");`, "xy"},
		{"self and window", `var out = self === globalThis && window === self && self instanceof EventTarget;`, "true"},
		{"location", `var out = [location.href, location.origin, location.pathname, location.search, location.hash, location.port].join("|");`,
			"http://web-platform.test:8000/fetch/api/basic/x.any.html?q#f|http://web-platform.test:8000|/fetch/api/basic/x.any.html|?q|#f|8000"},
		{"DOMException", `var e = new DOMException("m", "AbortError");
			var out = [e instanceof Error, e.name, e.message, e.code, DOMException.ABORT_ERR, Object.prototype.toString.call(e),
				String(e)].join("|");`, "true|AbortError|m|20|20|[object DOMException]|AbortError: m"},
		{"DOMException defaults", `var e = new DOMException(); var out = e.name + "|" + e.message + "|" + e.code;`, "Error||0"},
		{"constructor needs new", `var out; try { DOMException(); } catch (e) { out = e.constructor.name; }`, "TypeError"},
		{"brand check", `var out; try { Object.getOwnPropertyDescriptor(DOMException.prototype, "name").get.call({}); } catch (e) { out = e instanceof TypeError; }`, "true"},
		{"illegal constructor", `var out; try { new Window(); } catch (e) { out = e instanceof TypeError; }`, "true"},
		{"EventTarget", `var out = ""; const t = new EventTarget();
			const h = (e) => out += e.type + (e.target === t) + e.eventPhase;
			t.addEventListener("x", h); t.addEventListener("x", h); t.addEventListener("x", {handleEvent(e) { out += "o"; }}, {once: true});
			t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x")); t.removeEventListener("x", h); t.dispatchEvent(new Event("x"));`,
			"xtrue2oxtrue2"},
		{"preventDefault", `const t = new EventTarget(); t.addEventListener("x", e => e.preventDefault());
			var out = [t.dispatchEvent(new Event("x")), t.dispatchEvent(new Event("x", {cancelable: true}))].join();`, "true,false"},
		{"error event", `var out = ""; addEventListener("error", e => { out += e.message; e.preventDefault(); });
			setTimeout(() => { throw new Error("boom"); }, 0);`, "boom"},
		{"onerror handler", `var out = ""; onerror = (msg, src, line, col, err) => { out += msg + "|" + (err instanceof Error); return true; };
			setTimeout(() => { throw new Error("bad"); }, 0);`, "bad|true"},
		{"unhandledrejection", `var out = ""; addEventListener("unhandledrejection", e => out += e.reason);
			Promise.reject("r1"); Promise.reject("r2").catch(() => {});`, "r1"},
		{"TextEncoder", `var out = Array.from(new TextEncoder().encode("é\ud800")).join();`, "195,169,239,191,189"},
		{"encodeInto", `const u = new Uint8Array(3); const r = new TextEncoder().encodeInto("aé€", u); var out = r.read + "," + r.written;`, "2,3"},
		{"TextDecoder", `const d = new TextDecoder(); var out = d.decode(new Uint8Array([0xEF,0xBB,0xBF,0x68,0xE2,0x82])) + "|" +
			d.decode(new Uint8Array([0xE2]), {stream: true}) + d.decode(new Uint8Array([0x82, 0xAC]));`, "h\ufffd|€"},
		{"TextDecoder fatal", `var out; try { new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xFF])); } catch (e) { out = e.name; }`, "TypeError"},
		{"TextDecoder label", `var out = new TextDecoder(" UTF8 ").encoding + new TextDecoder("latin1").encoding + new TextDecoder("utf-16").decode(new Uint8Array([0x61, 0])); try { new TextDecoder("nope") } catch (e) { out += e.name }`, "utf-8windows-1252aRangeError"},
		{"structuredClone", `const o = {a: [1, {b: 2}], d: new Date(5), m: new Map([[1, 2]])}; o.self = o;
			const c = structuredClone(o); var out = [c !== o, c.self === c, c.a[1].b, c.d.getTime(), c.m.get(1), structuredClone(new DOMException("x", "AbortError")).name].join();`,
			"true,true,2,5,2,AbortError"},
		{"structuredClone function", `var out; try { structuredClone(() => 1); } catch (e) { out = e.name; }`, "DataCloneError"},
		{"atob btoa", `var out = btoa("hi\xff") + atob(" aGk= ");`, "aGn/hi"},
		{"Headers", `const h = new Headers({"B": "2", "a": "1"}); h.append("a", "3"); h.append("Set-Cookie", "x"); h.append("set-cookie", "y");
			var out = [...h].map(p => p.join("=")).join("&") + "|" + h.get("A") + "|" + h.get("z") + "|" + h.getSetCookie().join();
			try { h.append("bad name", "v"); } catch (e) { out += "|" + e.name; }
			try { Headers(); } catch (e) { out += "|" + e.name; }`, "a=1, 3&b=2&set-cookie=x&set-cookie=y|1, 3|null|x,y|TypeError|TypeError"},
		{"Headers iterator", `const h = new Headers([["a", "1"], ["c", "3"]]); const it = h.keys(); let out = it.next().value;
			h.append("b", "2"); out += it.next().value + it.next().value + it.next().done + Object.prototype.toString.call(it) +
			(Object.getPrototypeOf(Object.getPrototypeOf(it)) === Object.getPrototypeOf(Object.getPrototypeOf([].keys())));`,
			"abctrue[object Headers Iterator]true"},
		{"Headers forEach", `var out = ""; new Headers([["a", "1"]]).forEach(function (v, k, o) { out += k + v + (o instanceof Headers); });`, "a1true"},
		{"Headers ByteString", `var out; try { new Headers([["a", "\u0100"]]); } catch (e) { out = e.name; } out += new Headers([["a", "\u00ff"]]).get("a").charCodeAt(0);`, "TypeError255"},
		{"URL", `const u = new URL("../b?x=1#h", "http://EXAMPLE.com:80/a/c"); u.searchParams.append("y", "2");
			var out = [u.href, u.origin, u.host, u.search, u.searchParams.get("x"), u.searchParams === u.searchParams, URL.canParse("nope"), JSON.stringify(u)].join("|");
			try { new URL("nope"); } catch (e) { out += "|" + e.name; }`,
			`http://example.com/b?x=1&y=2#h|http://example.com|example.com|?x=1&y=2|1|true|false|"http://example.com/b?x=1&y=2#h"|TypeError`},
		{"URLSearchParams", `const p = new URLSearchParams("?a=1&b=2&a=3"); p.sort(); p.delete("b");
			var out = p.toString() + "|" + p.getAll("a") + "|" + p.size + "|" + new URLSearchParams({x: "é"}).toString() + "|" + [...new URLSearchParams([["k", "v"]]).entries()].join();
			try { new URLSearchParams([["a"]]); } catch (e) { out += "|" + e.name; }`, "a=1&a=3|1,3|2|x=%C3%A9|k,v|TypeError"},
		{"AbortController", `const c = new AbortController(); const s = c.signal; var out = "";
			s.onabort = e => out += "on:" + e.type + e.isTrusted;
			s.addEventListener("abort", () => out += "|listener");
			out += s.aborted; c.abort(); out += "|" + s.aborted + "|" + s.reason.name + (s.reason === s.reason) + "|" + (c.signal === s);
			try { s.throwIfAborted(); } catch (e) { out += "|" + (e === s.reason); }
			try { new AbortSignal(); } catch (e) { out += "|" + e.name; }`, "falseon:aborttrue|listener|true|AbortErrortrue|true|true|TypeError"},
		{"AbortSignal.any", `const c = new AbortController(); const a = AbortSignal.any([c.signal]); var out = "";
			a.onabort = () => out += "dep"; c.abort("why"); out += a.reason + (a.reason === c.signal.reason) + AbortSignal.abort().reason.name;`, "depwhytrueAbortError"},
		{"AbortSignal.timeout", `var out = ""; const s = AbortSignal.timeout(1); s.onabort = () => out = s.reason.name;`, "TimeoutError"},
		{"listener signal option", `var out = ""; const t = new EventTarget(); const c = new AbortController();
			t.addEventListener("x", () => out += "x", {signal: c.signal}); t.dispatchEvent(new Event("x")); c.abort(); t.dispatchEvent(new Event("x"));`, "x"},
		{"Request", `const r = new Request("../y?z", {method: "post", headers: {"X-A": "1"}, body: "hi"});
			var out = [r.method, r.url, r.headers.get("x-a"), r.headers.get("content-type"), r.mode, r.bodyUsed, r.headers === r.headers, r.signal.aborted].join("|");
			r.text().then(t => out += "|" + t + "|" + r.bodyUsed);`,
			"POST|http://web-platform.test:8000/fetch/api/y?z|1|text/plain;charset=UTF-8|cors|false|true|false|hi|true"},
		{"Request errors", `var out = ""; for (const init of [{method: "CONNECT"}, {mode: "bogus"}, {signal: {}}, {window: 1}]) {
			try { new Request("http://a/", init); out += "ok "; } catch (e) { out += e.name + " "; } }`, "TypeError TypeError TypeError TypeError "},
		{"Response", `const r = new Response("{\"a\":1}", {status: 201, statusText: "Made", headers: [["X", "y"]]});
			var out = [r.status, r.statusText, r.ok, r.type, r.headers.get("x"), r.bodyUsed].join("|");
			r.clone().json().then(j => out += "|" + j.a);
			try { new Response("", {status: 0}); } catch (e) { out += "|" + e.name; }`, "201|Made|true|default|y|false|RangeError|1"},
		{"Response statics", `var out = [Response.error().type, Response.error().status, Response.redirect("/x", 301).headers.get("location"),
			Response.json({k: [1]}).headers.get("content-type")].join("|");
			try { Response.redirect("/x", 200); } catch (e) { out += "|" + e.name; }
			Response.json({k: [1]}).text().then(t => out += "|" + t);`,
			`error|0|http://web-platform.test:8000/x|application/json|RangeError|{"k":[1]}`},
		{"body used twice", `const r = new Response("x"); var out = ""; r.text(); r.text().catch(e => out = e.name);`, "TypeError"},
		{"crypto", `const a = crypto.getRandomValues(new Uint8Array(8)); var out = (a.length === 8) + "|" + /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
			crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc")).then(d => out += "|" + Array.from(new Uint8Array(d).slice(0, 4)).join());`,
			"true|true|186,120,22,191"},
		{"performance", `const a = performance.now(); var out = (typeof a === "number" && a >= 0 && performance.now() >= a && performance.timeOrigin > 0);`, "true"},
		{"CustomEvent", `const t = new EventTarget(); var out; t.addEventListener("c", e => out = String(e.detail.x) + (e instanceof Event)); t.dispatchEvent(new CustomEvent("c", {detail: {x: 1}}));`, "1true"},
		{"timer clamping", `var out = 0; let depth = 0; const start = performance.now();
			(function next() { if (++depth < 10) setTimeout(next, 0); else out = (performance.now() - start >= 16); })();`, "true"},
		{"toStringTag", `var out = Object.prototype.toString.call(new EventTarget()) + Object.prototype.toString.call(new TextEncoder());`, "[object EventTarget][object TextEncoder]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, eval(t, tc.src)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestRefKeepsLoopAlive(t *testing.T) {
	rt := New()
	settle := rt.Ref()
	go func() {
		time.Sleep(2 * time.Millisecond)
		settle(func() { rt.VM().Set("out", "done") })
	}()
	if err := rt.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rt.VM().Get("out").String(); got != "done" {
		t.Errorf("out = %q, want done", got)
	}
}

func TestWeakTimeoutDoesNotHoldTheLoop(t *testing.T) {
	rt := New()
	defer rt.Close()
	if _, err := rt.RunScript("t.js", `var s = AbortSignal.timeout(60000);`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rt.Run(ctx); err != nil {
		t.Fatalf("Run waited for an AbortSignal.timeout nobody listens to: %v", err)
	}
}

func TestRunInterruptsOnTimeout(t *testing.T) {
	rt := New()
	if _, err := rt.RunScript("t.js", `setTimeout(() => { for (;;) {} }, 0)`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := rt.Run(ctx); err == nil {
		t.Fatal("Run returned nil for a script that never ends")
	}
}

func TestRunScripts(t *testing.T) {
	var console bytes.Buffer
	rt := New(WithConsole(&console))
	err := rt.RunScripts(
		Script{"a.js", `var out = ""; addEventListener("error", e => { out += "[" + e.message + "]"; e.preventDefault(); });
			Promise.resolve().then(() => out += "micro");`},
		Script{"b.js", `out += "b"; throw new Error("boom");`},
		Script{"c.js", `out += "c"; (`},
		Script{"d.js", `"use strict"; out += "d" + (function () { return this === undefined; })();`},
	)
	if err != nil {
		t.Fatal(err)
	}
	got := rt.VM().Get("out").String()
	if !strings.HasPrefix(got, "b[boom][") || !strings.HasSuffix(got, "]dtruemicro") {
		t.Errorf("out = %q, want b[boom][SyntaxError...]dtruemicro", got)
	}
}
