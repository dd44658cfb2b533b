package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// start runs a server for one test, closed at cleanup.
func start(t *testing.T, root string) *Server {
	t.Helper()
	s, err := Start(Config{Root: root, Logf: t.Logf})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// client is a net/http client that reaches the server through its dialer
// and trusts its CA, and does not follow redirects or decompress.
func client(s *Server) *http.Client {
	tr := &http.Transport{
		DialContext:        s.DialContext,
		TLSClientConfig:    &tls.Config{RootCAs: s.RootCAs()},
		DisableCompression: true,
		ForceAttemptHTTP2:  false,
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

type result struct {
	Status  int
	Headers map[string][]string
	Body    string
}

// do sends method to the URL built from path on ports[http][0] and keeps
// the headers named in keep (all of them when keep is nil, minus Date).
func do(t *testing.T, s *Server, method, path string, hdr map[string]string, body string, keep ...string) result {
	t.Helper()
	return doURL(t, s, method, s.URL("http", 0, "", path), hdr, body, keep...)
}

func doURL(t *testing.T, s *Server, method, u string, hdr map[string]string, body string, keep ...string) result {
	t.Helper()
	var rb io.Reader
	if body != "" {
		rb = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rb)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client(s).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, u, err)
	}
	out := result{Status: resp.StatusCode, Headers: map[string][]string{}, Body: string(b)}
	for k, v := range resp.Header {
		if k == "Date" || k == "Server" {
			continue
		}
		if keep != nil {
			found := false
			for _, kk := range keep {
				if http.CanonicalHeaderKey(kk) == k {
					found = true
				}
			}
			if !found {
				continue
			}
		}
		out.Headers[k] = v
	}
	return out
}

// raw sends a raw request and returns the raw response (the connection is
// read until the server closes it).
func raw(t *testing.T, s *Server, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.Ports()["http"][0]))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	return string(b)
}

// stripDate drops the Server and Date lines of a raw response.
func stripDate(s string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\r\n") {
		if strings.HasPrefix(l, "Date: ") || strings.HasPrefix(l, "Server: ") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "")
}

func h(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		k := http.CanonicalHeaderKey(kv[i])
		m[k] = append(m[k], kv[i+1])
	}
	return m
}

func check(t *testing.T, name string, got, want any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmp.AllowUnexported(pipeCall{}, byteRange{})); d != "" {
		t.Errorf("%s: mismatch (-want +got):\n%s", name, d)
	}
}

func TestPortsHostsAndDial(t *testing.T) {
	s := start(t, "")
	p := s.Ports()
	if len(p["http"]) != 2 || len(p["https"]) != 2 {
		t.Fatalf("Ports() = %v, want two http and two https", p)
	}
	hosts := strings.Join(s.Hosts(), " ")
	for _, want := range []string{"web-platform.test", "www.web-platform.test", "www1.web-platform.test",
		"www2.web-platform.test", "xn--n8j6ds53lwwkrqhv28a.web-platform.test", "xn--lve-6lad.web-platform.test",
		"not-web-platform.test", "www2.not-web-platform.test"} {
		if !strings.Contains(" "+hosts+" ", " "+want+" ") {
			t.Errorf("Hosts() lacks %q", want)
		}
	}
	for _, bad := range []string{"example.com:80", "nonexistent.web-platform.test:80", "web-platform.test.evil:1"} {
		if c, err := s.DialContext(context.Background(), "tcp", bad); err == nil {
			c.Close()
			t.Errorf("DialContext(%q) succeeded, want refusal", bad)
		}
	}
	want := "http://www1.web-platform.test:" + strconv.Itoa(p["http"][1]) + "/x"
	check(t, "URL", s.URL("http", 1, "www1.web-platform.test", "/x"), want)
	// Every host, both schemes, trailing dot allowed.
	for _, host := range []string{"web-platform.test", "WWW1.web-platform.test.", "xn--lve-6lad.not-web-platform.test"} {
		for _, scheme := range []string{"http", "https"} {
			r := doURL(t, s, "GET", s.URL(scheme, 1, host, "/fetch/api/resources/status.py?code=204"), nil, "")
			check(t, scheme+" "+host, r.Status, 204)
		}
	}
}

func TestSubstitute(t *testing.T) {
	s := start(t, "")
	p := s.Ports()
	got := s.Substitute("{{host}} {{ports[http][0]}} {{ports[http][1]}} {{ports[https][0]}} {{ports[https][1]}} " +
		"{{domains[www1]}} {{hosts[alt][]}} {{hosts[alt][www2]}} {{hosts[][www]}} {{domains[élève]}} {{$a:domains[www]}}={{$a}} " +
		"{{GET[x]}}| {{nope}} {{location[host]}}")
	want := fmt.Sprintf("web-platform.test %d %d %d %d www1.web-platform.test not-web-platform.test "+
		"www2.not-web-platform.test www.web-platform.test xn--lve-6lad.web-platform.test www.web-platform.test=www.web-platform.test "+
		"| {{nope}} web-platform.test:%d", p["http"][0], p["http"][1], p["https"][0], p["https"][1], p["http"][0])
	check(t, "Substitute", got, want)
	got = s.SubstituteFor("{{location[server]}} {{location[path]}}{{location[query]}} {{GET[a]}} {{host}}",
		"https://www1.web-platform.test:8443/x/y.html?a=%41b&c")
	check(t, "SubstituteFor", got, "https://www1.web-platform.test:8443 /x/y.html?a=%41b&c Ab web-platform.test")
	u := s.Substitute("{{uuid()}}")
	if len(u) != 36 || strings.Count(u, "-") != 4 {
		t.Errorf("{{uuid()}} = %q, want a UUID", u)
	}
}

func TestInspectHeaders(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/fetch/api/resources/inspect-headers.py?headers=X-Foo|Accept|absent", map[string]string{"X-Foo": "bar", "Accept": "*/*"}, "")
	check(t, "plain", r, result{Status: 200, Headers: h("x-request-X-Foo", "bar", "x-request-Accept", "*/*", "content-type", "text/plain", "Content-Length", "0")})
	r = do(t, s, "GET", "/fetch/api/resources/inspect-headers.py?headers=x-foo&cors&allow_headers=x-foo", map[string]string{"X-Foo": "bar", "Origin": "http://o.test"}, "")
	check(t, "cors", r.Headers, h(
		"x-request-x-foo", "bar",
		"Access-Control-Allow-Origin", "http://o.test",
		"Access-Control-Allow-Credentials", "true",
		"Access-Control-Allow-Methods", "GET, POST, HEAD",
		"Access-Control-Expose-Headers", "x-request-x-foo",
		"Access-Control-Allow-Headers", "x-foo",
		"Content-Type", "text/plain", "Content-Length", "0"))
	// Without allow_headers the request's header names, lower-cased, in order.
	out := raw(t, s, "GET /fetch/api/resources/inspect-headers.py?headers=A&cors HTTP/1.1\r\nHost: web-platform.test\r\nA: 1\r\nB-Two: 2\r\nConnection: close\r\n\r\n")
	if !strings.Contains(out, "\r\nAccess-Control-Allow-Headers: host, a, b-two, connection\r\n") {
		t.Errorf("raw cors response lacks the header-name list:\n%s", out)
	}
	if !strings.Contains(out, "\r\nAccess-Control-Allow-Origin: *\r\n") {
		t.Errorf("no Origin should give ACAO *:\n%s", out)
	}
}

func TestRedirect(t *testing.T) {
	s := start(t, "")
	base := "/fetch/api/resources/redirect.py"
	r := do(t, s, "GET", base+"?location=/target%3Fa%3D1&redirect_status=301", nil, "")
	check(t, "redirect", r, result{Status: 301, Headers: h(
		"Content-Type", "text/plain", "Cache-Control", "no-cache", "Pragma", "no-cache",
		"Access-Control-Allow-Origin", "*",
		"Location", "/target?a=1&location=%2Ftarget%3Fa%3D1&redirect_status=301&count=1",
		"Content-Length", "0")})
	r = do(t, s, "GET", base+"?simple=1&location=data:,x&redirect_referrerpolicy=no-referrer", map[string]string{"Origin": "http://o.test"}, "")
	check(t, "simple", r.Headers, h(
		"Content-Type", "text/plain", "Cache-Control", "no-cache", "Pragma", "no-cache",
		"Access-Control-Allow-Origin", "http://o.test", "Access-Control-Allow-Credentials", "true",
		"Location", "data:,x", "Referrer-Policy", "no-referrer", "Content-Length", "0"))
	// Non-HTTP schemes are left alone even without simple.
	r = do(t, s, "GET", base+"?location=data:,x", nil, "", "Location")
	check(t, "data location", r.Headers["Location"], []string{"data:,x"})
	// POST redirect_status.
	r = do(t, s, "POST", base, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "redirect_status=303", "Location")
	check(t, "POST status", r.Status, 303)
	// The token counts hops; past max_count the body is the count.
	tok := "d2b5c7e0-7f5e-4b8a-9d0c-0123456789ab"
	for i := 1; i <= 2; i++ {
		r = do(t, s, "GET", base+"?token="+tok+"&max_count=2&location=/x", nil, "", "Location")
		check(t, "hop "+strconv.Itoa(i), r.Headers["Location"], []string{"/x?token=" + tok + "&max_count=2&location=%2Fx&count=" + strconv.Itoa(i)})
	}
	r = do(t, s, "GET", base+"?token="+tok+"&max_count=2&location=/x", nil, "")
	check(t, "past max_count", r, result{Status: 200, Headers: h("Content-Length", "1"), Body: "2"})
	// A preflight is answered 200 and recorded.
	r = do(t, s, "OPTIONS", base+"?allow_headers=x-a", nil, "", "Access-Control-Allow-Headers")
	check(t, "preflight", r, result{Status: 200, Headers: h("Access-Control-Allow-Headers", "x-a")})
}

