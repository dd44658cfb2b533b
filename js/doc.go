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
// # Globals
//
// self, window, globalThis (a Window, which is an EventTarget), location,
// console, setTimeout/setInterval/clearTimeout/clearInterval,
// queueMicrotask, structuredClone, atob/btoa, crypto (getRandomValues,
// randomUUID, subtle.digest), performance (now, timeOrigin), DOMException,
// Event, CustomEvent, EventTarget, TextEncoder, TextDecoder, Headers, URL,
// URLSearchParams, AbortController, AbortSignal, Request, Response, fetch,
// XMLHttpRequest, XMLHttpRequestUpload, ProgressEvent, and (in files of
// their own) Blob,
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
//   - Request uses a browser-like environment (origin of the location) unless
//     WithServerEnvironment is given.
package js
