package server

import (
	"strconv"
	"strings"
	"time"
)

// handlerFunc is a Go port of one wptserve Python handler.
type handlerFunc func(w *response, r *request)

// handlers maps a URL path to its handler; every other path is a static
// file. Filled in init so handler bodies may refer to the table.
var handlers map[string]handlerFunc

func init() {
	handlers = map[string]handlerFunc{
		"/fetch/api/resources/inspect-headers.py":                 inspectHeaders,
		"/fetch/api/resources/redirect.py":                        redirectPy,
		"/fetch/api/resources/preflight.py":                       preflightPy,
		"/fetch/api/resources/clean-stash.py":                     cleanStash,
		"/fetch/api/resources/stash-put.py":                       stashPut,
		"/fetch/api/resources/stash-take.py":                      stashTake,
		"/fetch/api/resources/cache.py":                           apiCache,
		"/fetch/api/request/resources/cache.py":                   requestCache,
		"/fetch/api/resources/status.py":                          statusPy,
		"/xhr/resources/status.py":                                statusPy,
		"/fetch/api/resources/method.py":                          methodPy,
		"/fetch/api/resources/echo-content.py":                    echoContent,
		"/fetch/api/resources/echo-content.h2.py":                 echoContentH2,
		"/fetch/api/resources/redirect.h2.py":                     redirectH2,
		"/fetch/api/resources/authentication.py":                  authenticationPy,
		"/fetch/api/resources/dump-authorization-header.py":       dumpAuthorizationHeader,
		"/fetch/api/resources/bad-chunk-encoding.py":              badChunkEncoding,
		"/fetch/api/resources/infinite-slow-response.py":          infiniteSlowResponse,
		"/fetch/api/resources/redirect-empty-location.py":         redirectEmptyLocation,
		"/fetch/api/resources/trickle.py":                         tricklePy,
		"/fetch/api/resources/huge-response.py":                   hugeResponse,
		"/fetch/api/resources/script-with-header.py":              scriptWithHeader,
		"/fetch/http-cache/resources/http-cache.py":               httpCache,
		"/fetch/content-encoding/br/resources/bad-br-body.py":     badBody("br"),
		"/fetch/content-encoding/gzip/resources/bad-gzip-body.py": badBody("gzip"),
		"/fetch/content-encoding/zstd/resources/bad-zstd-body.py": badBody("zstd"),
	}
	registerOtherHandlers()
}

// fetch/api/resources/inspect-headers.py: x-request-<name> echoes of the
// asked-for request headers, optionally with CORS headers.
func inspectHeaders(w *response, r *request) {
	var h []string
	var checked []string
	haveChecked := false
	if r.GET.has("headers") {
		haveChecked = true
		checked = strings.Split(r.GET.first("headers", ""), "|")
		for _, name := range checked {
			if r.hasHeader(name) {
				h = append(h, "x-request-"+name, r.header(name, ""))
			}
		}
	}
	if r.GET.has("cors") {
		if r.hasHeader("Origin") {
			h = append(h, "Access-Control-Allow-Origin", r.header("Origin", ""))
		} else {
			h = append(h, "Access-Control-Allow-Origin", "*")
		}
		h = append(h, "Access-Control-Allow-Credentials", "true")
		h = append(h, "Access-Control-Allow-Methods", "GET, POST, HEAD")
		if !haveChecked {
			raise("NameError: name 'checked_headers' is not defined")
		}
		exposed := make([]string, len(checked))
		for i, c := range checked {
			exposed[i] = "x-request-" + c
		}
		h = append(h, "Access-Control-Expose-Headers", strings.Join(exposed, ", "))
		if v, ok := r.GET.lookup("allow_headers"); ok {
			h = append(h, "Access-Control-Allow-Headers", v)
		} else {
			h = append(h, "Access-Control-Allow-Headers", strings.Join(r.hkeys, ", "))
		}
	}
	h = append(h, "content-type", "text/plain")
	w.ret(0, h, "")
}

func mustInt(s string) int {
	n, err := pyInt(s)
	if err != nil {
		raise("ValueError: invalid literal for int(): %q", s)
	}
	return n
}

func mustFloat(s string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		raise("ValueError: could not convert string to float: %q", s)
	}
	return f
}

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

