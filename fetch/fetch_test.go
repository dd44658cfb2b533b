package fetch

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

func TestSchemes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "page.html"), []byte("<p>hi</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data.json"), []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := newTestClient(t, WithFileAccess(dir))
	plain := newTestClient(t)
	blob, _ := body.NewBlob([]any{"blob body"}, body.BlobOptions{Type: "text/plain"})
	blobURL := plain.CreateObjectURL(blob)
	revoked := plain.CreateObjectURL(blob)
	plain.RevokeObjectURL(revoked)

	type result struct {
		Status      int
		StatusText  string
		ContentType string
		Body        string
		Reason      errs.NetworkReason
	}
	tests := []struct {
		name   string
		c      *Client
		url    string
		init   *request.Init
		want   result
		wantTE bool // a TypeError from the Request constructor
	}{
		{"about:blank", plain, "about:blank", nil, result{Status: 200, StatusText: "OK", ContentType: "text/html;charset=utf-8"}, false},
		{"about:other", plain, "about:srcdoc", nil, result{Reason: errs.ReasonScheme}, false},
		{"data", plain, "data:text/plain;base64,aGVsbG8=", nil, result{Status: 200, StatusText: "OK", ContentType: "text/plain", Body: "hello"}, false},
		{"data default type", plain, "data:,a%20b", nil, result{Status: 200, StatusText: "OK", ContentType: "text/plain;charset=US-ASCII", Body: "a b"}, false},
		{"data bad base64", plain, "data:;base64,%%%", nil, result{Reason: errs.ReasonOther}, false},
		{"data POST", plain, "data:,x", &request.Init{Method: ptr("POST")}, result{Status: 200, StatusText: "OK", ContentType: "text/plain;charset=US-ASCII", Body: "x"}, false},
		{"blob", plain, blobURL, nil, result{Status: 200, StatusText: "OK", ContentType: "text/plain", Body: "blob body"}, false},
		{"blob range", plain, blobURL, &request.Init{Headers: headers.Map{"Range": "bytes=5-"}}, result{Status: 206, StatusText: "Partial Content", ContentType: "text/plain", Body: "body"}, false},
		{"blob suffix range", plain, blobURL, &request.Init{Headers: headers.Map{"Range": "bytes=-3"}}, result{Status: 206, StatusText: "Partial Content", ContentType: "text/plain", Body: "ody"}, false},
		{"blob range past end", plain, blobURL, &request.Init{Headers: headers.Map{"Range": "bytes=50-"}}, result{Reason: errs.ReasonOther}, false},
		{"blob POST", plain, blobURL, &request.Init{Method: ptr("POST")}, result{Reason: errs.ReasonOther}, false},
		{"blob revoked", plain, revoked, nil, result{Reason: errs.ReasonOther}, false},
		{"file off", plain, "file:///etc/hostname", nil, result{Reason: errs.ReasonScheme}, false},
		{"file html", files, "file:///page.html", nil, result{Status: 200, StatusText: "OK", ContentType: "text/html; charset=utf-8", Body: "<p>hi</p>"}, false},
		{"file json", files, "file:///data.json#frag", nil, result{Status: 200, StatusText: "OK", ContentType: "application/json", Body: `{"a":1}`}, false},
		{"file dotdot", files, "file:///sub/../../etc/passwd", nil, result{Reason: errs.ReasonOther}, false},
		{"file escape encoded", files, "file:///%2e%2e/etc/passwd", nil, result{Reason: errs.ReasonOther}, false},
		{"file directory", files, "file:///sub", nil, result{Reason: errs.ReasonOther}, false},
		{"file missing", files, "file:///nope.txt", nil, result{Reason: errs.ReasonOther}, false},
		{"file host", files, "file://example.com/page.html", nil, result{Reason: errs.ReasonScheme}, false},
		{"ftp", plain, "ftp://127.0.0.1/x", nil, result{Reason: errs.ReasonScheme}, false},
		{"custom scheme", plain, "web+x:foo", nil, result{Reason: errs.ReasonScheme}, false},
		{"relative without base", plain, "/path", nil, result{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.c.Fetch(context.Background(), tt.url, tt.init)
			if tt.wantTE {
				var te *errs.TypeError
				if err == nil || !asTypeError(err, &te) || networkReason(err) != "" {
					t.Fatalf("want a constructor TypeError, got %v", err)
				}
				return
			}
			var got result
			if err != nil {
				got.Reason = networkReason(err)
				if got.Reason == "" {
					t.Fatalf("error is not a network error: %v", err)
				}
			} else {
				got.Status, got.StatusText = r.Status(), r.StatusText()
				got.ContentType = r.Headers().Value("Content-Type")
				got.Body = text(t, r)
			}
			// A file path escaping the root may fail as blocked or not found.
			if tt.want.Reason == errs.ReasonOther && got.Reason == errs.ReasonBlocked {
				got.Reason = errs.ReasonOther
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func asTypeError(err error, te **errs.TypeError) bool {
	v, ok := err.(*errs.TypeError)
	*te = v
	return ok
}

// TestRequestHeaders checks the headers the user agent adds.
func TestRequestHeaders(t *testing.T) {
	var got http.Header
	var gotLen int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		gotLen = r.ContentLength
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Body", string(b))
	})
	tests := []struct {
		name    string
		opts    []Option
		init    *request.Init
		want    map[string]string // "" means absent
		wantLen int64
	}{
		{"defaults", nil, nil, map[string]string{
			"Accept": "*/*", "Accept-Encoding": "gzip, deflate, br, zstd", "User-Agent": "wfetch",
			"Accept-Language": "", "Origin": "", "Referer": "", "Cookie": "", "Cache-Control": "", "Pragma": "",
		}, 0},
		{"user agent option", []Option{WithUserAgent("test/1.0"), WithAcceptLanguage("en-GB")}, nil,
			map[string]string{"User-Agent": "test/1.0", "Accept-Language": "en-GB"}, 0},
		{"no user agent", []Option{WithUserAgent("")}, nil, map[string]string{"User-Agent": ""}, 0},
		{"own values kept", nil, &request.Init{Headers: headers.Map{"Accept": "text/html", "User-Agent": "mine", "Accept-Encoding": "br"}},
			map[string]string{"Accept": "text/html", "User-Agent": "mine", "Accept-Encoding": "br"}, 0},
		{"string body", nil, &request.Init{Method: ptr("POST"), Body: "hello"},
			map[string]string{"Content-Type": "text/plain;charset=UTF-8"}, 5},
		{"POST without body", nil, &request.Init{Method: ptr("POST")}, map[string]string{"Content-Type": ""}, 0},
		{"range", nil, &request.Init{Headers: headers.Map{"Range": "bytes=0-1"}},
			map[string]string{"Range": "bytes=0-1", "Accept-Encoding": "identity"}, 0},
		{"no-cache", nil, &request.Init{Cache: ptr(request.CacheNoCache)},
			map[string]string{"Cache-Control": "max-age=0", "Pragma": ""}, 0},
		{"no-store", nil, &request.Init{Cache: ptr(request.CacheNoStore)},
			map[string]string{"Cache-Control": "no-cache", "Pragma": "no-cache"}, 0},
		{"reload", nil, &request.Init{Cache: ptr(request.CacheReload)},
			map[string]string{"Cache-Control": "no-cache", "Pragma": "no-cache"}, 0},
		{"no-store keeps own Cache-Control", nil, &request.Init{Cache: ptr(request.CacheNoStore), Headers: headers.Map{"Cache-Control": "max-age=5"}},
			map[string]string{"Cache-Control": "max-age=5", "Pragma": "no-cache"}, 0},
		{"server runtime may set Host-like forbidden headers", nil, &request.Init{Headers: headers.Map{"Cookie": "a=b", "Origin": "https://x.test"}},
			map[string]string{"Cookie": "a=b", "Origin": "https://x.test"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, tt.opts...)
			r := mustFetch(t, c, srv.URL, tt.init)
			_ = text(t, r)
			for name, want := range tt.want {
				if g := strings.Join(got[http.CanonicalHeaderKey(name)], ", "); g != want {
					t.Errorf("%s = %q, want %q", name, g, want)
				}
			}
			if gotLen != tt.wantLen {
				t.Errorf("Content-Length = %d, want %d", gotLen, tt.wantLen)
			}
		})
	}
}

// TestResponse checks status, status text, header duplicates, URL and type.
func TestResponse(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-Dup", "1")
		w.Header().Add("X-Dup", "2")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.WriteHeader(418)
		io.WriteString(w, "teapot")
	})
	c := newTestClient(t)
	r := mustFetch(t, c, srv.URL+"/p?q#frag", nil)
	got := map[string]any{
		"status": r.Status(), "statusText": r.StatusText(), "ok": r.OK(), "type": string(r.Type()),
		"url": r.URL(), "redirected": r.Redirected(), "dup": r.Headers().Value("X-Dup"),
		"setcookie": r.Headers().GetSetCookie(), "body": text(t, r),
	}
	want := map[string]any{
		"status": 418, "statusText": "I'm a teapot", "ok": false, "type": "basic",
		"url": srv.URL + "/p?q", "redirected": false, "dup": "1, 2",
		"setcookie": []string{"a=1", "b=2"}, "body": "teapot",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// A browser environment hides Set-Cookie (basic filter); it stays on
	// the internal response.
	bc := newTestClient(t, WithOrigin(srv.URL))
	r = mustFetch(t, bc, srv.URL+"/p", nil)
	if v := r.Headers().GetSetCookie(); len(v) != 0 || r.Type() != "basic" {
		t.Errorf("browser Set-Cookie = %v, type %s", v, r.Type())
	}
	if v := r.Internal().Unfiltered().Header.Values("Set-Cookie"); len(v) != 2 {
		t.Errorf("internal Set-Cookie = %v", v)
	}
	_ = text(t, r)
}

