package server

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// responseHeaders is wptserve's ResponseHeaders: names grouped
// case-insensitively in order of first appearance, the casing of the last
// set kept, values in order.
type responseHeaders struct {
	keys []string
	m    map[string]*hentry
}

type hentry struct {
	name   string
	values []string
}

func newResponseHeaders() *responseHeaders {
	return &responseHeaders{m: map[string]*hentry{}}
}

// set replaces every value of name (keeping the name's position).
func (h *responseHeaders) set(name, value string) {
	k := strings.ToLower(name)
	if e, ok := h.m[k]; ok {
		e.name = name
		e.values = []string{value}
		return
	}
	h.keys = append(h.keys, k)
	h.m[k] = &hentry{name: name, values: []string{value}}
}

// append adds a value to name.
func (h *responseHeaders) append(name, value string) {
	k := strings.ToLower(name)
	if e, ok := h.m[k]; ok {
		e.values = append(e.values, value)
		return
	}
	h.set(name, value)
}

// update appends name/value pairs, as a handler's returned header list.
func (h *responseHeaders) update(pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		h.append(pairs[i], pairs[i+1])
	}
}

func (h *responseHeaders) has(name string) bool {
	_, ok := h.m[strings.ToLower(name)]
	return ok
}

func (h *responseHeaders) get(name string) (string, bool) {
	e, ok := h.m[strings.ToLower(name)]
	if !ok || len(e.values) == 0 {
		return "", false
	}
	return e.values[0], true
}

func (h *responseHeaders) del(name string) {
	k := strings.ToLower(name)
	if _, ok := h.m[k]; !ok {
		return
	}
	delete(h.m, k)
	for i, kk := range h.keys {
		if kk == k {
			h.keys = append(h.keys[:i], h.keys[i+1:]...)
			break
		}
	}
}

// replace is `response.headers = [...]`.
func (h *responseHeaders) replace(pairs ...string) {
	h.keys = nil
	h.m = map[string]*hentry{}
	h.update(pairs...)
}

func (h *responseHeaders) lines() []header {
	var out []header
	for _, k := range h.keys {
		e := h.m[k]
		for _, v := range e.values {
			out = append(out, header{e.name, v})
		}
	}
	return out
}

// part is a piece of a streamed body (the trickle pipe): a pause, then data.
type part struct {
	delay time.Duration
	data  []byte
}

// response is the emulated wptserve Response plus its ResponseWriter.
type response struct {
	req *request
	bw  *bufio.Writer

	status    int
	reason    string
	reasonSet bool
	headers   *responseHeaders

	content    []byte
	contentSet bool
	parts      []part // set by the trickle pipe: a streamed body
	// fileBody marks content that wptserve holds as a file or an iterable
	// (a whole static file, a multipart range body): it is sent without
	// an automatic Content-Length, and the connection closes after it.
	fileBody bool

	// writer state
	wroteAny        bool
	statusWritten   bool
	headersComplete bool
	headersSeen     map[string]bool
	writeFailed     bool

	closeConnection bool
	// noRequiredHeaders is add_required_headers = False: end_headers adds
	// no Server, Date or Content-Length.
	noRequiredHeaders bool
}

func newResponse(req *request, bw *bufio.Writer) *response {
	return &response{req: req, bw: bw, status: 200, headers: newResponseHeaders(), headersSeen: map[string]bool{}}
}

// setStatus is `response.status = code`.
func (w *response) setStatus(code int) { w.status, w.reason, w.reasonSet = code, "", false }

// setStatusText is `response.status = (code, text)`.
func (w *response) setStatusText(code int, text string) {
	w.status, w.reason, w.reasonSet = code, text, true
}

// setContent is `response.content = data`.
func (w *response) setContent(data []byte) {
	w.content = data
	w.contentSet = true
	w.parts = nil
	w.fileBody = false
}

// noContent is a handler that returns None without setting a body:
// wptserve's content stays an empty list, so no Content-Length is sent and
// the connection closes after the headers.
func (w *response) noContent() {
	w.setContent(nil)
	w.fileBody = true
}

// ret emulates a handler returning (status, headers, content) with
// status code 0 meaning "not given".
func (w *response) ret(code int, headers []string, content string) {
	if code != 0 {
		w.setStatus(code)
	}
	w.headers.update(headers...)
	w.setContent([]byte(content))
}

// setError is response.set_error(code, message): a JSON error body.
func (w *response) setError(code int, message string) {
	data := `{"error": {"code": ` + strconv.Itoa(code) + `, "message": ` + pyJSONString(message) + `}}`
	w.setStatus(code)
	w.headers.replace("Content-Type", "application/json")
	w.setContent([]byte(data))
}

