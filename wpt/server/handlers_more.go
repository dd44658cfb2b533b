package server

import (
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
		"/fetch/cross-origin-resource-policy/resources/script.py": corpScript,
		"/fetch/metadata/resources/echo-as-script.py":             metadataEchoAsScript,
		"/fetch/stale-while-revalidate/resources/stale-css.py":    staleCSS,
		"/fetch/http-cache/resources/cached_pragma_rand.py":       cachedPragmaRand,
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

// fetch/cross-origin-resource-policy/resources/script.py.
func corpScript(w *response, r *request) {
	h := []string{"Cross-Origin-Resource-Policy", r.GET.get("corp")}
	if o, ok := r.headerOK("origin"); ok {
		h = append(h, "Access-Control-Allow-Origin", o)
	}
	w.ret(200, h, "")
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
