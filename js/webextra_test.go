package js

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runOut runs src as a script, then the loop, and returns the global out.
func runOut(t *testing.T, src string) string {
	t.Helper()
	rt := New(WithConsole(&bytes.Buffer{}))
	defer rt.Close()
	if _, err := rt.RunScript("t.js", src); err != nil {
		t.Fatal(err)
	}
	if err := rt.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rt.VM().Get("out").String()
}

func TestWebExtras(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("hello from Go"))
	w.Close()
	gzB64 := base64.StdEncoding.EncodeToString(gz.Bytes())
	tests := []struct{ name, src, want string }{
		{"TextDecoderStream", `var out = "";
			const ds = new TextDecoderStream();
			const w = ds.writable.getWriter();
			w.write(new Uint8Array([0x68, 0xE2, 0x82])); w.write(new Uint8Array([0xAC, 0x21])); w.close();
			(async () => { for await (const s of ds.readable) out += "[" + s + "]"; out += ds.encoding + ds.fatal; })();`,
			"[h][€!]utf-8false"},
		{"TextDecoderStream bad label", `var out; try { new TextDecoderStream("nope"); } catch (e) { out = e.name; }`, "RangeError"},
		{"TextEncoderStream split surrogate", `var out = "";
			const es = new TextEncoderStream();
			const w = es.writable.getWriter();
			w.write("a\uD83D"); w.write("\uDE00"); w.write("\uD800"); w.close();
			(async () => { for await (const b of es.readable) out += "[" + Array.from(b).join() + "]"; })();`,
			"[97][240,159,152,128][239,191,189]"},
		{"compression round trip", `var out = "";
			(async () => {
				for (const f of ["gzip", "deflate", "deflate-raw"]) {
					const text = "abc".repeat(1000);
					const z = new Blob([text]).stream().pipeThrough(new CompressionStream(f));
					const zbytes = new Uint8Array(await new Response(z).arrayBuffer());
					const back = await new Response(new Blob([zbytes]).stream().pipeThrough(new DecompressionStream(f))).text();
					out += f + ":" + (back === text) + (zbytes.length < 100) + " ";
				}
			})();`, "gzip:truetrue deflate:truetrue deflate-raw:truetrue "},
		{"decompress Go gzip", `var out = "";
			const bytes = Uint8Array.from(Array.from(atob("` + gzB64 + `")), c => c.charCodeAt(0));
			new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(t => out = t);`,
			"hello from Go"},
		{"decompress errors", `var out = "";
			(async () => {
				for (const input of [[1, 2, 3], [0x1f, 0x8b]]) {
					try { await new Response(new Blob([new Uint8Array(input)]).stream().pipeThrough(new DecompressionStream("gzip"))).text(); out += "ok "; }
					catch (e) { out += e.name + " "; }
				}
			})();`, "TypeError TypeError "},
		{"bad format", `var out; try { new CompressionStream("brotli"); } catch (e) { out = e.name; }`, "TypeError"},
		{"toStringTag", `var out = [new TextDecoderStream(), new TextEncoderStream(), new CompressionStream("gzip"), navigator].map(o => Object.prototype.toString.call(o)).join();`,
			"[object TextDecoderStream],[object TextEncoderStream],[object CompressionStream],[object Navigator]"},
		{"navigator", `var out = typeof navigator.userAgent + (navigator.userAgent.length > 0) + (navigator instanceof Navigator) + (navigator.hardwareConcurrency > 0);`, "stringtruetruetrue"},
		{"navigator userAgent", `var out = navigator.userAgent;`, "wfetch"},
		{"reportError", `var out = ""; addEventListener("error", e => { out += e.error.message + "|" + e.message; e.preventDefault(); }); reportError(new Error("reported")); out += "|after";`,
			"reported|reported|after"},
		{"queueMicrotask", `var out = ""; queueMicrotask(() => out += "m"); out += "s";`, "sm"},
		{"Object.groupBy Map.groupBy", `const g = Object.groupBy([1, 2, 3, 4], x => x % 2 ? "odd" : "even"); const m = Map.groupBy([1, -0, 0], x => x);
			var out = JSON.stringify(g) + (Object.getPrototypeOf(g) === null) + m.get(0).length + Object.groupBy.length;`, `{"odd":[1,3],"even":[2,4]}true22`},
		{"Promise.withResolvers", `var out = ""; const {promise, resolve} = Promise.withResolvers(); promise.then(v => out = v); resolve("resolved");`, "resolved"},
		{"Array.fromAsync", `var out = ""; async function* g() { yield 1; yield Promise.resolve(2); }
			(async () => { out = (await Array.fromAsync(g())).join() + "|" + (await Array.fromAsync([Promise.resolve(3), 4], x => x * 2)).join() + "|" + (await Array.fromAsync({length: 2, 0: "a", 1: "b"})).join(); })();`,
			"1,2|6,8|a,b"},
		{"isWellFormed toWellFormed", `var out = "a\uD800".isWellFormed() + "|" + "a\uD83D\uDE00".isWellFormed() + "|" + ("x\uDC00".toWellFormed() === "x\uFFFD");`, "false|true|true"},
		{"Symbol.dispose with using", `var out = ""; { using r = { [Symbol.dispose]() { out += "disposed"; } }; out += "body,"; }`, "body,disposed"},
		{"Symbol.asyncIterator", `var out = typeof Symbol.asyncIterator + String(Symbol.asyncIterator) + (typeof ReadableStream.prototype[Symbol.asyncIterator]);`,
			"symbolSymbol(Symbol.asyncIterator)function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, runOut(t, tc.src)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}
