package fetch

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
)

// buildTransport sets up the client's network stack: the user's transport,
// or a clone of http.DefaultTransport with compression off (fetch sends its
// own Accept-Encoding and decodes bodies itself), HTTP/2 attempted, and the
// dial, TLS, proxy and timeout options applied; then the interceptors around
// it, first one outermost.
func (c *Client) buildTransport() {
	var rt http.RoundTripper
	if c.userTransport != nil {
		rt = c.userTransport
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DisableCompression = true
		t.ForceAttemptHTTP2 = true
		if c.dial != nil {
			t.DialContext = c.dial
		} else if c.dialTimeout > 0 {
			d := &net.Dialer{Timeout: c.dialTimeout, KeepAlive: 30 * time.Second}
			t.DialContext = d.DialContext
		}
		// HTTP/1 wire fidelity (wire.go): every connection is a wireConn.
		t.DialContext = wireDial(t.DialContext)
		if c.tlsConfig != nil {
			t.TLSClientConfig = c.tlsConfig
		}
		if c.proxySet {
			t.Proxy = c.proxy
		}
		if c.headerTimeout > 0 {
			t.ResponseHeaderTimeout = c.headerTimeout
		}
		c.ownTransport = t
		rt = newWireTransport(t)
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
	return errs.Network(errs.ReasonOther, nil, "no response body data from %s for %v (body timeout)", b.url, b.d)
}

func (b *idleTimeoutBody) Close() error { return b.rc.Close() }