type redirectState struct {
	count     int
	preflight string
}

// fetch/api/resources/redirect.py: a redirect to ?location= carrying the
// query along, counting hops in the stash under ?token=.
func redirectPy(w *response, r *request) {
	st := &redirectState{preflight: "0"}
	status := 302
	h := []string{"Content-Type", "text/plain", "Cache-Control", "no-cache", "Pragma", "no-cache"}
	if r.hasHeader("Origin") {
		h = append(h, "Access-Control-Allow-Origin", r.header("Origin", ""), "Access-Control-Allow-Credentials", "true")
	} else {
		h = append(h, "Access-Control-Allow-Origin", "*")
	}
	token, haveToken := r.GET.lookup("token")
	if haveToken {
		if d, ok := r.srv.stash.take(r, token, "").(*redirectState); ok && d != nil {
			st = d
		}
	}
	if r.Method == "OPTIONS" {
		if v, ok := r.GET.lookup("allow_headers"); ok {
			h = append(h, "Access-Control-Allow-Headers", v)
		}
		st.preflight = "1"
		if !r.GET.has("redirect_preflight") {
			if haveToken && token != "" {
				r.srv.stash.put(r, token, st, "")
			}
			w.ret(200, h, "")
			return
		}
	}
	if v, ok := r.GET.lookup("redirect_status"); ok {
		status = mustInt(v)
	} else if v, ok := r.POST().lookup("redirect_status"); ok {
		status = mustInt(v)
	}
	st.count++
	if loc, ok := r.GET.lookup("location"); ok {
		u := loc
		if !r.GET.has("simple") {
			scheme := pyURLScheme(isoDecode(loc))
			if scheme == "" || scheme == "http" || scheme == "https" {
				if strings.Contains(u, "?") {
					u += "&"
				} else {
					u += "?"
				}
				var params []string
				for _, k := range r.GET.keys {
					params = append(params, pyQuotePlus(isoDecode(k))+"="+pyQuotePlus(isoDecode(r.GET.vals[k][0])))
				}
				u += strings.Join(params, "&")
				u += "&count=" + strconv.Itoa(st.count)
			}
		}
		h = append(h, "Location", u)
	}
	if v, ok := r.GET.lookup("redirect_referrerpolicy"); ok {
		h = append(h, "Referrer-Policy", v)
	}
	if r.GET.has("delay") {
		w.sleep(ms(mustFloat(r.GET.first("delay", "0"))))
	}
	if haveToken && token != "" {
		r.srv.stash.put(r, token, st, "")
		if v, ok := r.GET.lookup("max_count"); ok {
			if st.count > mustInt(v) {
				w.setContent([]byte(strconv.Itoa(st.count - 1)))
				return
			}
		}
	}
	w.ret(status, h, "")
}

// pyURLScheme is urllib.parse.urlparse(url).scheme.
func pyURLScheme(u string) string {
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(u)
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return ""
	}
	c := u[0]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return ""
	}
	for j := 0; j < i; j++ {
		c := u[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return ""
		}
	}
	return strings.ToLower(u[:i])
}

// pyQuotePlus is urllib.parse.quote_plus(text) (UTF-8, nothing safe but
// letters, digits and "_.-~", space as "+").
func pyQuotePlus(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)>>4, 16)+strconv.FormatInt(int64(c)&15, 16)))
		}
	}
	return b.String()
}

type preflightState struct {
	controlRequestHeaders *string
	preflight             string
	preflightReferrer     string
	preflightUserAgent    *string
}

