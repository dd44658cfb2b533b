package fetch

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

// timeoutPhase returns the phase of the TimeoutError in err, and whether
// there is one.
func timeoutPhase(err error) (errs.TimeoutPhase, bool) {
	var te *errs.TimeoutError
	if errors.As(err, &te) {
		return te.Phase, true
	}
	return "", false
}

// zeros is an endless request body.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestTimeoutPhases: each timeout option ends its phase with a network
// error of reason "timeout" (or, for the total timeout, the TimeoutError
// DOMException) whose TimeoutError names the phase.
func TestTimeoutPhases(t *testing.T) {
	const d = 50 * time.Millisecond
	silent := func(c net.Conn, _ <-chan struct{}) { // accepts, reads the request head, never answers
		_ = readRequestHead(bufio.NewReader(c))
		_, _ = io.Copy(io.Discard, c)
	}
	// mute never reads nor answers.
	mute := func(c net.Conn, done <-chan struct{}) { <-done }
	stallBody := func(c net.Conn, _ <-chan struct{}) { // headers, a little body, then nothing
		_ = readRequestHead(bufio.NewReader(c))
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc")
		_, _ = io.Copy(io.Discard, c)
	}
	blockedDial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	for _, tt := range []struct {
		name    string
		handle  func(net.Conn, <-chan struct{})
		scheme  string
		opts    []Option
		init    *request.Init
		inBody  bool // the timeout shows when the body is read
		phase   errs.TimeoutPhase
		aborted bool // a DOMException, not a network error
	}{
		{name: "dial (with WithDialContext)", handle: silent, opts: []Option{WithDialContext(blockedDial), WithDialTimeout(d)}, phase: errs.PhaseDial},
		{name: "tls handshake", handle: silent, scheme: "https", opts: []Option{WithTLSHandshakeTimeout(d)}, phase: errs.PhaseTLS},
		{name: "headers", handle: silent, opts: []Option{WithHeaderTimeout(d)}, phase: errs.PhaseHeaders},
		{name: "send (server never reads the upload)", handle: mute, opts: []Option{WithSendTimeout(d)},
			init: &request.Init{Method: ptr("POST"), Body: io.Reader(zeros{}), Duplex: ptr(request.DuplexHalf)}, phase: errs.PhaseSend},
		{name: "body idle", handle: stallBody, opts: []Option{WithBodyTimeout(d)}, inBody: true, phase: errs.PhaseBody},
		{name: "total (body stalled)", handle: stallBody, opts: []Option{WithTotalTimeout(d)}, inBody: true, phase: errs.PhaseTotal, aborted: true},
		{name: "total (headers never come)", handle: silent, opts: []Option{WithTotalTimeout(d)}, phase: errs.PhaseTotal, aborted: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkNoLeak(t)
			srv := newTCPServer(t, tt.handle)
			c := newTestClient(t, tt.opts...)
			scheme := tt.scheme
			if scheme == "" {
				scheme = "http"
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			resp, err := c.Fetch(ctx, srv.URL(scheme)+"/", tt.init)
			if tt.inBody {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				_, err = resp.Bytes()
			}
			if ctx.Err() != nil {
				t.Fatalf("the caller's deadline ended it: %v", err)
			}
			if !errors.Is(err, ErrTimeout) {
				t.Fatalf("err %v: not ErrTimeout", err)
			}
			if phase, _ := timeoutPhase(err); phase != tt.phase {
				t.Errorf("phase %q, want %q (err %v)", phase, tt.phase, err)
			}
			if tt.aborted {
				var de *DOMException
				if !errors.As(err, &de) || de.Name != "TimeoutError" {
					t.Errorf("err %v, want a TimeoutError DOMException", err)
				}
			} else if r := networkReason(err); r != errs.ReasonTimeout {
				t.Errorf("reason %q, want timeout (err %v)", r, err)
			}
		})
	}
}

// TestDialTimeoutDefaultDialer: with no dial function, a dial that
// succeeds is unaffected by the dial timeout.
func TestDialTimeoutDefaultDialer(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	c := newTestClient(t, WithDialTimeout(time.Second))
	if got := text(t, mustFetch(t, c, srv.URL, nil)); got != "ok" {
		t.Errorf("body %q", got)
	}
}

func TestBodyTimeout(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, strings.Repeat("a", 10))
		w.(http.Flusher).Flush()
		if r.URL.Path == "/stall" {
			<-r.Context().Done()
			return
		}
		io.WriteString(w, strings.Repeat("b", 90))
	})
	c := newTestClient(t, WithBodyTimeout(30*time.Millisecond))
	checkNoLeak(t, c)
	// A body that keeps coming is fine.
	if got := text(t, mustFetch(t, c, srv.URL+"/ok", nil)); len(got) != 100 {
		t.Errorf("body length %d", len(got))
	}
	// A stalled body fails after the timeout.
	r, err := c.Fetch(context.Background(), srv.URL+"/stall", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Bytes()
	var ne *NetworkError
	if networkReason(err) != errs.ReasonTimeout || !errorsAs(err, &ne) || !strings.Contains(ne.Message, "body timeout") {
		t.Errorf("err %v, want a body timeout network error", err)
	}
}

// TestFramingReasons: errors net/http only tells apart by their text get
// their own reasons.
func TestFramingReasons(t *testing.T) {
	for _, tt := range []struct {
		name   string
		resp   string
		opts   []Option
		inBody bool
		want   errs.NetworkReason
	}{
		{"header section over the limit", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 2000) + "\r\n\r\n", []Option{WithMaxResponseHeaderBytes(1000)}, false, errs.ReasonHeaderTooLarge},
		{"bad chunk length", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", nil, true, errs.ReasonBadChunk},
		{"unknown transfer coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: rot13\r\n\r\nabc", nil, false, errs.ReasonTransferCoding},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkNoLeak(t)
			srv := newTCPServer(t, func(c net.Conn, _ <-chan struct{}) {
				_ = readRequestHead(bufio.NewReader(c))
				io.WriteString(c, tt.resp)
				c.(*net.TCPConn).CloseWrite()
			})
			c := newTestClient(t, tt.opts...)
			resp, err := c.Fetch(context.Background(), srv.URL("http")+"/", nil)
			if tt.inBody && err == nil {
				_, err = resp.Bytes()
			}
			if r := networkReason(err); r != tt.want {
				t.Errorf("reason %q, want %q (err %v)", r, tt.want, err)
			}
		})
	}
}
