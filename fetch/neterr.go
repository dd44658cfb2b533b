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
// *errs.NetworkError whose Reason says what failed and whose cause is err.
// what names the stage ("connect to example.com:443", "read body of ...").
func networkError(err error, what string) error {
	reason, msg := classifyNetError(err)
	if what != "" {
		msg = what + ": " + msg
	}
	return errs.Network(reason, err, "%s", msg)
}

// classifyNetError returns the NetworkReason for a Go network error and a
// short description.
func classifyNetError(err error) (errs.NetworkReason, string) {
	var te *errs.TypeError
	if errors.As(err, &te) {
		var ne *errs.NetworkError
		if errors.As(te, &ne) {
			return ne.Reason, ne.Message
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return errs.ReasonDNS, "DNS lookup failed"
	}
	var certInvalid x509.CertificateInvalidError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var verifyErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	if errors.As(err, &verifyErr) || errors.As(err, &certInvalid) ||
		errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		return errs.ReasonTLS, "TLS certificate verification failed"
	}
	if errors.As(err, &recErr) || errors.As(err, &alert) {
		return errs.ReasonTLS, "TLS handshake failed"
	}
	s := err.Error()
	if strings.Contains(s, "tls: ") || strings.Contains(s, "x509: ") {
		return errs.ReasonTLS, "TLS handshake failed"
	}
	if strings.Contains(s, "multiple Content-Length") || strings.Contains(s, "invalid Content-Length") ||
		strings.Contains(s, "bad Content-Length") {
		return errs.ReasonContentLength, "conflicting or invalid Content-Length"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return errs.ReasonConnect, "connection failed"
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return errs.ReasonConnect, "connection refused"
	}
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) {
		return errs.ReasonReset, "connection reset"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.ReasonReset, "connection closed before the message was complete"
	}
	if errors.Is(err, io.EOF) {
		return errs.ReasonReset, "connection closed by the server"
	}
	if strings.Contains(s, "timeout awaiting response headers") {
		return errs.ReasonOther, "timed out waiting for response headers"
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return errs.ReasonOther, "network timeout"
	}
	if strings.Contains(s, "malformed HTTP") || strings.Contains(s, "HTTP response to HTTPS") ||
		strings.Contains(s, "invalid header") || strings.Contains(s, "http2: ") ||
		strings.Contains(s, "unexpected EOF") || strings.Contains(s, "bogus") ||
		strings.Contains(s, "malformed chunked") {
		if strings.Contains(s, "unexpected EOF") {
			return errs.ReasonReset, "connection closed before the message was complete"
		}
		return errs.ReasonProtocol, "malformed HTTP message"
	}
	if errors.As(err, &opErr) {
		return errs.ReasonReset, "connection failed"
	}
	return errs.ReasonOther, "request failed"
}
