package fetch

// The hostile-server suite (issue 12, section 3): raw TCP servers on
// 127.0.0.1 that truncate, reset, flood, stall and lie. Each scenario
// asserts the outcome (a response with its status and body, a network
// error with its reason, a timeout with its phase, or the abort reason),
// that the fetch returns within a generous deadline, and that afterwards
// no connection stays open on the server and no goroutine is left
// (checkSettled). Scenarios that wait for fixes elsewhere say so in their
// skip reason.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/cookiejar"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

// handler is a raw server's behaviour for one connection.
type handler = func(c net.Conn, done <-chan struct{})

// respond reads the request head, writes resp, and ends the connection
// with end.
func respond(resp string, end func(net.Conn)) handler {
	return func(c net.Conn, done <-chan struct{}) {
		if readRequestHead(bufio.NewReader(c)) != nil {
			return
		}
		_, _ = io.WriteString(c, resp)
		if end != nil {
			end(c)
		}
	}
}

// fin half-closes the connection (the client reads EOF).
func fin(c net.Conn) { _ = c.(*net.TCPConn).CloseWrite() }

// rst resets the connection.
func rst(c net.Conn) {
	_ = c.(*net.TCPConn).SetLinger(0)
	_ = c.Close()
}

// keep leaves the connection open.
func keep(net.Conn) {}

// respondEach answers every request on the connection with resp (for
// redirect loops over one kept-alive connection).
func respondEach(resp func(path string) string) handler {
	return func(c net.Conn, done <-chan struct{}) {
		br := bufio.NewReader(c)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			if readRequestHead(br) != nil {
				return
			}
			path := ""
			if f := strings.Fields(line); len(f) > 1 {
				path = f[1]
			}
			if _, err := io.WriteString(c, resp(path)); err != nil {
				return
			}
		}
	}
}

// trickle reads the request head, writes head at once, then writes drip
// one byte every every until done or a write fails.
func trickle(head, drip string, every time.Duration) handler {
	return func(c net.Conn, done <-chan struct{}) {
		if readRequestHead(bufio.NewReader(c)) != nil {
			return
		}
		if _, err := io.WriteString(c, head); err != nil {
			return
		}
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(every):
			}
			if _, err := c.Write([]byte{drip[i%len(drip)]}); err != nil {
				return
			}
		}
	}
}

// silent reads the request head and never answers.
func silent(c net.Conn, done <-chan struct{}) {
	_ = readRequestHead(bufio.NewReader(c))
	<-done
}

// deaf never reads and never answers.
func deaf(c net.Conn, done <-chan struct{}) { <-done }

func status200(extra, body string) string {
	return "HTTP/1.1 200 OK\r\n" + extra + "\r\n" + body
}

func repeatHeader(line string, n int) string { return strings.Repeat(line, n) }

// exactHead returns a response (status line and header section, no body)
// of exactly n bytes.
func exactHead(n int) string {
	head := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: "
	tail := "\r\n\r\n"
	return head + strings.Repeat("p", n-len(head)-len(tail)) + tail
}

// compressed returns data in coding, compressed fast.
func compressed(coding string, data []byte) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w, _ = gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	case "deflate":
		w, _ = zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	case "br":
		w = brotli.NewWriterLevel(&buf, brotli.BestSpeed)
	case "zstd":
		w, _ = zstd.NewWriter(&buf, zstd.WithEncoderLevel(zstd.SpeedFastest))
	}
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}

// bombs caches the decompression bombs: 4 MiB of zeros in each coding
// (32 times the limit the scenarios set).
var bombs struct {
	once sync.Once
	m    map[string][]byte
}

func bomb(coding string) []byte {
	bombs.once.Do(func() {
		zeros := make([]byte, 4<<20)
		bombs.m = map[string][]byte{}
		for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
			bombs.m[c] = compressed(c, zeros)
		}
	})
	return bombs.m[coding]
}

// outcome is what a hostile scenario must end in: exactly one of a status
// (with body), a network reason (with a phase for timeouts), or a
// DOMException name.
type outcome struct {
	status int
	body   *string // nil: not checked
	reason errs.NetworkReason
	phase  errs.TimeoutPhase
	dom    string
}