// fetch/api/resources/preflight.py: answers CORS preflights as the query
// says and reports, on the actual request, what the preflight saw.
func preflightPy(w *response, r *request) {
	h := []string{"Content-Type", "text/plain"}
	empty := ""
	st := &preflightState{controlRequestHeaders: &empty, preflight: "0"}
	token, haveToken := r.GET.lookup("token")
	if v, ok := r.GET.lookup("origin"); ok {
		for _, o := range strings.Split(v, ", ") {
			h = append(h, "Access-Control-Allow-Origin", o)
		}
	} else {
		h = append(h, "Access-Control-Allow-Origin", "*")
	}
	if r.GET.has("clear-stash") {
		if r.srv.stash.take(r, token, "") != nil {
			w.ret(0, h, "1")
		} else {
			w.ret(0, h, "0")
		}
		return
	}
	if r.GET.has("credentials") {
		h = append(h, "Access-Control-Allow-Credentials", "true")
	}
	if r.Method == "OPTIONS" {
		if !r.hasHeader("Access-Control-Request-Method") {
			w.setError(400, "No Access-Control-Request-Method header")
			w.setContent([]byte("ERROR: No access-control-request-method in preflight!"))
			return
		}
		if r.header("Accept", "") != "*/*" {
			w.setError(400, "Request does not have 'Accept: */*' header")
			w.setContent([]byte("ERROR: Invalid access in preflight!"))
			return
		}
		if r.GET.has("control_request_headers") {
			if v, ok := r.headerOK("Access-Control-Request-Headers"); ok {
				st.controlRequestHeaders = &v
			} else {
				st.controlRequestHeaders = nil
			}
		}
		if v, ok := r.GET.lookup("max_age"); ok {
			h = append(h, "Access-Control-Max-Age", v)
		}
		if v, ok := r.GET.lookup("allow_headers"); ok {
			h = append(h, "Access-Control-Allow-Headers", v)
		}
		if v, ok := r.GET.lookup("allow_methods"); ok {
			h = append(h, "Access-Control-Allow-Methods", v)
		}
		code := 200
		if v, ok := r.GET.lookup("preflight_status"); ok {
			code = mustInt(v)
		}
		st.preflight = "1"
		st.preflightReferrer = r.header("Referer", "")
		ua := r.header("User-Agent", "")
		st.preflightUserAgent = &ua
		if haveToken && token != "" {
			r.srv.stash.put(r, token, st, "")
		}
		w.ret(code, h, "")
		return
	}
	if haveToken && token != "" {
		if d, ok := r.srv.stash.take(r, token, "").(*preflightState); ok && d != nil {
			st = d
		}
	}
	if r.GET.has("checkUserAgentHeaderInPreflight") {
		if st.preflightUserAgent == nil {
			raise("KeyError: 'preflight_user_agent'")
		}
		if ua, ok := r.headerOK("User-Agent"); !ok || ua != *st.preflightUserAgent {
			w.ret(400, h, "ERROR: No user-agent header in preflight")
			return
		}
	}
	h = append(h, "Access-Control-Expose-Headers", "x-did-preflight, x-control-request-headers, x-referrer, x-preflight-referrer, x-origin")
	h = append(h, "x-did-preflight", st.preflight)
	if st.controlRequestHeaders != nil {
		h = append(h, "x-control-request-headers", *st.controlRequestHeaders)
	}
	h = append(h, "x-preflight-referrer", st.preflightReferrer)
	h = append(h, "x-referrer", r.header("Referer", ""))
	h = append(h, "x-origin", r.header("Origin", ""))
	if haveToken && token != "" {
		r.srv.stash.put(r, token, st, "")
	}
	w.ret(0, h, "")
}

// fetch/api/resources/clean-stash.py: takes ?token= from its own stash
// path; "1" if something was there.
func cleanStash(w *response, r *request) {
	token := r.GET.get("token")
	if r.srv.stash.take(r, token, "") != nil {
		w.setContent([]byte("1"))
	} else {
		w.setContent([]byte("0"))
	}
}

// fetch/api/resources/stash-put.py: stores ?value= under ?key= for the
// directory.
func stashPut(w *response, r *request) {
	if r.Method == "OPTIONS" {
		w.headers.set("Access-Control-Allow-Origin", "*")
		w.headers.set("Access-Control-Allow-Methods", "*")
		w.headers.set("Access-Control-Allow-Headers", "*")
		w.setContent([]byte("done"))
		return
	}
	if !r.GET.has("disallow_cross_origin") {
		w.headers.set("Access-Control-Allow-Origin", "*")
	} else {
		if r.GET.get("mode") != "no-cors" {
			// The script asserts `'frame_origin ' in request.GET` (a str key
			// with a trailing space against bytes keys), which never holds.
			raise("AssertionError")
		}
	}
	key := r.GET.get("key")
	value := r.GET.get("value")
	r.srv.stash.put(r, key, isoDecode(value), r.urlDir())
	w.setContent([]byte("done"))
}

