package server

import (
	"context"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawXHR sends one request with Connection: close and returns the raw
// response without its Server and Date lines.
func rawXHR(t *testing.T, s *Server, method, target string, hdrs ...string) string {
	t.Helper()
	req := method + " " + target + " HTTP/1.1\r\nHost: web-platform.test\r\n"
	body := ""
	for i := 0; i+1 < len(hdrs); i += 2 {
		if hdrs[i] == "body" {
			body = hdrs[i+1]
			continue
		}
		req += hdrs[i] + ": " + hdrs[i+1] + "\r\n"
	}
	if body != "" {
		req += "Content-Length: " + strconv.Itoa(len(body)) + "\r\n"
	}
	return stripDate(raw(t, s, req+"Connection: close\r\n\r\n"+body))
}

const origin = "http://www1.web-platform.test:8000"

func TestXHRSimpleHandlers(t *testing.T) {
	s := start(t, "")
	const pass = "PASS: Cross-domain access allowed."
	tests := []struct {
		name, method, target string
		hdrs                 []string
		want                 string
	}{
		{"allow-no-credentials", "GET", "/xhr/resources/access-control-basic-allow-no-credentials.py", []string{"Origin", origin},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Origin: " + origin + "\r\nContent-Length: 34\r\n\r\n" + pass},
		{"allow-star", "GET", "/xhr/resources/access-control-basic-allow-star.py", nil,
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 34\r\n\r\n" + pass},
		{"allow", "GET", "/xhr/resources/access-control-basic-allow.py", []string{"Origin", origin},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Origin: " + origin + "\r\nContent-Length: 34\r\n\r\n" + pass},
		{"put-allow preflight", "OPTIONS", "/xhr/resources/access-control-basic-put-allow.py", []string{"Origin", origin},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: PUT\r\nAccess-Control-Allow-Origin: " + origin + "\r\n\r\n"},
		{"put-allow put", "PUT", "/xhr/resources/access-control-basic-put-allow.py", []string{"Origin", origin, "body", "hi"},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Origin: " + origin + "\r\nContent-Length: 37\r\n\r\n" + pass + "\nhi"},
		{"put-allow other", "POST", "/xhr/resources/access-control-basic-put-allow.py", nil,
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nWrong method: POST"},
		{"origin-header", "GET", "/xhr/resources/access-control-origin-header.py", []string{"Origin", origin},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCache-Control: no-cache, no-store\r\nAccess-Control-Allow-External: true\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 82\r\n\r\n" + pass + "\nHTTP_ORIGIN: " + origin},
		{"returns-star preflight", "OPTIONS", "/xhr/resources/access-control-preflight-request-allow-headers-returns-star.py", nil,
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: *\r\n\r\n"},
		{"returns-star get", "GET", "/xhr/resources/access-control-preflight-request-allow-headers-returns-star.py", []string{"X-Test", "t"},
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nPASS"},
		{"returns-star get without X-Test", "GET", "/xhr/resources/access-control-preflight-request-allow-headers-returns-star.py", nil,
			"HTTP/1.1 400 Bad Request\r\nAccess-Control-Allow-Origin: *\r\n\r\n"},
		{"returns-origin preflight", "OPTIONS", "/xhr/resources/access-control-preflight-request-header-returns-origin.py", []string{"Origin", origin},
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " + origin + "\r\nAccess-Control-Allow-Headers: X-Test\r\n\r\n"},
		{"returns-origin get", "GET", "/xhr/resources/access-control-preflight-request-header-returns-origin.py", []string{"X-Test", "t"},
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nPASS"},
		{"content body", "POST", "/xhr/resources/content.py", []string{"Content-Type", "text/x;charset=a", "body", "abc"},
			"HTTP/1.1 200 OK\r\nContent-type: text/plain\r\nX-Request-Method: POST\r\nX-Request-Query: NO\r\nX-Request-Content-Length: 3\r\nX-Request-Content-Type: text/x;charset=a\r\nContent-Length: 3\r\n\r\nabc"},
		{"content query", "GET", "/xhr/resources/content.py?content=%FE%FF&response_charset_label=utf-16", nil,
			"HTTP/1.1 200 OK\r\nContent-type: text/plain;charset=utf-16\r\nX-Request-Method: GET\r\nX-Request-Query: content=%FE%FF&response_charset_label=utf-16\r\nX-Request-Content-Length: NO\r\nX-Request-Content-Type: NO\r\nContent-Length: 2\r\n\r\n\xfe\xff"},
		{"corsenabled", "POST", "/xhr/resources/corsenabled.py?safelist_content_type", []string{"Content-Type", "text/plain", "body", "d"},
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\nAccess-Control-Allow-Methods: GET, POST, PUT, FOO\r\n" +
				"Access-Control-Allow-Headers: x-test, x-foo\r\nAccess-Control-Allow-Headers: content-type\r\n" +
				"Access-Control-Expose-Headers: x-request-method, x-request-content-type, x-request-query, x-request-content-length, x-request-data\r\n" +
				"X-Request-Method: POST\r\nX-Request-Query: safelist_content_type\r\nX-Request-Content-Length: 1\r\nX-Request-Content-Type: text/plain\r\nX-Request-Data: d\r\nContent-Length: 4\r\n\r\nTest"},
		{"echo-content-cors preflight", "OPTIONS", "/xhr/resources/echo-content-cors.py", []string{"Origin", origin, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "x-a"},
			"HTTP/1.1 200 OK\r\nX-Request-Method: OPTIONS\r\nX-Request-Content-Length: NO\r\nX-Request-Content-Type: NO\r\nAccess-Control-Allow-Credentials: true\r\nContent-Type: text/plain\r\n" +
				"Access-Control-Allow-Origin: " + origin + "\r\nAccess-Control-Allow-Headers: x-a\r\nAccess-Control-Allow-Methods: OPTIONS, PUT\r\nContent-Length: 0\r\n\r\n"},
		{"echo-content-cors ?origin", "POST", "/xhr/resources/echo-content-cors.py?origin=o", []string{"Content-Type", "a/b", "body", "xy"},
			"HTTP/1.1 200 OK\r\nX-Request-Method: POST\r\nX-Request-Content-Length: 2\r\nX-Request-Content-Type: a/b\r\nAccess-Control-Allow-Credentials: true\r\nContent-Type: text/plain\r\n" +
				"Access-Control-Allow-Origin: o\r\nAccess-Control-Allow-Headers: o\r\nAccess-Control-Allow-Methods: OPTIONS, o\r\nContent-Length: 2\r\n\r\nxy"},
		{"echo-content-type", "POST", "/xhr/resources/echo-content-type.py", []string{"Content-Type", "text/x; a=b", "body", "z"},
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 11\r\n\r\ntext/x; a=b"},
		{"echo-content-type none", "GET", "/xhr/resources/echo-content-type.py", nil,
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"},
		{"form urlencoded", "POST", "/xhr/resources/form.py", []string{"Content-Type", "application/x-www-form-urlencoded", "body", "id=1&value=a+b"},
			"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\nid:1;value:a b;"},
		{"form missing field", "POST", "/xhr/resources/form.py", []string{"Content-Type", "application/x-www-form-urlencoded", "body", "id=1"}, "HTTP/1.1 500 "},
		{"redirect-cors get", "GET", "/xhr/resources/redirect-cors.py?location=/x&allow_origin&allow_header=x-y", []string{"Origin", origin},
			"HTTP/1.1 302 Found\r\nLocation: /x\r\nAccess-Control-Allow-Origin: " + origin + "\r\nAccess-Control-Allow-Headers: x-y\r\n\r\n"},
		{"redirect-cors preflight", "OPTIONS", "/xhr/resources/redirect-cors.py?location=/x", nil,
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Methods: GET\r\nAccess-Control-Max-Age: 1\r\n\r\n"},
		{"redirect-cors redirected preflight", "OPTIONS", "/xhr/resources/redirect-cors.py?location=/x&redirect_preflight", nil,
			"HTTP/1.1 302 Found\r\nLocation: /x\r\nAccess-Control-Allow-Methods: GET\r\nAccess-Control-Max-Age: 1\r\n\r\n"},
		{"redirect default", "GET", "/xhr/resources/redirect.py", nil,
			"HTTP/1.1 302 WEBSRT MARKETING\r\nLocation: /xhr/resources/redirect.py?followed\r\nContent-Length: 4\r\n\r\nTEST"},
		{"redirect followed", "GET", "/xhr/resources/redirect.py?followed", nil,
			"HTTP/1.1 200 OK\r\nContent:Type: text/plain\r\nContent-Length: 14\r\n\r\nMAGIC HAPPENED"},
		{"redirect to redirect.py", "GET", "/xhr/resources/redirect.py?code=307&location=redirect.py%3Flocation%3Dx%252Fy", nil,
			"HTTP/1.1 307 WEBSRT MARKETING\r\nLocation: redirect.py?location=x/y&code=307\r\nContent-Length: 4\r\n\r\nTEST"},
		{"redirect location cut at &", "GET", "/xhr/resources/redirect.py?code=301&location=%2Fa%3Fb%26c", nil,
			"HTTP/1.1 301 WEBSRT MARKETING\r\nLocation: /a?b\r\nContent-Length: 4\r\n\r\nTEST"},
		{"delay", "GET", "/xhr/resources/delay.py?ms=1", nil,
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: YO\r\nContent-type: text/plain\r\nContent-Length: 10\r\n\r\nTEST_DELAY"},
		{"trickle", "GET", "/xhr/resources/trickle.py?ms=1&count=2", nil,
			"HTTP/1.1 200 OK\r\nContent-type: text/plain\r\n\r\nTEST_TRICKLE\nTEST_TRICKLE\n"},
		{"trickle specifylength", "GET", "/xhr/resources/trickle.py?ms=1&count=2&specifylength", nil,
			"HTTP/1.1 200 OK\r\nContent-Length: 26\r\nContent-type: text/plain\r\n\r\nTEST_TRICKLE\nTEST_TRICKLE\n"},
		{"no origin is a 500", "GET", "/xhr/resources/access-control-basic-allow.py", nil, "HTTP/1.1 500 "},
	}
	for _, tc := range tests {
		got := rawXHR(t, s, tc.method, tc.target, tc.hdrs...)
		if strings.HasSuffix(tc.want, " ") {
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("%s: got %q, want a response starting %q", tc.name, got, tc.want)
			}
			continue
		}
		check(t, tc.name, got, tc.want)
	}
}

func TestXHRBadChunkEncoding(t *testing.T) {
	s := start(t, "")
	got := rawXHR(t, s, "GET", "/xhr/resources/bad-chunk-encoding.py")
	want := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" +
		strings.Repeat("a\r\nTEST_CHUNK\r\n", 5) + "garbage"
	check(t, "bad-chunk-encoding", got, want)
}

// preflightSteps runs method/status/body steps against one token.
type xhrStep struct {
	method string
	status int
	body   string
	hdrs   map[string][]string
}

func runSteps(t *testing.T, s *Server, name, path string, steps []xhrStep) {
	t.Helper()
	tok := "00000000-0000-4000-8000-" + strings.Repeat("0", 11) + string(rune('a'+len(name)%6))
	for i, st := range steps {
		r := do(t, s, st.method, path+"?token="+tok, map[string]string{"Origin": origin}, "",
			"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age")
		check(t, name+" step "+strconv.Itoa(i), r, result{Status: st.status, Body: st.body, Headers: st.hdrs})
	}
}

func TestXHRPreflightCacheHandlers(t *testing.T) {
	base := []string{"Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "true"}
	with := func(kv ...string) map[string][]string { return h(append(append([]string{}, base...), kv...)...) }
	t.Run("cache", func(t *testing.T) {
		s := start(t, "")
		runSteps(t, s, "cache", "/xhr/resources/access-control-basic-preflight-cache.py", []xhrStep{
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")},
			{"PUT", 200, "PASS: First PUT request.", with()},
			{"PUT", 200, "PASS: Second PUT request. Preflight worked.", with()},
			{"PUT", 400, "FAIL PUT: Uninitialized", with()},
		})
		runSteps(t, s, "cache-second", "/xhr/resources/access-control-basic-preflight-cache.py", []xhrStep{
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")},
			{"PUT", 200, "PASS: First PUT request.", with()},
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT")},
			{"PUT", 400, "FAIL PUT: Second OPTIONS request was sent. Preflight failed.", with()},
		})
	})
	t.Run("invalidation", func(t *testing.T) {
		s := start(t, "")
		runSteps(t, s, "invalidation", "/xhr/resources/access-control-basic-preflight-cache-invalidation.py", []xhrStep{
			{"GET", 200, "FAIL GET: Uninitialized", with()},
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")},
			{"PUT", 200, "PASS: First PUT request.", with()},
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT, XMETHOD", "Access-Control-Allow-Headers", "x-test")},
			{"XMETHOD", 200, "PASS: Second OPTIONS request was sent.", with()},
		})
	})
	t.Run("timeout", func(t *testing.T) {
		s := start(t, "")
		runSteps(t, s, "timeout", "/xhr/resources/access-control-basic-preflight-cache-timeout.py", []xhrStep{
			{"OPTIONS", 200, "", with("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-test", "Access-Control-Max-Age", "1")},
			{"PUT", 200, "PASS: First PUT request.", with()},
			{"PUT", 200, "FAIL PUT: Second PUT request sent without preflight", with()},
		})
	})
	t.Run("reset-token", func(t *testing.T) {
		s := start(t, "")
		tok := "00000000-0000-4000-8000-00000000000f"
		r := do(t, s, "GET", "/xhr/resources/reset-token.py?token="+tok, map[string]string{"Origin": origin}, "")
		check(t, "reset-token", r, result{Status: 200, Body: "PASS", Headers: h("Access-Control-Allow-Origin", origin, "Content-Length", "4")})
		// The script puts into its own stash path: a second reset is a
		// StashError (500), and the cache scripts do not see the value.
		r = do(t, s, "GET", "/xhr/resources/reset-token.py?token="+tok, map[string]string{"Origin": origin}, "")
		check(t, "reset-token twice", r.Status, 500)
		r = do(t, s, "OPTIONS", "/xhr/resources/access-control-basic-preflight-cache.py?token="+tok, map[string]string{"Origin": origin}, "", "Access-Control-Max-Age")
		check(t, "cache after reset", r, result{Status: 200, Headers: h("Access-Control-Max-Age", "10")})
	})
}

// delay.py's and corsenabled.py's waits end when the server closes: Close
// returns at once and the clients get no response.
func TestXHRDelayEndsOnClose(t *testing.T) {
	s, err := Start(Config{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"/xhr/resources/delay.py?ms=60000", "/xhr/resources/corsenabled.py?delay=60"}
	done := make(chan string, len(targets))
	var conns []net.Conn
	for _, target := range targets {
		c, err := s.DialContext(context.Background(), "tcp", "web-platform.test:"+strconv.Itoa(s.Ports()["http"][0]))
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		c.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: web-platform.test\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		go func() {
			b, _ := io.ReadAll(c)
			done <- string(b)
		}()
	}
	time.Sleep(5 * time.Millisecond)
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the delays")
	}
	for range targets {
		if got := <-done; got != "" {
			t.Errorf("a cancelled delay answered %q", got)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