func TestPreflight(t *testing.T) {
	s := start(t, "")
	tok := "11111111-2222-3333-4444-555555555555"
	base := "/fetch/api/resources/preflight.py?token=" + tok
	r := do(t, s, "OPTIONS", base, map[string]string{"Accept": "*/*"}, "")
	check(t, "no ACRM", r, result{Status: 400, Headers: h("Content-Type", "application/json", "Content-Length", "53"),
		Body: "ERROR: No access-control-request-method in preflight!"})
	r = do(t, s, "OPTIONS", base, map[string]string{"Access-Control-Request-Method": "PUT"}, "")
	check(t, "bad Accept", r.Status, 400)
	r = do(t, s, "OPTIONS", base+"&origin=http://a.test,%20http://b.test&credentials&control_request_headers&max_age=5&allow_headers=x-a&allow_methods=PUT&preflight_status=204",
		map[string]string{"Accept": "*/*", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-a", "Referer": "http://r.test/"}, "")
	check(t, "preflight", r, result{Status: 204, Headers: h(
		"Content-Type", "text/plain",
		"Access-Control-Allow-Origin", "http://a.test", "Access-Control-Allow-Origin", "http://b.test",
		"Access-Control-Allow-Credentials", "true", "Access-Control-Max-Age", "5",
		"Access-Control-Allow-Headers", "x-a", "Access-Control-Allow-Methods", "PUT", "Content-Length", "0")})
	r = do(t, s, "PUT", base, map[string]string{"Origin": "http://a.test", "X-A": "1"}, "")
	check(t, "actual", r, result{Status: 200, Headers: h(
		"Content-Type", "text/plain", "Access-Control-Allow-Origin", "*",
		"Access-Control-Expose-Headers", "x-did-preflight, x-control-request-headers, x-referrer, x-preflight-referrer, x-origin",
		"x-did-preflight", "1", "x-control-request-headers", "x-a", "x-preflight-referrer", "http://r.test/",
		"x-referrer", "", "x-origin", "http://a.test", "Content-Length", "0")})
	r = do(t, s, "GET", base+"&clear-stash", nil, "")
	check(t, "clear-stash", r.Body, "1")
	r = do(t, s, "GET", base+"&clear-stash", nil, "")
	check(t, "clear-stash again", r.Body, "0")
	r = do(t, s, "GET", "/fetch/api/resources/preflight.py", nil, "", "x-did-preflight")
	check(t, "no preflight", r.Headers, h("x-did-preflight", "0"))
}

func TestStash(t *testing.T) {
	s := start(t, "")
	key := "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	r := do(t, s, "GET", "/fetch/api/resources/clean-stash.py?token="+key, nil, "")
	check(t, "clean-stash empty", r.Body, "0")
	r = do(t, s, "GET", "/fetch/api/resources/stash-put.py?key="+key+"&value=h%C3%A9llo", nil, "")
	check(t, "stash-put", r, result{Status: 200, Headers: h("Access-Control-Allow-Origin", "*", "Content-Length", "4"), Body: "done"})
	r = do(t, s, "GET", "/fetch/api/resources/stash-put.py?key="+key+"&value=again", nil, "")
	check(t, "stash-put twice", r.Status, 500)
	r = do(t, s, "OPTIONS", "/fetch/api/resources/stash-put.py", nil, "", "Access-Control-Allow-Methods")
	check(t, "stash-put preflight", r, result{Status: 200, Headers: h("Access-Control-Allow-Methods", "*"), Body: "done"})
	r = do(t, s, "GET", "/fetch/api/resources/stash-take.py?key="+key, nil, "")
	check(t, "stash-take", r, result{Status: 200, Headers: h("Access-Control-Allow-Origin", "*", "Content-Type", "application/json", "Content-Length", "18"), Body: `"h\u00c3\u00a9llo"`})
	r = do(t, s, "GET", "/fetch/api/resources/stash-take.py?key="+key, nil, "")
	check(t, "stash-take again", r.Body, "null")
	r = do(t, s, "GET", "/fetch/api/resources/stash-take.py", nil, "")
	check(t, "stash-take without key", r.Status, 500)
}

func TestCacheHandlers(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/fetch/api/resources/cache.py", nil, "")
	check(t, "miss", r, result{Status: 200, Headers: h("ETag", `"123abc"`, "Content-Type", "text/plain", "Content-Length", "26"), Body: "lorem ipsum dolor sit amet"})
	r = do(t, s, "GET", "/fetch/api/resources/cache.py", map[string]string{"If-None-Match": `"123abc"`}, "")
	check(t, "hit", r, result{Status: 304, Headers: h("X-HTTP-STATUS", "304", "Content-Length", "0")})

	tok := "0f0f0f0f-0000-4000-8000-000000000001"
	base := "/fetch/api/request/resources/cache.py?token=" + tok
	r = do(t, s, "GET", base+"&content=c&tag=t1&expires=e&vary=v&cache_control=max-age%3D1", map[string]string{"Pragma": "no-cache"}, "")
	check(t, "request-cache 200", r, result{Status: 200, Headers: h("ETag", `"t1"`, "Expires", "e", "Vary", "v", "Cache-Control", "max-age=1",
		"Access-Control-Allow-Origin", "*", "Content-Type", "text/plain", "Content-Length", "1"), Body: "c"})
	r = do(t, s, "GET", base+"&tag=t1", map[string]string{"If-None-Match": `"t1"`}, "")
	check(t, "request-cache 304", r.Status, 304)
	r = do(t, s, "GET", base+"&date=D", map[string]string{"If-Modified-Since": "D"}, "")
	check(t, "request-cache 304 by date", r.Status, 304)
	r = do(t, s, "GET", base+"&redirect=/x", nil, "", "Location")
	check(t, "request-cache redirect", r, result{Status: 302, Headers: h("Location", "/x")})
	r = do(t, s, "GET", base+"&querystate", nil, "")
	check(t, "querystate", r.Body, `[{"Pragma": "no-cache"}, {"If-None-Match": "\"t1\""}, {"If-Modified-Since": "D"}, {}]`)
}

func TestHTTPCache(t *testing.T) {
	s := start(t, "")
	uuid := "12345678-1234-4234-8234-123456789abc"
	reqs := []any{
		map[string]any{"response_headers": [][]any{{"Last-Modified", -5000}, {"ETag", `"abc"`}, {"Location", "x"}}, "response_body": "first"},
		map[string]any{"expected_type": "lm_validated"},
		map[string]any{"response_status": []any{204, "No Thing"}},
		map[string]any{},
	}
	js, _ := json.Marshal(reqs)
	hdr := map[string]string{"Test-Requests": base64.StdEncoding.EncodeToString(js)}
	u := s.URL("http", 0, "", "/fetch/http-cache/resources/http-cache.py?dispatch=test&uuid="+uuid)
	r := doURL(t, s, "GET", u, hdr, "")
	lm := r.Headers["Last-Modified"]
	if len(lm) != 1 {
		t.Fatalf("Last-Modified = %v", lm)
	}
	lmTime, err := http.ParseTime(lm[0])
	if err != nil || time.Since(lmTime) < 4990*time.Second || time.Since(lmTime) > 5010*time.Second {
		t.Errorf("Last-Modified %q is not 5000 s ago (%v)", lm[0], err)
	}
	delete(r.Headers, "Last-Modified")
	check(t, "first", r, result{Status: 200, Headers: h("Access-Control-Allow-Credentials", "true", "ETag", `"abc"`,
		"Location", u+"&target=x", "Access-Control-Allow-Origin", "*", "Content-Type", "text/plain",
		"Server-Request-Count", "1", "Content-Length", "5"), Body: "first"})
	hdr["If-Modified-Since"] = lm[0]
	r = doURL(t, s, "GET", u, hdr, "")
	check(t, "validated", r.Status, 304)
	delete(hdr, "If-Modified-Since")
	r = doURL(t, s, "GET", u, hdr, "", "Server-Request-Count")
	check(t, "status", r, result{Status: 204, Headers: h("Server-Request-Count", "3")})
	r = do(t, s, "GET", "/fetch/http-cache/resources/http-cache.py?dispatch=state&uuid="+uuid, nil, "")
	stateBody := r.Body
	// The state was taken: the next test request starts over at config 0,
	// so put three entries back by replaying, then hit the empty config,
	// which (as in the Python) drops the state.
	r = doURL(t, s, "GET", u, hdr, "", "Server-Request-Count")
	check(t, "restart", r.Headers, h("Server-Request-Count", "1"))
	hdr["If-Modified-Since"] = lm[0]
	doURL(t, s, "GET", u, hdr, "")
	delete(hdr, "If-Modified-Since")
	doURL(t, s, "GET", u, hdr, "")
	r = doURL(t, s, "GET", u, hdr, "")
	check(t, "empty config", r, result{Status: 404, Headers: h("Access-Control-Allow-Credentials", "true", "Content-Type", "text/plain", "Content-Length", "16"), Body: "Config not found"})
	r = do(t, s, "GET", "/fetch/http-cache/resources/http-cache.py?dispatch=state&uuid="+uuid, nil, "")
	check(t, "state dropped", r.Body, "null")
	r.Body = stateBody
	var state []map[string]any
	if err := json.Unmarshal([]byte(r.Body), &state); err != nil {
		t.Fatalf("state %q: %v", r.Body, err)
	}
	if len(state) != 3 || state[1]["request_headers"].(map[string]any)["if-modified-since"] != lm[0] ||
		state[0]["response_headers"].(map[string]any)["etag"] != `"abc"` || state[2]["request_method"] != "GET" {
		t.Errorf("state = %s", r.Body)
	}
	r = do(t, s, "GET", "/fetch/http-cache/resources/http-cache.py?dispatch=test&uuid="+uuid, nil, "")
	check(t, "bad Test-Requests", r.Status, 400)
	r = do(t, s, "OPTIONS", "/fetch/http-cache/resources/http-cache.py", map[string]string{"Origin": "http://o.test", "Access-Control-Request-Headers": "test-requests"}, "")
	check(t, "preflight", r, result{Status: 200, Headers: h("Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Origin", "http://o.test",
		"Access-Control-Allow-Methods", "GET", "Access-Control-Allow-Headers", "test-requests", "Access-Control-Max-Age", "86400", "Content-Length", "17"),
		Body: "Preflight request"})
}

func TestStatusMethodEcho(t *testing.T) {
	s := start(t, "")
	out := stripDate(raw(t, s, "POST /fetch/api/resources/status.py?code=299&text=Yay&content=hi&type=text/x HTTP/1.1\r\nHost: web-platform.test\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
	check(t, "status.py raw", out, "HTTP/1.1 299 Yay\r\nContent-Type: text/x\r\nX-Request-Method: POST\r\nContent-Length: 2\r\n\r\nhi")
	out = stripDate(raw(t, s, "GET /xhr/resources/status.py HTTP/1.1\r\nHost: web-platform.test\r\nConnection: close\r\n\r\n"))
	check(t, "xhr status.py default", out, "HTTP/1.1 200 OMG\r\nContent-Type: \r\nX-Request-Method: GET\r\nContent-Length: 0\r\n\r\n")

	r := do(t, s, "PUT", "/fetch/api/resources/method.py?cors", map[string]string{"Content-Type": "text/x", "Content-Language": "fr"}, "body!")
	check(t, "method.py", r, result{Status: 200, Headers: h(
		"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true",
		"Access-Control-Allow-Methods", "GET, POST, PUT, FOO", "Access-Control-Allow-Headers", "x-test, x-foo",
		"Access-Control-Expose-Headers", "x-request-method", "x-request-method", "PUT",
		"x-request-content-type", "text/x", "x-request-content-length", "5", "x-request-content-encoding", "NO",
		"x-request-content-language", "fr", "x-request-content-location", "NO", "Content-Length", "5"), Body: "body!"})
	r = do(t, s, "POST", "/fetch/api/resources/echo-content.py", nil, "abc")
	check(t, "echo-content.py", r, result{Status: 200, Headers: h("X-Request-Method", "POST", "X-Request-Content-Length", "3",
		"X-Request-Content-Type", "NO", "Content-Type", "text/plain", "Content-Length", "3"), Body: "abc"})
	r = do(t, s, "POST", "/fetch/api/resources/echo-content.h2.py", nil, "abc")
	check(t, "echo-content.h2.py", r, result{Status: 200, Headers: h("Content-Type", "text/plain", "Content-Length", "3"), Body: "abc"})
	// A chunked upload is read too.
	out = stripDate(raw(t, s, "POST /fetch/api/resources/echo-content.py HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"))
	if !strings.HasSuffix(out, "\r\n\r\nabcde") {
		t.Errorf("chunked upload echo = %q", out)
	}
	r = do(t, s, "GET", "/fetch/api/resources/redirect.h2.py?redirect_status=307&location=/y", nil, "")
	check(t, "redirect.h2.py", r, result{Status: 307, Headers: h("Location", "/y", "Content-Type", "text/plain", "Content-Length", "0")})
	r = do(t, s, "GET", "/fetch/api/resources/script-with-header.py?mime=text/javascript", nil, "")
	check(t, "script-with-header", r, result{Status: 200, Headers: h("Content-Type", "text/javascript", "Content-Length", "28"), Body: "console.log('Script loaded')"})
}

func TestAuthentication(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/fetch/api/resources/authentication.py?realm=R", nil, "")
	check(t, "401", r, result{Status: 401, Headers: h("WWW-Authenticate", `Basic realm="R"`, "Content-Length", "51"),
		Body: "Please login with credentials 'user' and 'password'"})
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("user:password"))
	r = do(t, s, "GET", "/fetch/api/resources/authentication.py", map[string]string{"Authorization": auth}, "")
	check(t, "ok", r, result{Status: 200, Headers: h("Content-Length", "19"), Body: "Authentication done"})
	r = do(t, s, "GET", "/fetch/api/resources/authentication.py", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("user:nope"))}, "")
	check(t, "wrong password", r.Status, 401)

	r = do(t, s, "GET", "/fetch/api/resources/dump-authorization-header.py", map[string]string{"Authorization": auth, "Origin": "http://o.test"}, "")
	check(t, "dump", r, result{Status: 200, Headers: h("Content-Type", "text/html", "Cache-Control", "no-cache",
		"Access-Control-Allow-Origin", "http://o.test", "Access-Control-Allow-Credentials", "true",
		"Access-Control-Allow-Headers", "Authorization", "Content-Length", strconv.Itoa(len(auth))), Body: auth})
	r = do(t, s, "GET", "/fetch/api/resources/dump-authorization-header.py", nil, "")
	check(t, "dump none", r.Body, "none")
	r = do(t, s, "OPTIONS", "/fetch/api/resources/dump-authorization-header.py?strip_auth_header=true", map[string]string{"Access-Control-Request-Headers": "Authorization"}, "")
	check(t, "strip_auth_header", r, result{Status: 500, Headers: h("Content-Type", "text/html", "Cache-Control", "no-cache", "Content-Length", "4"), Body: "fail"})
}

func TestStreamingHandlers(t *testing.T) {
	s := start(t, "")
	// trickle.py: no Content-Length, no chunking: the body ends at close.
	out := stripDate(raw(t, s, "GET /fetch/api/resources/trickle.py?ms=1&count=3 HTTP/1.1\r\nHost: x\r\n\r\n"))
	check(t, "trickle.py", out, "HTTP/1.1 200 OK\r\nContent-type: text/plain\r\n\r\nTEST_TRICKLE\nTEST_TRICKLE\nTEST_TRICKLE\n")
	out = stripDate(raw(t, s, "GET /fetch/api/resources/trickle.py?ms=0&count=1&notype HTTP/1.1\r\nHost: x\r\n\r\n"))
	check(t, "trickle.py notype", out, "HTTP/1.1 200 OK\r\n\r\nTEST_TRICKLE\n")
	// The same over TLS through net/http.
	r := doURL(t, s, "GET", s.URL("https", 0, "www.web-platform.test", "/fetch/api/resources/trickle.py?ms=1&count=2"), nil, "")
	check(t, "trickle.py over https", r, result{Status: 200, Headers: h("Content-Type", "text/plain"), Body: "TEST_TRICKLE\nTEST_TRICKLE\n"})
	// bad-chunk-encoding.py.
	out = stripDate(raw(t, s, "GET /fetch/api/resources/bad-chunk-encoding.py?ms=1&count=2 HTTP/1.1\r\nHost: x\r\n\r\n"))
	check(t, "bad-chunk-encoding.py", out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nTEST_CHUNK\r\na\r\nTEST_CHUNK\r\ngarbage")
	resp, err := client(s).Get(s.URL("http", 0, "", "/fetch/api/resources/bad-chunk-encoding.py?ms=0&count=1"))
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Errorf("bad-chunk-encoding.py read without error")
	}
}

func TestInfiniteSlowResponse(t *testing.T) {
	s := start(t, "")
	state := "5e5e5e5e-0000-4000-8000-000000000001"
	abort := "5e5e5e5e-0000-4000-8000-000000000002"
	// Client goes away.
	resp, err := client(s).Get(s.URL("http", 0, "", "/fetch/api/resources/infinite-slow-response.py?stateKey="+state))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2050)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	check(t, "Content-Type", resp.Header.Get("Content-Type"), "text/plain")
	check(t, "no length", resp.ContentLength, int64(-1))
	r := do(t, s, "GET", "/fetch/api/resources/stash-take.py?key="+state, nil, "")
	check(t, "open", r.Body, `"open"`)
	resp.Body.Close()
	waitStash(t, s, state, `"closed"`)
	// abortKey stops it.
	resp, err = client(s).Get(s.URL("http", 0, "", "/fetch/api/resources/infinite-slow-response.py?stateKey="+state+"&abortKey="+abort))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	do(t, s, "GET", "/fetch/api/resources/stash-put.py?key="+abort+"&value=1", nil, "")
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Fatalf("reading until abort: %v", err)
	}
	waitStash(t, s, state, `"closed"`)
}

