package fetch

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

// wireServer is a TCP server on 127.0.0.1 that records each request (its
// header section and Content-Length body) as it came off the wire and
// answers with the next of
// replies (closing the connection after a reply when close is set).
type wireServer struct {
	ln       net.Listener
	mu       sync.Mutex
	requests []string
	wg       sync.WaitGroup
}

type wireReply struct {
	data  string
	close bool
}

func newWireServer(t *testing.T, replies ...wireReply) *wireServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &wireServer{ln: ln}
	next := make(chan wireReply, len(replies))
	for _, r := range replies {
		next <- r
	}
	close(next)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					var head bytes.Buffer
					for !bytes.HasSuffix(head.Bytes(), []byte("\r\n\r\n")) {
						b, err := br.ReadByte()
						if err != nil {
							return
						}
						head.WriteByte(b)
					}
					// The body, by Content-Length (read by hand: net/http's
					// parser would refuse the control bytes under test).
					if v := headerLine(head.String(), "Content-Length"); v != "" {
						_, n, _ := strings.Cut(v, ":")
						if size, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64); err == nil {
							_, _ = io.CopyN(&head, br, size)
						}
					}
					s.mu.Lock()
					s.requests = append(s.requests, head.String())
					s.mu.Unlock()
					r, ok := <-next
					if !ok {
						return
					}
					if _, err := io.WriteString(conn, r.data); err != nil || r.close {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *wireServer) url(path string) string { return "http://" + s.ln.Addr().String() + path }

