package server

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Handlers used by fetch tests that are not .any.js (window, iframe and
// worker tests), ported for completeness.
func init() {
	for path, h := range map[string]handlerFunc{
		"/fetch/origin/resources/redirect-and-stash.py":           redirectAndStash,
		"/fetch/origin/resources/referrer-policy.py":              originReferrerPolicy,
		"/fetch/nosniff/resources/css.py":                         nosniffCSS,
		"/fetch/nosniff/resources/image.py":                       nosniffImage,
		"/fetch/nosniff/resources/js.py":                          nosniffJS,
		"/fetch/nosniff/resources/nosniff.py":                     nosniffRaw,
		"/fetch/nosniff/resources/worker.py":                      nosniffWorker,
		"/fetch/cross-origin-resource-policy/resources/iframe.py": corpIframe,
		"/fetch/cross-origin-resource-policy/resources/image.py":  corpImage,
		"/fetch/cross-origin-resource-policy/resources/script.py": corpWithBody(""),
		"/fetch/metadata/resources/echo-as-script.py":             metadataEchoAsScript,
		"/fetch/stale-while-revalidate/resources/stale-css.py":    staleCSS,
		"/fetch/http-cache/resources/cached_pragma_rand.py":       cachedPragmaRand,
		"/common/slow-redirect.py":                                commonSlowRedirect,
		"/common/refresh.py":                                      commonRefresh,
		"/common/redirect-opt-in.py":                              commonRedirectOptIn,
		"/common/CustomCorsResponse.py":                           customCorsResponse,
		"/fetch/metadata/resources/header-link.py":                metadataHeaderLink,
		"/fetch/metadata/resources/record-headers.py":             metadataRecordHeaders,
		"/fetch/corb/resources/sniffable-resource.py":             corbSniffable,
		"/fetch/redirect-navigate/302-found-post-handler.py":      found302PostHandler,
		"/fetch/fetch-later/resources/get_beacon.py":              getBeacon,
		"/fetch/fetch-later/resources/set_beacon.py":              setBeacon,
		"/fetch/stale-while-revalidate/resources/stale-image.py":  staleImage,
		"/fetch/http-cache/resources/securedimage.py":             securedImage,
		"/fetch/metadata/resources/post-to-owner.py":              metadataPostToOwner,
	} {
		handlers[path] = h
	}
}

func readRootFile(r *request, rel ...string) []byte {
	if r.srv.root == "" {
		raise("FileNotFoundError: %s (no WPT root)", strings.Join(rel, "/"))
	}
	data, err := os.ReadFile(filepath.Join(append([]string{r.srv.root}, rel...)...))
	if err != nil {
		raise("FileNotFoundError: %s", strings.Join(rel, "/"))
	}
	return data
}

// fetch/origin/resources/redirect-and-stash.py: records each request's
// Origin under ?stash= and redirects (308) to ?location=; ?dump returns
// the list as JSON.
func redirectAndStash(w *response, r *request) {
	key := r.GET.get("stash")
	origin, ok := r.headerOK("origin")
	if !ok {
		origin = "no Origin header"
	}
	list, _ := r.srv.stash.take(r, key, "").([]any)
	if r.GET.has("dump") {
		w.headers.set("Content-Type", "application/json")
		if list == nil {
			w.setContent([]byte("null"))
		} else {
			w.setContent([]byte(pyJSON(list)))
		}
		return
	}
	list = append(list, isoDecode(origin))
	r.srv.stash.put(r, key, list, "")
	if loc, ok := r.GET.lookup("location"); ok {
		if r.GET.has("dummyJS") {
			loc += "&dummyJS"
		}
		w.setStatus(308)
		w.headers.set("Location", loc)
		w.noContent()
		return
	}
	w.headers.set("Content-Type", "text/html")
	w.headers.set("Access-Control-Allow-Origin", "*")
	if r.GET.has("dummyJS") {
		w.setContent([]byte("console.log('dummy JS')"))
	} else {
		w.setContent([]byte("<meta charset=utf-8>\n<body><script>parent.postMessage('loaded','*')</script></body>"))
	}
}

// fetch/origin/resources/referrer-policy.py.
func originReferrerPolicy(w *response, r *request) {
	if v, ok := r.GET.lookup("referrerPolicy"); ok {
		w.headers.set("Referrer-Policy", v)
	}
	w.setStatus(200)
	w.headers.set("Content-Type", "text/html")
	w.setContent([]byte("<meta charset=utf-8>\n<body><script>parent.postMessage('action','*')</script></body>"))
}

// writeNosniff writes status, X-Content-Type-Options: nosniff,
// Content-Length and the optional Content-Type by hand, with no other
// headers, as the nosniff scripts do.
func writeNosniff(w *response, code int, typ string, haveType bool, body []byte) {
	w.noRequiredHeaders = true
	w.writeStatus(code, "", false)
	w.writeHeader("x-content-type-options", "nosniff")
	w.writeHeader("content-length", strconv.Itoa(len(body)))
	if haveType {
		w.writeHeader("content-type", typ)
	}
	w.endHeaders()
	w.write(body)
}

// fetch/nosniff/resources/css.py.
func nosniffCSS(w *response, r *request) {
	typ, haveType := r.GET.lookup("type")
	if _, reval := r.headerOK("If-Modified-Since"); reval {
		writeNosniff(w, 304, typ, haveType, nil)
		return
	}
	writeNosniff(w, 200, typ, haveType, []byte("/* nothing to see here */"))
}

// fetch/nosniff/resources/image.py (needs /images from a full WPT tree).
func nosniffImage(w *response, r *request) {
	typ, haveType := r.GET.lookup("type")
	name := "blue96x96.png"
	if haveType && strings.Contains(typ, "svg") {
		name = "green-96x96.svg"
	}
	writeNosniff(w, 200, typ, haveType, readRootFile(r, "images", name))
}

// fetch/nosniff/resources/js.py.
func nosniffJS(w *response, r *request) {
	outcome := r.GET.first("outcome", "f")
	typ := r.GET.first("type", "Content-Type missing")
	content := "// nothing to see here\n"
	if outcome == "f" {
		content += "log('FAIL: " + typ + "')"
	} else {
		content += "p()"
	}
	writeNosniff(w, 200, typ, typ != "Content-Type missing", []byte(content))
}

// fetch/nosniff/resources/nosniff.py: raw response with ?nosniff= as a
// header line.
func nosniffRaw(w *response, r *request) {
	w.write([]byte("HTTP/1.1 220 YOU HAVE NO POWER HERE\r\nContent-Length: 22\r\nConnection: close\r\nContent-Type: x/x\r\n" +
		r.GET.get("nosniff") + "\r\n\r\n// nothing to see here"))
	w.closeConnection = true
}

// fetch/nosniff/resources/worker.py.
func nosniffWorker(w *response, r *request) {
	typ, haveType := r.GET.lookup("type")
	writeNosniff(w, 200, typ, haveType, []byte("// nothing to see here\nthis.postMessage('hi')"))
}

// fetch/cross-origin-resource-policy/resources/iframe.py.
func corpIframe(w *response, r *request) {
	w.ret(200, []string{"Content-Type", "text/html", "Cross-Origin-Resource-Policy", r.GET.get("corp")},
		"<body><h3>The iframe</h3><script>window.onmessage = () => { parent.postMessage('pong', '*'); }</script></body>")
}

// fetch/cross-origin-resource-policy/resources/image.py: green.png with
// hand-written headers.
func corpImage(w *response, r *request) {
	body := readRootFile(r, "fetch", "cross-origin-resource-policy", "resources", "green.png")
	w.noRequiredHeaders = true
	w.writeStatus(200, "", false)
	if v, ok := r.GET.lookup("corp"); ok {
		w.writeHeader("cross-origin-resource-policy", v)
	}
	if v, ok := r.GET.lookup("acao"); ok {
		w.writeHeader("access-control-allow-origin", v)
	}
	w.writeHeader("content-length", strconv.Itoa(len(body)))
	if v, ok := r.GET.lookup("type"); ok {
		w.writeHeader("content-type", v)
	}
	w.endHeaders()
	w.write(body)
}

// fetch/metadata/resources/echo-as-script.py: the Sec-Fetch-* headers as a
// script.
func metadataEchoAsScript(w *response, r *request) {
	w.ret(0, []string{"Content-Type", "text/javascript"}, "var header = "+secFetchJSON(r)+";")
}

// fetch/stale-while-revalidate/resources/stale-css.py: green CSS on the
// first fetch, red after, counting per ?token=.
func staleCSS(w *response, r *request) {
	isQuery := r.GET.has("query")
	count := staleCount(r, isQuery)
	if isQuery {
		w.ret(200, []string{"Count", strconv.Itoa(count)}, "")
		return
	}
	content := "body { background: rgb(0, 128, 0); }"
	if count > 1 {
		content = "body { background: rgb(255, 0, 0); }"
	}
	w.ret(200, []string{"Content-Type", "text/css", "Cache-Control", "private, max-age=0, stale-while-revalidate=60"}, content)
}

// fetch/http-cache/resources/cached_pragma_rand.py: a cacheable page with
// Pragma: no-cache and a timestamp.
func cachedPragmaRand(w *response, r *request) {
	w.headers.set("X-XSS-Protection", "0")
	w.headers.set("Content-Type", "text/html")
	w.headers.set("Cache-Control", "max-age=2592000, public")
	w.headers.set("Pragma", "no-cache")
	now := float64(time.Now().UnixNano()) / 1e9
	w.setContent([]byte("Timestamp: " + pyFloat(now)))
}

// common/slow-redirect.py: a redirect after ?delay= seconds (default 2).
func commonSlowRedirect(w *response, r *request) {
	status, delay := 302, 2
	if v, ok := r.GET.lookup("status"); ok {
		if n, err := pyInt(v); err == nil {
			status = n
		}
	}
	if v, ok := r.GET.lookup("delay"); ok {
		if n, err := pyInt(v); err == nil {
			delay = n
		}
	}
	w.setStatus(status)
	w.sleep(time.Duration(delay) * time.Second)
	w.headers.set("Location", r.GET.get("location"))
	w.noContent()
}

// common/refresh.py: an empty page with "Refresh: 0; URL=?location=".
func commonRefresh(w *response, r *request) {
	w.ret(200, []string{"Content-Type", "text/html", "Refresh", "0; URL=" + r.GET.get("location")}, "")
}

// common/redirect-opt-in.py: common/redirect.py with Timing-Allow-Origin.
func commonRedirectOptIn(w *response, r *request) {
	status := 302
	if v, ok := r.GET.lookup("status"); ok {
		if n, err := pyInt(v); err == nil {
			status = n
		}
	}
	w.setStatus(status)
	w.headers.set("Location", r.GET.get("location"))
	w.headers.set("Timing-Allow-Origin", "*")
	w.noContent()
}

// common/CustomCorsResponse.py: headers from the JSON object ?headers=
// (in order) and the body from the JSON string ?content=. The script's
// ?status= sets an attribute wptserve never reads, so the status stays 200.
func customCorsResponse(w *response, r *request) {
	hjson := r.GET.first("headers", `"{}"`)
	dec := json.NewDecoder(strings.NewReader(hjson))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		raise("JSONDecodeError: %v", err)
	}
	if d, ok := tok.(json.Delim); ok && d == '{' {
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				raise("JSONDecodeError: %v", err)
			}
			var v any
			if err := dec.Decode(&v); err != nil {
				raise("JSONDecodeError: %v", err)
			}
			w.headers.set(kt.(string), pyStr(jsonToPy(v)))
		}
	} else if _, ok := tok.(string); !ok {
		raise("AttributeError: headers is not a dict")
	} else {
		// The default '"{}"' decodes to the string "{}", whose .items()
		// fails in the Python; only reachable without ?headers=.
		raise("AttributeError: 'str' object has no attribute 'items'")
	}
	var content any
	if err := json.Unmarshal([]byte(r.GET.first("content", `"/* CustomCorsResponse.py content */"`)), &content); err != nil {
		raise("JSONDecodeError: %v", err)
	}
	cs, ok := content.(string)
	if !ok {
		raise("ValueError: content is not a string")
	}
	w.setContent([]byte(cs))
}

