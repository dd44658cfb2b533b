package server

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func registerOtherHandlers() {
	for path, h := range map[string]handlerFunc{
		"/common/redirect.py":                                       commonRedirect,
		"/common/echo.py":                                           commonEcho,
		"/common/slow.py":                                           commonSlow,
		"/xhr/resources/echo-headers.py":                            xhrEchoHeaders,
		"/xhr/resources/parse-headers.py":                           xhrParseHeaders,
		"/fetch/cross-origin-resource-policy/resources/hello.py":    corpWithBody("hello"),
		"/fetch/cross-origin-resource-policy/resources/redirect.py": corpRedirect,
		"/fetch/metadata/resources/echo-as-json.py":                 metadataEchoAsJSON,
		"/fetch/metadata/resources/record-header.py":                metadataRecordHeader,
		"/fetch/stale-while-revalidate/resources/stale-script.py":   staleScript,
		"/fetch/connection-pool/resources/network-partition-key.py": networkPartitionKey,
		"/fetch/range/resources/long-wav.py":                        longWav,
		"/fetch/range/resources/partial-text.py":                    partialText,
		"/fetch/range/resources/partial-script.py":                  partialScript,
		"/fetch/range/resources/stash-take.py":                      rangeStashTake,
		"/fetch/range/resources/video-with-range.py":                videoWithRange,
		"/fetch/h1-parsing/resources/message.py":                    h1Message,
		"/fetch/h1-parsing/resources/status-code.py":                h1StatusCode,
		"/fetch/h1-parsing/resources/document-with-0x00-in-header.py": nulHeader("text/html",
			"<!doctype html><script>top.frameLoaded=true</script><b>This is a document.</b>"),
		"/fetch/h1-parsing/resources/script-with-0x00-in-header.py": nulHeader("text/javascript", "var thisIsJavaScript = 0"),
		"/fetch/content-length/resources/content-length.py":         contentLengthPy,
		"/fetch/content-type/resources/content-type.py":             contentTypePy,
		"/mimesniff/mime-types/resources/mime-charset.py":           mimeCharset,
	} {
		handlers[path] = h
	}
}

// common/redirect.py: ?status= (default 302) to ?location=, CORS with
// ?enable-cors.
func commonRedirect(w *response, r *request) {
	status := 302
	if v, ok := r.GET.lookup("status"); ok {
		if n, err := pyInt(v); err == nil {
			status = n
		}
	}
	w.setStatus(status)
	w.headers.set("Location", r.GET.get("location"))
	if r.GET.has("enable-cors") {
		if origin, ok := r.headerOK("Origin"); ok && origin != "" {
			w.headers.set("Content-Type", "text/plain")
			w.headers.set("Access-Control-Allow-Origin", origin)
			w.headers.set("Access-Control-Allow-Credentials", "true")
		}
	}
	w.noContent()
}

// common/echo.py: ?content= as text/html.
func commonEcho(w *response, r *request) {
	w.headers.set("X-XSS-Protection", "0")
	w.headers.set("Content-Type", "text/html")
	w.setContent([]byte(r.GET.get("content")))
}

// common/slow.py: an empty 200 after ?delay= ms (default 2000).
func commonSlow(w *response, r *request) {
	w.sleep(ms(mustFloat(r.GET.first("delay", "2000"))))
	w.ret(200, nil, "")
}

// xhr/resources/echo-headers.py: the request's header lines as received
// (names in their casing, in order) as the body.
func xhrEchoHeaders(w *response, r *request) {
	var b strings.Builder
	for _, h := range r.rawHeaders {
		b.WriteString(h.name + ": " + h.value + "\n")
	}
	b.WriteString("\n")
	content := b.String()
	w.writeStatus(200, "", false)
	w.writeHeader("Content-Type", "text/plain")
	w.writeHeader("Content-Length", strconv.Itoa(len(content)))
	w.writeHeader("Connection", "close")
	w.endHeaders()
	w.write([]byte(content))
	w.closeConnection = true
}

