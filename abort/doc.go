// Package abort implements AbortController and AbortSignal (including
// AbortSignal.Timeout and AbortSignal.Any) and bridges them with
// context.Context.
//
// Spec: https://dom.spec.whatwg.org/#interface-abortcontroller
package abort