// fetch/metadata/resources/header-link.py: an empty page with a Link
// header.
func metadataHeaderLink(w *response, r *request) {
	w.ret(200, []string{"Content-Type", "text/html", "Link", "<" + r.GET.get("location") + ">; rel=" + r.GET.get("rel")}, "")
}

// fetch/metadata/resources/record-headers.py: records all request headers
// (as JSON lists) under md5(?key=); ?retrieve returns them (204 if none).
func metadataRecordHeaders(w *response, r *request) {
	if r.GET.has("requireOPTIONS") && r.Method != "OPTIONS" {
		w.noContent()
		return
	}
	var key string
	if v, ok := r.GET.lookup("key"); ok {
		key = v
	} else if v, ok := r.POST().lookup("key"); ok {
		key = v
	} else {
		raise("UnboundLocalError: key")
	}
	sum := md5.Sum([]byte(key))
	testID := hex.EncodeToString(sum[:])
	if r.GET.has("retrieve") {
		v, ok := r.srv.stash.take(r, testID, "").(string)
		if !ok {
			w.ret(204, nil, "")
			return
		}
		w.ret(200, nil, v)
		return
	}
	o := newOmap()
	for _, k := range r.hkeys {
		var vals []any
		for _, v := range r.headers[k] {
			vals = append(vals, v)
		}
		o.set(k, vals)
	}
	r.srv.stash.put(r, testID, pyJSON(o), "")
	w.headers.set("Access-Control-Allow-Origin", "*")
	w.headers.set("Cache-Control", "no-cache, no-store, must-revalidate")
	w.headers.set("Pragma", "no-cache")
	w.headers.set("Expires", "0")
	if v, ok := r.GET.lookup("mime"); ok {
		w.headers.set("Content-Type", v)
	}
	w.setContent([]byte(r.GET.first("body", r.POST().first("body", ""))))
}

