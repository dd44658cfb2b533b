package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// Tests of the Go-client features beyond the standard: observer events,
// retries, middleware, default headers and helpers.

func TestObserverProgressAndChunks(t *testing.T) {
	payload := strings.Repeat("wfetch-", 20000) // 140,000 bytes
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, payload)
	zw.Close()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Got", strconv.Itoa(len(got)))
		if r.URL.Path == "/gz" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Length", strconv.Itoa(gz.Len()))
			w.Write(gz.Bytes())
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(payload)))
		io.WriteString(w, payload)
	})
	c := newTestClient(t)
	for _, tc := range []struct {
		name       string
		path       string
		upload     body.Init
		upTotal    int64
		wireTotal  int64
		decodedLen int64
	}{
		{"bytes upload, plain", "/", []byte(strings.Repeat("u", 70000)), 70000, int64(len(payload)), int64(len(payload))},
		{"stream upload, gzip", "/gz", strings.NewReader(strings.Repeat("s", 50000)), -1, int64(gz.Len()), int64(len(payload))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ups, downs []Progress
			var chunked int64
			var headersSeen int
			obs := &Observer{
				ProgressInterval: -1,
				UploadProgress:   func(p Progress) { ups = append(ups, p) },
				DownloadProgress: func(p Progress) { downs = append(downs, p) },
				Chunk:            func(b []byte) error { chunked += int64(len(b)); return nil },
				Headers: func(r *response.Response) error {
					headersSeen++
					if r.BodyUsed() {
						t.Error("Headers called after the body was read")
					}
					return nil
				},
			}
			ctx := WithObserver(context.Background(), obs)
			r, err := c.Fetch(ctx, srv.URL+tc.path, &request.Init{Method: ptr("POST"), Body: tc.upload, Duplex: ptr(request.DuplexHalf)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Text()
			if err != nil || got != payload {
				t.Fatalf("body: %d bytes, %v", len(got), err)
			}
			if headersSeen != 1 {
				t.Errorf("Headers called %d times", headersSeen)
			}
			if len(ups) == 0 || len(downs) == 0 {
				t.Fatalf("%d upload and %d download reports", len(ups), len(downs))
			}
			lastUp, lastDown := ups[len(ups)-1], downs[len(downs)-1]
			wantUp := Progress{Transferred: 70000, Decoded: 70000, Total: tc.upTotal, Done: true}
			if tc.upTotal < 0 {
				wantUp = Progress{Transferred: 50000, Decoded: 50000, Total: -1, Done: true}
			}
			if diff := cmp.Diff(wantUp, lastUp); diff != "" {
				t.Errorf("last upload report (-want +got)\n%s", diff)
			}
			wantDown := Progress{Transferred: tc.wireTotal, Decoded: tc.decodedLen, Total: tc.wireTotal, Done: true}
			if diff := cmp.Diff(wantDown, lastDown); diff != "" {
				t.Errorf("last download report (-want +got)\n%s", diff)
			}
			if chunked != tc.decodedLen {
				t.Errorf("chunks carried %d bytes, want %d", chunked, tc.decodedLen)
			}
			for i := 1; i < len(downs); i++ {
				if downs[i].Decoded < downs[i-1].Decoded || downs[i-1].Done {
					t.Errorf("download reports out of order at %d: %+v", i, downs)
					break
				}
			}
		})
	}
}

func TestObserverThrottle(t *testing.T) {
	// A huge interval: only the first and the final report are made.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 50; i++ {
			w.Write(bytes.Repeat([]byte("x"), 1000))
			w.(http.Flusher).Flush()
		}
	})
	var n int
	var last Progress
	obs := &Observer{ProgressInterval: time.Hour, DownloadProgress: func(p Progress) { n++; last = p }}
	r := mustFetchCtx(t, newTestClient(t), WithObserver(context.Background(), obs), srv.URL, nil)
	if _, err := r.Bytes(); err != nil {
		t.Fatal(err)
	}
	if n != 2 || !last.Done || last.Decoded != 50000 {
		t.Errorf("%d reports, last %+v; want 2, the last done with 50000 bytes", n, last)
	}
}

