package js

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/fetch"
)

// writeFiles writes name → contents under a new temporary directory and
// returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runFile runs dir/entry with RunFile and returns the console output.
func runFile(t *testing.T, dir, entry string, opts ...Option) (string, error) {
	t.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := RunFile(ctx, filepath.Join(dir, entry), append([]Option{WithConsole(&out)}, opts...)...)
	return out.String(), err
}

func TestRunFileModules(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		entry string
		want  string
	}{
		{"import across files", map[string]string{
			"main.js":     `import { add, counter, bump } from "./lib/math.js"; import def from "./lib/def.mjs"; bump(); console.log(add(1, 2), counter, def);`,
			"lib/math.js": `export let counter = 0; export function bump() { counter++; } export const add = (a, b) => a + b;`,
			"lib/def.mjs": `export default "default!";`,
		}, "main.js", "3 1 default!\n"},
		{"top-level await", map[string]string{
			"main.js": `import { ready } from "./dep.js"; const v = await new Promise(r => setTimeout(() => r("tla"), 1)); console.log(v, ready);`,
			"dep.js":  `export const ready = await Promise.resolve("dep awaited");`,
		}, "main.js", "tla dep awaited\n"},
		{"dynamic import", map[string]string{
			"main.js": `console.log("before"); const m = await import("./lazy.js"); console.log(m.value, (await import("./lazy.js")) === m);`,
			"lazy.js": `console.log("lazy evaluated"); await null; export const value = 42;`,
		}, "main.js", "before\nlazy evaluated\n42 true\n"},
		{"TypeScript", map[string]string{
			"main.ts": `import { greet, type Who } from "./greet.mts";
enum Color { Red, Green }
const who: Who = { name: "ts" };
class Box<T> { constructor(private readonly v: T) {} get(): T { return this.v; } }
console.log(greet(who), Color.Green, new Box<number>(7).get());`,
			"greet.mts": `export interface Who { name: string }
export function greet(w: Who): string { return "hello " + w.name; }`,
		}, "main.ts", "hello ts 1 7\n"},
		{"async generators", map[string]string{
			"main.js": `async function* count(n) { for (let i = 0; i < n; i++) { await null; yield i; } }
const got = [];
for await (const v of count(3)) got.push(v);
async function* inner() { yield* count(2); yield "end"; }
for await (const v of inner()) got.push(v);
console.log(got.join(","));`,
		}, "main.js", "0,1,2,0,1,end\n"},
		{"import.meta and JSON", map[string]string{
			"main.js":   `import cfg from "./cfg.json"; console.log(cfg.k, import.meta.url.startsWith("file:///"), import.meta.url.endsWith("/main.js"), import.meta.resolve("./x.js").endsWith("/x.js"));`,
			"cfg.json":  `{"k": "v"}`,
			"other.txt": `unused`,
		}, "main.js", "v true true true\n"},
		{"using declarations", map[string]string{
			"main.js": `const log = []; { using r = { [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() { log.push("disposed"); } }; log.push("body"); } console.log(log.join(","));`,
		}, "main.js", "body,disposed\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			out, err := runFile(t, dir, tc.entry)
			if err != nil {
				t.Fatalf("RunFile: %v\noutput: %s", err, out)
			}
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got)\n%s", diff)
			}
		})
	}
}

// TestForAwaitResponseBody reads a response body chunk by chunk with for
// await, from a server that flushes each chunk.
func TestForAwaitResponseBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range []string{"one ", "two ", "three"} {
			fmt.Fprint(w, c)
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	dir := writeFiles(t, map[string]string{"main.js": fmt.Sprintf(`
const res = await fetch(%q);
const dec = new TextDecoder();
let text = "", chunks = 0;
for await (const chunk of res.body) { chunks++; text += dec.decode(chunk, {stream: true}); }
console.log(text, chunks > 0, res.bodyUsed);
const res2 = await fetch("data:,a%%20b");
for await (const c of res2.body.pipeThrough(new TextDecoderStream())) console.log(JSON.stringify(c));
`, srv.URL)})
	out, err := runFile(t, dir, "main.js")
	if err != nil {
		t.Fatalf("RunFile: %v\n%s", err, out)
	}
	if diff := cmp.Diff("one two three true true\n\"a b\"\n", out); diff != "" {
		t.Errorf("output (-want +got)\n%s", diff)
	}
}