// xhr/resources/parse-headers.py: My-Custom-Header from the query.
func xhrParseHeaders(w *response, r *request) {
	if v, ok := r.GET.lookup("my-custom-header"); ok {
		w.headers.set("My-Custom-Header", v)
	}
	w.setContent(nil)
}

// fetch/cross-origin-resource-policy/resources/hello.py ("hello") and
// script.py (empty body): the corp query value as
// Cross-Origin-Resource-Policy, the request's Origin echoed as
// Access-Control-Allow-Origin when present.
func corpWithBody(body string) func(w *response, r *request) {
	return func(w *response, r *request) {
		h := []string{"Cross-Origin-Resource-Policy", r.GET.get("corp")}
		if o, ok := r.headerOK("origin"); ok {
			h = append(h, "Access-Control-Allow-Origin", o)
		}
		w.ret(200, h, body)
	}
}

// fetch/cross-origin-resource-policy/resources/redirect.py.
func corpRedirect(w *response, r *request) {
	h := []string{"Location", r.GET.get("redirectTo")}
	if v, ok := r.GET.lookup("corp"); ok {
		h = append(h, "Cross-Origin-Resource-Policy", v)
	}
	w.ret(302, h, "")
}

func secFetchJSON(r *request) string {
	o := newOmap(
		"dest", isoDecode(r.header("sec-fetch-dest", "")),
		"mode", isoDecode(r.header("sec-fetch-mode", "")),
		"site", isoDecode(r.header("sec-fetch-site", "")),
		"user", isoDecode(r.header("sec-fetch-user", "")),
	)
	return pyJSON(o)
}

// fetch/metadata/resources/echo-as-json.py: the Sec-Fetch-* headers as
// JSON.
func metadataEchoAsJSON(w *response, r *request) {
	h := []string{"Content-Type", "application/json", "Access-Control-Allow-Credentials", "true"}
	if o, ok := r.headerOK("origin"); ok {
		h = append(h, "Access-Control-Allow-Origin", o)
	}
	body := ""
	if r.Method == "OPTIONS" {
		if v, ok := r.headerOK("sec-fetch-mode"); !ok || v != "cors" {
			w.setStatusText(403, "Failed")
			w.setContent(nil)
			return
		}
		h = append(h, "Access-Control-Allow-Methods", "*", "Access-Control-Allow-Headers", "*")
	} else {
		body = secFetchJSON(r)
	}
	w.ret(0, h, body)
}

