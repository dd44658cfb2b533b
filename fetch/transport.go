package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/internal/errs"
)

// Timeout defaults of the transport a Client builds (those of
// http.DefaultTransport).
const (
	// DefaultDialTimeout limits a TCP connect when WithDialTimeout is not
	// given.
	DefaultDialTimeout = 30 * time.Second
	// DefaultTLSHandshakeTimeout limits a TLS handshake when
	// WithTLSHandshakeTimeout is not given.
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultMaxResponseHeaderBytes limits a response header section when
	// WithMaxResponseHeaderBytes is not given: 256 KiB, Chrome's limit.
	DefaultMaxResponseHeaderBytes = 256 << 10
)

// buildTransport sets up the client's network stack: the user's transport,
// or a clone of http.DefaultTransport with compression off (fetch sends its
// own Accept-Encoding and decodes bodies itself), HTTP/2 attempted, and the
// dial, TLS, proxy, header-size and timeout options applied; then the
// interceptors around it, first one outermost.
func (c *Client) buildTransport() {
	var rt http.RoundTripper
	if c.userTransport != nil {
		rt = c.userTransport
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DisableCompression = true
		t.ForceAttemptHTTP2 = true
		t.MaxIdleConnsPerHost = DefaultMaxIdleConnsPerHost
		if c.maxIdlePerHost > 0 {
			t.MaxIdleConnsPerHost = c.maxIdlePerHost
		}
		t.MaxIdleConns = max(t.MaxIdleConns, t.MaxIdleConnsPerHost)
		dial := c.dial
		if dial == nil {
			// The dial timeout is applied by dialTimeout below, as a
			// TimeoutError.
			dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
		}
		dialLimit := c.dialTimeout
		if dialLimit == 0 && c.dial == nil {
			dialLimit = DefaultDialTimeout
		}
		t.DialContext = sendTimeoutDial(dialTimeout(dial, dialLimit), c.sendTimeout)
		// HTTP/1 wire fidelity (wire.go): every connection is a wireConn.
		t.DialContext = wireDial(t.DialContext)
		if c.tlsConfig != nil {
			t.TLSClientConfig = c.tlsConfig
		}
		if c.proxySet {
			t.Proxy = c.proxy
		}
		t.TLSHandshakeTimeout = c.tlsHandshakeTimeout
		if t.TLSHandshakeTimeout == 0 {
			t.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
		}
		t.ResponseHeaderTimeout = c.headerTimeout
		t.MaxResponseHeaderBytes = c.maxHeaderBytes
		if t.MaxResponseHeaderBytes == 0 {
			t.MaxResponseHeaderBytes = DefaultMaxResponseHeaderBytes
		}
		c.ownTransport = t
		rt = &timeoutTransport{next: newWireTransport(t), tls: t.TLSHandshakeTimeout, headers: t.ResponseHeaderTimeout}
	}
	if c.bodyTimeout > 0 {
		rt = &bodyTimeoutTransport{next: rt, d: c.bodyTimeout}
	}
	for i := len(c.interceptors) - 1; i >= 0; i-- {
		if ic := c.interceptors[i]; ic != nil {
			rt = ic(rt)
		}
	}
	c.transport = rt
}

func errTypef(format string, args ...any) error { return errs.TypeErrorf(format, args...) }

// errDialTimeout is the cause of a dial context whose time ran out.
var errDialTimeout = errors.New("dial timeout")

// dialTimeout limits every dial of dial to d (none when d <= 0), turning a
// dial that ran out of time into a *errs.TimeoutError (phase dial). It
// applies to a WithDialContext function too.
func dialTimeout(dial func(ctx context.Context, network, addr string) (net.Conn, error), d time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if d <= 0 {
		return dial
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		dctx, cancel := context.WithTimeoutCause(ctx, d, errDialTimeout)
		defer cancel()
		conn, err := dial(dctx, network, addr)
		if err != nil && ctx.Err() == nil && context.Cause(dctx) == errDialTimeout {
			if conn != nil {
				_ = conn.Close()
			}
			return nil, &errs.TimeoutError{Phase: errs.PhaseDial, Limit: d, Err: err}
		}
		return conn, err
	}
}

