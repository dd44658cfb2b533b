package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// newServer starts an httptest server on 127.0.0.1 and closes it at the
// end of the test.
func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// testDial resolves every host name to 127.0.0.1 (keeping the port), so
// tests can use several host names (origins, sites) on local servers.
func testDial(ctx context.Context, network, addr string) (net.Conn, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
}

// hostURL rewrites a server URL (http://127.0.0.1:port) to use host.
func hostURL(s *httptest.Server, host string) string {
	return strings.Replace(s.URL, "127.0.0.1", host, 1)
}

// newTestClient is a client that closes its idle connections at the end.
func newTestClient(t testing.TB, opts ...Option) *Client {
	t.Helper()
	c := NewClient(opts...)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// mustFetch fetches and fails the test on error.
func mustFetch(t testing.TB, c *Client, url string, init *request.Init) *response.Response {
	t.Helper()
	r, err := c.Fetch(context.Background(), url, init)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", url, err)
	}
	return r
}

// text reads the body as text and fails the test on error.
func text(t testing.TB, r *response.Response) string {
	t.Helper()
	s, err := r.Text()
	if err != nil {
		t.Fatalf("Text: %v", err)
	}
	return s
}

// networkReason returns the NetworkReason of a fetch error, or "" when err
// is not a TypeError wrapping a NetworkError.
func networkReason(err error) errs.NetworkReason {
	var te *errs.TypeError
	var ne *errs.NetworkError
	if errors.As(err, &te) && errors.As(err, &ne) {
		return ne.Reason
	}
	return ""
}

// checkNoLeak records the goroutine count and, at cleanup, waits briefly
// for it to settle back (after closing idle connections of the given
// clients), failing with a stack dump if goroutines were leaked.
func checkNoLeak(t *testing.T, clients ...*Client) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		var n int
		for i := 0; i < 200; i++ {
			for _, c := range clients {
				c.CloseIdleConnections()
			}
			n = runtime.NumGoroutine()
			if n <= before {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("goroutine leak: %d before, %d after\n%s", before, n, buf)
	})
}

func ptr[T any](v T) *T { return &v }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
func errorsIs(err, target error) bool     { return errors.Is(err, target) }

// newTLSServer starts an HTTPS httptest server on 127.0.0.1.
func newTLSServer(t testing.TB) *httptest.Server {
	t.Helper()
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secure"))
	}))
	t.Cleanup(s.Close)
	return s
}