// fetch/corb/resources/sniffable-resource.py: ?body= with ?type= and
// nothing else.
func corbSniffable(w *response, r *request) {
	body := r.GET.get("body")
	typ := r.GET.get("type")
	w.noRequiredHeaders = true
	w.writeStatus(200, "", false)
	w.writeHeader("content-length", strconv.Itoa(len(body)))
	w.writeHeader("content-type", typ)
	w.endHeaders()
	w.write([]byte(body))
}

// fetch/redirect-navigate/302-found-post-handler.py: a POST is redirected
// (302) to itself, a GET answers "OK".
func found302PostHandler(w *response, r *request) {
	switch r.Method {
	case "POST":
		w.noRequiredHeaders = true
		w.writeStatus(302, "", false)
		w.writeHeader("Location", r.URL())
		w.endHeaders()
		w.write(nil)
	case "GET":
		w.ret(0, []string{"Content-Type", "text/plain"}, "OK")
	default:
		w.ret(0, []string{"Content-Type", "text/plain"}, "FAIL")
	}
}

const beaconPath = "beacon_data"

// fetch/fetch-later/resources/get_beacon.py: the beacon payloads stored
// for ?uuid=, as JSON.
func getBeacon(w *response, r *request) {
	uuid, ok := r.GET.lookup("uuid")
	if !ok {
		w.setStatus(400)
		w.setContent([]byte("Must provide a UUID to store beacon data"))
		return
	}
	body := newOmap("data", []any{})
	r.srv.stash.update(r, uuid, beaconPath, func(old any) any {
		if data, ok := old.([]any); ok && len(data) > 0 {
			body.set("data", data)
			return data
		}
		return nil
	})
	w.ret(0, []string{"Content-Type", "text/plain"}, pyJSON(body))
}

