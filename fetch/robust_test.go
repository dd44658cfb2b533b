package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wfetch/wfetch/internal/coding"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/weburl"
)

// Regression tests for the response path's robustness defects (issue 10),
// each against a server on 127.0.0.1: a raw TCP one where the defect needs
// bytes net/http's server would not send.

// robustTCP accepts connections on 127.0.0.1 and hands each to serve (on
// its own goroutine); it closes the listener and every connection at the
// end of the test.
func robustTCP(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); serve(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String() + "/"
}

// robustReadHead reads one request's header section from c.
func robustReadHead(c net.Conn) (*bufio.Reader, error) {
	br := bufio.NewReader(c)
	_, err := http.ReadRequest(br)
	return br, err
}

// robustConns counts a server's open connections.
type robustConns struct{ open atomic.Int64 }

func (cc *robustConns) hook(c net.Conn, st http.ConnState) {
	switch st {
	case http.StateNew:
		cc.open.Add(1)
	case http.StateClosed, http.StateHijacked:
		cc.open.Add(-1)
	}
}

// robustWait polls cond until it holds or d passes, running GC each time
// (cleanups of unreachable responses run after a collection).
func robustWait(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// Defect 1: responses dropped without reading release their connection
// and goroutines once collected.
func TestDroppedResponsesAreReleased(t *testing.T) {
	payload := bytes.Repeat([]byte("x"), 256<<10) // more than the socket buffers hold
	var cc robustConns
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(payload)
	}))
	srv.Config.ConnState = cc.hook
	srv.Start()
	defer srv.Close()
	c := NewClient()
	defer c.CloseIdleConnections()
	runtime.GC()
	before := runtime.NumGoroutine()
	const n = 200
	for i := 0; i < n; i++ {
		if _, err := c.Fetch(context.Background(), srv.URL, nil); err != nil {
			t.Fatal(err)
		}
	}
	ok := robustWait(20*time.Second, func() bool {
		c.CloseIdleConnections()
		return cc.open.Load() == 0 && runtime.NumGoroutine() <= before+10
	})
	if !ok {
		t.Errorf("after dropping %d unread responses and GC: %d server connections open, %d goroutines (before: %d)",
			n, cc.open.Load(), runtime.NumGoroutine(), before)
	}
}

// Defect 1: Close releases the connection, is idempotent, and works on
// every response, including ones with a null body.
func TestResponseClose(t *testing.T) {
	var cc robustConns
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/204" {
			w.WriteHeader(204)
			return
		}
		w.Write(bytes.Repeat([]byte("x"), 256<<10))
	}))
	srv.Config.ConnState = cc.hook
	srv.Start()
	defer srv.Close()
	c := newTestClient(t)
	for _, tc := range []struct{ path, method string }{{"/", "GET"}, {"/", "HEAD"}, {"/204", "GET"}} {
		r, err := c.Fetch(context.Background(), srv.URL+tc.path, &request.Init{Method: ptr(tc.method)})
		if err != nil {
			t.Fatal(err)
		}
		// A null body is a nil stream whose methods are safe to call.
		if err := r.Body().Cancel(nil); err != nil {
			t.Errorf("%s %s: Body().Cancel: %v", tc.method, tc.path, err)
		}
		for i := 0; i < 2; i++ {
			if err := r.Close(); err != nil {
				t.Errorf("%s %s: Close #%d: %v", tc.method, tc.path, i+1, err)
			}
		}
	}
	// A Close while a reader holds the body fails that reader's reads.
	r := mustFetch(t, c, srv.URL, nil)
	rd, err := r.Body().GetReader()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rd); err == nil {
		t.Error("reading a closed response's locked body succeeded")
	}
	if !robustWait(10*time.Second, func() bool { c.CloseIdleConnections(); return cc.open.Load() == 0 }) {
		t.Errorf("%d server connections still open after Close", cc.open.Load())
	}
}

// Defect 2: aborts at random moments race with nothing (run with -race).
func TestRandomAborts(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		for i := 0; i < 4; i++ {
			w.Write(bytes.Repeat([]byte("y"), 1024))
			w.(http.Flusher).Flush()
		}
	})
	c := newTestClient(t)
	checkNoLeak(t, c)
	n := 400
	if testing.Short() {
		n = 100
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			for i := 0; i < n; i++ {
				ctx, cancel := context.WithCancel(context.Background())
				d := time.Duration(rng.IntN(400)) * time.Microsecond
				timer := time.AfterFunc(d, cancel)
				r, err := c.Fetch(ctx, srv.URL, nil)
				if err == nil {
					_, _ = r.Bytes()
				}
				timer.Stop()
				cancel()
			}
		}(uint64(g))
	}
	wg.Wait()
}

