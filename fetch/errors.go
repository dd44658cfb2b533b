package fetch

import "github.com/wfetch/wfetch/internal/errs"

// Error kinds, re-exported so callers can use errors.As and errors.Is
// without importing an internal package.
type (
	// TypeError is ECMAScript's TypeError. A failed fetch is a TypeError
	// whose cause is a *NetworkError.
	TypeError = errs.TypeError
	// RangeError is ECMAScript's RangeError.
	RangeError = errs.RangeError
	// SyntaxError is ECMAScript's SyntaxError (bad JSON).
	SyntaxError = errs.SyntaxError
	// DOMException carries a DOMException name such as "AbortError".
	DOMException = errs.DOMException
	// NetworkError says why a fetch failed; see NetworkReason.
	NetworkError = errs.NetworkError
	// NetworkReason classifies a NetworkError.
	NetworkReason = errs.NetworkReason
)

// Sentinels for errors.Is.
var (
	// ErrAbort matches any AbortError.
	ErrAbort = errs.ErrAbort
	// ErrTimeout matches any TimeoutError.
	ErrTimeout = errs.ErrTimeout
	// ErrNetwork matches any NetworkError.
	ErrNetwork = errs.ErrNetwork
)
