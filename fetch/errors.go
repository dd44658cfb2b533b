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
	// TimeoutError names the phase a timeout ended (the cause of a
	// NetworkError of reason "timeout", or of the "TimeoutError"
	// DOMException of WithTotalTimeout). It matches ErrTimeout.
	TimeoutError = errs.TimeoutError
	// TimeoutPhase is a TimeoutError's phase.
	TimeoutPhase = errs.TimeoutPhase
)

// The reasons of a NetworkError (see the package documentation).
const (
	ReasonDNS            = errs.ReasonDNS
	ReasonConnect        = errs.ReasonConnect
	ReasonTLS            = errs.ReasonTLS
	ReasonReset          = errs.ReasonReset
	ReasonProtocol       = errs.ReasonProtocol
	ReasonBadEncoding    = errs.ReasonBadEncoding
	ReasonCORS           = errs.ReasonCORS
	ReasonRedirect       = errs.ReasonRedirect
	ReasonIntegrity      = errs.ReasonIntegrity
	ReasonAborted        = errs.ReasonAborted
	ReasonScheme         = errs.ReasonScheme
	ReasonBlocked        = errs.ReasonBlocked
	ReasonContentLength  = errs.ReasonContentLength
	ReasonCache          = errs.ReasonCache
	ReasonTimeout        = errs.ReasonTimeout
	ReasonHeaderTooLarge = errs.ReasonHeaderTooLarge
	ReasonBadChunk       = errs.ReasonBadChunk
	ReasonTransferCoding = errs.ReasonTransferCoding
	ReasonTooLarge       = errs.ReasonTooLarge
	ReasonOther          = errs.ReasonOther
)

// The timeout phases, with the option that limits each.
const (
	PhaseDial    = errs.PhaseDial    // WithDialTimeout
	PhaseTLS     = errs.PhaseTLS     // WithTLSHandshakeTimeout
	PhaseSend    = errs.PhaseSend    // WithSendTimeout
	PhaseHeaders = errs.PhaseHeaders // WithHeaderTimeout
	PhaseBody    = errs.PhaseBody    // WithBodyTimeout
	PhaseTotal   = errs.PhaseTotal   // WithTotalTimeout
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
