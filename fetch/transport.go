package fetch

import (
	"net"
	"net/http"
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
		rt = t
	}
	for i := len(c.interceptors) - 1; i >= 0; i-- {
		if ic := c.interceptors[i]; ic != nil {
			rt = ic(rt)
		}
	}
	c.transport = rt
}

func errTypef(format string, args ...any) error { return errs.TypeErrorf(format, args...) }