// jsonHandler is wptserve's @json_handler: the value as JSON with
// Content-Type application/json.
func jsonHandler(w *response, v any) {
	w.headers.set("Content-Type", "application/json")
	w.setContent([]byte(pyJSON(v)))
}

// fetch/api/resources/stash-take.py: the value under ?key= for the
// directory, as JSON.
func stashTake(w *response, r *request) {
	key := r.GET.get("key")
	w.headers.set("Access-Control-Allow-Origin", "*")
	jsonHandler(w, r.srv.stash.take(r, key, r.urlDir()))
}

// fetch/api/resources/cache.py: a fixed ETag; If-None-Match with it gives
// 304.
func apiCache(w *response, r *request) {
	const etag = `"123abc"`
	if v, ok := r.headerOK("If-None-Match"); ok && v == etag {
		w.headers.set("X-HTTP-STATUS", "304")
		w.setStatusText(304, "Not Modified")
		w.setContent(nil)
		return
	}
	w.setStatusText(200, "OK")
	w.headers.set("ETag", etag)
	w.headers.set("Content-Type", "text/plain")
	w.setContent([]byte("lorem ipsum dolor sit amet"))
}

// fetch/api/request/resources/cache.py: records the conditional request
// headers per ?token= and answers with the validators from the query.
func requestCache(w *response, r *request) {
	token, _ := r.GET.lookup("token")
	if r.GET.has("querystate") {
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte(pyJSON(r.srv.stash.take(r, token, ""))))
		return
	}
	content, haveContent := r.GET.lookup("content")
	tag, haveTag := r.GET.lookup("tag")
	date, haveDate := r.GET.lookup("date")
	expires, haveExpires := r.GET.lookup("expires")
	vary, haveVary := r.GET.lookup("vary")
	cc, haveCC := r.GET.lookup("cache_control")
	redirect, haveRedirect := r.GET.lookup("redirect")
	inm, haveINM := r.headerOK("If-None-Match")
	ims, haveIMS := r.headerOK("If-Modified-Since")
	pragma, havePragma := r.headerOK("Pragma")
	cacheControl, haveCacheControl := r.headerOK("Cache-Control")
	ignore := r.GET.has("ignore")
	haveTag = haveTag && tag != ""
	if haveTag {
		tag = `"` + tag + `"`
	}
	var serverState []any
	if old, ok := r.srv.stash.take(r, token, "").([]any); ok && len(old) > 0 {
		serverState = old
	}
	state := newOmap()
	if !ignore {
		if haveINM && inm != "" {
			state.set("If-None-Match", isoDecode(inm))
		}
		if haveIMS && ims != "" {
			state.set("If-Modified-Since", isoDecode(ims))
		}
		if havePragma && pragma != "" {
			state.set("Pragma", isoDecode(pragma))
		}
		if haveCacheControl && cacheControl != "" {
			state.set("Cache-Control", isoDecode(cacheControl))
		}
	}
	serverState = append(serverState, state)
	r.srv.stash.put(r, token, serverState, "")
	if haveTag {
		w.headers.set("ETag", tag)
	} else if haveDate && date != "" {
		w.headers.set("Last-Modified", date)
	}
	if haveExpires && expires != "" {
		w.headers.set("Expires", expires)
	}
	if haveVary && vary != "" {
		w.headers.set("Vary", vary)
	}
	if haveCC && cc != "" {
		w.headers.set("Cache-Control", cc)
	}
	w.headers.set("Access-Control-Allow-Origin", "*")
	switch {
	case haveRedirect && redirect != "":
		w.headers.set("Location", redirect)
		w.setStatusText(302, "Redirect")
		w.setContent(nil)
	case (haveINM && haveTag && inm == tag) || (haveIMS && haveDate && ims == date):
		w.setStatusText(304, "Not Modified")
		w.setContent(nil)
	default:
		w.setStatusText(200, "OK")
		w.headers.set("Content-Type", "text/plain")
		if haveContent {
			w.setContent([]byte(content))
		} else {
			w.noContent()
		}
	}
}