// Defect 3: a connection reset in the middle of the response headers is a
// network error, not a response with what was read so far.
func TestResetInHeadersIsNetworkError(t *testing.T) {
	url := robustTCP(t, func(c net.Conn) {
		if _, err := robustReadHead(c); err != nil {
			return
		}
		c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: te"))
		time.Sleep(20 * time.Millisecond)
		c.(*net.TCPConn).SetLinger(0) // close with RST
		c.Close()
	})
	c := newTestClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := c.Fetch(ctx, url, nil)
	if err == nil {
		b, _ := r.Bytes()
		t.Fatalf("got status %d, Content-Type %q, body %q; want a network error", r.Status(), r.Headers().Value("Content-Type"), b)
	}
	if got := networkReason(err); got != errs.ReasonReset {
		t.Errorf("reason %q (%v), want %q", got, err, errs.ReasonReset)
	}
}

// A header section that ends cleanly at EOF (FIN, no reset) without its
// blank line is still a response, as in browsers, and its body is empty:
// the line ends supplied to finish the section never become body bytes.
func TestHeadersEndingAtEOFHaveEmptyBody(t *testing.T) {
	for _, head := range []string{
		"HTTP/1.1 200 OK\r\nX-A: b\r\n",
		"HTTP/1.1 200 OK\r\nX-A: b",
		"HTTP/1.1 200 OK\r\nX-A: b\r",
	} {
		url := robustTCP(t, func(c net.Conn) {
			if _, err := robustReadHead(c); err != nil {
				return
			}
			c.Write([]byte(head))
			c.Close()
		})
		c := newTestClient(t)
		r, err := c.Fetch(context.Background(), url, nil)
		if err != nil {
			t.Errorf("%q: %v", head, err)
			continue
		}
		if got := r.Headers().Value("X-A"); got != "b" {
			t.Errorf("%q: X-A = %q", head, got)
		}
		if b, err := r.Bytes(); err != nil || len(b) != 0 {
			t.Errorf("%q: body %q, %v; want empty", head, b, err)
		}
	}
}

// Defect 4: an unrequested 101 does not read the switched connection: fetch
// returns at once with the 101 and an empty body (as WPT's
// fetch/security/1xx-response.any.js expects), and the connection is
// closed.
func TestUnrequested101ReturnsAtOnce(t *testing.T) {
	closed := make(chan struct{})
	url := robustTCP(t, func(c net.Conn) {
		if _, err := robustReadHead(c); err != nil {
			return
		}
		c.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: other\r\nConnection: Upgrade\r\n\r\n"))
		// Keep the connection open and silent; report when the client closes it.
		_, _ = io.Copy(io.Discard, c)
		close(closed)
	})
	c := newTestClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, err := c.Fetch(ctx, url, nil)
	if ctx.Err() != nil {
		t.Fatalf("fetch waited for the deadline: %v", err)
	}
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if r.Status() != 101 {
		t.Errorf("status %d, want 101", r.Status())
	}
	if b, err := r.Bytes(); err != nil || len(b) != 0 {
		t.Errorf("body %q, %v; want empty", b, err)
	}
	select {
	case <-closed:
	case <-ctx.Done():
		t.Error("the switched connection was not closed")
	}
}

// Defect 5: a Content-Encoding with more codings than coding.MaxCodings is
// a network error before any decoder is built; stacked codings within the
// limit still decode.
func TestTooManyContentCodings(t *testing.T) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	twice := gz(gz([]byte("hello")))
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/two":
			w.Header().Set("Content-Encoding", "gzip, gzip")
			w.Write(twice)
		case "/many":
			w.Header().Set("Content-Encoding", strings.Repeat("gzip, ", 30000)+"gzip")
			w.Write(twice)
		case "/limit":
			w.Header().Set("Content-Encoding", strings.Repeat("gzip, ", coding.MaxCodings))
			w.Write(twice)
		}
	})
	c := newTestClient(t)
	if got := text(t, mustFetch(t, c, srv.URL+"/two", nil)); got != "hello" {
		t.Errorf("gzip, gzip: %q", got)
	}
	for _, method := range []string{"GET", "HEAD"} {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		_, err := c.Fetch(context.Background(), srv.URL+"/many", &request.Init{Method: ptr(method)})
		runtime.ReadMemStats(&m1)
		if got := networkReason(err); got != errs.ReasonBadEncoding {
			t.Errorf("%s with 30001 codings: %v, want a %q network error", method, err, errs.ReasonBadEncoding)
		}
		// The header itself is about 180 KB; 30001 decoders would be
		// over a hundred MB.
		if grew := m1.TotalAlloc - m0.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s with 30001 codings allocated %d MB", method, grew>>20)
		}
	}
	// MaxCodings codings (the last entry is empty, a no-op) are accepted:
	// the body is not what they claim, so reading it fails to decode.
	r := mustFetch(t, c, srv.URL+"/limit", nil)
	if _, err := r.Bytes(); networkReason(err) != errs.ReasonBadEncoding {
		t.Errorf("reading a body with %d codings: %v", coding.MaxCodings, err)
	}
}