// TestRawStatusLine checks status messages as sent, including an empty one.
func TestRawStatusLine(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	lines := map[string]string{"/a": "HTTP/1.1 200 Fine Thanks", "/b": "HTTP/1.1 204", "/c": "HTTP/1.1 599 Custom"}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				fmt.Fprintf(conn, "%s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", lines[req.URL.Path])
			}()
		}
	}()
	c := newTestClient(t)
	for path, want := range map[string]string{"/a": "Fine Thanks", "/b": "", "/c": "Custom"} {
		r := mustFetch(t, c, "http://"+ln.Addr().String()+path, nil)
		if r.StatusText() != want {
			t.Errorf("%s: statusText %q, want %q", path, r.StatusText(), want)
		}
		_ = text(t, r)
	}
}

func TestHEADAndNullBodyStatus(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/204":
			w.WriteHeader(204)
		case "/304":
			w.WriteHeader(304)
		default:
			io.WriteString(w, "body")
		}
	})
	c := newTestClient(t)
	for _, tc := range []struct {
		path, method string
	}{{"/", "HEAD"}, {"/204", "GET"}, {"/304", "GET"}} {
		r := mustFetch(t, c, srv.URL+tc.path, &request.Init{Method: ptr(tc.method)})
		if r.Body() != nil {
			t.Errorf("%s %s: body is not null", tc.method, tc.path)
		}
	}
}