// fetch/api/resources/status.py (and xhr/resources/status.py): the status
// line, type and body from the query.
func statusPy(w *response, r *request) {
	code := mustInt(r.GET.first("code", "200"))
	text := r.GET.first("text", "OMG")
	content := r.GET.first("content", "")
	typ := r.GET.first("type", "")
	w.setStatusText(code, text)
	w.headers.update("Content-Type", typ, "X-Request-Method", r.Method)
	w.setContent([]byte(content))
}

// fetch/api/resources/method.py: echoes the method, some request headers
// and the body.
func methodPy(w *response, r *request) {
	var h []string
	if r.GET.has("cors") {
		h = append(h,
			"Access-Control-Allow-Origin", "*",
			"Access-Control-Allow-Credentials", "true",
			"Access-Control-Allow-Methods", "GET, POST, PUT, FOO",
			"Access-Control-Allow-Headers", "x-test, x-foo",
			"Access-Control-Expose-Headers", "x-request-method")
	}
	h = append(h,
		"x-request-method", r.Method,
		"x-request-content-type", r.header("Content-Type", "NO"),
		"x-request-content-length", r.header("Content-Length", "NO"),
		"x-request-content-encoding", r.header("Content-Encoding", "NO"),
		"x-request-content-language", r.header("Content-Language", "NO"),
		"x-request-content-location", r.header("Content-Location", "NO"))
	w.ret(0, h, string(r.Body()))
}

// fetch/api/resources/echo-content.py: echoes the body as text/plain.
func echoContent(w *response, r *request) {
	w.ret(0, []string{
		"X-Request-Method", r.Method,
		"X-Request-Content-Length", r.header("Content-Length", "NO"),
		"X-Request-Content-Type", r.header("Content-Type", "NO"),
		"Content-Type", "text/plain",
	}, string(r.Body()))
}

// fetch/api/resources/echo-content.h2.py over HTTP/1.1: 200, text/plain,
// the request body.
func echoContentH2(w *response, r *request) {
	w.setStatus(200)
	w.headers.set("Content-Type", "text/plain")
	w.setContent(r.Body())
}

// fetch/api/resources/redirect.h2.py over HTTP/1.1.
func redirectH2(w *response, r *request) {
	status := 302
	if v, ok := r.GET.lookup("redirect_status"); ok {
		status = mustInt(v)
	}
	w.setStatus(status)
	if v, ok := r.GET.lookup("location"); ok {
		w.headers.set("Location", v)
	}
	w.headers.update("Content-Type", "text/plain")
	w.setContent(nil)
}

// fetch/api/resources/authentication.py: Basic user:password, else 401
// with a realm.
func authenticationPy(w *response, r *request) {
	if h, ok := r.headerOK("Authorization"); ok {
		scheme, data, _ := strings.Cut(h, " ")
		if scheme != "Basic" {
			w.setError(400, "Unsupported authentication scheme "+scheme)
			return
		}
		user, pass, _ := r.auth()
		_ = data
		if user == "user" && pass == "password" {
			w.setContent([]byte("Authentication done"))
			return
		}
	}
	realm := "test"
	if r.GET.has("realm") {
		realm = r.GET.first("realm", "")
	}
	w.setStatusText(401, "Unauthorized")
	w.headers.update("WWW-Authenticate", `Basic realm="`+realm+`"`)
	w.setContent([]byte("Please login with credentials 'user' and 'password'"))
}

// fetch/api/resources/dump-authorization-header.py: the Authorization
// header as the body, with CORS headers.
func dumpAuthorizationHeader(w *response, r *request) {
	h := []string{"Content-Type", "text/html", "Cache-Control", "no-cache"}
	if r.GET.first("strip_auth_header", "") != "" && r.Method == "OPTIONS" &&
		strings.Contains(strings.ToLower(r.header("Access-Control-Request-Headers", "")), "authorization") {
		w.ret(500, h, "fail")
		return
	}
	if r.hasHeader("Origin") {
		h = append(h, "Access-Control-Allow-Origin", r.header("Origin", ""), "Access-Control-Allow-Credentials", "true")
	} else {
		h = append(h, "Access-Control-Allow-Origin", "*")
	}
	h = append(h, "Access-Control-Allow-Headers", "Authorization")
	if r.hasHeader("authorization") {
		w.ret(200, h, r.header("Authorization", ""))
		return
	}
	w.ret(200, h, "none")
}

