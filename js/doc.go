// Package js is a JavaScript host for Web APIs on github.com/dop251/goja: an
// HTML-style event loop (tasks, timers, microtasks) and WebIDL bindings for
// the wfetch implementation, so JavaScript that uses fetch, Headers, URL,
// AbortController, Blob, ReadableStream and friends runs unchanged inside a
// Go program.
//
// A Runtime owns one goja.Runtime. All JavaScript runs on the goroutine that
// calls Runtime.Run (the loop); other goroutines hand results back with
// Runtime.Post or the settle function from Runtime.Ref.
//
//	rt := js.New(js.WithLocation("https://example.test/"))
//	if _, err := rt.RunScript("main.js", src); err != nil { ... }
//	if err := rt.Run(ctx); err != nil { ... }
//
// The bindings follow the WebIDL standard (https://webidl.spec.whatwg.org/):
// interface objects that throw when called without new, brand checks on
// every operation and attribute, argument conversion (DOMString, USVString,
// ByteString, sequences, records, dictionaries), pair iterators with the
// %IteratorPrototype%, and Symbol.toStringTag.
package js
