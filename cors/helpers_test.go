package cors

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

const (
	testOrigin = "https://app.example"
	testURL    = "https://api.example/resource"
)

func mustURL(t testing.TB, s string) *weburl.URL {
	t.Helper()
	u, err := weburl.Parse(s, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return u
}

func mustOrigin(t testing.TB, s string) *weburl.Origin {
	t.Helper()
	o := mustURL(t, s).Origin()
	return &o
}

// newReq returns a CORS request from testOrigin's client to url with the
// given method, credentials mode and headers (name, value pairs).
func newReq(t testing.TB, url, method string, cred request.Credentials, hdrs ...string) *request.Internal {
	t.Helper()
	r := request.NewInternal(mustURL(t, url))
	o := mustOrigin(t, testOrigin)
	r.Client = &request.Environment{Origin: o}
	r.Origin = request.Origin{Origin: o}
	r.Method = method
	r.Mode = request.ModeCORS
	r.ResponseTainting = request.TaintingCORS
	r.Credentials = cred
	for i := 0; i+1 < len(hdrs); i += 2 {
		r.Header.Append(hdrs[i], hdrs[i+1])
	}
	return r
}

// list builds a header list from name, value pairs.
func hl(pairs ...string) headers.List {
	var l headers.List
	for i := 0; i+1 < len(pairs); i += 2 {
		l.Append(pairs[i], pairs[i+1])
	}
	return l
}

// newResp returns a response with status and headers.
func newResp(status int, pairs ...string) *response.Internal {
	r := &response.Internal{Type: response.TypeDefault, RequestIncludesCredentials: true}
	r.Status = status
	l := hl(pairs...)
	r.Header = &l
	return r
}

// corsMessage checks that err is a TypeError wrapping a NetworkError with
// reason cors and returns its message; "" for nil.
func corsMessage(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var te *errs.TypeError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a TypeError", err, err)
	}
	var ne *errs.NetworkError
	if !errors.As(err, &ne) {
		t.Fatalf("error %v does not wrap a NetworkError", err)
	}
	if ne.Reason != errs.ReasonCORS {
		t.Fatalf("error %v has reason %q, want %q", err, ne.Reason, errs.ReasonCORS)
	}
	return ne.Message
}

// fakeClock is a settable clock for caches.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