// fetch/metadata/resources/record-header.py: records the Sec-Fetch-*
// headers under md5(?file=) and answers with a resource of the kind the
// key names; ?retrieve returns the record.
func metadataRecordHeader(w *response, r *request) {
	var key string
	if !r.GET.empty() {
		key = r.GET.get("file")
	} else if p := r.POST(); !p.empty() {
		key = p.get("file")
	} else {
		raise("UnboundLocalError: key")
	}
	sum := md5.Sum([]byte(key))
	testID := hex.EncodeToString(sum[:])
	if r.GET.has("retrieve") {
		w.writeStatus(200, "", false)
		w.writeHeader("Connection", "close")
		w.endHeaders()
		if v, ok := r.srv.stash.take(r, testID, "").(string); ok {
			w.write([]byte(v))
		} else {
			w.write([]byte("No header has been recorded"))
		}
		w.closeConnection = true
		return
	}
	r.srv.stash.put(r, testID, secFetchJSON(r), "")
	w.headers.set("Access-Control-Allow-Origin", "*")
	w.headers.set("Cache-Control", "no-cache, no-store, must-revalidate")
	w.headers.set("Pragma", "no-cache")
	w.headers.set("Expires", "0")
	if strings.HasPrefix(key, "serviceworker") {
		w.headers.set("Content-Type", "application/javascript")
	}
	file := func(parts ...string) []byte {
		data, err := os.ReadFile(filepath.Join(append([]string{r.srv.root}, parts...)...))
		if err != nil || r.srv.root == "" {
			raise("FileNotFoundError: %s", strings.Join(parts, "/"))
		}
		return data
	}
	has := func(p string) bool { return strings.HasPrefix(key, p) }
	switch {
	case has("image"):
		w.headers.set("Content-Type", "image/png")
		w.setContent(file("media", "1x1-green.png"))
	case has("track"):
		w.setContent([]byte("WEBVTT"))
	case has("sharedworker"):
		w.headers.set("Content-Type", "application/javascript")
		w.setContent(file("fetch", "metadata", "resources", "sharedWorker.js"))
	case has("font"):
		w.headers.set("Content-Type", "application/x-font-ttf")
		w.setContent(file("fonts", "Ahem.ttf"))
	case has("audio"):
		w.headers.set("Content-Type", "audio/mpeg")
		w.setContent(file("media", "sound_5.mp3"))
	case has("video"):
		w.headers.set("Content-Type", "video/mp4")
		w.setContent(file("media", "A4.mp4"))
	case has("style"):
		w.headers.set("Content-Type", "text/css")
		w.setContent([]byte("div { }"))
	case has("embed") || has("object"):
		w.headers.set("Content-Type", "text/html")
		w.setContent([]byte("<html>EMBED!</html>"))
	case has("redirect"):
		w.headers.set("Content-Type", "image/jpeg")
		w.setContent(file("media", "1x1-green.png"))
	case has("worker"):
		w.headers.set("Content-Type", "application/javascript")
		w.setContent([]byte("self.postMessage('loaded');"))
	case has("worklet"):
		w.headers.set("Content-Type", "application/javascript")
		w.setContent(nil)
	case has("xslt"):
		w.headers.set("Content-Type", "text/xsl")
		w.setContent([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">
  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>`))
	case has("script"):
		w.headers.set("Content-Type", "application/javascript")
		w.setContent([]byte("void 0;"))
	default:
		w.noContent()
	}
}

// fetch/stale-while-revalidate/resources/stale-script.py: a script with a
// fresh Unique-Id each time, counting fetches per ?token=; ?query reports
// the count.
func staleScript(w *response, r *request) {
	isQuery := r.GET.has("query")
	count := staleCount(r, isQuery)
	if isQuery {
		w.ret(200, []string{"Count", strconv.Itoa(count)}, "")
		return
	}
	id := make([]byte, 20)
	for i := range id {
		id[i] = byte('a' + rand.IntN(26))
	}
	w.ret(200, []string{
		"Content-Type", "text/javascript",
		"Cache-Control", "private, max-age=0, stale-while-revalidate=60",
		"Unique-Id", string(id),
	}, "report('"+string(id)+"')")
}

// staleCount is the stale-while-revalidate scripts' counter under
// ?token=: a fetch adds one; a query reads it (and drops it from 2 on).
func staleCount(r *request, isQuery bool) int {
	token := r.GET.first("token", "")
	count := 0
	r.srv.stash.update(r, token, "", func(old any) any {
		if n, ok := old.(int); ok {
			count = n
		}
		if isQuery {
			if count < 2 {
				return count
			}
			return nil
		}
		count++
		return count
	})
	return count
}

type partitionState struct {
	testFailed      bool
	requestCount    int
	connectionCount int
	addrs           map[string]string
}

// fetch/connection-pool/resources/network-partition-key.py: checks that
// no connection is used with two partition ids.
func networkPartitionKey(w *response, r *request) {
	w.headers.set("Cache-Control", "no-store")
	simple := func(code int, msg, body, ct string) {
		w.setStatusText(code, msg)
		w.headers.set("Content-Type", ct)
		w.setContent([]byte(body))
	}
	dispatch, okD := r.GET.lookup("dispatch")
	uuid, okU := r.GET.lookup("uuid")
	partitionID, okP := r.GET.lookup("partition_id")
	if !okD || !okU || !okP || dispatch == "" || uuid == "" || partitionID == "" {
		simple(404, "Not found", "Invalid query parameters", "text/plain")
		return
	}
	testFailed := false
	requestCount, connectionCount := 0, 0
	if r.GET.first("nocheck_partition", "") != "True" {
		addressKey := r.remoteAddr + "|" + strconv.Itoa(r.Port)
		r.srv.stash.update(r, uuid, "", func(old any) any {
			st, ok := old.(*partitionState)
			if !ok {
				st = &partitionState{addrs: map[string]string{}}
			}
			st.requestCount++
			requestCount = st.requestCount
			if prev, ok := st.addrs[addressKey]; ok {
				if prev != partitionID {
					st.testFailed = true
				}
			} else {
				st.connectionCount++
				connectionCount = st.connectionCount
			}
			st.addrs[addressKey] = partitionID
			testFailed = st.testFailed
			return st
		})
	}
	if origin, ok := r.headerOK("Origin"); ok && origin != "" {
		w.headers.set("Access-Control-Allow-Origin", origin)
		w.headers.set("Access-Control-Allow-Credentials", "true")
	}
	if r.Method == "OPTIONS" {
		w.setStatusText(200, "OK")
		w.headers.set("Access-Control-Allow-Methods", "GET")
		w.headers.set("Access-Control-Allow-Headers", "header-to-force-cors")
		w.headers.set("Access-Control-Max-Age", "86400")
		w.setContent([]byte("Preflight request"))
		return
	}
	switch dispatch {
	case "fetch_file":
		subOrigin, ok1 := r.GET.lookup("subresource_origin")
		relPath, ok2 := r.GET.lookup("path")
		incCreds, ok3 := r.GET.lookup("include_credentials")
		if !ok1 || !ok2 || !ok3 || subOrigin == "" || relPath == "" || incCreds == "" {
			simple(404, "Not found", "Invalid query parameters", "text/plain")
			return
		}
		p, ok := r.srv.filesystemPath(relPath)
		if !ok {
			simple(404, "Not found", "Invalid path", "text/plain")
			return
		}
		if r.GET.first("sandbox", "") == "true" {
			w.headers.set("Content-Security-Policy", "sandbox allow-scripts")
		}
		body, err := os.ReadFile(p)
		if err != nil {
			raise("FileNotFoundError: %s", relPath)
		}
		subPath := "/fetch/connection-pool/resources/network-partition-key.py"
		params := "?partition_id=" + partitionID + "&uuid=" + uuid + "&subresource_origin=" + subOrigin + "&include_credentials=" + incCreds
		body = bytes.ReplaceAll(body, []byte("SUBRESOURCE_PREFIX:"), []byte(subOrigin+subPath+params))
		if other, ok := r.GET.lookup("other_origin"); ok && other != "" {
			body = bytes.ReplaceAll(body, []byte("OTHER_PREFIX:"), []byte(other+subPath+params))
		}
		ct := guessContentType(p)
		if ct == "application/octet-stream" {
			simple(500, "Server Error", "Unknown MIME type", "text/plain")
			return
		}
		simple(200, "OK", string(body), ct)
	case "check_partition":
		status := mustInt(r.GET.first("status", "200"))
		if testFailed {
			simple(status, "OK", "Multiple partition IDs used on a socket", "text/plain")
			return
		}
		body := "ok"
		if r.GET.first("addcounter", "") != "" {
			body += ". Request was sent " + strconv.Itoa(requestCount) + " times. " + strconv.Itoa(connectionCount) + " connections were created."
		}
		simple(status, "OK", body, "text/plain")
	case "clean_up":
		r.srv.stash.take(r, uuid, "")
		if testFailed {
			simple(200, "OK", "Test failed, but cleanup completed.", "text/plain")
			return
		}
		simple(200, "OK", "cleanup complete", "text/plain")
	default:
		simple(404, "Not Found", "Unrecognized dispatch parameter: "+dispatch, "text/plain")
	}
}

var reBytesRange = regexp.MustCompile(`^bytes=(\d*)-(\d*)$`)

func wavHeader(sampleRate, bitDepth, channels, duration int) []byte {
	bps := bitDepth / 8
	blockAlign := bps * channels
	byteRate := sampleRate * blockAlign
	sub2 := duration * byteRate
	var b bytes.Buffer
	le32 := func(v int) { binary.Write(&b, binary.LittleEndian, uint32(v)) }
	le16 := func(v int) { binary.Write(&b, binary.LittleEndian, uint16(v)) }
	b.WriteString("RIFF")
	le32(36 + sub2)
	b.WriteString("WAVE")
	b.WriteString("fmt ")
	le32(16)
	le16(1)
	le16(channels)
	le32(sampleRate)
	le32(byteRate)
	le16(blockAlign)
	le16(bitDepth)
	b.WriteString("data")
	le32(sub2)
	return b.Bytes()
}

// fetch/range/resources/long-wav.py: a 5-minute silent WAV that honours
// Range requests, sent slowly (8000 bytes every 0.5 s).
func longWav(w *response, r *request) {
	if r.Method == "OPTIONS" {
		w.setStatusText(404, "Not Found")
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte("Preflight not accepted"))
		return
	}
	w.headers.set("Content-Type", "audio/wav")
	w.headers.set("Accept-Ranges", "bytes")
	w.headers.set("Cache-Control", "no-cache")
	w.headers.set("Access-Control-Allow-Origin", r.header("Origin", ""))
	rangeHeader := r.header("Range", "")
	var m []string
	if rangeHeader != "" {
		m = reBytesRange.FindStringSubmatch(isoDecode(rangeHeader))
	}
	rangeKey := r.GET.first("range-received-key", "")
	aeKey := r.GET.first("accept-encoding-key", "")
	if rangeKey != "" && rangeHeader != "" {
		r.srv.stash.take(r, rangeKey, "/fetch/range/")
		r.srv.stash.put(r, rangeKey, "range-header-received", "/fetch/range/")
	}
	if aeKey != "" {
		r.srv.stash.take(r, aeKey, "/fetch/range/")
		r.srv.stash.put(r, aeKey, isoDecode(r.header("Accept-Encoding", "")), "/fetch/range/")
	}
	const sampleRate, bitDepth, channels, duration = 8000, 8, 1, 60 * 5
	total := sampleRate * bitDepth * channels * duration / 8
	remaining := total
	var initial []byte
	hdr := wavHeader(sampleRate, bitDepth, channels, duration)
	if m != nil {
		w.setStatus(206)
		start := mustInt(m[1])
		end := 0
		if m[2] != "" {
			end = mustInt(m[2])
		}
		if end != 0 {
			remaining = end + 1 - start
		} else {
			remaining = total - start
		}
		if start < len(hdr) {
			initial = hdr[start:]
			if remaining < len(initial) {
				initial = initial[:max(remaining, 0)]
			}
		}
		last := end
		if last == 0 {
			last = total - 1
		}
		w.headers.set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(last)+"/"+strconv.Itoa(total))
	} else {
		initial = hdr
	}
	w.headers.set("Content-Length", strconv.Itoa(remaining))
	w.writeStatusHeaders()
	w.write(initial)
	remaining -= len(initial)
	zeros := make([]byte, sampleRate)
	for remaining > 0 {
		n := min(remaining, sampleRate)
		remaining -= n
		if !w.write(zeros[:n]) || !w.sleep(500*time.Millisecond) {
			break
		}
	}
}

// fetch/range/resources/partial-text.py: ?length= zeros, 206 (or
// ?partial=) for a "bytes=a-b" Range where b is exclusive.
func partialText(w *response, r *request) {
	total := mustInt(r.GET.first("length", "100"))
	partialCode := mustInt(r.GET.first("partial", "206"))
	ct := r.GET.first("type", "text/plain")
	rangeHeader := r.header("Range", "")
	if rangeHeader == "" {
		w.headers.set("Content-Type", ct)
		w.headers.set("Cache-Control", "no-cache")
		w.headers.set("Content-Length", strconv.Itoa(total))
		w.setContent([]byte(strings.Repeat("0", max(total, 0))))
		return
	}
	m := reBytesRange.FindStringSubmatch(isoDecode(rangeHeader))
	if m == nil {
		raise("AttributeError: 'NoneType' object has no attribute 'groups'")
	}
	start := mustInt(m[1])
	end := total
	if m[2] != "" {
		end = mustInt(m[2])
	}
	length := end - start
	if length <= 0 || end > total {
		w.setError(416, "Range Not Satisfiable")
		w.headers.replace("Content-Type", ct)
		return
	}
	w.headers.set("Content-Type", ct)
	w.headers.set("Accept-Ranges", "bytes")
	w.headers.set("Cache-Control", "no-cache")
	w.setStatus(partialCode)
	w.headers.set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(end)+"/"+strconv.Itoa(total))
	w.headers.set("Content-Length", strconv.Itoa(length))
	w.setContent([]byte(strings.Repeat("0", length)))
}

// fetch/range/resources/partial-script.py: a 206 script claiming to sit
// at ?pretend-offset=.
func partialScript(w *response, r *request) {
	requireRange := r.GET.first("require-range", "")
	offset := mustInt(r.GET.first("pretend-offset", "0"))
	if requireRange != "" && r.header("Range", "") == "" {
		w.setError(412, "Range header required")
		return
	}
	w.headers.set("Content-Type", "text/plain")
	w.headers.set("Accept-Ranges", "bytes")
	w.headers.set("Cache-Control", "no-cache")
	w.setStatus(206)
	body := "self.scriptExecuted = true;"
	n := len(body)
	w.headers.set("Content-Range", "bytes "+strconv.Itoa(offset)+"-"+strconv.Itoa(offset+n-1)+"/"+strconv.Itoa(offset+n))
	w.headers.set("Content-Length", strconv.Itoa(n))
	w.setContent([]byte(body))
}

// fetch/range/resources/stash-take.py: the /fetch/range/ stash value as
// JSON.
func rangeStashTake(w *response, r *request) {
	key := r.GET.get("key")
	jsonHandler(w, r.srv.stash.take(r, key, "/fetch/range/"))
}

// fetch/range/resources/video-with-range.py: media/sine440.mp3 with
// ?rewrites= of the Range request and response.
func videoWithRange(w *response, r *request) {
	p := filepath.Join(r.srv.root, "media", "sine440.mp3")
	data, err := os.ReadFile(p)
	if err != nil || r.srv.root == "" {
		raise("FileNotFoundError: media/sine440.mp3")
	}
	var rewrites []struct {
		Request  [2]*string `json:"request"`
		Response *[2]any    `json:"response"`
		Status   *int       `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.GET.first("rewrites", "[]")), &rewrites); err != nil {
		raise("JSONDecodeError: %v", err)
	}
	rangeHeader, haveRange := r.headerOK("Range")
	var start, end *string
	status := 200
	if haveRange && rangeHeader != "" {
		status = 206
		if m := reBytesRange.FindStringSubmatch(isoDecode(rangeHeader)); m != nil {
			w.setStatus(206)
			start, end = &m[1], &m[2]
		}
	}
	eq := func(a *string, b *string) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return *a == *b
	}
	for _, rw := range rewrites {
		rs, re := rw.Request[0], rw.Request[1]
		if eq(start, rs) || (rs != nil && *rs == "*") {
			if eq(end, re) || (re != nil && *re == "*") {
				if rw.Response != nil {
					conv := func(v any) *string {
						switch x := v.(type) {
						case string:
							return &x
						case float64:
							s := strconv.Itoa(int(x))
							return &s
						}
						return nil
					}
					start, end = conv(rw.Response[0]), conv(rw.Response[1])
				}
				if rw.Status != nil {
					status = *rw.Status
				}
			}
		}
	}
	s, e := 0, len(data)
	if start != nil && *start != "" {
		s = mustInt(*start)
	}
	if end != nil && *end != "" {
		e = mustInt(*end)
	}
	var h []string
	if status == 206 {
		h = append(h, "Content-Range", "bytes "+strconv.Itoa(s)+"-"+strconv.Itoa(e-1)+"/"+strconv.Itoa(len(data)), "Accept-Ranges", "bytes")
	}
	h = append(h, "Content-Type", "audio/mp3", "Content-Length", strconv.Itoa(e-s), "Cache-Control", "no-cache")
	lo, hi := min(max(s, 0), len(data)), min(max(s, 0)+max(e, 0), len(data)) // file.seek(start); read(end)
	w.ret(status, h, string(data[lo:hi]))
}