func reasonFor(code int) string {
	return http.StatusText(code)
}

// writeStatus is response.writer.write_status(code, message).
func (w *response) writeStatus(code int, msg string, msgSet bool) {
	if !msgSet {
		msg = reasonFor(code)
	}
	w.raw([]byte("HTTP/1.1 " + strconv.Itoa(code) + " " + msg + "\r\n"))
	w.statusWritten = true
}

// writeHeader is response.writer.write_header(name, value).
func (w *response) writeHeader(name, value string) {
	if !w.statusWritten {
		w.writeStatus(w.status, w.reason, w.reasonSet)
	}
	w.headersSeen[strings.ToLower(name)] = true
	w.raw([]byte(name + ": " + value + "\r\n"))
}

// endHeaders is response.writer.end_headers(): Server and Date unless
// given, then the blank line.
func (w *response) endHeaders() {
	if !w.statusWritten {
		w.writeStatus(w.status, w.reason, w.reasonSet)
	}
	if !w.noRequiredHeaders {
		if !w.headersSeen["server"] {
			w.writeHeader("Server", "wfetch-wptserve")
		}
		if !w.headersSeen["date"] {
			w.writeHeader("Date", time.Now().UTC().Format(http.TimeFormat))
		}
	}
	w.raw([]byte("\r\n"))
	w.headersComplete = true
}

// writeStatusHeaders is response.write_status_headers().
func (w *response) writeStatusHeaders() {
	w.writeStatus(w.status, w.reason, w.reasonSet)
	for _, h := range w.headers.lines() {
		w.writeHeader(h.name, h.value)
	}
	w.endHeaders()
	w.flush()
}

// write is response.writer.write(data): raw bytes on the connection,
// flushed; false once the client has gone or the server is closing.
func (w *response) write(data []byte) bool {
	w.raw(data)
	return w.flush()
}

func (w *response) raw(data []byte) {
	w.wroteAny = true
	if w.writeFailed {
		return
	}
	if _, err := w.bw.Write(data); err != nil {
		w.writeFailed = true
	}
}

func (w *response) flush() bool {
	if w.writeFailed {
		return false
	}
	if err := w.bw.Flush(); err != nil {
		w.writeFailed = true
		return false
	}
	if w.req.ctx.Err() != nil {
		return false
	}
	return true
}

// sleep pauses a handler; false when the request was cancelled (client
// gone, server closing).
func (w *response) sleep(d time.Duration) bool {
	if d <= 0 {
		return w.req.ctx.Err() == nil
	}
	w.req.watch()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-w.req.ctx.Done():
		return false
	}
}

// finish writes what the handler left unwritten: the whole response with
// Content-Length, or the streamed parts of a trickle pipe.
func (w *response) finish() {
	if w.wroteAny {
		w.closeConnection = true
		w.flush()
		return
	}
	head := w.req.Method == "HEAD"
	w.writeStatus(w.status, w.reason, w.reasonSet)
	for _, h := range w.headers.lines() {
		w.writeHeader(h.name, h.value)
	}
	if w.parts == nil && !w.fileBody && !w.headersSeen["content-length"] {
		// Only for a bytes body, as wptserve's end_headers.
		w.headersSeen["content-length"] = true
		w.endHeadersWithLength(len(w.content))
	} else {
		w.endHeaders()
	}
	if w.status < 200 || w.status == 101 || !w.headersSeen["content-length"] {
		w.closeConnection = true
	}
	if w.parts != nil {
		w.closeConnection = true
		for _, p := range w.parts {
			if p.delay > 0 {
				w.flush()
				if !w.sleep(p.delay) {
					return
				}
			}
			if !head && len(p.data) > 0 {
				w.raw(p.data)
			}
		}
		w.flush()
		return
	}
	if !head {
		w.raw(w.content)
	}
	w.flush()
	if cl, ok := w.headers.get("Content-Length"); ok && strings.TrimSpace(cl) != strconv.Itoa(len(w.content)) && !head {
		// A declared length that the body does not match: only a close
		// keeps the next request on this connection parseable.
		w.closeConnection = true
	}
}

func (w *response) endHeadersWithLength(n int) {
	if w.noRequiredHeaders {
		w.endHeaders()
		return
	}
	if !w.headersSeen["server"] {
		w.writeHeader("Server", "wfetch-wptserve")
	}
	if !w.headersSeen["date"] {
		w.writeHeader("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	w.raw([]byte("Content-Length: " + strconv.Itoa(n) + "\r\n\r\n"))
	w.headersComplete = true
}