type hostileCase struct {
	name     string
	skip     string // why the scenario cannot run yet
	serve    handler
	scheme   string // "http" (default) or "https"
	path     string
	opts     []Option
	init     func() *request.Init
	deadline time.Duration // the caller's context deadline; 0: 20 s
	abortIn  time.Duration // abort the request's signal after this long
	prepare  func()        // runs before the scenario's clock starts
	after    func(t *testing.T, c *Client)
	want     outcome
}

func str(s string) *string { return &s }

// hostileCases are the scenarios of issue 12, section 3.
func hostileCases() []hostileCase {
	const d = 100 * time.Millisecond
	big := func() *request.Init { // a 64 MiB streamed upload
		return &request.Init{Method: ptr("POST"), Body: io.LimitReader(zeros{}, 64<<20), Duplex: ptr(request.DuplexHalf)}
	}
	bigCL := func() *request.Init { // a 32 MiB upload with a Content-Length
		return &request.Init{Method: ptr("POST"), Body: make([]byte, 32<<20)}
	}
	zeros64 := strings.Repeat("\x00", 64) // (for corrupt codings)
	bombCase := func(coding string) hostileCase {
		return hostileCase{
			name:    "decompression bomb, " + coding + ", with a decoded size limit",
			opts:    []Option{WithMaxBodySize(128 << 10)},
			prepare: func() { bomb(coding) },
			serve: func(c net.Conn, done <-chan struct{}) {
				b := bomb(coding)
				respond(status200(fmt.Sprintf("Content-Encoding: %s\r\nContent-Length: %d\r\n", coding, len(b)), string(b)), fin)(c, done)
			},
			want: outcome{reason: errs.ReasonTooLarge},
		}
	}
	corrupt := func(name, coding string, payload []byte) hostileCase {
		return hostileCase{
			name:  name,
			serve: respond(status200(fmt.Sprintf("Content-Encoding: %s\r\nContent-Length: %d\r\n", coding, len(payload)), string(payload)), fin),
			want:  outcome{reason: errs.ReasonBadEncoding},
		}
	}
	hello := []byte(strings.Repeat("hello ", 1000))
	gz := compressed("gzip", hello)
	return []hostileCase{
		// Truncation and resets.
		{name: "closed before the status line", serve: respond("", fin), want: outcome{reason: errs.ReasonReset}},
		{name: "reset before the status line", serve: respond("", rst), want: outcome{reason: errs.ReasonReset}},
		{name: "closed inside the status line", serve: respond("HTTP/1.1 20", fin), want: outcome{reason: errs.ReasonProtocol}},
		// (net/http's line reader hands over a partial line without its
		// error, so the cut status line is parsed, and refused, first.)
		{name: "reset inside the status line", serve: respond("HTTP/1.1 20", rst), want: outcome{reason: errs.ReasonProtocol}},
		{name: "closed inside the headers (a browser keeps the response)", serve: respond("HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: tr", fin), want: outcome{status: 200, body: str("")}},
		{name: "reset inside the headers", serve: respond("HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: tr", rst), want: outcome{reason: errs.ReasonReset}},
		{name: "closed inside a Content-Length body", serve: respond(status200("Content-Length: 100\r\n", "abc"), fin), want: outcome{reason: errs.ReasonReset}},
		{name: "reset inside a Content-Length body", serve: respond(status200("Content-Length: 100\r\n", "abc"), rst), want: outcome{reason: errs.ReasonReset}},
		{name: "body to EOF without Content-Length", serve: respond(status200("", "all of it"), fin), want: outcome{status: 200, body: str("all of it")}},
		{name: "reset inside a body without Content-Length", serve: respond(status200("", "part"), rst), want: outcome{reason: errs.ReasonReset}},
		{name: "closed inside a chunk", serve: respond(status200("Transfer-Encoding: chunked\r\n", "a\r\nabc"), fin), want: outcome{reason: errs.ReasonReset}},
		{name: "closed before the last chunk", serve: respond(status200("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n"), fin), want: outcome{reason: errs.ReasonReset}},
		{name: "reset inside a chunked body", serve: respond(status200("Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n5\r\nab"), rst), want: outcome{reason: errs.ReasonReset}},

		// Malformed framing.
		{name: "chunk size not hex", serve: respond(status200("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"), fin), want: outcome{reason: errs.ReasonBadChunk}},
		{name: "negative chunk size", serve: respond(status200("Transfer-Encoding: chunked\r\n", "-1\r\nabc\r\n0\r\n\r\n"), fin), want: outcome{reason: errs.ReasonBadChunk}},
		{name: "chunk size overflow", serve: respond(status200("Transfer-Encoding: chunked\r\n", "fffffffffffffffffff\r\nabc\r\n0\r\n\r\n"), fin), want: outcome{reason: errs.ReasonBadChunk}},
		{name: "huge chunk extension", serve: respond(status200("Transfer-Encoding: chunked\r\n", "3;"+strings.Repeat("x=y;", 1<<18)+"\r\nabc\r\n0\r\n\r\n"), fin), want: outcome{reason: errs.ReasonBadChunk}},
		{name: "many chunk extensions in small chunks", serve: respond(status200("Transfer-Encoding: chunked\r\n", strings.Repeat("1;"+strings.Repeat("e", 1000)+"\r\na\r\n", 2000)+"0\r\n\r\n"), fin), want: outcome{reason: errs.ReasonBadChunk}},
		{name: "unknown transfer coding", serve: respond(status200("Transfer-Encoding: rot13\r\n", "abc"), fin), want: outcome{reason: errs.ReasonTransferCoding}},

		// Floods and limits.
		{name: "1xx flood within the header limit (1xx count against it)", serve: respond(strings.Repeat("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", 1000)+status200("Content-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "1xx flood over the header limit", serve: respond(strings.Repeat("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", 10000)+status200("Content-Length: 2\r\n", "ok"), fin), want: outcome{reason: errs.ReasonHeaderTooLarge}},
		{name: "a few 1xx then the response", serve: respond(strings.Repeat("HTTP/1.1 103 Early Hints\r\n\r\n", 3)+status200("Content-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "duplicate identical Content-Length", serve: respond(status200("Content-Length: 2\r\nContent-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "conflicting Content-Length", serve: respond(status200("Content-Length: 2\r\nContent-Length: 3\r\n", "okk"), fin), want: outcome{reason: errs.ReasonContentLength}},
		{name: "invalid Content-Length", serve: respond(status200("Content-Length: 2x\r\n", "ok"), fin), want: outcome{reason: errs.ReasonContentLength}},
		{name: "header section of exactly the limit", opts: []Option{WithMaxResponseHeaderBytes(64 << 10)},
			serve: respond(exactHead(64<<10), fin), want: outcome{status: 200, body: str("")}},
		{name: "header section one byte over the limit", opts: []Option{WithMaxResponseHeaderBytes(64 << 10)},
			serve: respond(exactHead(64<<10+1), fin), want: outcome{reason: errs.ReasonHeaderTooLarge}},
		{name: "header section just under the limit", opts: []Option{WithMaxResponseHeaderBytes(64 << 10)},
			serve: respond(status200(repeatHeader("X-Pad: "+strings.Repeat("p", 90)+"\r\n", 600)+"Content-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "header section over the limit", opts: []Option{WithMaxResponseHeaderBytes(64 << 10)},
			serve: respond(status200(repeatHeader("X-Pad: "+strings.Repeat("p", 90)+"\r\n", 800)+"Content-Length: 2\r\n", "ok"), fin), want: outcome{reason: errs.ReasonHeaderTooLarge}},
		{name: "100k header lines (default limit)", serve: respond(status200(repeatHeader("X-A: b\r\n", 100000), ""), fin), want: outcome{reason: errs.ReasonHeaderTooLarge}},
		{name: "100k header lines under a 4 MiB limit", opts: []Option{WithMaxResponseHeaderBytes(4 << 20)},
			serve: respond(status200(repeatHeader("X-A: b\r\n", 100000)+"Content-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "control bytes in a header value (kept, as browsers do)", serve: respond(status200("X-Ctl: a\x01b\x7fc\r\nContent-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")},
			after: nil},
		{name: "NUL in a header value", serve: respond(status200("X-Nul: a\x00b\r\nContent-Length: 2\r\n", "ok"), fin), want: outcome{reason: errs.ReasonProtocol}},
		{name: "space in a header name (the field is dropped)",
			serve: respond(status200("Bad Name: x\r\nContent-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")}},
		{name: "no status line (HTTP/0.9)", serve: respond("hello world\r\n\r\n", fin), want: outcome{reason: errs.ReasonProtocol}},
		{name: "status code out of range", serve: respond("HTTP/1.1 1000 Huge\r\nContent-Length: 0\r\n\r\n", fin), want: outcome{reason: errs.ReasonProtocol}},

		// Timeouts: slow-loris headers and bodies against every option.
		{name: "slow-loris headers vs header timeout", opts: []Option{WithHeaderTimeout(d)},
			serve: trickle("HTTP/1.1 200 OK\r\n", "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 10*time.Millisecond), want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseHeaders}},
		{name: "slow-loris headers vs total timeout", opts: []Option{WithTotalTimeout(d)},
			serve: trickle("HTTP/1.1 200 OK\r\n", "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 10*time.Millisecond), want: outcome{dom: "TimeoutError", phase: errs.PhaseTotal}},
		{name: "slow-loris headers vs the caller's deadline", deadline: d,
			serve: trickle("HTTP/1.1 200 OK\r\n", "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 10*time.Millisecond), want: outcome{dom: "TimeoutError"}},
		{name: "slow-loris body vs body timeout (a gap longer than the limit)", opts: []Option{WithBodyTimeout(d)},
			serve: trickle(status200("Content-Length: 1000\r\n", ""), "x", 3*d), want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseBody}},
		{name: "slow-loris body vs total timeout (trickling under the idle limit)", opts: []Option{WithTotalTimeout(3 * d), WithBodyTimeout(20 * d)},
			serve: trickle(status200("Content-Length: 100000\r\n", ""), "x", 10*time.Millisecond), want: outcome{dom: "TimeoutError", phase: errs.PhaseTotal}},
		{name: "slow-loris chunked body vs body timeout", opts: []Option{WithBodyTimeout(d)},
			serve: trickle(status200("Transfer-Encoding: chunked\r\n", "1\r\na\r\n"), "1\r\na\r\n", 3*d), want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseBody}},
		{name: "slow-loris body vs header timeout (does not apply to the body)", opts: []Option{WithHeaderTimeout(d)},
			serve: respond(status200("Content-Length: 5\r\n", "hello"), keep), want: outcome{status: 200, body: str("hello")}},
		{name: "slow TLS handshake vs TLS timeout", scheme: "https", opts: []Option{WithTLSHandshakeTimeout(d)}, serve: deaf,
			want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseTLS}},
		{name: "dial that never completes vs dial timeout", opts: []Option{WithDialTimeout(d), WithDialContext(func(ctx context.Context, _, _ string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})}, serve: deaf, want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseDial}},

		// Servers that never answer or never read.
		{name: "never answers: header timeout", opts: []Option{WithHeaderTimeout(d)}, serve: silent, want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseHeaders}},
		{name: "never answers: the caller's deadline", deadline: d, serve: silent, want: outcome{dom: "TimeoutError"}},
		{name: "never answers: the request's signal", abortIn: d, serve: silent, want: outcome{dom: "AbortError"}},
		{name: "never reads a large streamed upload: send timeout", opts: []Option{WithSendTimeout(d)}, init: big, serve: deaf, want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseSend}},
		{name: "never reads a large upload with Content-Length: send timeout", opts: []Option{WithSendTimeout(d)}, init: bigCL, serve: deaf, want: outcome{reason: errs.ReasonTimeout, phase: errs.PhaseSend}},
		{name: "never reads a large upload: the caller's deadline", deadline: 2 * d, init: big, serve: deaf, want: outcome{dom: "TimeoutError"}},
		{name: "never reads a large upload: header timeout does not start", opts: []Option{WithHeaderTimeout(d)}, deadline: 5 * d, init: big, serve: deaf, want: outcome{dom: "TimeoutError"}},

		// Redirects.
		{name: "redirect loop", serve: respondEach(func(string) string { return "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n" }), want: outcome{reason: errs.ReasonRedirect}},
		{name: "redirect to ftp:", serve: respond("HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\nContent-Length: 0\r\n\r\n", fin), want: outcome{reason: errs.ReasonRedirect}},
		{name: "redirect to data:", serve: respond("HTTP/1.1 302 Found\r\nLocation: data:,x\r\nContent-Length: 0\r\n\r\n", fin), want: outcome{reason: errs.ReasonRedirect}},
		{name: "redirect to javascript:", serve: respond("HTTP/1.1 307 Temporary Redirect\r\nLocation: javascript:alert(1)\r\nContent-Length: 0\r\n\r\n", fin), want: outcome{reason: errs.ReasonRedirect}},
		{name: "redirect without Location (the 302 is the response)", serve: respond("HTTP/1.1 302 Found\r\nContent-Length: 4\r\n\r\nbody", fin), want: outcome{status: 302, body: str("body")}},
		{name: "redirect with an invalid Location", serve: respond("HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n", fin), want: outcome{reason: errs.ReasonRedirect}},
		{name: "redirect with an empty Location (loops to itself)", serve: respondEach(func(string) string { return "HTTP/1.1 302 Found\r\nLocation: \r\nContent-Length: 0\r\n\r\n" }), want: outcome{reason: errs.ReasonRedirect}},

		// Content codings: bombs with a limit, corrupt and truncated.
		bombCase("gzip"), bombCase("deflate"), bombCase("br"), bombCase("zstd"),
		corrupt("corrupt gzip", "gzip", []byte("\x1f\x8b\x08\x00"+zeros64)),
		corrupt("corrupt deflate", "deflate", []byte("\x78\x9c\xff\xff"+zeros64)),
		corrupt("corrupt br", "br", []byte("\xff\xff\xff\xff"+zeros64)),
		corrupt("corrupt zstd", "zstd", []byte("\x28\xb5\x2f\xfd\xff\xff"+zeros64)),
		corrupt("truncated gzip", "gzip", gz[:len(gz)/2]),
		corrupt("truncated deflate", "deflate", compressed("deflate", hello)[:20]),
		corrupt("truncated br", "br", compressed("br", hello)[:10]),
		corrupt("truncated zstd", "zstd", compressed("zstd", hello)[:20]),
		corrupt("gzip labelled br", "br", gz),
		{name: "Content-Encoding with 10000 entries",
			serve: respond(status200("Content-Encoding: "+strings.Repeat("gzip, ", 9999)+"gzip\r\nContent-Length: "+fmt.Sprint(len(gz))+"\r\n", string(gz)), fin),
			want:  outcome{reason: errs.ReasonBadEncoding}},

		// Unexpected responses.
		{name: "unrequested 101 (returned with an empty body, the connection closed)",
			serve: respond("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw bytes", keep), want: outcome{status: 101, body: str("")}},
		{name: "204 with a body", serve: respond("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", fin), want: outcome{status: 204, body: str("")}},
		{name: "304 with a body", serve: respond("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello", fin), want: outcome{status: 304, body: str("")}},
		{name: "HEAD answered with a body", init: func() *request.Init { return &request.Init{Method: ptr("HEAD")} },
			serve: respond(status200("Content-Length: 5\r\n", "hello"), fin), want: outcome{status: 200, body: str("")}},
		{name: "https to a plain-TCP port", scheme: "https", serve: func(c net.Conn, done <-chan struct{}) {
			_, _ = c.Read(make([]byte, 1024))
			_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
			fin(c)
		}, want: outcome{reason: errs.ReasonTLS}},
		{name: "https to a port that closes during the handshake", scheme: "https", serve: func(c net.Conn, done <-chan struct{}) {
			_, _ = c.Read(make([]byte, 1024))
			fin(c)
		}, want: outcome{reason: errs.ReasonReset}},
		{name: "Set-Cookie flood (3000 cookies of 300 bytes; the jar keeps 180)", opts: []Option{WithCookieJar(cookiejar.New(nil)), WithMaxResponseHeaderBytes(1 << 20)},
			serve: respond(status200(func() string {
				var b strings.Builder
				for i := range 3000 {
					fmt.Fprintf(&b, "Set-Cookie: c%d=%s\r\n", i, strings.Repeat("v", 300))
				}
				return b.String() + "Content-Length: 2\r\n"
			}(), "ok"), fin), want: outcome{status: 200, body: str("ok")},
			after: func(t *testing.T, c *Client) {
				if n := c.jar.(*cookiejar.Jar).Len(); n != cookiejar.DefaultMaxCookiesPerSite {
					t.Errorf("jar holds %d cookies, want %d", n, cookiejar.DefaultMaxCookiesPerSite)
				}
			}},
		{name: "Set-Cookie flood over net/http's 3000 (none stored)", opts: []Option{WithCookieJar(cookiejar.New(nil)), WithMaxResponseHeaderBytes(1 << 20)},
			serve: respond(status200(repeatHeader("Set-Cookie: a=b\r\n", 5000)+"Content-Length: 2\r\n", "ok"), fin), want: outcome{status: 200, body: str("ok")},
			after: func(t *testing.T, c *Client) {
				if n := c.jar.(*cookiejar.Jar).Len(); n != 0 {
					t.Errorf("jar holds %d cookies, want 0", n)
				}
			}},
	}
}

func TestHostileServers(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) { runHostile(t, tc) })
	}
}

// runHostile runs one scenario and checks its outcome and what it leaves.
func runHostile(t *testing.T, tc hostileCase) {
	if tc.skip != "" && os.Getenv("WFETCH_HOSTILE_NOSKIP") == "" {
		t.Skip(tc.skip + " (WFETCH_HOSTILE_NOSKIP=1 runs it)")
	}
	if tc.prepare != nil {
		tc.prepare()
	}
	before := runtime.NumGoroutine()
	srv := newTCPServer(t, tc.serve)
	c := NewClient(tc.opts...)
	defer c.CloseIdleConnections()
	ctx, cancel := ctxWithDeadline(tc.deadline)
	defer cancel()
	scheme := tc.scheme
	if scheme == "" {
		scheme = "http"
	}
	var init *request.Init
	if tc.init != nil {
		init = tc.init()
	}
	if tc.abortIn > 0 {
		if init == nil {
			init = &request.Init{}
		}
		ctrl := abort.NewController()
		init.Signal = ctrl.Signal()
		tm := time.AfterFunc(tc.abortIn, func() { ctrl.Abort(nil) })
		defer tm.Stop()
	}
	resp, err := c.Fetch(ctx, srv.URL(scheme)+"/"+strings.TrimPrefix(tc.path, "/"), init)
	var status int
	var body []byte
	if err == nil {
		status = resp.Status()
		body, err = resp.Bytes()
	}
	if ctx.Err() != nil && tc.deadline == 0 {
		t.Fatalf("did not return before the caller's deadline (err %v)", err)
	}
	checkOutcome(t, tc.want, status, body, err)
	if tc.after != nil {
		tc.after(t, c)
	}
	checkSettled(t, c, srv, before)
}

func checkOutcome(t *testing.T, want outcome, status int, body []byte, err error) {
	t.Helper()
	switch {
	case want.dom != "":
		var de *errs.DOMException
		if !errors.As(err, &de) || de.Name != want.dom {
			t.Fatalf("err %v, want a %s DOMException", err, want.dom)
		}
		if want.phase != "" {
			if p, _ := timeoutPhase(err); p != want.phase {
				t.Errorf("phase %q, want %q (err %v)", p, want.phase, err)
			}
		}
	case want.reason != "":
		if r := networkReason(err); r != want.reason {
			t.Fatalf("reason %q, want %q (err %v)", r, want.reason, err)
		}
		if want.reason == errs.ReasonTimeout {
			if p, _ := timeoutPhase(err); p != want.phase || !errors.Is(err, ErrTimeout) {
				t.Errorf("phase %q, want %q; errors.Is(ErrTimeout) %v (err %v)", p, want.phase, errors.Is(err, ErrTimeout), err)
			}
		}
	default:
		if err != nil {
			t.Fatalf("err %v, want status %d", err, want.status)
		}
		if status != want.status {
			t.Errorf("status %d, want %d", status, want.status)
		}
		if want.body != nil && string(body) != *want.body {
			t.Errorf("body %.60q, want %.60q", body, *want.body)
		}
	}
}