// fetch/h1-parsing/resources/message.py: ?message= written raw.
func h1Message(w *response, r *request) {
	w.write([]byte(r.GET.get("message")))
	w.closeConnection = true
}

// fetch/h1-parsing/resources/status-code.py: "HTTP/1.1 " + ?input= and
// one LF-terminated header, raw.
func h1StatusCode(w *response, r *request) {
	w.write([]byte("HTTP/1.1 " + r.GET.get("input") + "\nheader-parsing: is sad\n"))
	w.closeConnection = true
}

// fetch/h1-parsing/resources/*-with-0x00-in-header.py: a header "Custom"
// holding a NUL byte.
func nulHeader(ct, body string) handlerFunc {
	return func(w *response, r *request) {
		w.headers.set("Content-Type", ct)
		w.headers.set("Custom", "\x00")
		w.setContent([]byte(body))
	}
}

// fetch/content-length/resources/content-length.py: a raw response whose
// Content-Length line is ?length= as given.
func contentLengthPy(w *response, r *request) {
	out := "HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=UTF-8\r\nConnection: close\r\n" +
		r.GET.get("length") + "\r\n\r\nFact: this is really forty-two bytes long."
	w.write([]byte(out))
	w.closeConnection = true
}

// fetch/content-type/resources/content-type.py: raw response with the
// Content-Type header lines from ?value= (joined with ?single_header).
func contentTypePy(w *response, r *request) {
	values := r.GET.vals["value"]
	content := r.GET.first("content", "<b>hi</b>\n")
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\nX-Content-Type-Options: nosniff\r\n")
	if r.GET.has("single_header") {
		b.WriteString("Content-Type: " + strings.Join(values, ",") + "\r\n")
	} else {
		for _, v := range values {
			b.WriteString("Content-Type: " + v + "\r\n")
		}
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(content)) + "\r\nConnection: close\r\n\r\n" + content)
	w.write([]byte(b.String()))
	w.closeConnection = true
}

