package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"
	"sync"

	"github.com/wfetch/wfetch/weburl"
)

// header is one header line as it was received or is to be sent: the name
// keeps its casing.
type header struct{ name, value string }

// pyError is what a Go handler panics with where the Python script would
// raise (a missing query parameter, a bad int): the request gets a 500.
type pyError struct{ msg string }

func raise(format string, args ...any) {
	panic(pyError{msg: sprintf(format, args...)})
}

// multiDict is wptserve's MultiDict of byte strings: keys in order of first
// appearance, each with all its values.
type multiDict struct {
	keys []string
	vals map[string][]string
}

func (m *multiDict) add(k, v string) {
	if m.vals == nil {
		m.vals = map[string][]string{}
	}
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = append(m.vals[k], v)
}

// has is Python's `key in request.GET`.
func (m *multiDict) has(k string) bool {
	_, ok := m.vals[k]
	return ok
}

// first is request.GET.first(key, default).
func (m *multiDict) first(k, def string) string {
	if v, ok := m.vals[k]; ok && len(v) > 0 {
		return v[0]
	}
	return def
}

// get is request.GET[key] (the first value); a missing key raises KeyError.
func (m *multiDict) get(k string) string {
	v, ok := m.vals[k]
	if !ok || len(v) == 0 {
		raise("KeyError: %q", k)
	}
	return v[0]
}

// lookup returns the first value and whether the key is present.
func (m *multiDict) lookup(k string) (string, bool) {
	v, ok := m.vals[k]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (m *multiDict) empty() bool { return len(m.keys) == 0 }

// parseQS is wptserve's request.GET: Python's parse_qsl(qs,
// keep_blank_values=True) over Latin-1, so values are the raw bytes: pairs
// split on "&", "+" is a space, %XX decoded to the byte (the WPT tests rely
// on %FE%FF coming back as those two bytes).
func parseQS(qs string) *multiDict {
	m := &multiDict{}
	for _, part := range strings.Split(qs, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		m.add(pyUnquotePlus(k), pyUnquotePlus(v))
	}
	return m
}

func pyUnquotePlus(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	return percentDecode(s)
}

func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return string(weburl.PercentDecode(s))
}

// isoDecode is wptserve's isomorphic_decode: bytes to the code points of
// the same values, as UTF-8.
func isoDecode(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

// request is the emulated wptserve Request handed to a handler.
type request struct {
	srv *Server

	Method   string
	Target   string // request-target as received
	Proto    string
	Scheme   string // "http" or "https"
	Hostname string // from the Host header, without port
	Port     int    // from the Host header, else the listening port
	Path     string // url_parts.path, still percent-encoded
	RawQuery string // url_parts.query

	// rawHeaders are the header lines in order with their casing.
	rawHeaders []header
	// hkeys/hvals are wptserve's RequestHeaders: lower-cased names in
	// order of first appearance, each with all its values.
	hkeys   []string
	headers map[string][]string

	GET        *multiDict
	post       *multiDict
	remoteAddr string

	ctx        context.Context
	bodyReader io.Reader
	bodyOnce   sync.Once
	body       []byte
	bodyErr    error
	bodyDone   bool
	onBodyRead func() // sends 100 Continue when the client asked
	watchFn    func() // starts watching for the client going away
}

func (r *request) addHeader(name, value string) {
	r.rawHeaders = append(r.rawHeaders, header{name, value})
	k := strings.ToLower(name)
	if r.headers == nil {
		r.headers = map[string][]string{}
	}
	if _, ok := r.headers[k]; !ok {
		r.hkeys = append(r.hkeys, k)
	}
	r.headers[k] = append(r.headers[k], value)
}

// hasHeader is `name in request.headers` (case-insensitive).
func (r *request) hasHeader(name string) bool {
	_, ok := r.headers[strings.ToLower(name)]
	return ok
}

// header is request.headers.get(name, def): all values joined by ", ".
func (r *request) header(name, def string) string {
	v, ok := r.headers[strings.ToLower(name)]
	if !ok {
		return def
	}
	return strings.Join(v, ", ")
}

// headerOK is request.headers.get(name) with a None check.
func (r *request) headerOK(name string) (string, bool) {
	v, ok := r.headers[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return strings.Join(v, ", "), true
}

// mustHeader is request.headers[name]: KeyError when absent.
func (r *request) mustHeader(name string) string {
	v, ok := r.headerOK(name)
	if !ok {
		raise("KeyError: header %q", name)
	}
	return v
}

// URL is wptserve's request.url: scheme://host:port/path?query.
func (r *request) URL() string {
	u := r.Scheme + "://" + r.Hostname + ":" + strconv.Itoa(r.Port) + r.Path
	if r.RawQuery != "" || strings.Contains(r.Target, "?") {
		u += "?" + r.RawQuery
	}
	return u
}

// netloc is url_parts.netloc.
func (r *request) netloc() string { return r.Hostname + ":" + strconv.Itoa(r.Port) }

// urlDir is '/'.join(path.split('/')[:-1]) + '/', the directory the
// scripts use as stash path.
func (r *request) urlDir() string {
	i := strings.LastIndexByte(r.Path, '/')
	if i < 0 {
		return "/"
	}
	return r.Path[:i] + "/"
}

// Body reads the whole request body (request.body).
func (r *request) Body() []byte {
	r.bodyOnce.Do(func() {
		if r.onBodyRead != nil {
			r.onBodyRead()
		}
		r.body, r.bodyErr = io.ReadAll(r.bodyReader)
		r.bodyDone = r.bodyErr == nil
	})
	return r.body
}

// auth is request.auth: the Basic credentials, if any.
func (r *request) auth() (user, pass string, ok bool) {
	h, found := r.headerOK("Authorization")
	if !found {
		return "", "", false
	}
	scheme, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil {
		return "", "", false
	}
	u, p, _ := strings.Cut(string(dec), ":")
	return u, p, true
}

// POST is request.POST: the body parsed as a urlencoded or multipart form.
func (r *request) POST() *multiDict {
	if r.post != nil {
		return r.post
	}
	r.post = &multiDict{}
	body := r.Body()
	ct := r.header("Content-Type", "")
	mt, params, _ := mime.ParseMediaType(ct)
	switch mt {
	case "application/x-www-form-urlencoded":
		r.post = parseQS(string(body))
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(p)
			r.post.add(p.FormName(), string(data))
		}
	}
	return r.post
}
