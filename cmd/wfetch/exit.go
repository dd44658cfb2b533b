package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/wfetch/wfetch/fetch"
)

// Exit codes. The numbers are curl's (see curl's man page, EXIT CODES);
// the 110s are wfetch's own, for failures only fetch has.
const (
	exitOK            = 0
	exitOther         = 1   // also curl's "unsupported protocol"
	exitUsage         = 2   // bad flags (curl: failed to initialize)
	exitURL           = 3   // malformed URL
	exitProxyResolve  = 5   // could not resolve proxy
	exitResolve       = 6   // could not resolve host
	exitConnect       = 7   // failed to connect
	exitWeirdReply    = 8   // malformed server reply
	exitPartial       = 18  // partial body
	exitHTTP          = 22  // HTTP status >= 400 with -f
	exitWrite         = 23  // writing the output failed
	exitRead          = 26  // reading an input file failed
	exitTimeout       = 28  // operation timed out
	exitRange         = 33  // the server does not support ranges (-C)
	exitTLS           = 35  // TLS handshake failed
	exitTooManyRedirs = 47  // too many redirects
	exitEmptyReply    = 52  // the server replied nothing
	exitSend          = 55  // sending failed
	exitRecv          = 56  // receiving failed
	exitClientCert    = 58  // problem with the client certificate
	exitCert          = 60  // the server's certificate could not be verified
	exitEncoding      = 61  // unrecognized or bad content encoding
	exitCAFile        = 77  // problem reading the CA file
	exitTooLarge      = 100 // a response header section over the limit

	exitCORS      = 110 // a CORS check or preflight failed
	exitBlocked   = 111 // blocked by fetch's rules (bad port, mode, CORP)
	exitIntegrity = 112 // the body does not match --integrity
	exitNotCached = 113 // --cache only-if-cached and nothing stored
	exitRedirect  = 114 // a redirect fetch refused (--redirect error, bad Location)
)

// cliError is a failure with its exit code and the phase it happened in;
// it prints as one line: "(code) phase: message".
type cliError struct {
	code  int
	phase string
	msg   string
	err   error
}

func (e *cliError) Error() string {
	msg := e.msg
	if msg == "" && e.err != nil {
		msg = e.err.Error()
	}
	return fmt.Sprintf("(%d) %s: %s", e.code, e.phase, oneLine(msg))
}

func (e *cliError) Unwrap() error { return e.err }

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func newErr(code int, phase string, err error) *cliError {
	return &cliError{code: code, phase: phase, err: err}
}

func errorf(code int, phase, format string, args ...any) *cliError {
	return &cliError{code: code, phase: phase, msg: fmt.Sprintf(format, args...)}
}

// classify maps an error from fetch (or from reading a body) to curl's
// exit code and the phase that failed.
func classify(err error) *cliError {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	var te *fetch.TimeoutError
	if errors.As(err, &te) {
		switch te.Phase {
		case "dial", "tls":
			return &cliError{code: exitTimeout, phase: "connect (timed out, --connect-timeout)", msg: te.Error(), err: err}
		case "total":
			return &cliError{code: exitTimeout, phase: "timeout", msg: "the operation timed out (--max-time)", err: err}
		}
		return &cliError{code: exitTimeout, phase: "timeout", msg: te.Error(), err: err}
	}
	if errors.Is(err, fetch.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
		return &cliError{code: exitTimeout, phase: "timeout", msg: "the operation timed out (--max-time)", err: err}
	}
	var ne *fetch.NetworkError
	if !errors.As(err, &ne) {
		if errors.Is(err, fetch.ErrAbort) {
			return newErr(42, "aborted", err)
		}
		var te *fetch.TypeError
		if errors.As(err, &te) && strings.Contains(err.Error(), "URL") {
			return newErr(exitURL, "URL", err)
		}
		if errors.As(err, &te) {
			return newErr(exitUsage, "request", err)
		}
		return newErr(exitOther, "error", err)
	}
	msg := ne.Message
	if ne.Err != nil && !strings.Contains(msg, ne.Err.Error()) {
		msg += ": " + ne.Err.Error()
	}
	c := &cliError{msg: msg, err: err}
	timeout := isTimeout(ne.Err)
	switch ne.Reason {
	case fetch.NetworkReason("dns"):
		c.code, c.phase = exitResolve, "resolve host"
		if strings.Contains(msg, "proxy") {
			c.code, c.phase = exitProxyResolve, "resolve proxy"
		}
	case "connect":
		c.code, c.phase = exitConnect, "connect"
		if timeout {
			c.code, c.phase = exitTimeout, "connect (timed out, --connect-timeout)"
		}
	case "tls":
		c.code, c.phase = exitTLS, "TLS handshake"
		if strings.Contains(msg, "certificate") {
			c.code, c.phase = exitCert, "TLS certificate (use --cacert or -k)"
		}
	case "reset":
		c.code, c.phase = exitRecv, "receive"
		if strings.Contains(msg, "closed by the server") {
			c.code, c.phase = exitEmptyReply, "empty reply from server"
		}
	case "protocol", "content-length", "bad-chunk", "transfer-coding":
		c.code, c.phase = exitWeirdReply, "malformed server reply"
	case "header-too-large":
		c.code, c.phase = exitTooLarge, "response headers too large"
	case "timeout":
		c.code, c.phase = exitTimeout, "timeout"
	case "bad-encoding":
		c.code, c.phase = exitEncoding, "decode body"
	case "cors":
		c.code, c.phase = exitCORS, "CORS"
	case "redirect":
		c.code, c.phase = exitRedirect, "redirect"
		if strings.Contains(msg, "too many redirects") {
			c.code = exitTooManyRedirs
		}
	case "integrity":
		c.code, c.phase = exitIntegrity, "integrity"
	case "scheme":
		c.code, c.phase = exitOther, "unsupported URL scheme"
	case "blocked":
		c.code, c.phase = exitBlocked, "blocked"
	case "cache":
		c.code, c.phase = exitNotCached, "cache"
	case "aborted":
		c.code, c.phase = 42, "aborted"
	default:
		c.code, c.phase = exitOther, "fetch"
		if timeout || strings.Contains(msg, "timed out") || strings.Contains(msg, "timeout") {
			c.code, c.phase = exitTimeout, "timeout"
		}
	}
	return c
}

func isTimeout(err error) bool {
	var nerr net.Error
	return err != nil && errors.As(err, &nerr) && nerr.Timeout()
}
