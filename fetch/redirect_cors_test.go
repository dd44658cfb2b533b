package fetch

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

// redirectLog is a server for redirect tests: /from?status=N redirects to
// the "to" query parameter (also for a preflight when preflight=redirect);
// preflights otherwise allow every origin and the x-force-preflight
// header; every response allows every origin. It logs "METHOD path
// origin=...".
type redirectLog struct {
	mu  sync.Mutex
	log []string
}

func (s *redirectLog) handler(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.log = append(s.log, fmt.Sprintf("%s %s origin=%s", r.Method, r.URL.Path, r.Header.Get("Origin")))
	s.mu.Unlock()
	q := r.URL.Query()
	w.Header().Set("Access-Control-Allow-Origin", "*")
	redirect := r.URL.Path == "/from" && (r.Method != "OPTIONS" || q.Get("preflight") == "redirect")
	if r.Method == "OPTIONS" && !redirect {
		w.Header().Set("Access-Control-Allow-Headers", "x-force-preflight")
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		return
	}
	if redirect {
		code, _ := strconv.Atoi(q.Get("status"))
		w.Header().Set("Location", q.Get("to"))
		w.WriteHeader(code)
		return
	}
	_, _ = w.Write([]byte("done"))
}

func (s *redirectLog) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	s.log = nil
	return l
}

// A redirect after a successful CORS-preflight is followed, and the new
// URL gets its own preflight (whatwg/fetch#204). WPT's
// cors-preflight-redirect.any.js "Redirection 30x after preflight failed"
// still expects a rejection; web-platform-tests/wpt#62651 changed it to
// expect this. Redirecting the preflight itself stays a network error.
func TestRedirectAfterPreflight(t *testing.T) {
	rl := &redirectLog{}
	srv := newServer(t, rl.handler)
	c, _, b := browserClient(t, srv.URL)
	for _, code := range []int{301, 302, 303, 307, 308} {
		to := fmt.Sprintf("%s/to%d", b, code) // a URL of its own: no preflight cache entry
		init := func() *request.Init {
			return &request.Init{Mode: ptr(request.ModeCORS), Headers: headers.Map{"x-force-preflight": ""}}
		}
		u := fmt.Sprintf("%s/from?status=%d&to=%s", b, code, to)
		r, err := c.Fetch(context.Background(), u, init())
		if err != nil {
			t.Errorf("%d after preflight: %v", code, err)
		} else if txt, _ := r.Text(); txt != "done" || r.URL() != to {
			t.Errorf("%d after preflight: body %q at %s", code, txt, r.URL())
		}
		origin := strings.TrimSuffix(c.Origin(), "/")
		want := []string{"OPTIONS /from origin=" + origin, "GET /from origin=" + origin, fmt.Sprintf("OPTIONS /to%d origin=%s", code, origin), fmt.Sprintf("GET /to%d origin=%s", code, origin)}
		if diff := cmp.Diff(want, rl.take()); diff != "" {
			t.Errorf("%d after preflight: requests (-want +got):\n%s", code, diff)
		}
		// The preflight itself redirected: a network error.
		if _, err := c.Fetch(context.Background(), u+"&preflight=redirect", init()); err == nil {
			t.Errorf("%d on the preflight: want a network error", code)
		}
		rl.take()
	}
}

// A same-origin POST carries an Origin header (append a request `Origin`
// header, step 4: a non-GET/HEAD request under the default referrer
// policy), and so does its 307/308 redirect, which keeps the method;
// 301/302/303 turn it into a GET, which has none. WPT's
// redirect-origin.any.js "[POST] Redirect 307/308 Same origin to same
// origin" expects no Origin: the standard says otherwise.
func TestSameOriginPostRedirectOrigin(t *testing.T) {
	rl := &redirectLog{}
	srv := newServer(t, rl.handler)
	c, a, _ := browserClient(t, srv.URL)
	origin := strings.TrimSuffix(c.Origin(), "/")
	for _, tc := range []struct {
		code   int
		method string
	}{{301, "GET"}, {302, "GET"}, {303, "GET"}, {307, "POST"}, {308, "POST"}} {
		u := fmt.Sprintf("%s/from?status=%d&to=%s", a, tc.code, a+"/to")
		r, err := c.Fetch(context.Background(), u, &request.Init{Method: ptr("POST"), Body: "x"})
		if err != nil {
			t.Fatalf("%d: %v", tc.code, err)
		}
		_, _ = r.Text()
		toOrigin := ""
		if tc.method == "POST" {
			toOrigin = origin
		}
		want := []string{"POST /from origin=" + origin, tc.method + " /to origin=" + toOrigin}
		if diff := cmp.Diff(want, rl.take()); diff != "" {
			t.Errorf("POST then %d: requests (-want +got):\n%s", tc.code, diff)
		}
	}
}
