// Package js is a JavaScript host for Web APIs on github.com/dop251/goja: an
// HTML-style event loop (tasks, timers, microtasks) and WebIDL bindings for
// the wfetch implementation, so JavaScript that uses fetch, Headers, URL,
// AbortController, Blob, ReadableStream and friends runs unchanged inside a
// Go program.
//
// A Runtime owns one goja.Runtime. All JavaScript runs on the goroutine that
// calls RunScript, RunScripts or Run (the loop); other goroutines hand
// results back with Runtime.Post or the settle function from Runtime.Ref.
//
//	rt := js.New(js.WithLocation("https://example.test/"))
//	defer rt.Close()
//	if _, err := rt.RunScript("main.js", src); err != nil { ... }
//	if err := rt.Run(ctx); err != nil { ... }
//
// # Event loop
//
// Run takes tasks in order: posted tasks (results of Go work), then due
// timers, one task at a time; goja runs pending promise jobs (microtasks)
// when each task returns. After each task, promises rejected without a
// handler fire "unhandledrejection" on the global object
// (https://html.spec.whatwg.org/#notify-about-rejected-promises); an
// exception a task throws fires "error" (report the exception). Run
// returns when nothing is left to do (no tasks, timers or outstanding Ref;
// an AbortSignal.timeout timer counts only once script listens to it),
// on Stop, or when its context ends (interrupting a script that spins).
// RunScripts runs several scripts as one task, like the <script> elements
// of a page: microtasks run only after the last one.
//
// # Modern JavaScript, modules and TypeScript
//
// Every entry point accepts ES2024 syntax. RunScript and RunScripts hand a
// script to goja as written when goja parses it (no cost, exact
// positions); a script goja cannot parse (async generators, for await,
// using, decorators) or a .ts file is first transformed by esbuild's Go API
// (github.com/evanw/esbuild/pkg/api), which lowers only those features and
// strips types, with an inline source map so that stack traces show the
// original lines (transformations are cached by name and source).
// RunModule and RunFile bundle an ES module graph of local files with
// esbuild (static imports, import() of string literals, JSON, import.meta,
// top-level await, TypeScript) into one async function. RunFile is what
// `wfetch run` calls: a server runtime unless WithOrigin is given, with
// uncaught exceptions and unhandled rejections returned as *UncaughtError.
//
// # Console
//
// console follows Node's output: util.inspect-style formatting (depth 2,
// 80-column line breaking, grouped number arrays, circular references,
// errors with stacks and causes), platform objects shown by their
// attributes (Headers, URLSearchParams and FormData by their entries), the
// format specifiers %s %d %i %f %j %o %O %c %%, and table, dir, time,
// timeLog, timeEnd, count, countReset, assert, group, groupEnd and trace.
//
// # Globals
//
// self, window, globalThis (a Window, which is an EventTarget), location,
// console, setTimeout/setInterval/clearTimeout/clearInterval,
// queueMicrotask, reportError, navigator, structuredClone, atob/btoa, crypto (getRandomValues,
// randomUUID, subtle.digest), performance (now, timeOrigin), DOMException,
// Event, CustomEvent, EventTarget, TextEncoder, TextDecoder, Headers, URL,
// URLSearchParams, AbortController, AbortSignal, Request, Response, fetch,
// XMLHttpRequest, XMLHttpRequestUpload, ProgressEvent, TextEncoderStream,
// TextDecoderStream, CompressionStream, DecompressionStream,
// Symbol.asyncIterator, Symbol.dispose and Symbol.asyncDispose (which goja
// lacks), the ES2024 library functions goja lacks (Object.groupBy,
// Map.groupBy, Promise.withResolvers, Array.fromAsync,
// String.prototype.isWellFormed and toWellFormed), and (in files of their
// own) Blob,
// File, FormData, ReadableStream and its readers and controllers,
// WritableStream, TransformStream.
//
// # WebIDL (https://webidl.spec.whatwg.org/)
//
// DefineInterface builds an interface from an InterfaceSpec: an interface
// object that throws a TypeError when called without new (and "Illegal
// constructor" when the interface has none), a prototype whose operations
// and attribute accessors check their receiver's brand, constants,
// Symbol.toStringTag, and pair iterators (entries, keys, values, forEach,
// @@iterator) whose iterator objects inherit %IteratorPrototype%. The brand
// is the Go implementation behind a platform object, kept in a JavaScript
// WeakMap (so it does not keep objects alive); Impl reads it. Conversions:
// DOMString/USVString, ByteString (TypeError above U+00FF), sequences,
// records (own enumerable keys in order, as with proxies), dictionaries,
// enumerations, [EnforceRange] unsigned long long, BufferSource. Go errors
// map to JavaScript with ErrorValue: errs.TypeError → TypeError,
// errs.RangeError → RangeError, errs.DOMException → DOMException, a
// *JSError → the value it carries.
//
// # Deviations
//
//   - Strings reach Go as UTF-8, so lone surrogates in a DOMString become
//     U+FFFD (the USVString conversion is used for both).
//   - Events are not dispatched through a tree: every target is its own
//     path (no capture/bubble phases beyond "at target"). "error" and
//     "unhandledrejection" events are Event objects with the ErrorEvent and
//     PromiseRejectionEvent fields added as own properties.
//   - TextDecoder decodes legacy (non-UTF) encodings only when not
//     streaming (a streaming call buffers until the last one).
//   - structuredClone covers primitives, wrappers, Date, RegExp, ArrayBuffer
//     and views, Map, Set, errors, arrays, plain objects and serializable
//     platform objects; transfer is not supported.
//   - AbortSignal objects and the JavaScript values of Go errors are kept in
//     maps for the Runtime's lifetime (so the same signal is always the same
//     object, and signal.reason is stable).
//   - An unhandled rejection is taken care of by any "unhandledrejection"
//     listener (like a Node process handler), canceled or not.
//   - Modules are bundled: import() takes string literals of local files
//     only (no computed specifiers, no URLs), and all modules share one
//     evaluation (a module's top-level await delays the modules after it,
//     as in the spec, but cycles follow esbuild's ordering).
//   - Lowered code (async generators, for await) runs through esbuild's
//     helpers; a classic script that needs them gets its helper variables
//     (__asyncGenerator, __forAwait, ...) as globals.
//   - Stack columns of calls are goja's (the call's parenthesis, not the
//     callee's start as in V8). console.log of arrays with more than six
//     entries groups them like Node; long strings are not split.
//   - Float16Array is not provided (goja's typed arrays cannot be extended
//     faithfully from outside the engine).
//   - Request uses a browser-like environment (origin of the location) unless
//     WithServerEnvironment is given.
package js