// waitStash polls stash-take.py (in /fetch/api/resources/) until it gives
// want, for up to 5 s in 5 ms steps.
func waitStash(t *testing.T, s *Server, key, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		r := do(t, s, "GET", "/fetch/api/resources/stash-take.py?key="+key, nil, "")
		if r.Body == want {
			return
		}
		if r.Body != "null" {
			last = r.Body
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("stash %s never became %s (last %s)", key, want, last)
}

func TestCloseEndsInfiniteResponses(t *testing.T) {
	s, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := client(s)
	var bodies []io.ReadCloser
	for _, p := range []string{"/fetch/api/resources/infinite-slow-response.py", "/fetch/api/resources/trickle.py?ms=10000", "/fetch/api/resources/huge-response.py"} {
		u := s.URL("http", 0, "", p)
		if strings.Contains(p, "trickle") {
			// trickle sleeps before its status line: fire and forget.
			go func() {
				if resp, err := c.Get(u); err == nil {
					resp.Body.Close()
				}
			}()
			continue
		}
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, resp.Body)
	}
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return with streaming responses open")
	}
	for _, b := range bodies {
		io.Copy(io.Discard, b)
		b.Close()
	}
	if _, err := c.Get(s.URL("http", 0, "", "/")); err == nil {
		t.Errorf("request after Close succeeded")
	}
	// No goroutine of the server is left (the trickle request's client
	// goroutine may still be unwinding, so only server frames count).
	// A goroutine that has just called wg.Done may still be returning,
	// so look a few times.
	buf := make([]byte, 1<<20)
	stacks := ""
	for i := 0; i < 20; i++ {
		stacks = string(buf[:runtime.Stack(buf, true)])
		if !strings.Contains(stacks, "wpt/server.(*Server).") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if strings.Contains(stacks, "wpt/server.(*Server).") {
		t.Errorf("server goroutines left after Close:\n%s", stacks)
	}
}

