package response

import (
	"bytes"
	"encoding/json"
	"sync/atomic"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

// Init is the ResponseInit dictionary.
// https://fetch.spec.whatwg.org/#responseinit
type Init struct {
	// Status is the status; 0 means the default, 200. (JavaScript's
	// {status: 0} is a RangeError; a binding checks for it itself, or
	// passes a status outside 200–599 such as -1.)
	Status int
	// StatusText is the status message, a byte sequence: each byte must
	// be HT, SP, a visible ASCII character or 0x80–0xFF (reason-phrase).
	StatusText string
	// Headers fills the response's headers (guard "response"); nil is
	// absent.
	Headers headers.Init
}

// Response is the Response class: a response (Internal), its Headers, and
// the Body mixin (Body, BodyUsed, Text, JSON, Bytes, ArrayBuffer, Blob,
// FormData, TextStream) over the response's body. It is not safe for
// concurrent use. https://fetch.spec.whatwg.org/#response-class
type Response struct {
	body.Mixin
	resp *Internal
	// headers is the Headers object, made on first use over hlist with
	// guard (most Go callers never ask for it).
	headers atomic.Pointer[headers.Headers]
	hlist   *headers.List
	guard   headers.Guard
}

// Create runs "create a Response object" for resp: a Response whose
// Headers wrap resp's header list with guard. A filtered resp is first
// brought up to date with its internal response (see Internal.View).
// https://fetch.spec.whatwg.org/#response-create
func Create(resp *Internal, guard headers.Guard) *Response {
	// A filtered response shows its internal response as it is now.
	if resp.Internal != nil {
		v := resp.View()
		v.Err, v.TimingInfo = resp.Err, resp.TimingInfo
		*resp = *v
	}
	if resp.Header == nil {
		resp.Header = new(headers.List)
	}
	// 1-2. A new Response for resp (in the room NewInternal kept for it,
	// the first time).
	var r *Response
	if sp := resp.spare; sp != nil && sp.resp == nil {
		// (A copy of resp made before shares the room: the first
		// Create takes it, and sp.resp says it is taken.)
		r, resp.spare = sp, nil
		r.resp = resp
	} else {
		r = &Response{resp: resp}
	}
	// 3. Headers over resp's header list (made when first asked for).
	r.hlist, r.guard = resp.Header, guard
	r.Mixin = body.NewMixinHeader(resp.Body, &resp.Header)
	// 4. The object.
	return r
}

// FromInternal returns the Response object for a response that fetch
// produced (possibly a filtered response or a network error); its headers
// are immutable.
func FromInternal(resp *Internal) *Response { return Create(resp, headers.GuardImmutable) }

// isReasonPhrase reports whether s matches reason-phrase:
// *( HTAB / SP / VCHAR / obs-text ).
// https://httpwg.org/specs/rfc9112.html#status.line
func isReasonPhrase(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\t' && c != ' ' && (c < 0x21 || c == 0x7F) {
			return false
		}
	}
	return true
}

// initialize runs "initialize a response" for r with init and an
// optional body and its Content-Type (ctype "" is null).
// https://fetch.spec.whatwg.org/#initialize-a-response
func (r *Response) initialize(init *Init, b *body.Body, ctype string) error {
	status, statusText := 200, ""
	var hinit headers.Init
	if init != nil {
		if init.Status != 0 {
			status = init.Status
		}
		statusText, hinit = init.StatusText, init.Headers
	}
	// 1. The status must be 200 to 599.
	if status < 200 || status > 599 {
		return errs.RangeErrorf("Response: status %d is outside the range 200 to 599", status)
	}
	// 2. The status text must be a reason-phrase.
	if statusText != "" && !isReasonPhrase(statusText) {
		return errs.TypeErrorf("Response: status text %q is not a valid reason-phrase", statusText)
	}
	// 3-4. Status and status message.
	r.resp.Status = status
	r.resp.StatusMessage = statusText
	// 5. Fill the headers.
	if hinit != nil {
		if err := r.Headers().Fill(hinit); err != nil {
			return err
		}
	}
	// 6. The body.
	if b != nil {
		// 6.1. Not with a null body status.
		if IsNullBodyStatus(status) {
			return errs.TypeErrorf("Response: a response with status %d cannot have a body", status)
		}
		// 6.2. Set it.
		r.resp.Body = b
		body.SetInnerBody(&r.Mixin, b)
		// 6.3. Its Content-Type, unless one is set.
		if ctype != "" && !r.resp.Header.Contains("Content-Type") {
			r.resp.Header.Append("Content-Type", ctype)
		}
	}
	return nil
}

// New runs the Response constructor, new Response(body, init): b is a
// body.Init (string, []byte, *body.Blob, *body.FormData, URLSearchParams,
// *body.Stream, io.Reader, ...) or nil for a null body; init may be nil.
// Errors: a RangeError for a status outside 200–599, TypeErrors for a bad
// status text, a body with a null body status, a bad header, or a body
// that cannot be extracted.
// https://fetch.spec.whatwg.org/#dom-response
func New(b body.Init, init *Init) (*Response, error) {
	// 1-2. A new response with guard "response".
	r := Create(NewInternal(), headers.GuardResponse)
	// 3-4. Extract the body, if any.
	var (
		bd    *body.Body
		ctype string
	)
	if b != nil {
		var err error
		bd, ctype, err = body.Extract(b, false)
		if err != nil {
			return nil, err
		}
	}
	// 5. Initialize.
	if err := r.initialize(init, bd, ctype); err != nil {
		return nil, err
	}
	return r, nil
}

// Error returns a network error Response, as Response.error() does: type
// "error", status 0, immutable empty headers, null body.
// https://fetch.spec.whatwg.org/#dom-response-error
func Error() *Response {
	ne := NetworkError(nil)
	ne.Err = nil
	return Create(ne, headers.GuardImmutable)
}