func TestTiming(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "x") })
	c := newTestClient(t)
	r := mustFetch(t, c, srv.URL, nil)
	ti := Timing(r)
	if ti.StartTime.IsZero() || ti.ConnectStart.IsZero() || ti.ConnectEnd.IsZero() || ti.RequestStart.IsZero() || ti.ResponseStart.IsZero() {
		t.Errorf("timing not filled: %+v", ti)
	}
	if !ti.ResponseEnd.IsZero() {
		t.Errorf("response end set before the body was read")
	}
	_ = text(t, r)
	ti = Timing(r)
	if ti.ResponseEnd.IsZero() || ti.ResponseEnd.Before(ti.ResponseStart) || ti.ResponseStart.Before(ti.StartTime) {
		t.Errorf("bad timing order: %+v", ti)
	}
}

func TestInterceptor(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("X-Order"))
	})
	mk := func(tag string) Interceptor {
		return func(next http.RoundTripper) http.RoundTripper {
			return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				r.Header.Set("X-Order", r.Header.Get("X-Order")+tag)
				resp, err := next.RoundTrip(r)
				if err == nil {
					resp.Header.Add("X-Seen", tag)
				}
				return resp, err
			})
		}
	}
	c := newTestClient(t, WithInterceptor(mk("a"), mk("b")))
	r := mustFetch(t, c, srv.URL, nil)
	if got := text(t, r); got != "ab" {
		t.Errorf("order = %q, want ab", got)
	}
	if got := r.Headers().Value("X-Seen"); got != "b, a" {
		t.Errorf("X-Seen = %q", got)
	}
	// An interceptor can answer without the network.
	stub := newTestClient(t, WithInterceptor(func(http.RoundTripper) http.RoundTripper {
		return RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 201, Status: "201 Made Up", ProtoMajor: 1, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("stub"))}, nil
		})
	}))
	r = mustFetch(t, stub, "http://stub.invalid/", nil)
	if r.Status() != 201 || r.StatusText() != "Made Up" || text(t, r) != "stub" {
		t.Errorf("stub response wrong")
	}
}

