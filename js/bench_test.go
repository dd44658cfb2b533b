package js

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkNew measures creating a Runtime with all bindings (the runner
// makes one per test file).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		rt := New()
		rt.Close()
	}
}

// BenchmarkHeadersScript measures a script that builds and iterates
// Headers through the bindings.
func BenchmarkHeadersScript(b *testing.B) {
	rt := New()
	defer rt.Close()
	const src = `(() => { const h = new Headers({a: "1"}); for (let i = 0; i < 100; i++) h.append("x-" + (i % 10), "v"); let n = 0; for (const [k, v] of h) n += k.length + v.length; return n; })()`
	for b.Loop() {
		if _, err := rt.RunScript("bench.js", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimers measures 1000 zero-delay timers through the event loop.
func BenchmarkTimers(b *testing.B) {
	rt := New()
	defer rt.Close()
	for b.Loop() {
		if _, err := rt.RunScript("bench.js", `for (let i = 0; i < 1000; i++) setTimeout(() => {}, 0);`); err != nil {
			b.Fatal(err)
		}
		if err := rt.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunFile is the cost of `wfetch run` on a one-line fetch module:
// bundling, a new Runtime, the fetch and the loop.
func BenchmarkRunFile(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "one.js")
	if err := os.WriteFile(p, []byte(`const r = await fetch("data:,hello"); await r.text();`), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := RunFile(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTransformLowered is the cost of lowering a script goja cannot
// parse (an async generator and for await) with esbuild, uncached; a script
// goja parses is never transformed.
func BenchmarkTransformLowered(b *testing.B) {
	i := 0
	for b.Loop() {
		i++
		src := `async function* g() { yield 1; } (async () => { for await (const v of g()) {} })(); var n = ` + strconv.Itoa(i) + `;`
		if _, err := compileClassic("bench.js", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompilePlain is compileClassic on a script goja parses as is
// (the path every WPT script takes).
func BenchmarkCompilePlain(b *testing.B) {
	src := `(async () => { const r = await fetch("data:,x"); return r.text(); })();`
	for b.Loop() {
		if _, err := compileClassic("bench.js", src); err != nil {
			b.Fatal(err)
		}
	}
}