// Option configures Redirect.
type Option func(*options)

type options struct {
	base    *weburl.URL
	baseStr *string
}

// WithBaseURL makes Redirect parse its URL against base (the current
// settings object's API base URL). Without it only absolute URLs work.
func WithBaseURL(base *weburl.URL) Option { return func(o *options) { o.base, o.baseStr = base, nil } }

// WithBase is WithBaseURL for a base URL given as a string; Redirect
// fails with a TypeError when base does not parse.
func WithBase(base string) Option { return func(o *options) { o.base, o.baseStr = nil, &base } }

// Redirect returns a redirect Response to url, as Response.redirect(url,
// status) does: url is parsed (against the base URL of WithBaseURL, if
// any) and serialized into a Location header; status 0 means 302. A URL
// that does not parse is a TypeError; a status that is not a redirect
// status (301, 302, 303, 307, 308) a RangeError. The headers are
// immutable. https://fetch.spec.whatwg.org/#dom-response-redirect
func Redirect(url string, status int, opts ...Option) (*Response, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if status == 0 {
		status = 302
	}
	if o.baseStr != nil {
		b, err := weburl.Parse(*o.baseStr, nil)
		if err != nil {
			return nil, errs.TypeErrorf("Response.redirect: invalid base URL %q: %w", *o.baseStr, err)
		}
		o.base = b
	}
	// 1-2. Parse the URL.
	parsed, err := weburl.Parse(url, o.base)
	if err != nil {
		return nil, errs.TypeErrorf("Response.redirect: invalid URL %q: %w", url, err)
	}
	// 3. Only redirect statuses.
	if !IsRedirectStatus(status) {
		return nil, errs.RangeErrorf("Response.redirect: %d is not a redirect status (301, 302, 303, 307 or 308)", status)
	}
	// 4. A new response with immutable headers.
	r := Create(NewInternal(), headers.GuardImmutable)
	// 5. The status.
	r.resp.Status = status
	// 6-7. Location: the serialized URL (ASCII, so already isomorphic
	// encoded).
	r.resp.Header.Append("Location", parsed.Serialize(false))
	// 8. The response.
	return r, nil
}

// JSON returns a Response whose body is data serialized as JSON, as
// Response.json(data, init) does: Content-Type application/json unless
// init's headers set one. data is serialized with encoding/json (without
// HTML escaping, so the bytes match JSON.stringify for ordinary values; a
// json.RawMessage is used as is after validation). A value encoding/json
// cannot serialize is a TypeError wrapping its error; init's errors are as
// for New. https://fetch.spec.whatwg.org/#dom-response-json
func JSON(data any, init *Init) (*Response, error) {
	// 1. Serialize to JSON bytes.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		return nil, errs.TypeErrorf("Response.json: cannot serialize %T to JSON: %w", data, err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	// 2. Extract the bytes.
	bd, _, err := body.Extract(b, false)
	if err != nil {
		return nil, err
	}
	// 3. A new response with guard "response".
	r := Create(NewInternal(), headers.GuardResponse)
	// 4. Initialize it with the body as application/json.
	if err := r.initialize(init, bd, "application/json"); err != nil {
		return nil, err
	}
	// 5. The response.
	return r, nil
}

// Internal returns the response concept the Response holds.
// https://fetch.spec.whatwg.org/#concept-response-response
func (r *Response) Internal() *Internal { return r.resp }

// Type returns the response's type.
// https://fetch.spec.whatwg.org/#dom-response-type
func (r *Response) Type() Type { return r.resp.Type }

// URL returns the response's URL serialized without its fragment, or ""
// when it has none. https://fetch.spec.whatwg.org/#dom-response-url
func (r *Response) URL() string {
	u := r.resp.URL()
	if u == nil {
		return ""
	}
	return u.Serialize(true)
}

// Redirected reports whether the URL list has more than one URL.
// https://fetch.spec.whatwg.org/#dom-response-redirected
func (r *Response) Redirected() bool { return len(r.resp.URLList) > 1 }

// Status returns the status.
// https://fetch.spec.whatwg.org/#dom-response-status
func (r *Response) Status() int { return r.resp.Status }

// OK reports whether the status is 200 to 299.
// https://fetch.spec.whatwg.org/#dom-response-ok
func (r *Response) OK() bool { return IsOKStatus(r.resp.Status) }

// StatusText returns the status message.
// https://fetch.spec.whatwg.org/#dom-response-statustext
func (r *Response) StatusText() string { return r.resp.StatusMessage }

// Headers returns the response's Headers (the same object every time).
// https://fetch.spec.whatwg.org/#dom-response-headers
func (r *Response) Headers() *headers.Headers {
	if h := r.headers.Load(); h != nil {
		return h
	}
	h := headers.Wrap(r.hlist, r.guard)
	if r.headers.CompareAndSwap(nil, h) {
		return h
	}
	return r.headers.Load()
}

// Clone returns a copy of the response whose body is a tee of this one's
// (both read the same bytes independently), with the same headers guard.
// It fails with a TypeError when the body is already used or locked.
// https://fetch.spec.whatwg.org/#dom-response-clone
func (r *Response) Clone() (*Response, error) {
	// 1. An unusable body cannot be cloned.
	if body.Unusable(&r.Mixin) {
		return nil, errs.TypeErrorf("Response.clone: the body is already used or locked")
	}
	// 2. Clone the response.
	cloned, err := r.resp.Clone()
	if err != nil {
		return nil, err
	}
	// 3. A Response object with the same guard.
	guard := r.guard
	if h := r.headers.Load(); h != nil {
		guard = h.Guard() // SetGuard may have changed it
	}
	return Create(cloned, guard), nil
}