func TestNetworkErrors(t *testing.T) {
	// A closed port: connection refused.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	// A server that hangs up after reading the request.
	hang, _ := net.Listen("tcp", "127.0.0.1:0")
	defer hang.Close()
	go func() {
		for {
			conn, err := hang.Accept()
			if err != nil {
				return
			}
			go func() {
				http.ReadRequest(bufio.NewReader(conn))
				conn.Close()
			}()
		}
	}()
	// A server that speaks garbage.
	junk, _ := net.Listen("tcp", "127.0.0.1:0")
	defer junk.Close()
	go func() {
		for {
			conn, err := junk.Accept()
			if err != nil {
				return
			}
			go func() {
				http.ReadRequest(bufio.NewReader(conn))
				io.WriteString(conn, "NOT HTTP AT ALL\r\n\r\n")
				conn.Close()
			}()
		}
	}()
	tlsSrv := newTLSServer(t)
	c := newTestClient(t, WithDialContext(testDial))
	tests := []struct {
		url  string
		want errs.NetworkReason
	}{
		{"http://" + addr + "/", errs.ReasonConnect},
		{"http://" + hang.Addr().String() + "/", errs.ReasonReset},
		{"http://" + junk.Addr().String() + "/", errs.ReasonProtocol},
		{tlsSrv.URL, errs.ReasonTLS},
		{"http://no-such-host.invalid/", errs.ReasonConnect},
	}
	for _, tt := range tests {
		_, err := c.Fetch(context.Background(), tt.url, nil)
		if got := networkReason(err); got != tt.want {
			t.Errorf("%s: reason %q, want %q (err %v)", tt.url, got, tt.want, err)
		}
	}
	// A DNS failure, from a dialer that cannot resolve.
	dnsFail := newTestClient(t, WithDialContext(func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}}
	}))
	_, err := dnsFail.Fetch(context.Background(), "http://x.invalid/", nil)
	if got := networkReason(err); got != errs.ReasonDNS {
		t.Errorf("DNS failure reason %q (err %v)", got, err)
	}
}

// TestNetworkErrorShape checks the error chain fetch rejects with.
func TestNetworkErrorShape(t *testing.T) {
	c := newTestClient(t)
	_, err := c.Fetch(context.Background(), "http://127.0.0.1:1/", nil)
	var te *TypeError
	var ne *NetworkError
	if !asTypeError(err, &te) || te.Message != "fetch failed" {
		t.Fatalf("not a TypeError 'fetch failed': %#v", err)
	}
	if !errorsAs(err, &ne) || ne.Reason != errs.ReasonBlocked {
		t.Fatalf("cause: %v", err)
	}
	if !errorsIs(err, ErrNetwork) {
		t.Errorf("errors.Is(err, ErrNetwork) is false")
	}
}
