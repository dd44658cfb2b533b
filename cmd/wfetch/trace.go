package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wfetch/wfetch/fetch"
)

// exchange is one HTTP request and response as they crossed the network:
// the interceptor records every one, preflights and redirect hops
// included, for -v, -i, --explain and --offline.
type exchange struct {
	method    string
	url       string
	host      string
	target    string // request-target
	header    http.Header
	length    int64
	preflight bool

	proto      string
	status     int
	statusText string
	respHeader http.Header
	err        error
}

// errOffline ends a fetch at the network under --offline.
var errOffline = errors.New("--offline: request not sent")

// tracer is the interceptor of the app's client. It records the
// exchanges and redirects of the current transfer (transfers run one at a
// time); under `wfetch run`, where a script's fetches run concurrently and
// without end, it records nothing (noRecord) and only prints for -v.
type tracer struct {
	a         *app
	noRecord  bool
	mu        sync.Mutex
	exchanges []*exchange
	redirects []fetch.RedirectInfo
	printMu   sync.Mutex // one exchange's -v lines stay together
}

// reset forgets what the previous attempt recorded.
func (t *tracer) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.exchanges, t.redirects = nil, nil
}

func (t *tracer) addRedirect(info fetch.RedirectInfo) {
	if t.noRecord {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.redirects = append(t.redirects, info)
}

func (t *tracer) redirectList() []fetch.RedirectInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]fetch.RedirectInfo(nil), t.redirects...)
}

// list returns copies of the exchanges recorded so far (an exchange may
// still be completed by a fetch running in the background, such as a
// stale-while-revalidate revalidation: the copies do not change).
func (t *tracer) list() []*exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*exchange, len(t.exchanges))
	for i, ex := range t.exchanges {
		c := *ex
		out[i] = &c
	}
	return out
}

// isPreflight reports whether r is a CORS-preflight request.
func isPreflight(r *http.Request) bool {
	if r.Method != http.MethodOptions {
		return false
	}
	for k := range r.Header {
		if strings.EqualFold(k, "Access-Control-Request-Method") {
			return true
		}
	}
	return false
}

func headerGet(h http.Header, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return strings.Join(v, ", ")
		}
	}
	return ""
}

// interceptor returns the fetch.Interceptor that records (and under -v
// prints) every exchange; under --offline it prints each request instead
// of sending it.
func (t *tracer) interceptor(next http.RoundTripper) http.RoundTripper {
	return fetch.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		ex := &exchange{
			method: r.Method, url: r.URL.String(), host: r.Host, target: r.URL.RequestURI(),
			header: r.Header.Clone(), length: r.ContentLength, preflight: isPreflight(r),
		}
		if ex.host == "" {
			ex.host = r.URL.Host
		}
		if !t.noRecord {
			t.mu.Lock()
			t.exchanges = append(t.exchanges, ex)
			t.mu.Unlock()
		}
		a := t.a
		if a.opts.offline {
			return t.offline(r, ex)
		}
		if a.opts.verbose {
			t.printMu.Lock()
			a.printRequest(a.stderr, ex, "> ", a.errColor)
			t.printMu.Unlock()
		}
		resp, err := next.RoundTrip(r)
		if err != nil {
			t.mu.Lock()
			ex.err = err
			t.mu.Unlock()
			if a.opts.verbose {
				t.printMu.Lock()
				fmt.Fprintf(a.stderr, "* %s %s failed: %v\n", ex.method, ex.url, err)
				t.printMu.Unlock()
			}
			return nil, err
		}
		t.mu.Lock()
		ex.proto, ex.status = resp.Proto, resp.StatusCode
		ex.statusText = strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
		ex.respHeader = resp.Header.Clone()
		t.mu.Unlock()
		if a.opts.verbose {
			t.printMu.Lock()
			a.printResponseHead(a.stderr, ex, "< ", a.errColor)
			t.printMu.Unlock()
		}
		return resp, nil
	})
}

// offline prints the request as it would go on the wire. A preflight is
// answered with a permissive response so that the request it guards is
// shown too; that request is not sent (errOffline).
func (t *tracer) offline(r *http.Request, ex *exchange) (*http.Response, error) {
	a := t.a
	if ex.preflight {
		fmt.Fprintln(a.stderr, "* CORS preflight: fetch sends this first (the request after it assumes the server allows it)")
	}
	a.printRequest(a.stdout, ex, "", a.outColor)
	if r.Body != nil && r.Body != http.NoBody {
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		a.stdout.Write(b)
		if len(b) > 0 && !bytes.HasSuffix(b, []byte("\n")) {
			fmt.Fprintln(a.stdout)
		}
	}
	if !ex.preflight {
		return nil, errOffline
	}
	fmt.Fprintln(a.stdout)
	h := http.Header{}
	if o := headerGet(r.Header, "Origin"); o != "" {
		h.Set("Access-Control-Allow-Origin", o)
	}
	h.Set("Access-Control-Allow-Credentials", "true")
	if m := headerGet(r.Header, "Access-Control-Request-Method"); m != "" {
		h.Set("Access-Control-Allow-Methods", m)
	}
	if hs := headerGet(r.Header, "Access-Control-Request-Headers"); hs != "" {
		h.Set("Access-Control-Allow-Headers", hs)
	}
	return &http.Response{
		Status: "204 No Content", StatusCode: 204, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: http.NoBody, Request: r,
	}, nil
}

// sortedKeys returns h's names in a stable order.
func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
	return keys
}

// printRequest writes the request line and headers of ex, each line after
// prefix ("> " for -v, "" for --offline).
func (a *app) printRequest(w io.Writer, ex *exchange, prefix string, c colors) {
	fmt.Fprintf(w, "%s%s\r\n", prefix, c.request(fmt.Sprintf("%s %s HTTP/1.1", ex.method, ex.target)))
	fmt.Fprintf(w, "%s%s: %s\r\n", prefix, c.name("Host"), ex.host)
	for _, k := range sortedKeys(ex.header) {
		if strings.EqualFold(k, "Host") {
			continue
		}
		for _, v := range ex.header[k] {
			fmt.Fprintf(w, "%s%s: %s\r\n", prefix, c.name(k), v)
		}
	}
	if ex.length > 0 && headerGet(ex.header, "Content-Length") == "" {
		fmt.Fprintf(w, "%s%s: %d\r\n", prefix, c.name("Content-Length"), ex.length)
	}
	fmt.Fprintf(w, "%s\r\n", prefix)
}

// printResponseHead writes the status line and headers of ex's response.
func (a *app) printResponseHead(w io.Writer, ex *exchange, prefix string, c colors) {
	fmt.Fprintf(w, "%s%s\r\n", prefix, c.status(ex.status, statusLine(ex.proto, ex.status, ex.statusText)))
	for _, k := range sortedKeys(ex.respHeader) {
		for _, v := range ex.respHeader[k] {
			fmt.Fprintf(w, "%s%s: %s\r\n", prefix, c.name(k), v)
		}
	}
	fmt.Fprintf(w, "%s\r\n", prefix)
}

func statusLine(proto string, status int, text string) string {
	switch proto {
	case "":
		proto = "HTTP/1.1"
	case "HTTP/2.0":
		proto = "HTTP/2" // as curl shows it
	}
	if text == "" {
		text = http.StatusText(status)
	}
	return strings.TrimSpace(fmt.Sprintf("%s %d %s", proto, status, text))
}