func TestSmallHandlers(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/fetch/api/resources/redirect-empty-location.py", nil, "")
	check(t, "redirect-empty-location", r, result{Status: 302, Headers: h("Location", "", "Content-Length", "0")})
	for _, c := range []string{"br", "gzip", "zstd"} {
		r = do(t, s, "GET", "/fetch/content-encoding/"+c+"/resources/bad-"+c+"-body.py", nil, "")
		body := "not actually " + c
		check(t, "bad-"+c+"-body", r, result{Status: 200, Headers: h("Content-Encoding", c, "Content-Length", strconv.Itoa(len(body))), Body: body})
	}
	r = do(t, s, "GET", "/common/redirect.py?status=308&location=/z&enable-cors", map[string]string{"Origin": "http://o.test"}, "")
	check(t, "common redirect", r, result{Status: 308, Headers: h("Location", "/z", "Content-Type", "text/plain",
		"Access-Control-Allow-Origin", "http://o.test", "Access-Control-Allow-Credentials", "true")})
	r = do(t, s, "GET", "/fetch/cross-origin-resource-policy/resources/hello.py?corp=same-site", map[string]string{"Origin": "http://o.test"}, "")
	check(t, "corp hello", r, result{Status: 200, Headers: h("Cross-Origin-Resource-Policy", "same-site", "Access-Control-Allow-Origin", "http://o.test", "Content-Length", "5"), Body: "hello"})
	r = do(t, s, "GET", "/fetch/cross-origin-resource-policy/resources/redirect.py?redirectTo=/q&corp=same-origin", nil, "")
	check(t, "corp redirect", r, result{Status: 302, Headers: h("Location", "/q", "Cross-Origin-Resource-Policy", "same-origin", "Content-Length", "0")})
	r = do(t, s, "GET", "/fetch/metadata/resources/echo-as-json.py", map[string]string{"Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}, "")
	check(t, "echo-as-json", r.Body, `{"dest": "empty", "mode": "cors", "site": "", "user": ""}`)
	r = do(t, s, "OPTIONS", "/fetch/metadata/resources/echo-as-json.py", nil, "")
	check(t, "echo-as-json preflight", r, result{Status: 403, Headers: h("Content-Length", "0")})
	r = do(t, s, "GET", "/xhr/resources/parse-headers.py?my-custom-header=v", nil, "")
	check(t, "parse-headers", r, result{Status: 200, Headers: h("My-Custom-Header", "v", "Content-Length", "0")})
	// xhr/resources/echo-headers.py keeps the client's header casing.
	out := raw(t, s, "GET /xhr/resources/echo-headers.py HTTP/1.1\r\nHost: web-platform.test\r\nTHIS-is-A-test: 1, 2\r\n\r\n")
	if !strings.Contains(out, "\r\n\r\nHost: web-platform.test\nTHIS-is-A-test: 1, 2\n\n") {
		t.Errorf("echo-headers.py = %q", out)
	}
	// stale-script.py counts per token.
	tok := "7a7a7a7a-0000-4000-8000-000000000001"
	r1 := do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-script.py?token="+tok, nil, "")
	r2 := do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-script.py?token="+tok, nil, "")
	if r1.Body == r2.Body || !strings.HasPrefix(r1.Body, "report('") || r1.Headers["Unique-Id"][0] != r1.Body[8:28] {
		t.Errorf("stale-script bodies %q %q", r1.Body, r2.Body)
	}
	r = do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-script.py?query&token="+tok, nil, "", "Count")
	check(t, "stale-script count", r.Headers, h("Count", "2"))
	// Unknown .py scripts are reported, not served.
	r = do(t, s, "GET", "/fetch/api/resources/nope.py", nil, "")
	check(t, "unknown script", r.Status, 501)
}

func TestMetadataRecordHeader(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/fetch/metadata/resources/record-header.py?file=script-x", map[string]string{"Sec-Fetch-Dest": "script"}, "")
	check(t, "record", r, result{Status: 200, Headers: h("Access-Control-Allow-Origin", "*", "Cache-Control", "no-cache, no-store, must-revalidate",
		"Pragma", "no-cache", "Expires", "0", "Content-Type", "application/javascript", "Content-Length", "7"), Body: "void 0;"})
	r = do(t, s, "GET", "/fetch/metadata/resources/record-header.py?retrieve=true&file=script-x", nil, "")
	check(t, "retrieve", r.Body, `{"dest": "script", "mode": "", "site": "", "user": ""}`)
	r = do(t, s, "GET", "/fetch/metadata/resources/record-header.py?retrieve=true&file=script-x", nil, "")
	check(t, "retrieve again", r.Body, "No header has been recorded")
}

func TestNetworkPartitionKey(t *testing.T) {
	s := start(t, "")
	base := "/fetch/connection-pool/resources/network-partition-key.py?uuid=99999999-0000-4000-8000-000000000001"
	r := do(t, s, "GET", base+"&dispatch=check_partition&partition_id=a&addcounter=1", nil, "")
	check(t, "check", r, result{Status: 200, Headers: h("Cache-Control", "no-store", "Content-Type", "text/plain", "Content-Length", "57"),
		Body: "ok. Request was sent 1 times. 1 connections were created."})
	r = do(t, s, "GET", base+"&dispatch=clean_up&partition_id=a", nil, "")
	check(t, "clean", r.Body, "cleanup complete")
	r = do(t, s, "GET", base, nil, "")
	check(t, "bad query", r, result{Status: 404, Headers: h("Cache-Control", "no-store", "Content-Type", "text/plain", "Content-Length", "24"), Body: "Invalid query parameters"})
}

func TestRangeHandlers(t *testing.T) {
	s := start(t, "")
	key := "abababab-0000-4000-8000-000000000001"
	aeKey := "abababab-0000-4000-8000-000000000002"
	r := do(t, s, "GET", "/fetch/range/resources/long-wav.py?range-received-key="+key+"&accept-encoding-key="+aeKey,
		map[string]string{"Range": "bytes=0-9", "Accept-Encoding": "identity"}, "")
	check(t, "long-wav range", r, result{Status: 206, Headers: h("Content-Type", "audio/wav", "Accept-Ranges", "bytes", "Cache-Control", "no-cache",
		"Access-Control-Allow-Origin", "", "Content-Range", "bytes 0-9/2400000", "Content-Length", "10"), Body: "RIFF$\x9f$\x00WA"})
	r = do(t, s, "GET", "/fetch/range/resources/stash-take.py?key="+key, nil, "")
	check(t, "range-received", r.Body, `"range-header-received"`)
	r = do(t, s, "GET", "/fetch/range/resources/stash-take.py?key="+aeKey, nil, "")
	check(t, "accept-encoding", r.Body, `"identity"`)
	r = do(t, s, "GET", "/fetch/range/resources/long-wav.py", map[string]string{"Range": "bytes=40-49"}, "")
	check(t, "long-wav straddling", r.Body, "\x00\x9f\x24\x00"+strings.Repeat("\x00", 6))
	r = do(t, s, "OPTIONS", "/fetch/range/resources/long-wav.py", nil, "")
	check(t, "long-wav preflight", r, result{Status: 404, Headers: h("Content-Type", "text/plain", "Content-Length", "22"), Body: "Preflight not accepted"})

	r = do(t, s, "GET", "/fetch/range/resources/partial-text.py?length=5", nil, "")
	check(t, "partial-text full", r, result{Status: 200, Headers: h("Content-Type", "text/plain", "Cache-Control", "no-cache", "Content-Length", "5"), Body: "00000"})
	r = do(t, s, "GET", "/fetch/range/resources/partial-text.py?length=10&partial=200&type=text/x", map[string]string{"Range": "bytes=2-5"}, "")
	check(t, "partial-text range", r, result{Status: 200, Headers: h("Content-Type", "text/x", "Accept-Ranges", "bytes", "Cache-Control", "no-cache",
		"Content-Range", "bytes 2-5/10", "Content-Length", "3"), Body: "000"})
	r = do(t, s, "GET", "/fetch/range/resources/partial-text.py?length=10", map[string]string{"Range": "bytes=5-20"}, "")
	check(t, "partial-text 416", r.Status, 416)
	check(t, "partial-text 416 type", r.Headers["Content-Type"], []string{"text/plain"})

	r = do(t, s, "GET", "/fetch/range/resources/partial-script.py?pretend-offset=100", nil, "")
	check(t, "partial-script", r, result{Status: 206, Headers: h("Content-Type", "text/plain", "Accept-Ranges", "bytes", "Cache-Control", "no-cache",
		"Content-Range", "bytes 100-126/127", "Content-Length", "27"), Body: "self.scriptExecuted = true;"})
	r = do(t, s, "GET", "/fetch/range/resources/partial-script.py?require-range=1", nil, "")
	check(t, "partial-script 412", r.Status, 412)
}

func TestRawHandlers(t *testing.T) {
	s := start(t, "")
	out := raw(t, s, "GET /fetch/h1-parsing/resources/status-code.py?input=200%20OK%0D HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "status-code.py", out, "HTTP/1.1 200 OK\r\nheader-parsing: is sad\n")
	out = raw(t, s, "GET /fetch/h1-parsing/resources/message.py?message=HTTP/1.1%20200%20OK%0D%0A%0D%0Ahi HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "message.py", out, "HTTP/1.1 200 OK\r\n\r\nhi")
	out = raw(t, s, "GET /fetch/content-length/resources/content-length.py?length=Content-Length:%2042 HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "content-length.py", out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=UTF-8\r\nConnection: close\r\nContent-Length: 42\r\n\r\nFact: this is really forty-two bytes long.")
	out = raw(t, s, "GET /fetch/content-type/resources/content-type.py?value=text/html&value=text/plain&content=x HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "content-type.py", out, "HTTP/1.1 200 OK\r\nX-Content-Type-Options: nosniff\r\nContent-Type: text/html\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
	out = stripDate(raw(t, s, "GET /fetch/h1-parsing/resources/script-with-0x00-in-header.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
	check(t, "0x00 header", out, "HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nCustom: \x00\r\nContent-Length: 24\r\n\r\nvar thisIsJavaScript = 0")
}

func TestKeepAliveAndErrors(t *testing.T) {
	s := start(t, "")
	out := stripDate(raw(t, s, "GET /fetch/api/resources/status.py?content=a HTTP/1.1\r\nHost: x\r\n\r\n"+
		"GET /fetch/api/resources/status.py?content=b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
	one := "HTTP/1.1 200 OMG\r\nContent-Type: \r\nX-Request-Method: GET\r\nContent-Length: 1\r\n\r\n"
	check(t, "two requests on one connection", out, one+"a"+one+"b")
	out = raw(t, s, "NONSENSE\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 400 ") {
		t.Errorf("malformed request answered %q", out)
	}
	// A handler failing like the Python would (missing key) gives a JSON 500.
	r := do(t, s, "GET", "/fetch/api/resources/clean-stash.py", nil, "")
	check(t, "500", r.Status, 500)
	check(t, "500 type", r.Headers["Content-Type"], []string{"application/json"})
	// Expect: 100-continue is honoured when the handler reads the body.
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.Ports()["http"][0]))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "POST /fetch/api/resources/echo-content.py HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n")
	br := bufio.NewReader(c)
	line, _ := br.ReadString('\n')
	check(t, "100 Continue", line, "HTTP/1.1 100 Continue\r\n")
	io.WriteString(c, "ok")
	rest, _ := io.ReadAll(br)
	if !strings.HasSuffix(string(rest), "\r\n\r\nok") {
		t.Errorf("after 100 Continue: %q", rest)
	}
}

// writeTree makes a small static tree for the file-handler tests.
func writeTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"d/top.txt":                  "top",
		"d/cors.txt":                 "cors",
		"d/cors.txt.headers":         "Access-Control-Allow-Origin: *\nX-Two: a\nX-Two: b\n",
		"d/__dir__.headers":          "X-Dir: 1\n",
		"d/raw.asis":                 "HTTP/1.1 280 HELLO\nfoo-test: 1\n\nbody",
		"d/page.sub.html":            "<p>{{host}} {{GET[q]}}</p>",
		"d/script.sub.js":            "var p = '{{ports[https][1]}}'; var h = '{{domains[www1]}}'; var g = '{{GET[q]}}';",
		"d/subh.txt":                 "x",
		"d/subh.txt.sub.headers":     "X-Host: {{host}}\n",
		"d/data.json":                `{"a":1}`,
		"d/blob.bin":                 "0123456789",
		"d/sub/index.html":           "idx",
		"d/bad.sub.txt":              "{{nosuchthing}}",
		"d/hash.sub.txt":             "{{file_hash(sha256, top.txt)}}",
		"d/headers-only.txt":         "h",
		"d/headers-only.txt.headers": "Content-Type: text/x-custom\n",
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestStaticFiles(t *testing.T) {
	s := start(t, writeTree(t))
	p := s.Ports()
	r := do(t, s, "GET", "/d/top.txt", nil, "")
	// As wptserve, a whole static file has no Content-Length: the body
	// ends when the connection closes.
	check(t, "plain", r, result{Status: 200, Headers: h("Content-Type", "text/plain", "X-Dir", "1"), Body: "top"})
	out := stripDate(raw(t, s, "GET /d/top.txt HTTP/1.1\r\nHost: x\r\n\r\n"))
	check(t, "plain raw", out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Dir: 1\r\n\r\ntop")
	r = do(t, s, "HEAD", "/d/top.txt", nil, "")
	check(t, "HEAD", r, result{Status: 200, Headers: h("Content-Type", "text/plain", "X-Dir", "1")})
	r = do(t, s, "POST", "/d/top.txt", nil, "x")
	check(t, "POST to a file", r.Status, 404)
	r = do(t, s, "GET", "/d/cors.txt", nil, "")
	check(t, ".headers", r.Headers, h("Content-Type", "text/plain", "X-Dir", "1", "Access-Control-Allow-Origin", "*", "X-Two", "a", "X-Two", "b"))
	r = do(t, s, "GET", "/d/headers-only.txt", nil, "", "Content-Type")
	check(t, ".headers Content-Type", r.Headers, h("Content-Type", "text/x-custom"))
	r = do(t, s, "GET", "/d/subh.txt", nil, "", "X-Host")
	check(t, ".sub.headers", r.Headers, h("X-Host", "web-platform.test"))
	r = do(t, s, "GET", "/d/data.json", nil, "", "Content-Type")
	check(t, "json type", r.Headers, h("Content-Type", "application/json"))
	r = do(t, s, "GET", "/d/blob.bin", nil, "", "Content-Type")
	check(t, "unknown type", r.Headers, h("Content-Type", "application/octet-stream"))
	r = do(t, s, "GET", "/d/missing.txt", nil, "")
	check(t, "missing", r.Status, 404)
	r = do(t, s, "GET", "/d/../../etc/passwd", nil, "")
	check(t, "escape", r.Status, 404)
	r = do(t, s, "GET", "/d/sub", nil, "", "Location")
	check(t, "dir redirect", r, result{Status: 301, Headers: h("Location", s.URL("http", 0, "", "/d/sub/"))})
	r = do(t, s, "GET", "/d/sub/", nil, "")
	if r.Status != 200 || !strings.Contains(r.Body, "index.html") {
		t.Errorf("dir listing = %d %q", r.Status, r.Body)
	}

	// .asis: written as is, connection closed.
	out = raw(t, s, "GET /d/raw.asis HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, ".asis", out, "HTTP/1.1 280 HELLO\nfoo-test: 1\n\nbody")

	// .sub. substitution with html escaping for .html.
	r = do(t, s, "GET", "/d/page.sub.html?q=%3Cb%3E%22%27%26", nil, "")
	check(t, ".sub.html", r.Body, "<p>web-platform.test &lt;b&gt;&quot;&#x27;&amp;</p>")
	r = do(t, s, "GET", "/d/script.sub.js?q=%3Cb%3E", nil, "", "Content-Length")
	want := fmt.Sprintf("var p = '%d'; var h = 'www1.web-platform.test'; var g = '<b>';", p["https"][1])
	check(t, ".sub.js", r, result{Status: 200, Headers: h("Content-Length", strconv.Itoa(len(want))), Body: want})
	r = do(t, s, "GET", "/d/bad.sub.txt", nil, "")
	check(t, "bad sub", r.Status, 500)
	r = do(t, s, "GET", "/d/hash.sub.txt", nil, "")
	check(t, "file_hash", r.Body, "KHIDZcXnR2oBHk9DrAA+5fFiR6JjudYjqoXtMR1zvzk=")

	// Pipes.
	r = do(t, s, "GET", "/d/top.txt?pipe=status(201)|header(X-A,1)|header(X-A,2,True)|header(Content-Type,text/x)|slice(1)", nil, "")
	check(t, "pipes", r, result{Status: 201, Headers: h("Content-Type", "text/x", "X-Dir", "1", "X-A", "1", "X-A", "2", "Content-Length", "2"), Body: "op"})
	r = do(t, s, "GET", "/d/blob.bin?pipe=slice(-4,-1)", nil, "")
	check(t, "slice negative", r.Body, "678")
	r = do(t, s, "GET", "/d/top.txt?pipe=header(X-Comma,a\\,b)|sub", nil, "", "X-Comma")
	check(t, "escaped comma", r.Headers, h("X-Comma", "a,b"))
	r = do(t, s, "GET", "/d/top.txt?pipe=gzip", nil, "", "Content-Encoding")
	check(t, "gzip", r.Headers, h("Content-Encoding", "gzip"))
	if !strings.HasPrefix(r.Body, "\x1f\x8b") {
		t.Errorf("gzip body %q", r.Body)
	}
	out = stripDate(raw(t, s, "GET /d/blob.bin?pipe=trickle(2:d0.001:r2) HTTP/1.1\r\nHost: x\r\n\r\n"))
	check(t, "trickle pipe", out, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nX-Dir: 1\r\nCache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nExpires: 0\r\n\r\n0123456789")
	r = do(t, s, "GET", "/d/top.txt?pipe=nosuchpipe", nil, "")
	check(t, "unknown pipe", r.Status, 500)
	// Pipes apply to handlers too.
	r = do(t, s, "GET", "/fetch/api/resources/cache.py?pipe=status(299)", nil, "")
	check(t, "pipe on handler", r.Status, 299)

	// Ranges.
	r = do(t, s, "GET", "/d/blob.bin", map[string]string{"Range": "bytes=2-4"}, "")
	check(t, "range", r, result{Status: 206, Headers: h("Content-Type", "application/octet-stream", "X-Dir", "1", "Content-Range", "bytes 2-4/10", "Content-Length", "3"), Body: "234"})
	r = do(t, s, "GET", "/d/blob.bin", map[string]string{"Range": "bytes=-3"}, "", "Content-Range")
	check(t, "suffix range", r, result{Status: 206, Headers: h("Content-Range", "bytes 7-9/10"), Body: "789"})
	r = do(t, s, "GET", "/d/blob.bin", map[string]string{"Range": "bytes=20-"}, "", "Content-Range")
	check(t, "unsatisfiable", r.Status, 416)
	check(t, "unsatisfiable has no Content-Range (the error replaces it)", r.Headers, h())
	r = do(t, s, "GET", "/d/blob.bin", map[string]string{"Range": "bytes=0-1,5-6"}, "", "Content-Type")
	ct := r.Headers["Content-Type"][0]
	boundary, ok := strings.CutPrefix(ct, "multipart/byteranges; boundary=")
	check(t, "multi-range type", ok, true)
	check(t, "multi-range", r, result{Status: 206, Headers: h("Content-Type", ct), Body: "\r\n--" + boundary +
		"\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n--" + boundary +
		"\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 5-6/10\r\n\r\n56\r\n--" + boundary + "--"})
}

func TestUnits(t *testing.T) {
	check(t, "parsePipes", parsePipes(`status(200)|header(a,b\,c)|sub|trickle(d1:2)||slice(1,)`), []pipeCall{
		{"status", []string{"200"}}, {"header", []string{"a", "b,c"}}, {"sub", nil}, {"trickle", []string{"d1:2"}}, {"slice", []string{"1", ""}}})
	q := parseQS("a=1&b&a=2&&c=%C3%A9+x&d=%E2%80%A6&e=%fe%FF%zz")
	check(t, "parseQS keys", q.keys, []string{"a", "b", "c", "d", "e"})
	check(t, "parseQS raw bytes", q.first("e", ""), "\xfe\xff%zz")
	check(t, "parseQS values", []string{q.first("a", ""), q.first("b", "?"), q.first("c", ""), q.first("d", "")}, []string{"1", "", "\xc3\xa9 x", "…"})
	check(t, "pyQuotePlus", pyQuotePlus("a b/é~"), "a+b%2F%C3%A9~")
	check(t, "pyURLScheme", []string{pyURLScheme("HTTP://x"), pyURLScheme("/x:y"), pyURLScheme(" data:,"), pyURLScheme("1a:b")}, []string{"http", "", "data", ""})
	check(t, "pyJSON", pyJSON([]any{nil, true, 1, 1.5, 1700000000.25, "é\"\n\U0001F600", newOmap("k", []any{})}),
		`[null, true, 1, 1.5, 1700000000.25, "\u00e9\"\n\ud83d\ude00", {"k": []}]`)
	check(t, "pyFloat", []string{pyFloat(1), pyFloat(1e16), pyFloat(1e-5)}, []string{"1.0", "1e+16", "1e-05"})
	rs, code := parseRanges("bytes=5-6,0-1,1-2", 10)
	check(t, "parseRanges", []any{rs, code}, []any{[]byteRange{{0, 3}, {5, 7}}, 0})
	_, code = parseRanges("items=1-2", 10)
	check(t, "parseRanges unit", code, 416)
	check(t, "normUUID", normUUID("{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}"), "aaaaaaaabbbbccccddddeeeeeeeeeeee")
	check(t, "httpDate", httpDate(0.9, 86400), "Fri, 02 Jan 1970 00:00:00 GMT")
}

// wptRoot is the real WPT tree from $WPT_ROOT; tests needing it skip
// without it.
func wptRoot(t *testing.T) string {
	t.Helper()
	root := os.Getenv("WPT_ROOT")
	if root == "" {
		t.Skip("WPT_ROOT is not set: skipping the test that serves the real WPT tree")
	}
	if fi, err := os.Stat(filepath.Join(root, "fetch")); err != nil || !fi.IsDir() {
		t.Skipf("WPT_ROOT=%q has no fetch/ directory: skipping", root)
	}
	return root
}

func TestRealTree(t *testing.T) {
	s := start(t, wptRoot(t))
	p := s.Ports()
	r := do(t, s, "GET", "/common/get-host-info.sub.js", nil, "", "Content-Type")
	check(t, "get-host-info type", r.Headers, h("Content-Type", "text/javascript; charset=utf-8"))
	for _, want := range []string{
		fmt.Sprintf("var HTTP_PORT = '%d';", p["http"][0]), fmt.Sprintf("var HTTPS_PORT2 = '%d';", p["https"][1]),
		"var ORIGINAL_HOST = 'web-platform.test';", "var OTHER_HOST = 'www2.web-platform.test';",
		"('not-web-platform.test')", "var OTHER_NOTSAMESITE_HOST = 'www2.not-web-platform.test';",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("get-host-info.sub.js lacks %q", want)
		}
	}
	r = doURL(t, s, "GET", s.URL("https", 1, "www1.web-platform.test", "/fetch/api/resources/cors-top.txt"), nil, "")
	check(t, "cors-top.txt over https", r, result{Status: 200, Headers: h("Content-Type", "text/plain", "Access-Control-Allow-Origin", "*"), Body: "top"})
	r = do(t, s, "GET", "/fetch/api/resources/top.txt?pipe=header(Set-Cookie,a%3Db)", nil, "", "Set-Cookie")
	check(t, "pipe on real file", r.Headers, h("Set-Cookie", "a=b"))
	out := stripDate(raw(t, s, "GET /fetch/content-length/resources/identical-duplicates.asis HTTP/1.1\r\nHost: x\r\n\r\n"))
	if !strings.HasPrefix(out, "HTTP/1.1 200 BLAH\nTest: x\nTest: x\n") {
		t.Errorf("identical-duplicates.asis = %q", out)
	}
	out = raw(t, s, "GET /fetch/cross-origin-resource-policy/resources/image.py?corp=same-origin&type=image/png HTTP/1.1\r\nHost: x\r\n\r\n")
	png, _ := os.ReadFile(filepath.Join(wptRoot(t), "fetch/cross-origin-resource-policy/resources/green.png"))
	check(t, "corp image.py", out, "HTTP/1.1 200 OK\r\ncross-origin-resource-policy: same-origin\r\ncontent-length: "+
		strconv.Itoa(len(png))+"\r\ncontent-type: image/png\r\n\r\n"+string(png))
	r = do(t, s, "GET", "/resources/testharness.js", nil, "", "Content-Type")
	check(t, "testharness.js", r.Status, 200)
}

func TestMoreHandlers(t *testing.T) {
	s := start(t, "")
	key := "c0c0c0c0-0000-4000-8000-000000000001"
	base := "/fetch/origin/resources/redirect-and-stash.py?stash=" + key
	r := do(t, s, "GET", base+"&location=/next%3Fa%3D1&dummyJS", map[string]string{"Origin": "http://o.test"}, "")
	check(t, "redirect-and-stash redirect", r, result{Status: 308, Headers: h("Location", "/next?a=1&dummyJS")})
	r = do(t, s, "GET", base+"&dummyJS", nil, "")
	check(t, "redirect-and-stash page", r, result{Status: 200, Headers: h("Content-Type", "text/html", "Access-Control-Allow-Origin", "*", "Content-Length", "23"), Body: "console.log('dummy JS')"})
	r = do(t, s, "GET", base+"&dump", nil, "")
	check(t, "redirect-and-stash dump", r, result{Status: 200, Headers: h("Content-Type", "application/json", "Content-Length", "37"), Body: `["http://o.test", "no Origin header"]`})
	r = do(t, s, "GET", "/fetch/origin/resources/referrer-policy.py?referrerPolicy=no-referrer", nil, "", "Referrer-Policy")
	check(t, "referrer-policy", r.Headers, h("Referrer-Policy", "no-referrer"))

	out := raw(t, s, "GET /fetch/nosniff/resources/css.py?type=text/css HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "nosniff css", out, "HTTP/1.1 200 OK\r\nx-content-type-options: nosniff\r\ncontent-length: 25\r\ncontent-type: text/css\r\n\r\n/* nothing to see here */")
	out = raw(t, s, "GET /fetch/nosniff/resources/css.py HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: x\r\n\r\n")
	check(t, "nosniff css 304", out, "HTTP/1.1 304 Not Modified\r\nx-content-type-options: nosniff\r\ncontent-length: 0\r\n\r\n")
	out = raw(t, s, "GET /fetch/nosniff/resources/js.py?type=text/plain HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "nosniff js", out, "HTTP/1.1 200 OK\r\nx-content-type-options: nosniff\r\ncontent-length: 46\r\ncontent-type: text/plain\r\n\r\n// nothing to see here\nlog('FAIL: text/plain')")
	out = raw(t, s, "GET /fetch/nosniff/resources/worker.py HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "nosniff worker", out, "HTTP/1.1 200 OK\r\nx-content-type-options: nosniff\r\ncontent-length: 45\r\n\r\n// nothing to see here\nthis.postMessage('hi')")
	out = raw(t, s, "GET /fetch/nosniff/resources/nosniff.py?nosniff=X-Content-Type-Options:%20nosniff HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "nosniff.py", out, "HTTP/1.1 220 YOU HAVE NO POWER HERE\r\nContent-Length: 22\r\nConnection: close\r\nContent-Type: x/x\r\nX-Content-Type-Options: nosniff\r\n\r\n// nothing to see here")

	r = do(t, s, "GET", "/fetch/cross-origin-resource-policy/resources/script.py?corp=cross-origin", map[string]string{"Origin": "http://o.test"}, "")
	check(t, "corp script", r, result{Status: 200, Headers: h("Cross-Origin-Resource-Policy", "cross-origin", "Access-Control-Allow-Origin", "http://o.test", "Content-Length", "0")})
	r = do(t, s, "GET", "/fetch/cross-origin-resource-policy/resources/iframe.py?corp=same-origin", nil, "", "Cross-Origin-Resource-Policy", "Content-Type")
	check(t, "corp iframe", r.Headers, h("Content-Type", "text/html", "Cross-Origin-Resource-Policy", "same-origin"))
	r = do(t, s, "GET", "/fetch/metadata/resources/echo-as-script.py", map[string]string{"Sec-Fetch-Dest": "script"}, "")
	check(t, "echo-as-script", r.Body, `var header = {"dest": "script", "mode": "", "site": "", "user": ""};`)

	tok := "c0c0c0c0-0000-4000-8000-000000000002"
	for i, want := range []string{"body { background: rgb(0, 128, 0); }", "body { background: rgb(255, 0, 0); }"} {
		r = do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-css.py?token="+tok, nil, "")
		check(t, "stale-css "+strconv.Itoa(i), r.Body, want)
	}
	r = do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-css.py?query&token="+tok, nil, "", "Count")
	check(t, "stale-css count", r.Headers, h("Count", "2"))
	r = do(t, s, "GET", "/fetch/http-cache/resources/cached_pragma_rand.py", nil, "", "Cache-Control", "Pragma")
	if r.Headers["Cache-Control"][0] != "max-age=2592000, public" || !strings.HasPrefix(r.Body, "Timestamp: ") {
		t.Errorf("cached_pragma_rand = %+v", r)
	}
}

func TestMoreHandlers2(t *testing.T) {
	s := start(t, "")
	r := do(t, s, "GET", "/common/slow-redirect.py?delay=0&status=307&location=/x", nil, "")
	check(t, "slow-redirect", r, result{Status: 307, Headers: h("Location", "/x")})
	r = do(t, s, "GET", "/common/refresh.py?location=/y", nil, "")
	check(t, "refresh", r, result{Status: 200, Headers: h("Content-Type", "text/html", "Refresh", "0; URL=/y", "Content-Length", "0")})
	r = do(t, s, "GET", "/common/redirect-opt-in.py?location=/z", nil, "")
	check(t, "redirect-opt-in", r, result{Status: 302, Headers: h("Location", "/z", "Timing-Allow-Origin", "*")})
	r = do(t, s, "GET", `/common/CustomCorsResponse.py?headers={"B":"2","A":1}&content="hi"&status=404`, nil, "")
	check(t, "CustomCorsResponse", r, result{Status: 200, Headers: h("B", "2", "A", "1", "Content-Length", "2"), Body: "hi"})
	r = do(t, s, "GET", "/common/CustomCorsResponse.py", nil, "")
	check(t, "CustomCorsResponse default headers fail as in Python", r.Status, 500)
	r = do(t, s, "GET", "/fetch/metadata/resources/header-link.py?location=/s.css&rel=preload", nil, "", "Link")
	check(t, "header-link", r.Headers, h("Link", "</s.css>; rel=preload"))

	key := "/fetch/metadata/resources/record-headers.py?key=k1"
	r = do(t, s, "GET", key+"&mime=text/x&body=b", map[string]string{"X-A": "1"}, "")
	check(t, "record-headers", r, result{Status: 200, Headers: h("Access-Control-Allow-Origin", "*", "Cache-Control", "no-cache, no-store, must-revalidate",
		"Pragma", "no-cache", "Expires", "0", "Content-Type", "text/x", "Content-Length", "1"), Body: "b"})
	r = do(t, s, "GET", key+"&retrieve", nil, "")
	var rec map[string][]string
	if err := json.Unmarshal([]byte(r.Body), &rec); err != nil || r.Status != 200 || rec["x-a"][0] != "1" {
		t.Errorf("record-headers retrieve = %d %q (%v)", r.Status, r.Body, err)
	}
	r = do(t, s, "GET", key+"&retrieve", nil, "")
	check(t, "record-headers retrieve again", r.Status, 204)

	out := raw(t, s, "GET /fetch/corb/resources/sniffable-resource.py?body=abc&type=text/html HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "sniffable-resource", out, "HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-type: text/html\r\n\r\nabc")
	out = raw(t, s, "POST /fetch/redirect-navigate/302-found-post-handler.py HTTP/1.1\r\nHost: web-platform.test:1234\r\nContent-Length: 0\r\n\r\n")
	check(t, "302-found-post-handler", out, "HTTP/1.1 302 Found\r\nLocation: http://web-platform.test:1234/fetch/redirect-navigate/302-found-post-handler.py\r\n\r\n")

	uuid := "beac0000-0000-4000-8000-000000000001"
	r = do(t, s, "GET", "/fetch/fetch-later/resources/get_beacon.py?uuid="+uuid, nil, "")
	check(t, "no beacons", r.Body, `{"data": []}`)
	r = do(t, s, "POST", "/fetch/fetch-later/resources/set_beacon.py?uuid="+uuid, nil, "payload=abc")
	check(t, "set_beacon", r.Status, 200)
	r = do(t, s, "GET", "/fetch/fetch-later/resources/set_beacon.py?uuid="+uuid, nil, "")
	r = do(t, s, "GET", "/fetch/fetch-later/resources/get_beacon.py?uuid="+uuid, nil, "")
	check(t, "beacons", r.Body, `{"data": ["abc", null]}`)
	r = do(t, s, "GET", "/fetch/fetch-later/resources/get_beacon.py?uuid="+uuid, nil, "")
	check(t, "beacons kept", r.Body, `{"data": ["abc", null]}`)
	r = do(t, s, "OPTIONS", "/fetch/fetch-later/resources/set_beacon.py?uuid="+uuid+"&expectPreflight=true",
		map[string]string{"Origin": "http://o.test", "Access-Control-Request-Headers": "content-type", "Access-Control-Request-Method": "POST"}, "")
	check(t, "set_beacon preflight", r, result{Status: 200, Headers: h("Access-Control-Allow-Origin", "http://o.test",
		"Access-Control-Allow-Headers", "content-type", "Access-Control-Allow-Methods", "POST")})
	r = do(t, s, "OPTIONS", "/fetch/fetch-later/resources/set_beacon.py?uuid="+uuid, nil, "")
	check(t, "set_beacon unexpected preflight", r.Status, 500)

	r = do(t, s, "GET", "/fetch/http-cache/resources/securedimage.py", nil, "")
	check(t, "securedimage 401", r, result{Status: 401, Headers: h("WWW-Authenticate", "Basic")})
	r = do(t, s, "GET", "/fetch/http-cache/resources/securedimage.py", map[string]string{"Authorization": "Basic eDp5"}, "")
	check(t, "securedimage 403", r.Status, 403)
	r = do(t, s, "GET", "/fetch/http-cache/resources/securedimage.py?x", map[string]string{"Authorization": "Basic dGVzdHVzZXI6dGVzdHBhc3M="}, "")
	check(t, "securedimage 301", r, result{Status: 301, Headers: h("Location", s.URL("http", 0, "", "/images/green.png?x"))})
	r = do(t, s, "GET", "/fetch/metadata/resources/post-to-owner.py", map[string]string{"Sec-Fetch-Mode": "navigate"}, "")
	if !strings.Contains(r.Body, `var data = {"dest": "", "mode": "navigate", "site": "", "user": ""};`) {
		t.Errorf("post-to-owner body %q", r.Body)
	}
	r = do(t, s, "GET", "/fetch/stale-while-revalidate/resources/stale-image.py?query&token="+uuid, nil, "", "Count")
	check(t, "stale-image query", r.Headers, h("Count", "0"))
}

func benchGet(b *testing.B, s *Server, path string) {
	c := client(s)
	u := s.URL("http", 0, "", path)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkHandlerRoundTrip measures one keep-alive request to a ported
// handler (status.py) through net/http.
func BenchmarkHandlerRoundTrip(b *testing.B) {
	s, err := Start(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchGet(b, s, "/fetch/api/resources/status.py?content=hello")
}

// BenchmarkStaticSub measures a .sub.js static file (the substitution
// makes the body bytes, so it goes with a Content-Length, keep-alive).
func BenchmarkStaticSub(b *testing.B) {
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, "x.sub.js"), []byte("var p = {{ports[http][0]}}, h = '{{domains[www1]}}';"), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := Start(Config{Root: root})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchGet(b, s, "/x.sub.js")
}

func TestRemainingHandlers(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "media"), 0o755)
	os.WriteFile(filepath.Join(root, "media", "sine440.mp3"), []byte("0123456789"), 0o644)
	s := start(t, root)
	r := do(t, s, "GET", "/common/echo.py?content=%3Cp%3E", nil, "")
	check(t, "echo.py", r, result{Status: 200, Headers: h("X-XSS-Protection", "0", "Content-Type", "text/html", "Content-Length", "3"), Body: "<p>"})
	r = do(t, s, "GET", "/common/slow.py?delay=1", nil, "")
	check(t, "slow.py", r, result{Status: 200, Headers: h("Content-Length", "0")})
	out := stripDate(raw(t, s, "GET /fetch/h1-parsing/resources/document-with-0x00-in-header.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
	check(t, "document-with-0x00", out, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nCustom: \x00\r\nContent-Length: 78\r\n\r\n"+
		"<!doctype html><script>top.frameLoaded=true</script><b>This is a document.</b>")
	out = raw(t, s, "GET /mimesniff/mime-types/resources/mime-charset.py?type=text/html;charset=gbk HTTP/1.1\r\nHost: x\r\n\r\n")
	check(t, "mime-charset.py", out, "HTTP/1.1 200 OK\r\nContent-Length: 75\r\nContent-Type: text/html;charset=gbk\r\nConnection: close\r\n\r\n"+
		"<meta charset=utf-8>\n<script>document.write(document.characterSet)</script>")
	r = do(t, s, "GET", "/fetch/nosniff/resources/image.py", nil, "")
	check(t, "nosniff image.py without /images", r.Status, 500)

	// video-with-range.py reads `end` bytes from `start`, as the script does.
	out = stripDate(raw(t, s, "GET /fetch/range/resources/video-with-range.py HTTP/1.1\r\nHost: x\r\nRange: bytes=2-5\r\n\r\n"))
	check(t, "video-with-range", out, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 2-4/10\r\nAccept-Ranges: bytes\r\n"+
		"Content-Type: audio/mp3\r\nContent-Length: 3\r\nCache-Control: no-cache\r\n\r\n23456")
	r = do(t, s, "GET", "/fetch/range/resources/video-with-range.py", nil, "")
	check(t, "video-with-range full", r, result{Status: 200, Headers: h("Content-Type", "audio/mp3", "Content-Length", "10", "Cache-Control", "no-cache"), Body: "0123456789"})
	out = stripDate(raw(t, s, "GET /fetch/range/resources/video-with-range.py?rewrites=%5B%7B%22request%22:%5B%220%22,%22%22%5D,%22response%22:%5B%224%22,%226%22%5D,%22status%22:206%7D%5D HTTP/1.1\r\nHost: x\r\nRange: bytes=0-\r\n\r\n"))
	check(t, "video-with-range rewrite", out, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-5/10\r\nAccept-Ranges: bytes\r\n"+
		"Content-Type: audio/mp3\r\nContent-Length: 2\r\nCache-Control: no-cache\r\n\r\n456789")
}

// TestKeepAliveAfterWatch checks that a connection stays usable after a
// handler slept (which watches the client by reading ahead), over TLS too.
func TestKeepAliveAfterWatch(t *testing.T) {
	s := start(t, "")
	for _, scheme := range []string{"http", "https"} {
		c := client(s)
		var reused []bool
		for i := 0; i < 3; i++ {
			trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET",
				s.URL(scheme, 0, "", "/fetch/api/resources/redirect.py?delay=2&location=/x"), nil)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatalf("%s request %d: %v", scheme, i, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			check(t, scheme+" status", resp.StatusCode, 302)
		}
		check(t, scheme+" connection reuse", reused, []bool{false, true, true})
	}
}