// fetch/fetch-later/resources/set_beacon.py: stores a beacon's payload
// under ?uuid=, checking Origin, preflight and cookies as the query says.
func setBeacon(w *response, r *request) {
	uuid, ok := r.GET.lookup("uuid")
	if !ok {
		w.setStatus(400)
		w.setContent([]byte("Must provide a UUID to store beacon data"))
		return
	}
	expected, haveExpected := r.GET.lookup("expectOrigin")
	if origin, ok := r.headerOK("origin"); ok {
		if haveExpected && expected != "" && origin != expected {
			raise("AssertionError: expected %s, got %s", expected, origin)
		}
		w.headers.set("Access-Control-Allow-Origin", origin)
	} else if haveExpected {
		raise("AssertionError: expected None, got %s", expected)
	}
	if r.Method == "OPTIONS" {
		if r.GET.first("expectPreflight", "") != "true" {
			raise("AssertionError: Preflight not expected.")
		}
		if r.hasHeader("Cookie") {
			raise("AssertionError: preflight with cookies")
		}
		acrh, ok := r.headerOK("Access-Control-Request-Headers")
		if !ok || !strings.Contains(acrh, "content-type") {
			raise("AssertionError: expected content-type, got %s", acrh)
		}
		w.headers.set("Access-Control-Allow-Headers", "content-type")
		if m := r.header("Access-Control-Request-Method", ""); m != "POST" {
			raise("AssertionError: expected POST, got %s", m)
		}
		w.headers.set("Access-Control-Allow-Methods", "POST")
		// The script returns the response object itself, which wptserve
		// cannot write as a body: the client gets the status and headers.
		w.noContent()
		return
	}
	if r.GET.first("expectCredentials", "") == "true" {
		if !r.hasHeader("Cookie") {
			raise("AssertionError: expected cookies")
		}
	} else if r.hasHeader("Cookie") {
		raise("AssertionError: unexpected cookies")
	}
	var data any
	if r.Method == "POST" {
		if strings.Contains(r.header("Content-Type", ""), "multipart/form-data") {
			if v, ok := r.POST().lookup("payload"); ok {
				data = v
			}
		} else if b := r.Body(); len(b) > 0 {
			d := string(b)
			if strings.HasPrefix(d, "payload=") {
				d = strings.Split(d, "payload=")[1]
			}
			data = d
		}
	}
	r.srv.stash.update(r, uuid, beaconPath, func(old any) any {
		saved, _ := old.([]any)
		return append(saved, data)
	})
	w.setStatus(200)
	w.noContent()
}

