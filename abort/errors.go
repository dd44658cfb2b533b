package abort

import "github.com/wfetch/wfetch/internal/errs"

// DOMException is the error type of the reasons this package makes itself
// (AbortError, TimeoutError), shared by all wfetch packages.
type DOMException = errs.DOMException

// Sentinels for errors.Is: they match any DOMException of the same name.
var (
	// ErrAbort matches the default abort reason ("AbortError").
	ErrAbort = errs.ErrAbort
	// ErrTimeout matches the reason of Timeout and of a context whose
	// deadline passed ("TimeoutError").
	ErrTimeout = errs.ErrTimeout
)