// mimesniff/mime-types/resources/mime-charset.py: raw response with
// Content-Type ?type=.
func mimeCharset(w *response, r *request) {
	content := "<meta charset=utf-8>\n<script>document.write(document.characterSet)</script>"
	out := "HTTP/1.1 200 OK\r\nContent-Length: " + strconv.Itoa(len(content)) + "\r\nContent-Type: " +
		r.GET.get("type") + "\r\nConnection: close\r\n\r\n" + content
	w.write([]byte(out))
	w.closeConnection = true
}

// fetch/http-cache/resources/http-cache.py: replays the response configs
// from the base64 JSON Test-Requests header one per request of ?uuid=,
// recording what each request looked like; ?dispatch=state returns the
// record.
func httpCache(w *response, r *request) {
	dispatch, _ := r.GET.lookup("dispatch")
	uuid, _ := r.GET.lookup("uuid")
	w.headers.set("Access-Control-Allow-Credentials", "true")
	if r.Method == "OPTIONS" {
		w.setStatusText(200, "OK")
		origin := r.header("origin", "")
		if origin == "" {
			origin = "*"
		}
		w.headers.set("Access-Control-Allow-Origin", origin)
		w.headers.set("Access-Control-Allow-Methods", "GET")
		acrh := r.header("Access-Control-Request-Headers", "")
		if acrh == "" {
			acrh = "*"
		}
		w.headers.set("Access-Control-Allow-Headers", acrh)
		w.headers.set("Access-Control-Max-Age", "86400")
		w.setContent([]byte("Preflight request"))
		return
	}
	notFound := func(msg string) {
		w.setStatusText(404, "Not Found")
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte(msg))
	}
	if uuid == "" {
		notFound("UUID not found")
		return
	}
	switch dispatch {
	case "test":
		httpCacheTest(w, r, uuid)
	case "state":
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte(pyJSON(r.srv.stash.take(r, uuid, ""))))
	default:
		notFound("Fallthrough")
	}
}