func TestRunScriptModernSyntax(t *testing.T) {
	tests := []struct{ name, file, src, want string }{
		{"async generator", "a.js", `var out = ""; (async () => { async function* g() { yield 1; yield 2; } for await (const v of g()) out += v; })();`, "12"},
		{"for await over array of promises", "b.js", `var out = ""; (async () => { for await (const v of [Promise.resolve("x"), "y"]) out += v; })();`, "xy"},
		{"typescript script", "c.ts", `const n: number = 4; var out: string = String(n * 2);`, "8"},
		{"plain script stays global", "d.js", `async function* g() {} var out = typeof g;`, "function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rt := New()
			defer rt.Close()
			if _, err := rt.RunScript(tc.file, tc.src); err != nil {
				t.Fatal(err)
			}
			if err := rt.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rt.VM().Get("out").String()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestSourceMappedErrors checks that errors name the user's own files and
// lines, for lowered JavaScript, TypeScript and bundled modules.
func TestSourceMappedErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.ts": `import { fail } from "./lib.ts";
type T = { a: number };
const t: T = { a: 1 };
async function* g(): AsyncGenerator<number> { yield t.a; }
for await (const v of g()) {}
fail();
`,
		"lib.ts": `interface I { x: string }
export function fail(): never {
  throw new Error("failed here");
}
`,
	})
	_, err := runFile(t, dir, "main.ts")
	var ue *UncaughtError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want an *UncaughtError", err)
	}
	if ue.Rejection {
		t.Errorf("Rejection = true, want false (the module's evaluation threw)")
	}
	for _, want := range []string{"Error: failed here", "lib.ts:3:9", "main.ts:6:"} {
		if !strings.Contains(ue.Stack, want) {
			t.Errorf("stack %q lacks %q", ue.Stack, want)
		}
	}

	rt := New()
	defer rt.Close()
	_, err = rt.RunScript("s.js", "async function* g() {}\n\nthrow new TypeError('line three');")
	if err == nil || !strings.Contains(err.Error(), "s.js:3:") {
		t.Errorf("RunScript error = %v, want a position at s.js:3", err)
	}
}

func TestUnsettledTopLevelAwait(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.js": `console.log("start"); await new Promise(() => {}); console.log("never");`})
	out, err := runFile(t, dir, "main.js")
	if !errors.Is(err, ErrUnsettledTopLevelAwait) || out != "start\n" {
		t.Errorf("RunFile = %v, output %q; want ErrUnsettledTopLevelAwait after \"start\"", err, out)
	}
}

func TestCompileErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bad.js":      "const a = 1;\nconst = 2;\n",
		"missing.js":  `import "./nope.js";`,
		"computed.js": `const name = "./x.js"; await import(name);`,
	})
	for _, tc := range []struct{ entry, want string }{
		{"bad.js", "bad.js:2:"},
		{"missing.js", "nope.js"},
		{"computed.js", "import() of a computed specifier"},
	} {
		_, err := runFile(t, dir, tc.entry)
		var ce *CompileError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a *CompileError mentioning %q", tc.entry, err, tc.want)
		}
	}
	rt := New()
	defer rt.Close()
	if _, err := rt.RunScript("x.js", "for await (;;) {"); err == nil {
		t.Error("RunScript of a broken script succeeded")
	}
}

func TestUnhandledRejections(t *testing.T) {
	t.Run("Run returns an error by default", func(t *testing.T) {
		rt := New(WithConsole(&bytes.Buffer{}))
		defer rt.Close()
		if _, err := rt.RunScript("a.js", `setTimeout(() => { Promise.reject(new RangeError("nobody catches")); }, 0);`); err != nil {
			t.Fatal(err)
		}
		err := rt.Run(context.Background())
		var ue *UncaughtError
		if !errors.As(err, &ue) || !ue.Rejection || !strings.Contains(err.Error(), "RangeError: nobody catches") {
			t.Fatalf("Run = %v, want an *UncaughtError for the rejection", err)
		}
	})
	t.Run("RunScript returns it too", func(t *testing.T) {
		rt := New(WithConsole(&bytes.Buffer{}))
		defer rt.Close()
		_, err := rt.RunScript("a.js", `Promise.reject("r")`)
		var ue *UncaughtError
		if !errors.As(err, &ue) || !ue.Rejection {
			t.Fatalf("RunScript = %v, want an *UncaughtError", err)
		}
	})
	t.Run("a handler added in time", func(t *testing.T) {
		rt := New()
		defer rt.Close()
		if _, err := rt.RunScript("a.js", `const p = Promise.reject(1); p.catch(() => {});`); err != nil {
			t.Fatal(err)
		}
		if err := rt.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a listener takes care of it", func(t *testing.T) {
		rt := New()
		defer rt.Close()
		if _, err := rt.RunScript("a.js", `var seen; addEventListener("unhandledrejection", e => seen = e.reason); Promise.reject("r");`); err != nil {
			t.Fatal(err)
		}
		if err := rt.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := rt.VM().Get("seen").String(); got != "r" {
			t.Errorf("seen = %q", got)
		}
	})
	t.Run("ReportErrors only reports", func(t *testing.T) {
		var msgs []string
		rt := New(WithUnhandledRejections(ReportErrors), WithErrorReporter(func(m string) { msgs = append(msgs, m) }))
		defer rt.Close()
		if _, err := rt.RunScript("a.js", `Promise.reject(new Error("only reported")); var after = 1;`); err != nil {
			t.Fatal(err)
		}
		if err := rt.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "Uncaught (in promise) Error: only reported") {
			t.Errorf("reported %q", msgs)
		}
	})
	t.Run("RunFile: rejection in a timer", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"main.js": `setTimeout(() => fetch("nope://x"), 1); setTimeout(() => console.log("never"), 50);`})
		out, err := runFile(t, dir, "main.js")
		var ue *UncaughtError
		if !errors.As(err, &ue) || !ue.Rejection || !strings.Contains(err.Error(), "TypeError") {
			t.Fatalf("RunFile = %v, want an unhandled TypeError rejection", err)
		}
		if strings.Contains(out, "never") {
			t.Errorf("the run went on after the rejection: %q", out)
		}
	})
	t.Run("RunFile: uncaught exception in a timer", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"main.js": "setTimeout(() => {\n  null.x;\n}, 1);"})
		_, err := runFile(t, dir, "main.js")
		var ue *UncaughtError
		if !errors.As(err, &ue) || ue.Rejection || !strings.Contains(ue.Stack, "main.js:2:") {
			t.Fatalf("RunFile = %v, want an uncaught TypeError at main.js:2", err)
		}
	})
}

// TestRunFileOrigin checks the two environments: a server runtime by
// default (forbidden headers kept, no CORS), browser semantics with
// WithOrigin (forbidden headers dropped, CORS enforced).
func TestRunFileOrigin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "cookie=%s origin=%s", r.Header.Get("Cookie"), r.Header.Get("Origin"))
	}))
	defer srv.Close()
	src := fmt.Sprintf(`try {
  const r = await fetch(%q, {headers: {Cookie: "a=1"}});
  console.log(await r.text());
} catch (e) { console.log(e.name); }`, srv.URL)
	dir := writeFiles(t, map[string]string{"main.js": src})
	out, err := runFile(t, dir, "main.js", WithFetchClient(fetch.NewClient()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("cookie=a=1 origin=\n", out); diff != "" {
		t.Errorf("server runtime (-want +got)\n%s", diff)
	}
	out, err = runFile(t, dir, "main.js", WithOrigin("http://other.test"))
	if err != nil {
		t.Fatal(err)
	}
	// Cross-origin without CORS headers: a network error (TypeError).
	if diff := cmp.Diff("TypeError\n", out); diff != "" {
		t.Errorf("with origin (-want +got)\n%s", diff)
	}
	// file: URLs need a client made with file access.
	u := "file:///main.js" // under the root given to WithFileAccess
	dir2 := writeFiles(t, map[string]string{"f.js": fmt.Sprintf(`try { await fetch(%q); console.log("read"); } catch (e) { console.log(e.name); }`, u)})
	out, _ = runFile(t, dir2, "f.js")
	if out != "TypeError\n" {
		t.Errorf("file: without access: %q", out)
	}
	out, _ = runFile(t, dir2, "f.js", WithFetchClient(fetch.NewClient(fetch.WithFileAccess(dir))))
	if out != "read\n" {
		t.Errorf("file: with access: %q", out)
	}
}