// fetch/api/resources/bad-chunk-encoding.py: a chunked response whose
// chunk sizes lie, then garbage.
func badChunkEncoding(w *response, r *request) {
	delay := ms(mustFloat(r.GET.first("ms", "1000")))
	count := mustInt(r.GET.first("count", "50"))
	if !w.sleep(delay) {
		return
	}
	w.headers.set("Transfer-Encoding", "chunked")
	w.writeStatusHeaders()
	if !w.sleep(delay) {
		return
	}
	for i := 0; i < count; i++ {
		if !w.write([]byte("a\r\nTEST_CHUNK\r\n")) || !w.sleep(delay) {
			return
		}
	}
	w.write([]byte("garbage"))
}

func stashWrite(r *request, key string, value any) {
	r.srv.stash.take(r, key, r.urlDir())
	r.srv.stash.put(r, key, value, r.urlDir())
}

// fetch/api/resources/infinite-slow-response.py: dots forever (2 KiB,
// then one every 10 ms) until the client goes or ?abortKey= is stashed;
// ?stateKey= records "open" and "closed".
func infiniteSlowResponse(w *response, r *request) {
	stateKey := r.GET.first("stateKey", "")
	abortKey := r.GET.first("abortKey", "")
	if stateKey != "" {
		stashWrite(r, stateKey, "open")
	}
	w.headers.set("Content-type", "text/plain")
	w.writeStatusHeaders()
	w.write([]byte(strings.Repeat(".", 2048)))
	for {
		if !w.write([]byte(".")) {
			break
		}
		if abortKey != "" && r.srv.stash.take(r, abortKey, r.urlDir()) != nil {
			break
		}
		if !w.sleep(10 * time.Millisecond) {
			break
		}
	}
	if stateKey != "" {
		stashWrite(r, stateKey, "closed")
	}
}

// fetch/api/resources/redirect-empty-location.py: 302 with "Location:".
func redirectEmptyLocation(w *response, r *request) {
	w.ret(302, []string{"Location", ""}, "")
}

// fetch/api/resources/trickle.py: ?count= lines of "TEST_TRICKLE\n", one
// every ?ms= milliseconds, with no Content-Length.
func tricklePy(w *response, r *request) {
	delay := ms(mustFloat(r.GET.first("ms", "500")))
	count := mustInt(r.GET.first("count", "50"))
	r.Body()
	if !w.sleep(delay) {
		return
	}
	if !r.GET.has("notype") {
		w.headers.set("Content-type", "text/plain")
	}
	w.writeStatusHeaders()
	if !w.sleep(delay) {
		return
	}
	for i := 0; i < count; i++ {
		if !w.write([]byte("TEST_TRICKLE\n")) || !w.sleep(delay) {
			return
		}
	}
}

// fetch/api/resources/huge-response.py: 8 GiB of zero bytes, sent until
// the client goes away.
func hugeResponse(w *response, r *request) {
	const total = 8 << 30
	const chunk = 1 << 20
	w.headers.set("Content-type", "text/plain")
	w.headers.set("Content-Length", strconv.Itoa(total))
	w.headers.set("Cache-Control", "max-age=86400")
	w.writeStatusHeaders()
	buf := make([]byte, chunk)
	for sent := 0; sent < total; sent += chunk {
		if !w.write(buf) {
			break
		}
	}
}

// fetch/api/resources/script-with-header.py: a script with ?mime= as its
// Content-Type.
func scriptWithHeader(w *response, r *request) {
	content := "console.log('Script loaded')"
	if r.GET.first("content", "") == "empty" {
		content = ""
	}
	w.ret(200, []string{"Content-type", r.GET.get("mime")}, content)
}

// fetch/content-encoding/*/resources/bad-*-body.py: a Content-Encoding
// that the body does not have.
func badBody(coding string) handlerFunc {
	return func(w *response, r *request) {
		w.ret(0, []string{"Content-Encoding", coding}, "not actually "+coding)
	}
}
