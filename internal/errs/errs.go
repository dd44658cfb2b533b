// Package errs defines the error kinds that the Fetch Standard and its
// neighbours throw (TypeError, RangeError, SyntaxError, DOMException names
// such as AbortError and TimeoutError) as Go error values, plus the
// NetworkError that carries why a fetch failed.
//
// Every wfetch package returns these, and the public packages re-export them
// as type aliases (fetch.TypeError, ...), so callers use errors.As and
// errors.Is without importing an internal package:
//
//	var te *fetch.TypeError
//	if errors.As(err, &te) { ... }
//	if errors.Is(err, fetch.ErrAbort) { ... }
package errs

import (
	"errors"
	"fmt"
	"time"
)

// TypeError is ECMAScript's TypeError: the wrong kind of value, a used body,
// a forbidden operation, or (wrapping a *NetworkError) a failed fetch.
type TypeError struct {
	Message string
	Err     error // the cause, if any (JS "cause")
}

func (e *TypeError) Error() string { return joinMsg("TypeError", e.Message, e.Err) }
func (e *TypeError) Unwrap() error { return e.Err }

// RangeError is ECMAScript's RangeError: a number or enum out of range
// (a Response status outside 200–599, a non-redirect status for Redirect).
type RangeError struct {
	Message string
	Err     error
}

func (e *RangeError) Error() string { return joinMsg("RangeError", e.Message, e.Err) }
func (e *RangeError) Unwrap() error { return e.Err }

// SyntaxError is ECMAScript's SyntaxError: JSON that does not parse.
type SyntaxError struct {
	Message string
	Err     error
}

