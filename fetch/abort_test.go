package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

// stageServer has handlers that stop at a given stage until the client
// goes away, reporting on gone when it notices.
type stageServer struct {
	gone     chan string
	started  chan string
	uploaded chan struct{}
}

func newStageServer(t *testing.T) (*stageServer, string) {
	s := &stageServer{gone: make(chan string, 10), started: make(chan string, 10), uploaded: make(chan struct{}, 10)}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		s.started <- r.URL.Path
		switch r.URL.Path {
		case "/headers": // never send headers
			<-r.Context().Done()
		case "/upload": // read the body slowly, forever
			buf := make([]byte, 10)
			for {
				if _, err := r.Body.Read(buf); err != nil {
					break
				}
				select {
				case s.uploaded <- struct{}{}:
				default:
				}
			}
		case "/body": // send some body, then stall
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, strings.Repeat("a", 100))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}
		s.gone <- r.URL.Path
	})
	return s, srv.URL
}

func (s *stageServer) waitGone(t *testing.T, path string) {
	t.Helper()
	select {
	case p := <-s.gone:
		if p != path {
			t.Errorf("server saw %s go, want %s", p, path)
		}
	case <-time.After(5 * time.Second):
		t.Errorf("server never saw the connection to %s released", path)
	}
}

func TestAbortBeforeFetch(t *testing.T) {
	c := newTestClient(t)
	checkNoLeak(t, c)
	reason := errors.New("my reason")
	_, err := c.Fetch(context.Background(), "http://127.0.0.1:9/", &request.Init{Signal: abort.Abort(reason)})
	if err != reason {
		t.Errorf("err = %v, want the signal's reason itself", err)
	}
	_, err = c.Fetch(context.Background(), "data:,x", &request.Init{Signal: abort.Abort(nil)})
	if !errors.Is(err, ErrAbort) {
		t.Errorf("err = %v, want an AbortError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Fetch(ctx, "data:,x", nil)
	if !errors.Is(err, ErrAbort) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: err = %v", err)
	}
}

func TestAbortWhileConnecting(t *testing.T) {
	dialing := make(chan struct{}, 1)
	c := newTestClient(t, WithDialContext(func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialing <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}))
	checkNoLeak(t, c)
	ctl := abort.NewController()
	go func() { <-dialing; ctl.Abort(nil) }()
	_, err := c.Fetch(context.Background(), "http://slow.test/", &request.Init{Signal: ctl.Signal()})
	if !errors.Is(err, ErrAbort) {
		t.Errorf("err = %v, want AbortError", err)
	}
	if networkReason(err) != "" {
		t.Errorf("abort surfaced as a network error: %v", err)
	}
}

func TestAbortWaitingForHeaders(t *testing.T) {
	s, base := newStageServer(t)
	c := newTestClient(t)
	checkNoLeak(t, c)
	ctl := abort.NewController()
	reason := &errs.DOMException{Name: "AbortError", Message: "custom"}
	go func() { <-s.started; ctl.Abort(reason) }()
	_, err := c.Fetch(context.Background(), base+"/headers", &request.Init{Signal: ctl.Signal()})
	if err != reason {
		t.Errorf("err = %v, want the reason", err)
	}
	s.waitGone(t, "/headers")
}

func TestAbortDuringUpload(t *testing.T) {
	s, base := newStageServer(t)
	c := newTestClient(t)
	checkNoLeak(t, c)
	pr, pw := io.Pipe()
	go func() {
		for {
			if _, err := pw.Write([]byte(strings.Repeat("u", 100))); err != nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	defer pw.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	myErr := errors.New("upload cancelled")
	go func() { <-s.uploaded; cancel(myErr) }()
	_, err := c.Fetch(ctx, base+"/upload", &request.Init{Method: ptr("POST"), Body: pr, Duplex: ptr(request.DuplexHalf)})
	if err != myErr {
		t.Errorf("err = %v, want the context's cause", err)
	}
	s.waitGone(t, "/upload")
}

func TestAbortWhileBodyStreams(t *testing.T) {
	s, base := newStageServer(t)
	c := newTestClient(t)
	checkNoLeak(t, c)
	ctl := abort.NewController()
	r, err := c.Fetch(context.Background(), base+"/body", &request.Init{Signal: ctl.Signal()})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Body().GetReader()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(rd, buf); err != nil {
		t.Fatalf("first bytes: %v", err)
	}
	// Abort while a read is blocked.
	go func() { time.Sleep(2 * time.Millisecond); ctl.Abort(nil) }()
	_, err = io.ReadAll(rd)
	if !errors.Is(err, ErrAbort) {
		t.Errorf("body read err = %v, want AbortError", err)
	}
	s.waitGone(t, "/body")
}

func TestAbortBodyWithTimeoutContext(t *testing.T) {
	s, base := newStageServer(t)
	c := newTestClient(t)
	checkNoLeak(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r, err := c.Fetch(ctx, base+"/body", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Bytes()
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want TimeoutError", err)
	}
	s.waitGone(t, "/body")
}

// TestBodyCancelReleasesConnection: cancelling the body stream closes the
// connection without any abort.
func TestBodyCancelReleasesConnection(t *testing.T) {
	s, base := newStageServer(t)
	c := newTestClient(t)
	checkNoLeak(t, c)
	r, err := c.Fetch(context.Background(), base+"/body", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Body().Cancel(nil); err != nil {
		t.Fatal(err)
	}
	s.waitGone(t, "/body")
}

// TestNoLeakAfterManyFetches: complete fetches, redirects and errors leave
// no goroutines behind (beyond idle connections, which are closed).
func TestNoLeakAfterManyFetches(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/r" {
			http.Redirect(w, r, "/", 302)
			return
		}
		io.WriteString(w, "ok")
	})
	c := newTestClient(t)
	checkNoLeak(t, c)
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		r := mustFetch(t, c, srv.URL+"/r", &request.Init{Signal: abort.NewController().Signal()})
		_ = text(t, r)
		_, _ = c.Fetch(ctx, "http://127.0.0.1:1/", nil)
		cancel()
	}
}