// Defect 6: the decoded size of a body is capped, client-wide and per
// request, with a clear error; the default caps coded bodies.
func TestDecodedBodyLimit(t *testing.T) {
	// 8 MiB of zeros, gzipped (about 8 KB on the wire).
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < 8; i++ {
		zw.Write(zeros)
	}
	zw.Close()
	plain := bytes.Repeat([]byte("p"), 3<<20)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/plain" {
			w.Write(plain)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	tooLarge := func(err error) bool {
		var ne *errs.NetworkError
		return errors.As(err, &ne) && ne.Reason == errs.ReasonTooLarge
	}
	t.Run("client", func(t *testing.T) {
		c := newTestClient(t, WithMaxBodySize(1<<20))
		checkNoLeak(t, c)
		for _, path := range []string{"/bomb", "/plain"} {
			_, err := mustFetch(t, c, srv.URL+path, nil).Bytes()
			if !tooLarge(err) {
				t.Errorf("%s: Bytes with a 1 MiB limit: %v", path, err)
			}
			rd, _ := mustFetch(t, c, srv.URL+path, nil).Body().GetReader()
			n, err := io.Copy(io.Discard, rd)
			if !tooLarge(err) || n > 1<<20 {
				t.Errorf("%s: streamed %d bytes with a 1 MiB limit: %v", path, n, err)
			}
		}
	})
	t.Run("request", func(t *testing.T) {
		c := newTestClient(t)
		ctx := ContextWithMaxBodySize(context.Background(), 2<<20)
		r, err := c.Fetch(ctx, srv.URL+"/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Text(); !tooLarge(err) {
			t.Errorf("Text with a 2 MiB request limit: %v", err)
		}
		// Without a limit of its own, the client's default applies: the
		// identity body is not capped, the coded one is capped at the
		// default (far above 8 MiB, so this bomb passes).
		if b, err := mustFetch(t, c, srv.URL+"/plain", nil).Bytes(); err != nil || len(b) != len(plain) {
			t.Errorf("plain body without a limit: %d bytes, %v", len(b), err)
		}
		if b, err := mustFetch(t, c, srv.URL+"/bomb", nil).Bytes(); err != nil || len(b) != 8<<20 {
			t.Errorf("coded body under the default limit: %d bytes, %v", len(b), err)
		}
		if DefaultMaxDecodedBodySize < 8<<20 {
			t.Errorf("DefaultMaxDecodedBodySize is %d", DefaultMaxDecodedBodySize)
		}
	})
	t.Run("message", func(t *testing.T) {
		c := newTestClient(t, WithMaxBodySize(1000))
		_, err := mustFetch(t, c, srv.URL+"/plain", nil).Bytes()
		if err == nil || !strings.Contains(err.Error(), "1000") {
			t.Errorf("error %v does not name the limit", err)
		}
	})
}

var _ = fmt.Sprintf

// A network body attached to a second stream (as the cache's tee does)
// keeps its bytes when the first stream is collected: only the current
// stream's cleanup closes the body.
func TestReattachedBodyOutlivesFirstStream(t *testing.T) {
	u, err := weburl.Parse("http://127.0.0.1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	nb := &netBody{url: u, limit: -1, hint: -1}
	first := nb.attach(io.NopCloser(strings.NewReader("first")))
	second := nb.attach(io.NopCloser(strings.NewReader("second")))
	first = nil
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	rd, err := second.Stream.GetReader()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rd)
	if err != nil || string(b) != "second" {
		t.Errorf("second stream read %q, %v", b, err)
	}
	_ = first
}