// timeoutTransport turns net/http's TLS handshake and response header
// timeouts into *errs.TimeoutError values that carry their phase and limit.
type timeoutTransport struct {
	next         http.RoundTripper
	tls, headers time.Duration
}

func (t *timeoutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		var te *errs.TimeoutError
		if errors.As(err, &te) {
			return nil, err
		}
		switch s := err.Error(); {
		case strings.Contains(s, "TLS handshake timeout"):
			err = &errs.TimeoutError{Phase: errs.PhaseTLS, Limit: t.tls, Err: err}
		case strings.Contains(s, "timeout awaiting response headers"):
			err = &errs.TimeoutError{Phase: errs.PhaseHeaders, Limit: t.headers, Err: err}
		}
	}
	return resp, err
}

// bodyTimeoutTransport gives every response body an idle timeout.
type bodyTimeoutTransport struct {
	next http.RoundTripper
	d    time.Duration
}

func (t *bodyTimeoutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.Body != nil && resp.Body != http.NoBody {
		resp.Body = &idleTimeoutBody{rc: resp.Body, d: t.d, url: r.URL.Redacted()}
	}
	return resp, err
}

// idleTimeoutBody closes its body when a Read waits longer than d.
type idleTimeoutBody struct {
	rc       io.ReadCloser
	d        time.Duration
	url      string
	timedOut atomic.Bool
}

func (b *idleTimeoutBody) Read(p []byte) (int, error) {
	if b.timedOut.Load() {
		return 0, b.timeoutError()
	}
	timer := time.AfterFunc(b.d, func() {
		b.timedOut.Store(true)
		_ = b.rc.Close()
	})
	n, err := b.rc.Read(p)
	if !timer.Stop() && b.timedOut.Load() {
		return n, b.timeoutError()
	}
	return n, err
}

func (b *idleTimeoutBody) timeoutError() error {
	return errs.NetworkTimeout(errs.PhaseBody, b.d, nil, "no response body data from %s for %v (body timeout)", b.url, b.d)
}

func (b *idleTimeoutBody) Close() error { return b.rc.Close() }

// sendTimeoutDial makes the connections dial returns apply the send
// timeout d (none when d <= 0).
func sendTimeoutDial(dial func(ctx context.Context, network, addr string) (net.Conn, error), d time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if d <= 0 {
		return dial
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil || conn == nil {
			return conn, err
		}
		return &sendTimeoutConn{Conn: conn, d: d}, nil
	}
}

// sendTimeoutConn gives each write (request headers and body, TLS records
// included) d to complete: a peer that stops reading makes the write fail
// with a *errs.TimeoutError (phase send).
type sendTimeoutConn struct {
	net.Conn
	d time.Duration
}

func (c *sendTimeoutConn) Write(p []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.d))
	n, err := c.Conn.Write(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = &errs.TimeoutError{Phase: errs.PhaseSend, Limit: c.d, Err: err}
	}
	return n, err
}

// withTotalTimeout returns a signal that follows sig and also aborts after
// the client's total timeout, with a "TimeoutError" DOMException whose
// cause is a *errs.TimeoutError (phase total). (The timer is not stopped
// when the fetch ends early: it then aborts a finished fetch, which does
// nothing; it holds no goroutine.)
func (c *Client) withTotalTimeout(sig *abort.Signal) *abort.Signal {
	d := c.totalTimeout
	ctrl := abort.NewController()
	time.AfterFunc(d, func() {
		ctrl.Abort(&errs.DOMException{Name: "TimeoutError", Message: "fetch exceeded its total timeout of " + d.String(),
			Err: &errs.TimeoutError{Phase: errs.PhaseTotal, Limit: d}})
	})
	if sig == nil {
		return ctrl.Signal()
	}
	return abort.Any(sig, ctrl.Signal())
}
