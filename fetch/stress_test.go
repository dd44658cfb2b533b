package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/cookiejar"
	"github.com/wfetch/wfetch/request"
)

// countingServer is an httptest server that counts its open connections.
type countingServer struct {
	*httptest.Server
	open atomic.Int64
}

func newCountingServer(t *testing.T, h http.HandlerFunc) *countingServer {
	s := &countingServer{}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.open.Add(1)
		case http.StateClosed, http.StateHijacked:
			s.open.Add(-1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// stagedBody is the body the abort server sends: 16 chunks of 1 KiB.
var stagedBody = strings.Repeat(strings.Repeat("0123456789abcdef", 64), 16)

// stagedHandler reads the request body, then answers in stages (headers,
// then the body a chunk at a time, flushing and yielding between), so an
// abort can land anywhere.
func stagedHandler(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Length", strconv.Itoa(len(stagedBody)))
	w.WriteHeader(200)
	w.(http.Flusher).Flush()
	for i := 0; i < len(stagedBody); i += 1024 {
		if _, err := io.WriteString(w, stagedBody[i:i+1024]); err != nil {
			return
		}
		if i%4096 == 0 {
			w.(http.Flusher).Flush()
			runtime.Gosched()
		}
	}
}

// TestRandomStageAborts runs many fetches against one shared Client and
// aborts each at a random stage: before the call, after a random delay
// (dial, request write, waiting for headers, body), after the headers, or
// in the middle of the body; some are not aborted. Each fetch must end in
// the complete body or in the AbortError, nothing else, and afterwards no
// goroutine and no server connection may be left.
//
// 2,000 aborts by default (a few seconds under -race); the stress command
// runs 10,000:
//
//	WFETCH_ABORTS=10000 go test -race -run TestRandomStageAborts ./fetch
func TestRandomStageAborts(t *testing.T) {
	n := 2000
	if v := os.Getenv("WFETCH_ABORTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatalf("WFETCH_ABORTS=%q: %v", v, err)
		}
	}
	before := runtime.NumGoroutine()
	srv := newCountingServer(t, stagedHandler)
	c := NewClient()
	var aborted, completed atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 12))
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				err := abortOnce(c, srv.URL, rng)
				switch {
				case err == nil:
					completed.Add(1)
				case errors.Is(err, ErrAbort):
					aborted.Add(1)
				default:
					t.Errorf("fetch %d: %v (want the body or the AbortError)", i, err)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d fetches: %d aborted, %d completed", n, aborted.Load(), completed.Load())
	if !waitFor(func() bool { return srv.open.Load() == 0 }, c.CloseIdleConnections) {
		t.Errorf("connection leak: the server still has %d connection(s) open", srv.open.Load())
	}
	srv.Close()
	var g int
	if !waitFor(func() bool { g = runtime.NumGoroutine(); return g <= before }, c.CloseIdleConnections) {
		t.Errorf("goroutine leak: %d before, %d after\n%s", before, g, leakedStacks())
	}
}

// abortOnce runs one fetch aborted at a random stage. It returns nil when
// the whole body arrived intact.
func abortOnce(c *Client, url string, rng *rand.Rand) error {
	ctrl := abort.NewController()
	init := &request.Init{Signal: ctrl.Signal()}
	if rng.IntN(4) == 0 {
		init.Method = ptr("POST")
		init.Body = strings.Repeat("u", rng.IntN(64<<10))
	}
	stage := rng.IntN(6)
	switch stage {
	case 0: // before the call
		ctrl.Abort(nil)
	case 1: // somewhere in the network exchange
		tm := time.AfterFunc(time.Duration(rng.IntN(2000))*time.Microsecond, func() { ctrl.Abort(nil) })
		defer tm.Stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := c.Fetch(ctx, url, init)
	if err != nil {
		return err
	}
	switch stage {
	case 2: // after the headers, before reading
		ctrl.Abort(nil)
	case 3: // in the middle of the body
		rd, err := resp.Body().GetReader()
		if err != nil {
			return err
		}
		buf := make([]byte, 1+rng.IntN(len(stagedBody)-1))
		if _, err := io.ReadFull(rd, buf); err != nil {
			return err
		}
		ctrl.Abort(nil)
		_, err = io.ReadAll(rd)
		if err == nil {
			return errors.New("the body went on after the abort")
		}
		return err
	}
	b, err := resp.Bytes()
	if err != nil {
		return err
	}
	if string(b) != stagedBody {
		return fmt.Errorf("body of %d bytes is not what was sent", len(b))
	}
	return nil
}

// TestSharedClientJarAndCache: 64 goroutines share one Client with a cookie
// jar and an HTTP cache; every fetch sees its own cookies and correct
// bodies, and nothing is left afterwards.
func TestSharedClientJarAndCache(t *testing.T) {
	before := runtime.NumGoroutine()
	var hits atomic.Int64
	srv := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		g := r.URL.Query().Get("g")
		switch {
		case strings.HasPrefix(r.URL.Path, "/cached/"):
			w.Header().Set("Cache-Control", "max-age=600")
			io.WriteString(w, "cached "+r.URL.Path)
		case r.URL.Path == "/set":
			http.SetCookie(w, &http.Cookie{Name: "g" + g, Value: r.URL.Query().Get("v"), Path: "/"})
		case r.URL.Path == "/echo":
			io.WriteString(w, r.Header.Get("Cookie"))
		}
	})
	jar := cookiejar.New(nil)
	c := NewClient(WithCookieJar(jar), WithHTTPCache(cache.New()))
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			for i := range 10 {
				ctx := context.Background()
				r, err := c.Fetch(ctx, fmt.Sprintf("%s/cached/%d", srv.URL, i%4), nil)
				if err != nil {
					t.Error(err)
					return
				}
				if b, err := r.Text(); err != nil || b != fmt.Sprintf("cached /cached/%d", i%4) {
					t.Errorf("cached body %q, %v", b, err)
				}
				r, err = c.Fetch(ctx, fmt.Sprintf("%s/set?g=%d&v=%d", srv.URL, g, i), nil)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = r.Bytes()
				r, err = c.Fetch(ctx, srv.URL+"/echo", &request.Init{Cache: ptr(request.CacheNoStore)})
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := r.Text()
				if want := fmt.Sprintf("g%d=%d", g, i); !strings.Contains("; "+b+";", "; "+want+";") {
					t.Errorf("goroutine %d: Cookie %q lacks %s", g, b, want)
				}
			}
		})
	}
	wg.Wait()
	if n := jar.Len(); n != 64 {
		t.Errorf("jar holds %d cookies, want 64", n)
	}
	_ = c.Close()
	if !waitFor(func() bool { return srv.open.Load() == 0 }, c.CloseIdleConnections) {
		t.Errorf("connection leak: the server still has %d connection(s) open", srv.open.Load())
	}
	srv.Close()
	var g int
	if !waitFor(func() bool { g = runtime.NumGoroutine(); return g <= before }, c.CloseIdleConnections) {
		t.Errorf("goroutine leak: %d before, %d after\n%s", before, g, leakedStacks())
	}
}