func (s *wireServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// headerLine returns the line of head whose name is name, raw.
func headerLine(head, name string) string {
	for _, l := range strings.Split(head, "\r\n") {
		if n, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(n, name) {
			return l
		}
	}
	return ""
}

const okReply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

func TestWireRequestControlBytes(t *testing.T) {
	s := newWireServer(t, wireReply{data: okReply}, wireReply{data: okReply}, wireReply{data: okReply}, wireReply{data: okReply})
	c := newTestClient(t)
	// The body mimics a placeholder prefix: it must pass untouched.
	tests := []struct {
		name, value, want string
		body              string
	}{
		{"every control byte", "a\x01\x02\x03\x04\x05\x06\x07\x08\t\x0b\x0c\x0e\x0f\x10\x1a\x1b\x1c\x1d\x1e\x1f\x7fz", "X-Val: a\x01\x02\x03\x04\x05\x06\x07\x08\t\x0b\x0c\x0e\x0f\x10\x1a\x1b\x1c\x1d\x1e\x1f\x7fz", ""},
		{"plain value, same connection", "plain", "X-Val: plain", "~wf00~41"},
		{"one byte value", "\x01", "X-Val: \x01", "~wf"},
		{"header section over the write buffer", strings.Repeat("abc\x01\x7f", 3000), "X-Val: " + strings.Repeat("abc\x01\x7f", 3000), ""},
	}
	for i, tc := range tests {
		init := &request.Init{Headers: headers.Pairs{{"X-Val", tc.value}}}
		if tc.body != "" {
			init.Method = ptr("POST")
			init.Body = tc.body
		}
		r := mustFetch(t, c, s.url("/"), init)
		if txt, err := r.Text(); err != nil || txt != "ok" {
			t.Fatalf("%s: body %q, %v", tc.name, txt, err)
		}
		got := s.got()
		if len(got) != i+1 {
			t.Fatalf("%s: %d requests seen", tc.name, len(got))
		}
		if diff := cmp.Diff(tc.want, headerLine(got[i], "X-Val")); diff != "" {
			t.Errorf("%s: header line on the wire (-want +got):\n%s", tc.name, diff)
		}
		head, reqBody, _ := strings.Cut(got[i], "\r\n\r\n")
		if strings.Contains(head, "~wf") {
			t.Errorf("%s: placeholder leaked onto the wire: %q", tc.name, head)
		}
		if reqBody != tc.body {
			t.Errorf("%s: body on the wire %q, want %q", tc.name, reqBody, tc.body)
		}
	}
}

// A user-supplied transport gets net/http's own behaviour.
func TestWireUserTransportUntouched(t *testing.T) {
	s := newWireServer(t, wireReply{data: okReply})
	c := newTestClient(t, WithTransport(http.DefaultTransport.(*http.Transport).Clone()))
	_, err := c.Fetch(context.Background(), s.url("/"), &request.Init{Headers: headers.Pairs{{"X-Val", "\x01"}}})
	if err == nil {
		t.Fatal("control byte through a user transport: want net/http's error")
	}
}

func TestWireResponseHeaders(t *testing.T) {
	tests := []struct {
		name, reply string
		header      string
		want        string
		status      int
		body        string
	}{
		{"header section ends at EOF", "HTTP/1.0 200 NANANA\nCONTENT-LENGTH:  0\n", "content-length", "0", 200, ""},
		{"status line only at EOF", "HTTP/1.1 280 HELLO", "content-length", "", 280, ""},
		{"partial header line at EOF", "HTTP/1.1 280 HELLO\nfoo-test: 1\nfoo-test: 2", "foo-test", "1, 2", 280, ""},
		{"empty values at EOF", "HTTP/1.1 444 HI\ndouble-trouble:\ndouble-trouble:\n", "double-trouble", ", ", 444, ""},
		{"identical duplicate lengths (collapsed by net/http)", "HTTP/1.0 200 NANANA\nCONTENT-LENGTH:  0\ncontent-length:\t 0\n", "content-length", "0, 0", 200, ""},
		{"duplicates with a body", "HTTP/1.1 200 BLAH\nTest: x\nTest: x\nContent-Type: text/plain\nContent-Type: text/plain\nContent-Length: 6\nContent-Length: 6\n\nTest.\n", "content-length", "6, 6", 200, "Test.\n"},
		{"control bytes in values", "HTTP/1.0 200 MEH\nHEYA:\t \nHEYA: \x0b\x0c\nHEYA: 1\t\nHEYA: a\x01\x7fb\n\n", "heya", ", \x0b\x0c, 1, a\x01\x7fb", 200, ""},
		{"interim response first", "HTTP/1.1 100 Continue\r\nContent-Length: 9\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", "content-length", "3, 3", 200, "abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newWireServer(t, wireReply{data: tc.reply, close: true})
			c := newTestClient(t)
			r := mustFetch(t, c, s.url("/"), nil)
			v, _, _ := r.Headers().Get(tc.header)
			txt, err := r.Text()
			if err != nil {
				t.Fatal(err)
			}
			got := []any{r.Status(), v, txt}
			if diff := cmp.Diff([]any{tc.status, tc.want, tc.body}, got); diff != "" {
				t.Errorf("status, %s, body (-want +got):\n%s", tc.header, diff)
			}
		})
	}
}

// A control byte in a header name is not smuggled through as a
// placeholder: the response is refused.
func TestWireResponseControlByteInName(t *testing.T) {
	s := newWireServer(t, wireReply{data: "HTTP/1.1 200 OK\r\nX\x01Y: 1\r\nContent-Length: 0\r\n\r\n", close: true})
	c := newTestClient(t)
	if r, err := c.Fetch(context.Background(), s.url("/"), nil); err == nil {
		t.Errorf("control byte in a header name: got a response with headers %v", r.Headers())
	}
}

// Connections are reused across exchanges; each is armed anew.
func TestWireKeepAlive(t *testing.T) {
	dup := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\nX: \x01\r\n\r\nok"
	s := newWireServer(t, wireReply{data: dup}, wireReply{data: okReply}, wireReply{data: dup})
	c := newTestClient(t)
	want := []string{"2, 2", "2", "2, 2"}
	for i, w := range want {
		r := mustFetch(t, c, s.url("/"), &request.Init{Headers: headers.Pairs{{"X-N", "\x02"}}})
		v, _, _ := r.Headers().Get("content-length")
		if _, err := r.Text(); err != nil {
			t.Fatal(err)
		}
		if v != w {
			t.Errorf("request %d: content-length %q, want %q", i, v, w)
		}
	}
	if got := s.got(); len(got) != 3 || headerLine(got[2], "X-N") != "X-N: \x02" {
		t.Errorf("requests on the wire: %q", got)
	}
}