func (e *SyntaxError) Error() string { return joinMsg("SyntaxError", e.Message, e.Err) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// DOMException is WebIDL's DOMException. Name is the exception's name
// ("AbortError", "TimeoutError", "InvalidStateError", ...). Two
// DOMExceptions match under errors.Is when their names are equal, so
// errors.Is(err, ErrAbort) finds any AbortError in a chain.
type DOMException struct {
	Name    string
	Message string
	Err     error
}

func (e *DOMException) Error() string {
	return joinMsg(e.Name, e.Message, e.Err)
}
func (e *DOMException) Unwrap() error { return e.Err }

// Is reports whether target is a DOMException with the same name.
func (e *DOMException) Is(target error) bool {
	t, ok := target.(*DOMException)
	return ok && t.Name == e.Name
}

// Code returns the legacy numeric code of the exception's name, or 0.
// https://webidl.spec.whatwg.org/#idl-DOMException-error-names
func (e *DOMException) Code() int { return domExceptionCodes[e.Name] }

var domExceptionCodes = map[string]int{
	"IndexSizeError": 1, "HierarchyRequestError": 3, "WrongDocumentError": 4,
	"InvalidCharacterError": 5, "NoModificationAllowedError": 7, "NotFoundError": 8,
	"NotSupportedError": 9, "InvalidStateError": 11, "SyntaxError": 12,
	"InvalidModificationError": 13, "NamespaceError": 14, "InvalidAccessError": 15,
	"TypeMismatchError": 17, "SecurityError": 18, "NetworkError": 19, "AbortError": 20,
	"URLMismatchError": 21, "QuotaExceededError": 22, "TimeoutError": 23,
	"InvalidNodeTypeError": 24, "DataCloneError": 25,
}

// Sentinels for errors.Is. They match any DOMException of the same name.
var (
	ErrAbort        = &DOMException{Name: "AbortError"}
	ErrTimeout      = &DOMException{Name: "TimeoutError"}
	ErrInvalidState = &DOMException{Name: "InvalidStateError"}
	ErrNotSupported = &DOMException{Name: "NotSupportedError"}
)

// NewAbortError returns the default reason of an aborted signal.
func NewAbortError(msg string) *DOMException {
	if msg == "" {
		msg = "signal is aborted without reason"
	}
	return &DOMException{Name: "AbortError", Message: msg}
}

// NewTimeoutError returns the reason of a signal aborted by a timeout.
func NewTimeoutError(msg string) *DOMException {
	if msg == "" {
		msg = "signal timed out"
	}
	return &DOMException{Name: "TimeoutError", Message: msg}
}

// TypeErrorf builds a TypeError; a %w verb in format becomes its cause.
func TypeErrorf(format string, args ...any) *TypeError {
	m, cause := format2(format, args...)
	return &TypeError{Message: m, Err: cause}
}

// RangeErrorf builds a RangeError; a %w verb in format becomes its cause.
func RangeErrorf(format string, args ...any) *RangeError {
	m, cause := format2(format, args...)
	return &RangeError{Message: m, Err: cause}
}

// SyntaxErrorf builds a SyntaxError; a %w verb in format becomes its cause.
func SyntaxErrorf(format string, args ...any) *SyntaxError {
	m, cause := format2(format, args...)
	return &SyntaxError{Message: m, Err: cause}
}

// NetworkReason says why a fetch ended in a network error.
type NetworkReason string

// The reasons a network error can have.
const (
	ReasonDNS           NetworkReason = "dns"            // the host name did not resolve
	ReasonConnect       NetworkReason = "connect"        // the TCP connection failed
	ReasonTLS           NetworkReason = "tls"            // the TLS handshake or certificate failed
	ReasonReset         NetworkReason = "reset"          // the connection broke mid-exchange
	ReasonProtocol      NetworkReason = "protocol"       // a malformed HTTP message
	ReasonBadEncoding   NetworkReason = "bad-encoding"   // a content coding failed to decode
	ReasonCORS          NetworkReason = "cors"           // a CORS check failed
	ReasonRedirect      NetworkReason = "redirect"       // redirect mode error, limit reached, bad Location
	ReasonIntegrity     NetworkReason = "integrity"      // subresource integrity mismatch
	ReasonAborted       NetworkReason = "aborted"        // the request's signal aborted it
	ReasonScheme        NetworkReason = "scheme"         // a URL scheme that cannot be fetched
	ReasonBlocked       NetworkReason = "blocked"        // blocked by policy (bad port, mixed content, mode)
	ReasonContentLength NetworkReason = "content-length" // conflicting or wrong Content-Length
	ReasonCache         NetworkReason = "cache"          // only-if-cached with no cached response
	// ReasonTimeout: a timeout option of the client ran out; the cause is a
	// *TimeoutError naming the phase.
	ReasonTimeout NetworkReason = "timeout"
	// ReasonHeaderTooLarge: the response header section (or an interim
	// response's) exceeded the client's limit.
	ReasonHeaderTooLarge NetworkReason = "header-too-large"
	// ReasonBadChunk: malformed chunked framing (a chunk size that is not
	// hex, overflows, or a chunk line or extensions too long).
	ReasonBadChunk NetworkReason = "bad-chunk"
	// ReasonTransferCoding: a Transfer-Encoding other than chunked.
	ReasonTransferCoding NetworkReason = "transfer-coding"
	// ReasonTooLarge: the decoded response body exceeded its size limit
	// (fetch.WithMaxBodySize, fetch.DefaultMaxDecodedBodySize).
	ReasonTooLarge NetworkReason = "too-large"
	// ReasonOther: none of the above (an unclassified transport error).
	ReasonOther NetworkReason = "other"
)

// TimeoutPhase names the stage of a fetch a timeout cut short.
type TimeoutPhase string

// The timeout phases, with the option that limits each.
const (
	PhaseDial    TimeoutPhase = "dial"    // TCP connect (WithDialTimeout)
	PhaseTLS     TimeoutPhase = "tls"     // TLS handshake (WithTLSHandshakeTimeout)
	PhaseSend    TimeoutPhase = "send"    // writing the request, body included (WithSendTimeout)
	PhaseHeaders TimeoutPhase = "headers" // waiting for the response headers (WithHeaderTimeout)
	PhaseBody    TimeoutPhase = "body"    // the response body stalled (WithBodyTimeout)
	PhaseTotal   TimeoutPhase = "total"   // the whole fetch, body included (WithTotalTimeout)
)

// TimeoutError says which timeout ended a fetch. It matches ErrTimeout
// under errors.Is (as a "TimeoutError" DOMException does) and reports
// Timeout() true, like net.Error. A network-phase timeout is the cause of a
// NetworkError with ReasonTimeout; a total timeout is the cause of the
// "TimeoutError" DOMException the fetch is aborted with.
type TimeoutError struct {
	Phase TimeoutPhase
	Limit time.Duration // the limit that ran out, 0 when unknown
	Err   error         // the transport's error, if any
}

func (e *TimeoutError) Error() string {
	s := "TimeoutError: " + string(e.Phase) + " timeout"
	if e.Limit > 0 {
		s += " (" + e.Limit.String() + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}
func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout reports true (net.Error).
func (e *TimeoutError) Timeout() bool { return true }

// Temporary reports false (net.Error).
func (e *TimeoutError) Temporary() bool { return false }

// Is matches ErrTimeout (any "TimeoutError" DOMException) and a
// TimeoutError of the same phase (or of no phase).
func (e *TimeoutError) Is(target error) bool {
	switch t := target.(type) {
	case *DOMException:
		return t.Name == "TimeoutError"
	case *TimeoutError:
		return t.Phase == "" || t.Phase == e.Phase
	}
	return false
}

// NetworkTimeout builds the network error of a timeout in phase.
func NetworkTimeout(phase TimeoutPhase, limit time.Duration, cause error, format string, args ...any) *TypeError {
	return Network(ReasonTimeout, &TimeoutError{Phase: phase, Limit: limit, Err: cause}, format, args...)
}

// NetworkError is a fetch's network error: the Fetch Standard's response of
// type "error". Fetch surfaces it to callers wrapped in a *TypeError, as
// fetch() does in JavaScript, so both errors.As targets work.
type NetworkError struct {
	Reason  NetworkReason
	Message string
	Err     error // the underlying Go error (net.OpError, x509 errors, ...)
}

func (e *NetworkError) Error() string {
	return joinMsg("network error ("+string(e.Reason)+")", e.Message, e.Err)
}
func (e *NetworkError) Unwrap() error { return e.Err }

// Is reports whether target is a NetworkError with the same reason, or with
// no reason set (which matches every NetworkError).
func (e *NetworkError) Is(target error) bool {
	t, ok := target.(*NetworkError)
	return ok && (t.Reason == "" || t.Reason == e.Reason) && t.Message == "" && t.Err == nil
}

// ErrNetwork matches any *NetworkError under errors.Is.
var ErrNetwork = &NetworkError{}

// Network builds a network error wrapped in the TypeError that fetch rejects
// with.
func Network(reason NetworkReason, cause error, format string, args ...any) *TypeError {
	return &TypeError{
		Message: "fetch failed",
		Err:     &NetworkError{Reason: reason, Message: fmt.Sprintf(format, args...), Err: cause},
	}
}

func joinMsg(kind, msg string, cause error) string {
	s := kind
	if msg != "" {
		s += ": " + msg
	}
	if cause != nil && !containsCause(msg, cause) {
		s += ": " + cause.Error()
	}
	return s
}

func containsCause(msg string, cause error) bool {
	c := cause.Error()
	return len(c) > 0 && len(msg) >= len(c) && msg[len(msg)-len(c):] == c
}

func format2(format string, args ...any) (string, error) {
	e := fmt.Errorf(format, args...)
	return e.Error(), errors.Unwrap(e)
}