// fetch/stale-while-revalidate/resources/stale-image.py: a 16x16 image on
// the first fetch, 256x256 after (needs /images from a full WPT tree).
func staleImage(w *response, r *request) {
	isQuery := r.GET.has("query")
	count := staleCount(r, isQuery)
	if isQuery {
		w.ret(200, []string{"Count", strconv.Itoa(count)}, "")
		return
	}
	name := "green-16x16.png"
	if count > 1 {
		name = "green-256x256.png"
	}
	body := readRootFile(r, "images", name)
	w.noRequiredHeaders = true
	w.writeStatus(200, "", false)
	w.writeHeader("content-length", strconv.Itoa(len(body)))
	w.writeHeader("Cache-Control", "private, max-age=0, stale-while-revalidate=60")
	w.writeHeader("content-type", "image/png")
	w.endHeaders()
	w.write(body)
}

// fetch/http-cache/resources/securedimage.py: Basic testuser:testpass,
// then a 301 to /images/green.png.
func securedImage(w *response, r *request) {
	if !r.hasHeader("authorization") {
		w.setStatus(401)
		w.headers.set("WWW-Authenticate", "Basic")
		w.noContent()
		return
	}
	if auth := r.header("Authorization", ""); auth != "Basic dGVzdHVzZXI6dGVzdHBhc3M=" {
		w.setError(403, "Invalid username or password - "+isoDecode(auth))
		return
	}
	w.setStatus(301)
	w.headers.set("Location", strings.Replace(r.URL(), "fetch/http-cache/resources/securedimage.py", "images/green.png", -1))
	w.noContent()
}

// fetch/metadata/resources/post-to-owner.py: a page posting the
// Sec-Fetch-* headers to its opener or top.
func metadataPostToOwner(w *response, r *request) {
	body := `
        <!DOCTYPE html>
        <script>
            var data = ` + secFetchJSON(r) + `;
            if (window.opener)
                window.opener.postMessage(data, "*");
            if (window.top != window)
                window.top.postMessage(data, "*");
        </script>
    `
	w.ret(0, []string{"Content-Type", "text/html", "Cache-Control", "no-cache, no-store, must-revalidate"}, body)
}
