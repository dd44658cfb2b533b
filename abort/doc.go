// Package abort implements AbortController and AbortSignal (including
// AbortSignal.Timeout and AbortSignal.Any) and bridges them with
// context.Context.
//
// Spec: https://dom.spec.whatwg.org/#interface-abortcontroller
// (sections "Interface AbortController", "Interface AbortSignal" with its
// garbage collection rules, and "Using AbortController and AbortSignal
// objects in APIs").
//
// # Signals and controllers
//
// A [Controller] owns a [Signal] and aborts it with [Controller.Abort]. A
// signal's abort reason is a Go error: the one given to Abort, returned
// exactly as given, or a new "AbortError" [DOMException] when none was
// given. [Abort] makes an already aborted signal, [Timeout] one that aborts
// with a "TimeoutError" after a duration, and [Any] one that aborts when
// any of several signals does ("a dependent signal").
//
// Code that performs an abortable operation checks [Signal.ThrowIfAborted]
// (or [Signal.Aborted]) before starting and then observes the signal with
// [Signal.AddAlgorithm], [Signal.Done] or [Signal.Context]. User code may
// also listen for the "abort" event with [Signal.AddEventListener]. On
// abort, a signal runs its abort algorithms and then its event listeners,
// each once and in the order added, on the goroutine that aborts it; then
// the same for each signal that depends on it.
//
// # Concurrency
//
// Everything here is safe for concurrent use. No lock is held while a
// callback runs, so callbacks may call into this package freely. A nil
// *Signal is a valid signal that never aborts.
//
// # Memory
//
// As the spec says, a signal holds the signals that depend on it weakly,
// and a timer holds its Timeout signal strongly only while somebody waits
// for it; here a context holds its FromContext signal the same way. A
// signal is waited for while it has abort algorithms or event listeners,
// a Done channel has been handed out, or a signal made from it by Any is
// waited for. A signal nobody holds and nobody waits for is garbage
// collected: it disappears from its sources' lists (which are pruned as
// they grow), its timer is stopped and its context registration removed.
// So Any, Timeout and FromContext can be called any number of times with
// a long-lived signal or context. A signal that is waited for stays alive
// until it aborts, so its callbacks run and its Done channel closes even if
// nobody else holds it; remove callbacks that are no longer needed.
//
// # Contexts
//
// [FromContext] turns a context.Context into a signal (cancellation becomes
// an AbortError, a passed deadline a TimeoutError, a cancel cause of the
// caller's own is the reason itself), and [Signal.Context] turns a signal
// into a context whose cause is the signal's reason. Reasons survive the
// round trip unchanged.
//
// Tests can drive Timeout with the fake clock in package
// github.com/wfetch/wfetch/abort/aborttest.
package abort
