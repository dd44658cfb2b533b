package js

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestConsoleFormat compares console output with what Node.js 20 prints
// for the same calls.
func TestConsoleFormat(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"primitives", `console.log([1.5, -0, NaN, Infinity], [true, false], "plain", 12, undefined, null, 10n, Symbol("q"))`,
			"[ 1.5, -0, NaN, Infinity ] [ true, false ] plain 12 undefined null 10n Symbol(q)\n"},
		{"collections", `console.log(new Uint8Array([1,2,3]), new Map([["a",1]]), new Set([1,"2"]), {a:{b:{c:{d:1}}}}, [undefined, , null])`,
			"Uint8Array(3) [ 1, 2, 3 ] Map(1) { 'a' => 1 } Set(2) { 1, '2' } { a: { b: { c: [Object] } } } [ undefined, <1 empty item>, null ]\n"},
		{"grouped array", `console.log(Array.from({length: 30}, (_, i) => i))`,
			"[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,\n   9, 10, 11, 12, 13, 14, 15, 16, 17,\n  18, 19, 20, 21, 22, 23, 24, 25, 26,\n  27, 28, 29\n]\n"},
		{"object kinds", `console.log({e: 1, s: "it's", n: -0, big: 10n, sym: Symbol("q"), f(){}, g: class X{}, h: async () => {}})`,
			"{\n  e: 1,\n  s: \"it's\",\n  n: -0,\n  big: 10n,\n  sym: Symbol(q),\n  f: [Function: f],\n  g: [class X],\n  h: [AsyncFunction: h]\n}\n"},
		{"circular", `const o = {x: 1}; o.self = o; console.log(o)`, "<ref *1> { x: 1, self: [Circular *1] }\n"},
		{"specifiers", `console.log("%s is %d years and %i, %f, %j %o %O %c|%%", "Bob", 42.5, 42.5, "1.5", {a:1}, [1], {b:2}, "color: red", "extra", 5)`,
			"Bob is 42.5 years and 42, 1.5, {\"a\":1} [ 1, [length]: 1 ] { b: 2 } |% extra 5\n"},
		{"%s of objects", `console.log("%s|%s|%s|%s", {a: 1}, [1, [2, [3]]], null, 5n, "rest", {r: 1})`, "{ a: 1 }|[ 1, [Array] ]|null|5n rest { r: 1 }\n"},
		{"%d conversions", `console.log("%d|%i|%f|%d", "42", "3.9", "x", {})`, "42|3|NaN|NaN\n"},
		{"builtins", `console.log(new ArrayBuffer(3), Promise.resolve(4), new Date(0), /x/g, [function foo(){}], Object.create(null))`,
			"ArrayBuffer { [Uint8Contents]: <00 00 00>, byteLength: 3 } Promise { 4 } 1970-01-01T00:00:00.000Z /x/g [ [Function: foo] ] [Object: null prototype] {}\n"},
		{"line breaking", `console.log({ longlonglonglongkey1: "value number one", longlonglonglongkey2: "value number two", k3: 3 })`,
			"{\n  longlonglonglongkey1: 'value number one',\n  longlonglonglongkey2: 'value number two',\n  k3: 3\n}\n"},
		{"class instances and keys", `class Point { constructor() { this.x = 1; this.y = 2; } }
			console.log(new Point(), { 'a-b': 1, [Symbol('s')]: 2, get g() { return 1 }, 3: 'num' })`,
			"Point { x: 1, y: 2 } { '3': 'num', 'a-b': 1, g: [Getter], [Symbol(s)]: 2 }\n"},
		{"group count assert", `console.group("G"); console.log("inside"); console.group(); console.log({a:1,b:[1,2]}); console.groupEnd(); console.groupEnd(); console.log("out");
			console.count(); console.count(); console.count("x"); console.assert(false, "bad %s", "thing"); console.assert(false); console.assert(true, "no")`,
			"G\n  inside\n    { a: 1, b: [ 1, 2 ] }\nout\ndefault: 1\ndefault: 2\nx: 1\nAssertion failed: bad thing\nAssertion failed\n"},
		{"table", `console.table([{a:1,b:'x'},{a:22,c:true}]); console.table(["p","q"])`,
			"┌─────────┬────┬─────┬──────┐\n│ (index) │ a  │ b   │ c    │\n├─────────┼────┼─────┼──────┤\n│ 0       │ 1  │ 'x' │      │\n│ 1       │ 22 │     │ true │\n└─────────┴────┴─────┴──────┘\n" +
				"┌─────────┬────────┐\n│ (index) │ Values │\n├─────────┼────────┤\n│ 0       │ 'p'    │\n│ 1       │ 'q'    │\n└─────────┴────────┘\n"},
		{"dir depth", `console.dir({a: {b: {c: {d: {e: 1}}}}}, {depth: 0}); console.dir({a: {b: {c: {d: {e: 1}}}}}, {depth: null})`,
			"{ a: [Object] }\n{\n  a: {\n    b: { c: { d: { e: 1 } } }\n  }\n}\n"},
		{"Headers URLSearchParams URL Blob", `console.log(new URLSearchParams("a=1&b=2"), new Headers({"content-type": "text/plain", "x-a": "b"}), new Blob(["abc"]))
			console.log(new URL("https://example.com/a?b=1#c"))`,
			"URLSearchParams { 'a' => '1', 'b' => '2' } Headers { 'content-type': 'text/plain', 'x-a': 'b' } Blob { size: 3, type: '' }\n" +
				"URL {\n  href: 'https://example.com/a?b=1#c',\n  origin: 'https://example.com',\n  protocol: 'https:',\n  username: '',\n  password: '',\n  host: 'example.com',\n  hostname: 'example.com',\n  port: '',\n  pathname: '/a',\n  search: '?b=1',\n  searchParams: URLSearchParams { 'b' => '1' },\n  hash: '#c'\n}\n"},
		{"Response", `console.log(new Response("x", {status: 201, headers: {"x-a": "1"}}))`,
			"Response {\n  type: 'default',\n  url: '',\n  redirected: false,\n  status: 201,\n  ok: true,\n  statusText: '',\n  headers: Headers { 'content-type': 'text/plain;charset=UTF-8', 'x-a': '1' },\n  body: ReadableStream { locked: false },\n  bodyUsed: false\n}\n"},
		{"Request signal", `console.log(new Request("https://a.test/").signal)`, "AbortSignal { aborted: false }\n"},
		{"DOMException and aborted signal", `const c = new AbortController(); c.abort(); console.log(new DOMException("x", "AbortError"), c.signal)`,
			"DOMException [AbortError]: x AbortSignal { aborted: true }\n"},
		{"error subclass with own name", `class Foo extends Error { constructor(m) { super(m); this.name = "Foo"; } }
			console.log(new Foo("custom"))`, "Foo: custom\n    at t.js:1:49\n    at t.js:2:16\n"},
		{"error with props", `const e = new Error("with code"); e.code = "E_X"; console.log(e)`, "Error: with code\n    at t.js:1:11 {\n  code: 'E_X'\n}\n"},
		{"error cause nested", `console.log({err: new Error("outer", {cause: "why"})})`, "{\n  err: Error: outer\n      at t.js:1:19 {\n    [cause]: 'why'\n  }\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			rt := New(WithConsole(&out))
			defer rt.Close()
			if _, err := rt.RunScript("t.js", tc.src); err != nil {
				t.Fatal(err)
			}
			if err := rt.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, out.String()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestConsoleStreamsAndTimers(t *testing.T) {
	var out, errOut bytes.Buffer
	rt := New(WithConsole(&out))
	rt.cfg.consoleErr = &errOut
	defer rt.Close()
	src := `console.log("out"); console.warn("warn"); console.error("err", {a: 1});
console.time("t"); console.timeLog("t", "mid"); console.timeEnd("t"); console.timeEnd("t");
function inner() { console.trace("here %d", 1); }
inner();`
	if _, err := rt.RunScript("t.js", src); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "out\nt: ") || !strings.Contains(got, "ms mid\nt: ") {
		t.Errorf("stdout = %q", got)
	}
	want := "warn\nerr { a: 1 }\nWarning: No such label 't' for console.timeEnd()\nTrace: here 1\n    at inner (t.js:3:"
	if got := errOut.String(); !strings.HasPrefix(got, want) || !strings.Contains(got, "\n    at t.js:4:") {
		t.Errorf("stderr = %q, want prefix %q", got, want)
	}
}
