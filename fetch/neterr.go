package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/wfetch/wfetch/internal/errs"
)

// networkError maps an error from the transport (or from reading a response
// body) to the network error fetch reports: a *errs.TypeError wrapping an
// *errs.NetworkError whose Reason says what failed and whose cause is err
// (for a timeout, err or a *errs.TimeoutError wrapping it).
// what names the stage ("connect to example.com:443", "read body of ...").
func networkError(err error, what string) error {
	reason, msg, cause := classifyNetError(err)
	if what != "" {
		msg = what + ": " + msg
	}
	return errs.Network(reason, cause, "%s", msg)
}

// netErrorPatterns classify transport errors that net/http only tells
// apart by their text, in order.
var netErrorPatterns = []struct {
	substr string
	reason errs.NetworkReason
	msg    string
}{
	{"server response headers exceeded", errs.ReasonHeaderTooLarge, "response header section too large"},
	{"unsupported transfer encoding", errs.ReasonTransferCoding, "unsupported transfer coding"},
	// net/http's chunked reader (net/http/internal/chunked.go); a chunk
	// line longer than 4 KiB is "header line too long".
	{"malformed chunked encoding", errs.ReasonBadChunk, "malformed chunked encoding"},
	{"invalid byte in chunk length", errs.ReasonBadChunk, "bad chunk length"},
	{"empty hex number for chunk length", errs.ReasonBadChunk, "bad chunk length"},
	{"http chunk length too large", errs.ReasonBadChunk, "chunk length overflows"},
	{"chunked encoding contains too much non-data", errs.ReasonBadChunk, "chunk extensions too large"},
	{"header line too long", errs.ReasonBadChunk, "chunk line too long"},
	{"chunked line ends with bare LF", errs.ReasonBadChunk, "malformed chunked encoding"},
	{"invalid CR in chunked line", errs.ReasonBadChunk, "malformed chunked encoding"},
	{"too many 1xx informational responses", errs.ReasonProtocol, "too many interim (1xx) responses"},
	{"malformed MIME header", errs.ReasonProtocol, "malformed header line"},
	{"multiple Content-Length", errs.ReasonContentLength, "conflicting or invalid Content-Length"},
	{"invalid Content-Length", errs.ReasonContentLength, "conflicting or invalid Content-Length"},
	{"bad Content-Length", errs.ReasonContentLength, "conflicting or invalid Content-Length"},
}

// timeoutMessages describe a timeout of each phase.
var timeoutMessages = map[errs.TimeoutPhase]string{
	errs.PhaseDial:    "timed out connecting",
	errs.PhaseTLS:     "timed out in the TLS handshake",
	errs.PhaseSend:    "timed out sending the request (the server stopped reading)",
	errs.PhaseHeaders: "timed out waiting for the response headers",
	errs.PhaseBody:    "timed out waiting for response body data",
	errs.PhaseTotal:   "timed out",
	"":                "timed out",
}

// classifyNetError returns the NetworkReason for a Go network error, a
// short description, and the cause to record.
func classifyNetError(err error) (errs.NetworkReason, string, error) {
	var te *errs.TypeError
	if errors.As(err, &te) {
		var ne *errs.NetworkError
		if errors.As(te, &ne) {
			return ne.Reason, ne.Message, ne.Err
		}
	}
	// A timeout of a phase fetch knows (transport.go).
	var tmo *errs.TimeoutError
	if errors.As(err, &tmo) {
		return errs.ReasonTimeout, timeoutMessages[tmo.Phase], err
	}
	s := err.Error()
	// net/http's own timeouts, from a transport fetch did not build.
	switch {
	case strings.Contains(s, "TLS handshake timeout"):
		return errs.ReasonTimeout, timeoutMessages[errs.PhaseTLS], &errs.TimeoutError{Phase: errs.PhaseTLS, Err: err}
	case strings.Contains(s, "timeout awaiting response headers"):
		return errs.ReasonTimeout, timeoutMessages[errs.PhaseHeaders], &errs.TimeoutError{Phase: errs.PhaseHeaders, Err: err}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return errs.ReasonDNS, "DNS lookup failed", err
	}
	var certInvalid x509.CertificateInvalidError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var verifyErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	if errors.As(err, &verifyErr) || errors.As(err, &certInvalid) ||
		errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return errs.ReasonTLS, "TLS certificate verification failed", err
	}
	if errors.As(err, &recErr) || errors.As(err, &alert) {
		return errs.ReasonTLS, "TLS handshake failed", err
	}
	if strings.Contains(s, "tls: ") || strings.Contains(s, "x509: ") {
		return errs.ReasonTLS, "TLS handshake failed", err
	}
	for _, p := range netErrorPatterns {
		if strings.Contains(s, p.substr) {
			return p.reason, p.msg, err
		}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return errs.ReasonConnect, "connection failed", err
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return errs.ReasonConnect, "connection refused", err
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) {
		return errs.ReasonReset, "connection reset", err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.ReasonReset, "connection closed before the message was complete", err
	}
	if errors.Is(err, io.EOF) {
		return errs.ReasonReset, "connection closed by the server", err
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		// A timeout fetch cannot place (a WithTransport transport's own).
		return errs.ReasonTimeout, "network timeout", &errs.TimeoutError{Err: err}
	}
	if strings.Contains(s, "malformed HTTP") || strings.Contains(s, "HTTP response to HTTPS") ||
		strings.Contains(s, "invalid header") || strings.Contains(s, "http2: ") ||
		strings.Contains(s, "unexpected EOF") || strings.Contains(s, "bogus") {
		if strings.Contains(s, "unexpected EOF") {
			return errs.ReasonReset, "connection closed before the message was complete", err
		}
		return errs.ReasonProtocol, "malformed HTTP message", err
	}
	if errors.As(err, &opErr) {
		return errs.ReasonReset, "connection failed", err
	}
	return errs.ReasonOther, "request failed", err
}
