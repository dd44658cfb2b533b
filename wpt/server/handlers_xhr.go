package server

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Handlers the xhr/*.any.js tests call, ported from xhr/resources/*.py.
func init() {
	for path, h := range map[string]handlerFunc{
		"/xhr/resources/access-control-basic-allow-no-credentials.py":                   xhrAllowNoCredentials,
		"/xhr/resources/access-control-basic-allow-star.py":                             xhrAllowStar,
		"/xhr/resources/access-control-basic-allow.py":                                  xhrAllow,
		"/xhr/resources/access-control-basic-preflight-cache-invalidation.py":           xhrPreflightCacheInvalidation,
		"/xhr/resources/access-control-basic-preflight-cache-timeout.py":                xhrPreflightCacheTimeout,
		"/xhr/resources/access-control-basic-preflight-cache.py":                        xhrPreflightCache,
		"/xhr/resources/access-control-basic-put-allow.py":                              xhrPutAllow,
		"/xhr/resources/access-control-origin-header.py":                                xhrOriginHeader,
		"/xhr/resources/access-control-preflight-request-allow-headers-returns-star.py": xhrAllowHeadersReturnsStar,
		"/xhr/resources/access-control-preflight-request-header-returns-origin.py":      xhrHeaderReturnsOrigin,
		"/xhr/resources/content.py":                                                     xhrContent,
		"/xhr/resources/corsenabled.py":                                                 xhrCorsEnabled,
		"/xhr/resources/echo-content-cors.py":                                           xhrEchoContentCors,
		"/xhr/resources/echo-content-type.py":                                           xhrEchoContentType,
		"/xhr/resources/form.py":                                                        xhrForm,
		"/xhr/resources/redirect-cors.py":                                               xhrRedirectCors,
		"/xhr/resources/reset-token.py":                                                 xhrResetToken,
		"/xhr/resources/redirect.py":                                                    xhrRedirect,
		"/xhr/resources/delay.py":                                                       xhrDelay,
		"/xhr/resources/trickle.py":                                                     xhrTrickle,
		"/xhr/resources/bad-chunk-encoding.py":                                          xhrBadChunkEncoding,
	} {
		handlers[path] = h
	}
}

// pyOrigin is request.headers.get(b"origin") used as a header value:
// wptserve cannot encode None, so a request without Origin gets a 500.
func pyOrigin(r *request) string {
	v, ok := r.headerOK("Origin")
	if !ok {
		raise("TypeError: Unexpected value (expecting string-like): None")
	}
	return v
}

// abandon gives up a response whose wait was cut short (the client went
// away, the server is closing): nothing is written, not even the default
// empty 200, and the connection closes.
func (w *response) abandon() {
	w.wroteAny = true
	w.writeFailed = true
}

// xhr/resources/access-control-basic-allow-no-credentials.py: the
// request's Origin allowed, no credentials.
func xhrAllowNoCredentials(w *response, r *request) {
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
	w.setContent([]byte("PASS: Cross-domain access allowed."))
}

// xhr/resources/access-control-basic-allow-star.py: any origin allowed.
func xhrAllowStar(w *response, r *request) {
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Access-Control-Allow-Origin", "*")
	w.setContent([]byte("PASS: Cross-domain access allowed."))
}

// xhr/resources/access-control-basic-allow.py: the request's Origin
// allowed, with credentials.
func xhrAllow(w *response, r *request) {
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Access-Control-Allow-Credentials", "true")
	w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
	w.setContent([]byte("PASS: Cross-domain access allowed."))
}

// preflightCacheStep is one state of the preflight-cache scripts' machine:
// it answers the request and returns the next state ("" keeps none).
type preflightCacheStep func(w *response, r *request, fail func(msg string)) string

// preflightCacheMachine is the shared frame of the three
// access-control-basic-preflight-cache*.py scripts: CORS headers for the
// request's Origin, the state under ?token= taken from the stash (an
// absent or empty one is "Uninitialized"), the step for that state, and
// the next state put back. failStatus is the status fail() sets (0: none).
func preflightCacheMachine(w *response, r *request, failStatus int, steps map[string]preflightCacheStep) {
	w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
	w.headers.set("Access-Control-Allow-Credentials", "true")
	token, ok := r.GET.lookup("token")
	if !ok {
		raise("TypeError: stash key is None")
	}
	state := "Uninitialized"
	if v, ok := r.srv.stash.take(r, token, "").(string); ok && v != "" {
		state = v
	}
	fail := func(msg string) {
		w.setContent([]byte("FAIL " + r.Method + ": " + msg))
		if failStatus != 0 {
			w.setStatus(failStatus)
		}
	}
	// The scripts return None: without a body set, no Content-Length.
	w.noContent()
	step, known := steps[state]
	if !known {
		fail(state)
		return
	}
	if next := step(w, r, fail); next != "" {
		r.srv.stash.put(r, token, next, "")
	}
}

// xhr/resources/access-control-basic-preflight-cache-invalidation.py: a
// second preflight is expected once the cached one no longer covers the
// method or headers.
func xhrPreflightCacheInvalidation(w *response, r *request) {
	preflightCacheMachine(w, r, 0, map[string]preflightCacheStep{
		"Uninitialized": func(w *response, r *request, fail func(string)) string {
			if r.Method == "OPTIONS" {
				w.headers.set("Access-Control-Allow-Methods", "PUT")
				w.headers.set("Access-Control-Max-Age", "10")
				return "OPTIONSSent"
			}
			fail("Uninitialized")
			return ""
		},
		"OPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" {
				w.setContent([]byte("PASS: First PUT request."))
				return "FirstPUTSent"
			}
			fail("OPTIONSSent")
			return ""
		},
		"FirstPUTSent": func(w *response, r *request, fail func(string)) string {
			switch r.Method {
			case "OPTIONS":
				w.headers.set("Access-Control-Allow-Methods", "PUT, XMETHOD")
				w.headers.set("Access-Control-Allow-Headers", "x-test")
				return "SecondOPTIONSSent"
			case "PUT":
				fail("Second PUT request sent without preflight")
			default:
				fail("FirstPUTSent")
			}
			return ""
		},
		"SecondOPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" || r.Method == "XMETHOD" {
				w.setContent([]byte("PASS: Second OPTIONS request was sent."))
			} else {
				fail("SecondOPTIONSSent")
			}
			return ""
		},
	})
}

// xhr/resources/access-control-basic-preflight-cache-timeout.py: a
// preflight cached for one second, then a second preflight expected.
func xhrPreflightCacheTimeout(w *response, r *request) {
	preflightCacheMachine(w, r, 0, map[string]preflightCacheStep{
		"Uninitialized": func(w *response, r *request, fail func(string)) string {
			if r.Method == "OPTIONS" {
				w.headers.set("Access-Control-Allow-Methods", "PUT")
				w.headers.set("Access-Control-Allow-Headers", "x-test")
				w.headers.set("Access-Control-Max-Age", "1")
				return "OPTIONSSent"
			}
			fail("Uninitialized")
			return ""
		},
		"OPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" {
				w.setContent([]byte("PASS: First PUT request."))
				return "FirstPUTSent"
			}
			fail("OPTIONSSent")
			return ""
		},
		"FirstPUTSent": func(w *response, r *request, fail func(string)) string {
			switch r.Method {
			case "OPTIONS":
				w.headers.set("Access-Control-Allow-Methods", "PUT")
				w.headers.set("Access-Control-Allow-Headers", "x-test")
				return "SecondOPTIONSSent"
			case "PUT":
				fail("Second PUT request sent without preflight")
			default:
				fail("FirstPUTSent")
			}
			return ""
		},
		"SecondOPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" {
				w.setContent([]byte("PASS: Second OPTIONS request was sent."))
			} else {
				fail("SecondOPTIONSSent")
			}
			return ""
		},
	})
}

// xhr/resources/access-control-basic-preflight-cache.py: the second PUT
// must reuse the cached preflight; failures are 400s.
func xhrPreflightCache(w *response, r *request) {
	preflightCacheMachine(w, r, 400, map[string]preflightCacheStep{
		"Uninitialized": func(w *response, r *request, fail func(string)) string {
			if r.Method == "OPTIONS" {
				w.headers.set("Access-Control-Allow-Methods", "PUT")
				w.headers.set("Access-Control-Max-Age", "10")
				return "OPTIONSSent"
			}
			fail("Uninitialized")
			return ""
		},
		"OPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" {
				w.setContent([]byte("PASS: First PUT request."))
				return "FirstPUTSent"
			}
			fail("OPTIONSSent")
			return ""
		},
		"FirstPUTSent": func(w *response, r *request, fail func(string)) string {
			switch r.Method {
			case "PUT":
				w.setContent([]byte("PASS: Second PUT request. Preflight worked."))
			case "OPTIONS":
				w.headers.set("Access-Control-Allow-Methods", "PUT")
				return "FAILSecondOPTIONSSent"
			default:
				fail("FirstPUTSent")
			}
			return ""
		},
		"FAILSecondOPTIONSSent": func(w *response, r *request, fail func(string)) string {
			if r.Method == "PUT" {
				fail("Second OPTIONS request was sent. Preflight failed.")
			} else {
				fail("FAILSecondOPTIONSSent")
			}
			return ""
		},
	})
}

// xhr/resources/access-control-basic-put-allow.py: PUT allowed for the
// request's Origin; the PUT's body is echoed after the PASS line.
func xhrPutAllow(w *response, r *request) {
	switch r.Method {
	case "OPTIONS":
		w.headers.set("Content-Type", "text/plain")
		w.headers.set("Access-Control-Allow-Credentials", "true")
		w.headers.set("Access-Control-Allow-Methods", "PUT")
		w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
		w.noContent()
	case "PUT":
		w.headers.set("Content-Type", "text/plain")
		w.headers.set("Access-Control-Allow-Credentials", "true")
		w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
		w.setContent([]byte("PASS: Cross-domain access allowed.\n" + string(r.Body())))
	default:
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte("Wrong method: " + r.Method))
	}
}

// xhr/resources/access-control-origin-header.py: the Origin header echoed
// in the body.
func xhrOriginHeader(w *response, r *request) {
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Cache-Control", "no-cache, no-store")
	w.headers.set("Access-Control-Allow-External", "true")
	w.headers.set("Access-Control-Allow-Origin", "*")
	origin, ok := r.headerOK("Origin")
	if !ok {
		raise("TypeError: can't concat NoneType to bytes")
	}
	w.setContent([]byte("PASS: Cross-domain access allowed.\nHTTP_ORIGIN: " + origin))
}

// xhr/resources/access-control-preflight-request-allow-headers-returns-star.py:
// a preflight allowing every header; the GET passes when X-Test came.
func xhrAllowHeadersReturnsStar(w *response, r *request) {
	switch r.Method {
	case "OPTIONS":
		w.headers.set("Access-Control-Allow-Origin", "*")
		w.headers.set("Access-Control-Allow-Headers", "*")
		w.setStatus(200)
		w.noContent()
	case "GET":
		w.headers.set("Access-Control-Allow-Origin", "*")
		xhrPassIfXTest(w, r)
	default:
		w.noContent()
	}
}

// xhrPassIfXTest is the GET branch of the preflight-request scripts:
// "PASS" when X-Test is present and not empty, else a 400.
func xhrPassIfXTest(w *response, r *request) {
	if v, ok := r.headerOK("X-Test"); ok && v != "" {
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte("PASS"))
		return
	}
	w.setStatus(400)
	w.noContent()
}

// xhr/resources/access-control-preflight-request-header-returns-origin.py:
// a preflight answered with the request's Origin and X-Test allowed.
func xhrHeaderReturnsOrigin(w *response, r *request) {
	switch r.Method {
	case "OPTIONS":
		w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
		w.headers.set("Access-Control-Allow-Headers", "X-Test")
		w.setStatus(200)
		w.noContent()
	case "GET":
		w.headers.set("Access-Control-Allow-Origin", "*")
		xhrPassIfXTest(w, r)
	default:
		w.noContent()
	}
}

// xhrRequestQuery is isomorphic_encode(request.url_parts.query) or "NO"
// when the query is empty.
func xhrRequestQuery(r *request) string {
	if r.RawQuery == "" {
		return "NO"
	}
	return r.RawQuery
}

// xhr/resources/content.py: the body (or ?content=) echoed as text/plain,
// with what the request carried in X-Request-* headers.
func xhrContent(w *response, r *request) {
	ctype := "text/plain"
	if r.GET.has("response_charset_label") {
		ctype += ";charset=" + r.GET.get("response_charset_label")
	}
	h := []string{
		"Content-type", ctype,
		"X-Request-Method", r.Method,
		"X-Request-Query", xhrRequestQuery(r),
		"X-Request-Content-Length", r.header("Content-Length", "NO"),
		"X-Request-Content-Type", r.header("Content-Type", "NO"),
	}
	var content string
	if r.GET.has("content") {
		content = r.GET.get("content")
	} else {
		content = string(r.Body())
	}
	w.ret(0, h, content)
}

// xhr/resources/corsenabled.py: CORS-enabled echo of the request in
// X-Request-* headers, after ?delay= seconds.
func xhrCorsEnabled(w *response, r *request) {
	h := []string{
		"Access-Control-Allow-Origin", "*",
		"Access-Control-Allow-Credentials", "true",
		"Access-Control-Allow-Methods", "GET, POST, PUT, FOO",
		"Access-Control-Allow-Headers", "x-test, x-foo",
		"Access-Control-Expose-Headers", "x-request-method, x-request-content-type, x-request-query, x-request-content-length, x-request-data",
	}
	if r.GET.has("delay") {
		if !w.sleep(time.Duration(mustInt(r.GET.get("delay"))) * time.Second) {
			w.abandon()
			return
		}
	}
	if r.GET.has("safelist_content_type") {
		h = append(h, "Access-Control-Allow-Headers", "content-type")
	}
	h = append(h,
		"X-Request-Method", r.Method,
		"X-Request-Query", xhrRequestQuery(r),
		"X-Request-Content-Length", r.header("Content-Length", "NO"),
		"X-Request-Content-Type", r.header("Content-Type", "NO"),
		"X-Request-Data", string(r.Body()))
	w.ret(0, h, "Test")
}

// xhr/resources/echo-content-cors.py: the body echoed with CORS headers
// for the request's Origin and preflight asks. As in the script, ?origin=
// (when given) stands in for all three.
func xhrEchoContentCors(w *response, r *request) {
	h := []string{
		"X-Request-Method", r.Method,
		"X-Request-Content-Length", r.header("Content-Length", "NO"),
		"X-Request-Content-Type", r.header("Content-Type", "NO"),
		"Access-Control-Allow-Credentials", "true",
		"Content-Type", "text/plain",
	}
	orFromQuery := func(name string) (string, bool) {
		if v, ok := r.GET.lookup("origin"); ok {
			return v, true
		}
		return r.headerOK(name)
	}
	if v, ok := orFromQuery("Origin"); ok {
		h = append(h, "Access-Control-Allow-Origin", v)
	}
	if v, ok := orFromQuery("Access-Control-Request-Headers"); ok {
		h = append(h, "Access-Control-Allow-Headers", v)
	}
	if v, ok := orFromQuery("Access-Control-Request-Method"); ok {
		h = append(h, "Access-Control-Allow-Methods", "OPTIONS, "+v)
	}
	w.ret(0, h, string(r.Body()))
}

// xhr/resources/echo-content-type.py: the request's Content-Type as the
// body, then the connection closes.
func xhrEchoContentType(w *response, r *request) {
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Connection", "close")
	w.setStatus(200)
	if v, ok := r.headerOK("Content-Type"); ok {
		w.setContent([]byte(v))
	} else {
		w.noContent()
	}
	w.closeConnection = true
}

// xhr/resources/form.py: the id and value fields of a posted form.
func xhrForm(w *response, r *request) {
	post := r.POST()
	w.setContent([]byte("id:" + post.get("id") + ";value:" + post.get("value") + ";"))
}

// xhr/resources/redirect-cors.py: a redirect to ?location= (also for the
// preflight with ?redirect_preflight), CORS headers as the query asks.
func xhrRedirectCors(w *response, r *request) {
	location := r.GET.get("location")
	switch r.Method {
	case "OPTIONS":
		if r.GET.has("redirect_preflight") {
			w.setStatus(302)
			w.headers.set("Location", location)
		} else {
			w.setStatus(200)
		}
		w.headers.set("Access-Control-Allow-Methods", "GET")
		w.headers.set("Access-Control-Max-Age", "1")
	case "GET":
		w.setStatus(302)
		w.headers.set("Location", location)
	}
	if r.GET.has("allow_origin") {
		w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
	}
	if r.GET.has("allow_header") {
		w.headers.set("Access-Control-Allow-Headers", r.GET.get("allow_header"))
	}
	w.noContent()
}

// xhr/resources/reset-token.py: puts an empty value under ?token= in its
// own stash path (a token already there is a 500, as in wptserve).
func xhrResetToken(w *response, r *request) {
	w.headers.set("Access-Control-Allow-Origin", pyOrigin(r))
	token := r.GET.get("token")
	r.srv.stash.put(r, token, "", "")
	w.setContent([]byte("PASS"))
}

// xhr/resources/redirect.py: ?code= (default 302) with reason "WEBSRT
// MARKETING" to ?location= (default this path with ?followed); the
// followed request gets "MAGIC HAPPENED".
func xhrRedirect(w *response, r *request) {
	code := 302
	if v, ok := r.GET.lookup("code"); ok {
		code = mustInt(v)
	}
	location, ok := r.GET.lookup("location")
	if !ok {
		location = r.Path + "?followed"
	}
	if location != "" {
		location = pyParseQSLocation(location)
		if strings.HasPrefix(location, "redirect.py") {
			location += "&code=" + strconv.Itoa(code)
		}
	}
	if r.GET.has("delay") {
		if !w.sleep(ms(mustFloat(r.GET.get("delay")))) {
			w.abandon()
			return
		}
	}
	if r.GET.has("followed") {
		// The header name really is "Content:Type" in the script.
		w.ret(0, []string{"Content:Type", "text/plain"}, "MAGIC HAPPENED")
		return
	}
	w.setStatusText(code, "WEBSRT MARKETING")
	w.ret(0, []string{"Location", location}, "TEST")
}

// pyParseQSLocation is parse_qs("location=" + value.decode("UTF-8"))
// ["location"][0] followed by the isomorphic encoding of the header value:
// the value is cut at its first "&", "+" and %XX are decoded (as UTF-8,
// bad bytes replaced), and a code point above U+00FF is an error.
func pyParseQSLocation(v string) string {
	if !utf8.ValidString(v) {
		raise("UnicodeDecodeError: location %q is not UTF-8", v)
	}
	found := ""
	have := false
	for _, pair := range strings.Split("location="+v, "&") {
		name, val, hasEq := strings.Cut(pair, "=")
		if !hasEq || val == "" || have {
			continue
		}
		if percentDecode(strings.ReplaceAll(name, "+", " ")) != "location" {
			continue
		}
		found, have = percentDecode(strings.ReplaceAll(val, "+", " ")), true
	}
	if !have {
		raise("KeyError: 'location'")
	}
	found = strings.ToValidUTF8(found, "\uFFFD")
	var b strings.Builder
	for _, c := range found {
		if c > 0xFF {
			raise("UnicodeEncodeError: location %q is not Latin-1", found)
		}
		b.WriteByte(byte(c))
	}
	return b.String()
}

// xhr/resources/delay.py: "TEST_DELAY" after ?ms= milliseconds (default
// 500); the wait ends early when the client goes or the server closes.
func xhrDelay(w *response, r *request) {
	delay := 500.0
	if v, ok := r.GET.lookup("ms"); ok {
		delay = mustFloat(v)
	}
	if !w.sleep(ms(delay)) {
		w.abandon()
		return
	}
	w.ret(0, []string{
		"Access-Control-Allow-Origin", "*",
		"Access-Control-Allow-Methods", "YO",
		"Content-type", "text/plain",
	}, "TEST_DELAY")
}

// xhr/resources/trickle.py: ?count= lines of "TEST_TRICKLE\n" (default
// 50), one every ?ms= milliseconds (default 500), with a Content-Length
// only under ?specifylength.
func xhrTrickle(w *response, r *request) {
	const chunk = "TEST_TRICKLE\n"
	delay := 500.0
	if v, ok := r.GET.lookup("ms"); ok {
		delay = mustFloat(v)
	}
	count := 50
	if v, ok := r.GET.lookup("count"); ok {
		count = mustInt(v)
	}
	if r.GET.has("specifylength") {
		w.headers.set("Content-Length", strconv.Itoa(count*len(chunk)))
	}
	if !w.sleep(ms(delay)) {
		w.abandon()
		return
	}
	w.headers.set("Content-type", "text/plain")
	w.writeStatusHeaders()
	if !w.sleep(ms(delay)) {
		return
	}
	for i := 0; i < count; i++ {
		if !w.write([]byte(chunk)) || !w.sleep(ms(delay)) {
			return
		}
	}
}

// xhr/resources/bad-chunk-encoding.py: a chunked response whose chunk
// sizes lie, five chunks 100 ms apart, then garbage.
func xhrBadChunkEncoding(w *response, r *request) {
	const delay = 100 * time.Millisecond
	if !w.sleep(delay) {
		w.abandon()
		return
	}
	w.headers.set("Transfer-Encoding", "chunked")
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("X-Content-Type-Options", "nosniff")
	w.headers.set("Connection", "close")
	w.closeConnection = true
	w.writeStatusHeaders()
	if !w.sleep(delay) {
		return
	}
	for i := 0; i < 5; i++ {
		if !w.write([]byte("a\r\nTEST_CHUNK\r\n")) || !w.sleep(delay) {
			return
		}
	}
	w.write([]byte("garbage"))
}