func jsonToPy(v any) any {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			if n, err := strconv.Atoi(x.String()); err == nil {
				return n
			}
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = jsonToPy(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = jsonToPy(x[k])
		}
		return x
	}
	return v
}

func pyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return pyFloat(x)
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	}
	return sprintf("%v", v)
}

func httpCacheTest(w *response, r *request, uuid string) {
	var serverState []any
	if old, ok := r.srv.stash.take(r, uuid, "").([]any); ok && len(old) > 0 {
		serverState = old
	}
	var requests []any
	raw, err := base64.StdEncoding.DecodeString(r.header("Test-Requests", ""))
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err = dec.Decode(&v); err == nil {
			var ok bool
			if requests, ok = jsonToPy(v).([]any); !ok {
				err = errBadRequest
			}
		}
	}
	if err != nil {
		w.setStatusText(400, "Bad Request")
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte("No or bad Test-Requests request header"))
		return
	}
	if len(serverState) >= len(requests) {
		raise("IndexError: list index out of range")
	}
	config, _ := requests[len(serverState)].(map[string]any)
	if len(config) == 0 {
		w.setStatusText(404, "Not Found")
		w.headers.set("Content-Type", "text/plain")
		w.setContent([]byte("Config not found"))
		return
	}
	noted := newOmap()
	now := float64(time.Now().UnixNano()) / 1e9
	if hs, ok := config["response_headers"].([]any); ok {
		for _, hv := range hs {
			pair, ok := hv.([]any)
			if !ok || len(pair) < 2 {
				continue
			}
			name := pyStr(pair[0])
			lname := strings.ToLower(name)
			value := pair[1]
			switch lname {
			case "location", "content-location":
				if s := pyStr(value); len(s) > 0 {
					value = r.URL() + "&target=" + s
				} else {
					value = r.URL()
				}
			}
			switch lname {
			case "date", "expires", "last-modified":
				if n, ok := value.(int); ok {
					value = httpDate(now, n)
				}
			}
			w.headers.set(name, pyStr(value))
			switch lname {
			case "content-type", "access-control-allow-origin", "last-modified", "etag":
				noted.set(lname, value)
			}
		}
	}
	reqHeaders := newOmap()
	for _, k := range r.hkeys {
		reqHeaders.set(isoDecode(k), isoDecode(r.header(k, "")))
	}
	state := newOmap(
		"now", now,
		"request_method", r.Method,
		"request_headers", reqHeaders,
		"response_headers", noted,
	)
	serverState = append(serverState, state)
	r.srv.stash.put(r, uuid, serverState, "")
	if _, ok := noted.get("access-control-allow-origin"); !ok {
		w.headers.set("Access-Control-Allow-Origin", "*")
	}
	if _, ok := noted.get("content-type"); !ok {
		w.headers.set("Content-Type", "text/plain")
	}
	w.headers.set("Server-Request-Count", strconv.Itoa(len(serverState)))
	code, phrase := 200, "OK"
	if st, ok := config["response_status"].([]any); ok && len(st) == 2 {
		if c, ok := st[0].(int); ok {
			code = c
		}
		phrase = pyStr(st[1])
	}
	if et, _ := config["expected_type"].(string); strings.HasSuffix(et, "validated") {
		ref := serverState[0].(*omap).m["response_headers"].(*omap)
		if lm, ok := ref.get("last-modified"); ok && pyStr(lm) != "" {
			if v, ok := r.headerOK("If-Modified-Since"); ok && v == pyStr(lm) {
				code, phrase = 304, "Not Modified"
			}
		}
		if et, ok := ref.get("etag"); ok && pyStr(et) != "" {
			if v, ok := r.headerOK("If-None-Match"); ok && v == pyStr(et) {
				code, phrase = 304, "Not Modified"
			}
		}
		if code != 304 {
			code, phrase = 999, "304 Not Generated"
		}
	}
	w.setStatusText(code, phrase)
	if code == 204 || code == 304 {
		w.setContent(nil)
		return
	}
	content := any(uuid)
	if c, ok := config["response_body"]; ok {
		content = c
	}
	if s, ok := content.(string); ok {
		w.setContent([]byte(s))
	} else {
		w.setContent(nil)
	}
}

// httpDate is http-cache.py's http_date: now+delta seconds as an
// IMF-fixdate, fractions dropped.
func httpDate(now float64, delta int) string {
	t := now + float64(delta)
	sec := int64(t)
	if float64(sec) > t {
		sec--
	}
	return time.Unix(sec, 0).UTC().Format(http.TimeFormat)
}