// The write side decodes a placeholder split across writes.
func TestWireConnSplitWrites(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	wc := &wireConn{Conn: client}
	ex := &wireExchange{key: "~wfKEY~", encode: true}
	wc.arm(ex)
	msg := "GET / HTTP/1.1\r\nA: " + string(ex.encodeValue([]byte("x\x01y"))) + "\r\n\r\nbody~wfKEY~41"
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(server)
		done <- string(b)
	}()
	for i := 0; i < len(msg); i += 3 {
		if _, err := wc.Write([]byte(msg[i:min(i+3, len(msg))])); err != nil {
			t.Fatal(err)
		}
	}
	client.Close()
	if diff := cmp.Diff("GET / HTTP/1.1\r\nA: x\x01y\r\n\r\nbody~wfKEY~41", <-done); diff != "" {
		t.Errorf("wire bytes (-want +got):\n%s", diff)
	}
}

// A request that reaches the wire transport without the fetch's own slot
// (an interceptor gave it a new context), or a second time (an interceptor
// retries it), is armed through a trace of its own.
func TestWireWithoutSlot(t *testing.T) {
	tests := []struct {
		name string
		ic   Interceptor
		sent int // requests on the wire per fetch
	}{
		{"new context", func(next http.RoundTripper) http.RoundTripper {
			return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				return next.RoundTrip(r.WithContext(context.Background()))
			})
		}, 1},
		{"sent twice", func(next http.RoundTripper) http.RoundTripper {
			return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := next.RoundTrip(r)
				if err != nil {
					return nil, err
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return next.RoundTrip(r)
			})
		}, 2},
		{"clones at once", func(next http.RoundTripper) http.RoundTripper {
			return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				type result struct {
					resp *http.Response
					err  error
				}
				ch := make(chan result, 2)
				for range 2 {
					go func() {
						resp, err := next.RoundTrip(r.Clone(r.Context()))
						ch <- result{resp, err}
					}()
				}
				a, b := <-ch, <-ch
				if b.err == nil {
					b.resp.Body.Close()
				}
				return a.resp, a.err
			})
		}, 2},
	}
	dup := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\nX: a\x01b\r\n\r\nok"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newWireServer(t, wireReply{data: dup}, wireReply{data: dup})
			c := newTestClient(t, WithInterceptor(tc.ic))
			r := mustFetch(t, c, s.url("/"), &request.Init{Headers: headers.Pairs{{"X-N", "\x02"}}})
			cl, _, _ := r.Headers().Get("content-length")
			x, _, _ := r.Headers().Get("x")
			txt, err := r.Text()
			if err != nil {
				t.Fatal(err)
			}
			got := s.got()
			var lines []string
			for _, g := range got {
				lines = append(lines, headerLine(g, "X-N"))
			}
			want := []string{"X-N: \x02", "X-N: \x02"}[:tc.sent]
			if diff := cmp.Diff([]any{"2, 2", "a\x01b", "ok", want}, []any{cl, x, txt, lines}); diff != "" {
				t.Errorf("content-length, x, body, request lines (-want +got):\n%s", diff)
			}
		})
	}
}

// Preparing a plain request through the fetch's slot allocates nothing.
func TestWirePrepareNoAllocs(t *testing.T) {
	w := newWireTransport(&http.Transport{})
	hreq, err := http.NewRequest("GET", "http://127.0.0.1/", nil)
	if err != nil {
		t.Fatal(err)
	}
	hreq.Header.Set("Accept", "*/*")
	var ft fetchTrace
	ctx := ft.wire.withSlot(context.Background())
	hreq = hreq.WithContext(ctx)
	allocs := testing.AllocsPerRun(100, func() {
		ft.wire.claimed.Store(false)
		if out, ex, done := w.prepare(hreq); out != hreq || ex != &ft.wire.own || done != nil {
			t.Fatal("prepare: not through the slot")
		}
	})
	if allocs != 0 {
		t.Errorf("prepare: %v allocations, want 0", allocs)
	}
}