func mustFetchCtx(t *testing.T, c *Client, ctx context.Context, u string, init *request.Init) *response.Response {
	t.Helper()
	r, err := c.Fetch(ctx, u, init)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", u, err)
	}
	return r
}

func TestObserverHeadersAbortAndChunkError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("b", 100000))
	})
	c := newTestClient(t)
	checkNoLeak(t, c)
	stop := errors.New("not this one")
	ctx := WithObserver(context.Background(), &Observer{Headers: func(*response.Response) error { return stop }})
	if _, err := c.Fetch(ctx, srv.URL, nil); !errors.Is(err, stop) {
		t.Errorf("Headers error: got %v", err)
	}
	tooMuch := errors.New("enough")
	var seen int
	ctx = WithObserver(context.Background(), &Observer{Chunk: func(b []byte) error {
		seen += len(b)
		if seen > 1000 {
			return tooMuch
		}
		return nil
	}})
	r := mustFetchCtx(t, c, ctx, srv.URL, nil)
	if _, err := r.Bytes(); !errors.Is(err, tooMuch) {
		t.Errorf("Chunk error: got %v", err)
	}
}

func TestObserverRedirectAndLogin(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			w.Header().Set("Location", "/next")
			w.WriteHeader(302)
			io.WriteString(w, "moved")
		case "/next":
			io.WriteString(w, "arrived")
		case "/private":
			if u, p, ok := r.BasicAuth(); ok && u == "ada" && p == "secret" {
				io.WriteString(w, "welcome")
				return
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="zone"`)
			w.WriteHeader(401)
		}
	})
	var clientHook []string
	c := newTestClient(t, WithRedirectHook(func(ri RedirectInfo) error { clientHook = append(clientHook, ri.URL); return nil }))
	// Follow.
	var infos []RedirectInfo
	ctx := WithObserver(context.Background(), &Observer{Redirect: func(ri RedirectInfo) error { infos = append(infos, ri); return nil }})
	r := mustFetchCtx(t, c, ctx, srv.URL+"/start", nil)
	if got := text(t, r); got != "arrived" || len(infos) != 1 || infos[0].URL != srv.URL+"/next" || infos[0].Status != 302 || infos[0].Count != 1 {
		t.Errorf("follow: %q, infos %+v", got, infos)
	}
	// Stop: the 3xx itself, body included.
	ctx = WithObserver(context.Background(), &Observer{Redirect: func(RedirectInfo) error { return ErrStopRedirect }})
	r = mustFetchCtx(t, c, ctx, srv.URL+"/start", nil)
	got := []any{r.Status(), r.Headers().Value("Location"), text(t, r)}
	if diff := cmp.Diff([]any{302, "/next", "moved"}, got); diff != "" {
		t.Errorf("stop (-want +got)\n%s", diff)
	}
	// Fail.
	veto := errors.New("no")
	ctx = WithObserver(context.Background(), &Observer{Redirect: func(RedirectInfo) error { return veto }})
	if _, err := c.Fetch(ctx, srv.URL+"/start", nil); !errors.Is(err, veto) || networkReason(err) != ReasonRedirect {
		t.Errorf("veto: %v", err)
	}
	// Login per request; the client has no login hook.
	var realm string
	ctx = WithObserver(context.Background(), &Observer{Login: func(_ context.Context, ch AuthChallenge) (string, string, bool) {
		realm = ch.Realm
		return "ada", "secret", true
	}})
	r = mustFetchCtx(t, c, ctx, srv.URL+"/private", &request.Init{Credentials: ptr(request.CredentialsInclude)})
	if got := text(t, r); got != "welcome" || realm != "zone" {
		t.Errorf("login: %q realm %q", got, realm)
	}
	// Without the observer: the 401.
	r = mustFetch(t, newTestClient(t), srv.URL+"/private", nil)
	if r.Status() != 401 {
		t.Errorf("no login: %d", r.Status())
	}
	r.Close()
}

func TestRetry(t *testing.T) {
	var hits atomic.Int32
	var bodies sync.Map
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		bodies.Store(n, string(b))
		switch r.URL.Path {
		case "/flaky": // fails twice, then works
			if n <= 2 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(503)
				io.WriteString(w, "busy")
				return
			}
			io.WriteString(w, "ok "+r.Method)
		case "/down":
			w.WriteHeader(502)
		case "/later":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(429)
		case "/404":
			w.WriteHeader(404)
		}
	})
	fast := &RetryPolicy{BaseDelay: time.Microsecond, MaxDelay: time.Microsecond}
	c := newTestClient(t, WithRetry(fast))
	ctx := context.Background()
	tests := []struct {
		name     string
		ctx      context.Context
		path     string
		init     *request.Init
		status   int
		attempts int
		hits     int32
	}{
		{"GET retried until it works", ctx, "/flaky", nil, 200, 3, 3},
		{"PUT with a bytes body is resent", ctx, "/flaky", &request.Init{Method: ptr("PUT"), Body: "data"}, 200, 3, 3},
		{"POST is not retried", ctx, "/flaky", &request.Init{Method: ptr("POST"), Body: "data"}, 503, 1, 1},
		{"POST retried when allowed", WithRetryPolicy(ctx, &RetryPolicy{NonIdempotent: true, BaseDelay: time.Microsecond}), "/flaky", &request.Init{Method: ptr("POST"), Body: "data"}, 200, 3, 3},
		{"a stream body is never resent", ctx, "/flaky", &request.Init{Method: ptr("PUT"), Body: strings.NewReader("s"), Duplex: ptr(request.DuplexHalf)}, 503, 1, 1},
		{"max attempts", ctx, "/down", nil, 502, 3, 3},
		{"Retry-After too long", ctx, "/later", nil, 429, 1, 1},
		{"404 is final", ctx, "/404", nil, 404, 1, 1},
		{"retries off per context", WithRetryPolicy(ctx, &RetryPolicy{MaxAttempts: 1}), "/down", nil, 502, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits.Store(0)
			r, err := c.Fetch(tc.ctx, srv.URL+tc.path, tc.init)
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			got := []any{r.Status(), Attempts(r), hits.Load()}
			if diff := cmp.Diff([]any{tc.status, tc.attempts, tc.hits}, got); diff != "" {
				t.Errorf("status, attempts, hits (-want +got)\n%s", diff)
			}
			if tc.init != nil && tc.init.Body == "data" {
				for i := int32(1); i <= hits.Load(); i++ {
					if b, _ := bodies.Load(i); b != "data" {
						t.Errorf("attempt %d sent body %q", i, b)
					}
				}
			}
		})
	}
}

func TestRetryNetworkErrorAndAbort(t *testing.T) {
	// A server that resets the first connection, then answers.
	var hits atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		io.WriteString(w, "fine")
	})
	var retries []int
	obs := &Observer{Retry: func(attempt int, d time.Duration, resp *response.Response, err error) {
		retries = append(retries, attempt)
		if err == nil {
			t.Errorf("retry without an error")
		}
	}}
	c := newTestClient(t, WithRetry(&RetryPolicy{BaseDelay: time.Microsecond}))
	r := mustFetchCtx(t, c, WithObserver(context.Background(), obs), srv.URL, nil)
	if got := text(t, r); got != "fine" || Attempts(r) != 2 || !cmp.Equal(retries, []int{1}) {
		t.Errorf("got %q after %d attempts, retries %v", got, Attempts(r), retries)
	}

	// An abort while waiting stops at once with the reason.
	down := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	ctl := abort.NewController()
	obs = &Observer{Retry: func(int, time.Duration, *response.Response, error) { ctl.Abort(nil) }}
	slow := newTestClient(t, WithRetry(&RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}))
	_, err := slow.Fetch(WithObserver(context.Background(), obs), down.URL, &request.Init{Signal: ctl.Signal()})
	if !errors.Is(err, ErrAbort) {
		t.Errorf("abort while waiting: %v", err)
	}

	// A failure after retries says how many attempts were made.
	dead := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	})
	_, err = c.Fetch(context.Background(), dead.URL, nil)
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != DefaultMaxAttempts || networkReason(err) == "" {
		t.Errorf("dead server: %v", err)
	}
}

func TestRetryDelay(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 7 ", 7 * time.Second, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
		{"-1", 0, false},
	} {
		d, ok := parseRetryAfter(tc.v, now)
		if d != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.v, d, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		attempt int
		jitter  float64
		want    time.Duration
	}{
		{1, 0, 50 * time.Millisecond},
		{1, 0.999999, 99999950 * time.Nanosecond},
		{2, 0, 100 * time.Millisecond},
		{3, 0.5, 300 * time.Millisecond},
		{20, 0, 500 * time.Millisecond}, // capped at 1 s, then halved
	} {
		if got := backoff(100*time.Millisecond, time.Second, tc.attempt, tc.jitter); got != tc.want {
			t.Errorf("backoff(attempt %d, jitter %v) = %v, want %v", tc.attempt, tc.jitter, got, tc.want)
		}
	}
}

func TestMiddleware(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			w.WriteHeader(404)
			return
		}
		fmt.Fprintf(w, "%s %s", r.Header.Get("X-Trace"), r.Header.Get("X-Order"))
	})
	var order []string
	trace := func(name string) Middleware {
		return func(next Handler) Handler {
			return func(ctx context.Context, req *request.Request) (*response.Response, error) {
				order = append(order, name+">")
				req.Headers().Append("X-Order", name)
				resp, err := next(ctx, req)
				order = append(order, "<"+name)
				return resp, err
			}
		}
	}
	errStatus := errors.New("bad status")
	c := newTestClient(t, WithMiddleware(
		trace("a"), trace("b"),
		OnRequest(func(ctx context.Context, req *request.Request) (*request.Request, error) {
			req.Headers().Set("X-Trace", "t1")
			return nil, nil
		}),
		OnResponse(func(ctx context.Context, req *request.Request, resp *response.Response) (*response.Response, error) {
			if !resp.OK() {
				resp.Close()
				return nil, fmt.Errorf("%w: %d", errStatus, resp.Status())
			}
			return resp, nil
		}),
		// Answers cache:// style requests without the network.
		func(next Handler) Handler {
			return func(ctx context.Context, req *request.Request) (*response.Response, error) {
				if strings.HasSuffix(req.URL(), "/canned") {
					return response.New("from middleware", nil)
				}
				return next(ctx, req)
			}
		},
	))
	r := mustFetch(t, c, srv.URL+"/", nil)
	if got := text(t, r); got != "t1 a, b" {
		t.Errorf("body %q", got)
	}
	if diff := cmp.Diff([]string{"a>", "b>", "<b", "<a"}, order); diff != "" {
		t.Errorf("order (-want +got)\n%s", diff)
	}
	if _, err := c.Fetch(context.Background(), srv.URL+"/missing", nil); !errors.Is(err, errStatus) {
		t.Errorf("404 as an error: %v", err)
	}
	r = mustFetch(t, c, srv.URL+"/canned", nil)
	if got := text(t, r); got != "from middleware" {
		t.Errorf("canned %q", got)
	}
	// OnError: a fallback response.
	fb := newTestClient(t, WithMiddleware(OnError(func(ctx context.Context, req *request.Request, err error) (*response.Response, error) {
		return response.New("fallback", nil)
	})))
	r = mustFetch(t, fb, "http://127.0.0.1:1/", nil) // port 1 is a bad port: a network error
	if got := text(t, r); got != "fallback" {
		t.Errorf("fallback %q", got)
	}
}

// TestTokenRefreshLock: many requests get a 401 with an old token at once;
// one refresh runs while the others wait at the lock, then all retry with
// the new token.
func TestTokenRefreshLock(t *testing.T) {
	var token atomic.Value
	token.Store("old")
	var refreshes atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/refresh":
			refreshes.Add(1)
			io.WriteString(w, "new")
		default:
			if r.Header.Get("Authorization") != "Bearer new" {
				w.WriteHeader(401)
				return
			}
			io.WriteString(w, "data")
		}
	})
	var lock RequestLock
	var mu sync.Mutex
	var c *Client
	auth := func(next Handler) Handler {
		return func(ctx context.Context, req *request.Request) (*response.Response, error) {
			retry, err := req.Clone()
			if err != nil {
				return nil, err
			}
			sent := token.Load().(string)
			req.Headers().Set("Authorization", "Bearer "+sent)
			resp, err := next(ctx, req)
			if err != nil || resp.Status() != 401 {
				return resp, err
			}
			resp.Close()
			mu.Lock() // one refresh at a time; the others find it done
			if token.Load().(string) == sent {
				lock.Lock()
				r, err := c.Fetch(lock.SkipLock(ctx), srv.URL+"/refresh", nil)
				if err == nil {
					s, _ := r.Text()
					token.Store(s)
				}
				lock.Unlock()
			}
			mu.Unlock()
			retry.Headers().Set("Authorization", "Bearer "+token.Load().(string))
			return next(ctx, retry)
		}
	}
	c = newTestClient(t, WithMiddleware(lock.Middleware(), auth))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Fetch(context.Background(), srv.URL+"/api", nil)
			if err != nil {
				errs <- err
				return
			}
			if s, _ := r.Text(); s != "data" {
				errs <- fmt.Errorf("got %q (%d)", s, r.Status())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := refreshes.Load(); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	// A locked lock holds requests until their context ends.
	lock.Lock()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Fetch(ctx, srv.URL+"/api", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("locked, cancelled: %v", err)
	}
	lock.Unlock()
}

func TestDefaultHeadersAndHelpers(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
		fmt.Fprintf(w, "%s|%s|%s|%s|%s|%s", r.Header.Get("X-Api-Key"), r.Header.Get("Accept"),
			r.URL.RawQuery, r.Header.Get("Content-Type"), b, "\xe9")
	})
	c := newTestClient(t, WithDefaultHeaders(headers.Map{"X-Api-Key": "k1", "Accept": "application/json"}))
	jb, err := body.JSON(map[string]any{"name": "ada"})
	if err != nil {
		t.Fatal(err)
	}
	u := AddQuery(srv.URL+"/search?x=1", url.Values{"q": {"go fetch"}, "a": {"1", "2"}})
	r := mustFetch(t, c, u, &request.Init{Method: ptr("POST"), Body: jb, Headers: headers.Map{"Accept": "text/plain"}})
	if n := r.ContentLength(); n <= 0 {
		t.Errorf("ContentLength %d", n)
	}
	got, err := r.DecodedText()
	if err != nil {
		t.Fatal(err)
	}
	want := `k1|text/plain|x=1&a=1&a=2&q=go+fetch|application/json|{"name":"ada"}|é`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if AddQuery("not a url", url.Values{"a": {"b"}}) != "not a url" {
		t.Error("AddQuery changed a bad URL")
	}
	if _, err := NewClient(WithDefaultHeaders(headers.Map{"Bad Name": "x"})).Fetch(context.Background(), srv.URL, nil); err == nil {
		t.Error("a bad default header was accepted")
	}
}

func TestResponseContentLength(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  int64
	}{
		{"", -1}, {"12", 12}, {"12, 12", 12}, {"12, 13", -1}, {"-1", -1}, {"1e3", -1}, {"0", 0},
	} {
		h := headers.Map{}
		if tc.value != "" {
			h["Content-Length"] = tc.value
		}
		r, err := response.New(nil, &response.Init{Headers: h})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.ContentLength(); got != tc.want {
			t.Errorf("Content-Length %q: %d, want %d", tc.value, got, tc.want)
		}
	}
}
