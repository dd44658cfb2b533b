package request

import (
	"net/url"
	"sync/atomic"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

// Init is the RequestInit dictionary. Every member can be absent, which is
// different from present with a zero value:
//
//   - pointer members (Method, Referrer, ReferrerPolicy, Mode, Credentials,
//     Cache, Redirect, Integrity, Keepalive, Duplex, Priority) are absent
//     when nil. In Go 1.26, new("POST") makes such a pointer.
//   - Headers is absent when nil (JavaScript has no null headers).
//   - Body, Signal and Window are present when non-nil, or when their Set
//     flag is true: BodySet with a nil Body is JavaScript's {body: null},
//     SignalSet with a nil Signal is {signal: null} (the request then does
//     not follow the input request's signal), and WindowSet with a nil
//     Window is {window: null}.
//
// A nil *Init is the empty dictionary.
// https://fetch.spec.whatwg.org/#requestinit
type Init struct {
	// Method is normalized; forbidden methods and non-tokens are errors.
	Method *string
	// Headers replaces the input's headers (after the guard filters them).
	Headers headers.Init
	// Body is a body.Init (string, []byte, *body.Blob, *body.FormData,
	// URLSearchParams, *body.Stream, io.Reader, ...); nil is null.
	Body    body.Init
	BodySet bool
	// Referrer is "" (no referrer), "about:client", or a URL (parsed
	// against the environment's base URL).
	Referrer       *string
	ReferrerPolicy *ReferrerPolicy
	// Mode must not be "navigate".
	Mode        *Mode
	Credentials *Credentials
	Cache       *Cache
	Redirect    *Redirect
	Integrity   *string
	Keepalive   *bool
	// Signal makes the request follow this signal instead of the input
	// request's; nil with SignalSet follows none.
	Signal    *abort.Signal
	SignalSet bool
	// Duplex must be "half" when it is present; it is required for a body
	// without a source (a *body.Stream or io.Reader).
	Duplex   *Duplex
	Priority *Priority
	// Window can only be null: a non-nil Window is a TypeError.
	Window    any
	WindowSet bool
}

// empty reports whether no member of init is present.
func (init *Init) empty() bool {
	if init == nil {
		return true
	}
	return init.Method == nil && init.Headers == nil && !init.hasBody() &&
		init.Referrer == nil && init.ReferrerPolicy == nil && init.Mode == nil &&
		init.Credentials == nil && init.Cache == nil && init.Redirect == nil &&
		init.Integrity == nil && init.Keepalive == nil && !init.hasSignal() &&
		init.Duplex == nil && init.Priority == nil && !init.hasWindow()
}

func (init *Init) hasBody() bool   { return init != nil && (init.Body != nil || init.BodySet) }
func (init *Init) hasSignal() bool { return init != nil && (init.Signal != nil || init.SignalSet) }
func (init *Init) hasWindow() bool { return init != nil && (init.Window != nil || init.WindowSet) }

// convert runs WebIDL's dictionary conversion checks for the enumeration
// members: a value outside an enumeration is a TypeError before any of
// the constructor's steps run.
func (init *Init) convert() error {
	if init == nil {
		return nil
	}
	if init.ReferrerPolicy != nil && !init.ReferrerPolicy.valid() {
		return errs.TypeErrorf("Request: %q is not a valid referrerPolicy", string(*init.ReferrerPolicy))
	}
	if init.Mode != nil && !init.Mode.valid() {
		return errs.TypeErrorf("Request: %q is not a valid mode", string(*init.Mode))
	}
	if init.Credentials != nil && !init.Credentials.valid() {
		return errs.TypeErrorf("Request: %q is not a valid credentials mode", string(*init.Credentials))
	}
	if init.Cache != nil && !init.Cache.valid() {
		return errs.TypeErrorf("Request: %q is not a valid cache mode", string(*init.Cache))
	}
	if init.Redirect != nil && !init.Redirect.valid() {
		return errs.TypeErrorf("Request: %q is not a valid redirect mode", string(*init.Redirect))
	}
	if init.Duplex != nil && *init.Duplex != DuplexHalf {
		return errs.TypeErrorf("Request: %q is not a valid duplex (only \"half\" is)", string(*init.Duplex))
	}
	if init.Priority != nil && !init.Priority.valid() {
		return errs.TypeErrorf("Request: %q is not a valid priority", string(*init.Priority))
	}
	return nil
}

// Option configures New.
type Option func(*options)

type options struct {
	env *Environment
}

// WithEnvironment makes the request's client (its relevant settings
// object) env: URLs and referrers are parsed against env.BaseURL, and
// env.Origin decides between server-runtime and browser semantics (see
// Environment). A nil env means DefaultEnvironment.
func WithEnvironment(env *Environment) Option {
	return func(o *options) { o.env = env }
}

// Request is the Request class: a request (Internal), its Headers, its
// abort signal, and the Body mixin (Body, BodyUsed, Text, JSON, Bytes,
// ArrayBuffer, Blob, FormData, TextStream) over the request's body.
// A Request is not safe for concurrent use.
// https://fetch.spec.whatwg.org/#request-class
type Request struct {
	body.Mixin
	req *Internal
	// headers is the Headers object, made on first use over hlist with
	// guard (a Go caller that never asks for it costs no allocation).
	headers atomic.Pointer[headers.Headers]
	hlist   *headers.List
	guard   headers.Guard
	signal  *abort.Signal
	// proxied is set once the body was handed to a new Request through a
	// proxy stream: the body stream is then locked and counts as disturbed.
	proxied bool
}

// requestGuard returns the guard the constructor gives a request's
// Headers: "request", or "none" in a server runtime (no origin), where
// forbidden request-header names are allowed.
func requestGuard(env *Environment) headers.Guard {
	if env.IsServer() {
		return headers.GuardNone
	}
	return headers.GuardRequest
}

// Create runs "create a Request object" for req: a Request whose Headers
// wrap req's header list with guard, and whose signal is signal (nil
// never aborts). req.Signal is set to signal.
// https://fetch.spec.whatwg.org/#request-create
func Create(req *Internal, guard headers.Guard, signal *abort.Signal) *Request {
	// 1-2. A new Request for req.
	r := &Request{req: req}
	if req.Header == nil {
		req.Header = new(headers.List)
	}
	// 3. Headers over req's header list (made when first asked for).
	r.hlist, r.guard = req.Header, guard
	// 4. The signal.
	r.signal = signal
	req.Signal = signal
	r.Mixin = body.NewMixinHeader(req.Body, &req.Header)
	return r
}

// New runs the Request constructor, new Request(input, init).
//
// input is a URL string (parsed against the environment's base URL), a
// *weburl.URL or *net/url.URL (used as that URL), or a *Request (whose
// request, headers, body and signal the new one takes over, as the
// standard says). init may be nil. Errors are *fetch.TypeError values
// naming what was wrong.
// https://fetch.spec.whatwg.org/#dom-request
func New(input any, init *Init, opts ...Option) (*Request, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	env := o.env
	if env == nil {
		env = defaultEnvironment
	}
	// WebIDL: enumeration members are checked when init is converted.
	if err := init.convert(); err != nil {
		return nil, err
	}
	// 1-4. The request, fallback mode, base URL and signal.
	var (
		request      *Internal
		fallbackMode Mode
		baseURL      = env.BaseURL
		signal       *abort.Signal
		inputReq     *Request
	)
	switch in := input.(type) {
	case string, *weburl.URL, *url.URL:
		// 5. A URL: parse it; credentials are not allowed.
		parsed, err := parseInput(in, baseURL)
		if err != nil {
			return nil, err
		}
		if parsed.HasCredentials() {
			return nil, errs.TypeErrorf("Request: URL %q includes credentials", parsed.Href())
		}
		request = NewInternal(parsed)
		fallbackMode = ModeCORS
	case *Request:
		// 6. A Request: take its request and signal.
		if in == nil {
			return nil, errs.TypeErrorf("Request: input is a nil *Request")
		}
		inputReq = in
		request = in.req
		signal = in.signal
	default:
		return nil, errs.TypeErrorf("Request: input must be a URL string, *weburl.URL, *url.URL or *Request, not %T", input)
	}
	// 7. The environment's origin (nil in a server runtime).
	origin := env.Origin
	// 8-9. Traversable for user prompts: "client" (the input's can never
	// be an environment settings object here).
	window := WindowClient
	// 10. A non-null window is an error.
	if init != nil && init.Window != nil {
		return nil, errs.TypeErrorf("Request: init.window can only be null, not %T", init.Window)
	}
	// 11. A null window means no traversable.
	if init.hasWindow() {
		window = WindowNoTraversable
	}
	// 12. A new request copying the relevant fields of the old one. A
	// request just made from a URL is nobody else's, so it is updated in
	// place (same result, fewer copies).
	if inputReq != nil {
		request = copyForConstructor(request, env, window)
	} else {
		request.UnsafeRequest = true
		request.Client = env
		request.Window = window
		request.InitiatorType = "fetch"
	}
	// 13. A non-empty init resets what an earlier context set.
	if !init.empty() {
		if request.Mode == ModeNavigate {
			request.Mode = ModeSameOrigin
		}
		request.ReloadNavigation = false
		request.HistoryNavigation = false
		request.Origin = OriginClient
		request.Referrer = ReferrerClient
		request.ReferrerPolicy = ReferrerPolicyNone
		cur := request.CurrentURL()
		request.URLList = []*weburl.URL{cur}
	}
	// 14. The referrer.
	if init != nil && init.Referrer != nil {
		ref := *init.Referrer
		if ref == "" {
			// 14.2. The empty string means no referrer.
			request.Referrer = ReferrerNoReferrer
		} else {
			// 14.3.1-2. Parse it against the base URL.
			parsed, err := weburl.Parse(ref, baseURL)
			if err != nil {
				return nil, errs.TypeErrorf("Request: invalid referrer %q: %w", ref, err)
			}
			// 14.3.3. about:client, or a cross-origin URL, means "client".
			// In a server runtime there is no origin to compare with, so
			// any URL is kept (as undici does).
			if (parsed.Scheme() == "about" && parsed.Pathname() == "client") ||
				(origin != nil && !weburl.SameOrigin(parsed.Origin(), *origin)) {
				request.Referrer = ReferrerClient
			} else {
				// 14.3.4. Otherwise the URL.
				request.Referrer = Referrer{URL: parsed}
			}
		}
	}
	// 15. The referrer policy.
	if init != nil && init.ReferrerPolicy != nil {
		request.ReferrerPolicy = *init.ReferrerPolicy
	}
	// 16. The mode: init's, else the fallback.
	mode := fallbackMode
	if init != nil && init.Mode != nil {
		mode = *init.Mode
	}
	// 17. "navigate" cannot be asked for.
	if mode == ModeNavigate {
		return nil, errs.TypeErrorf("Request: mode %q cannot be used to construct a Request", mode)
	}
	// 18. Set it.
	if mode != "" {
		request.Mode = mode
	}
	// 19. The credentials mode.
	if init != nil && init.Credentials != nil {
		request.Credentials = *init.Credentials
	}
	// 20. The cache mode.
	if init != nil && init.Cache != nil {
		request.Cache = *init.Cache
	}
	// 21. only-if-cached needs same-origin mode.
	if request.Cache == CacheOnlyIfCached && request.Mode != ModeSameOrigin {
		return nil, errs.TypeErrorf("Request: cache mode \"only-if-cached\" requires mode \"same-origin\", not %q", request.Mode)
	}
	// 22. The redirect mode.
	if init != nil && init.Redirect != nil {
		request.Redirect = *init.Redirect
	}
	// 23. The integrity metadata.
	if init != nil && init.Integrity != nil {
		request.Integrity = *init.Integrity
	}
	// 24. keepalive.
	if init != nil && init.Keepalive != nil {
		request.Keepalive = *init.Keepalive
	}
	// 25. The method: a token, not forbidden, normalized.
	if init != nil && init.Method != nil {
		m := *init.Method
		if !headers.IsMethod(m) {
			return nil, errs.TypeErrorf("Request: %q is not a valid HTTP method", m)
		}
		if headers.IsForbiddenMethod(m) {
			return nil, errs.TypeErrorf("Request: method %q is forbidden", m)
		}
		request.Method = headers.NormalizeMethod(m)
	}
	// 26. init's signal replaces the input's (even when null).
	if init.hasSignal() {
		signal = init.Signal
	}
	// 27. The priority (there is never an internal priority).
	if init != nil && init.Priority != nil {
		request.Priority = *init.Priority
	}
	// 28. This's request.
	var r *Request
	// 29-30. A dependent signal following the chosen one, if any.
	// (With no signal to follow, the dependent signal of « » is a signal
	// that never aborts: a zero abort.Signal, which costs less; it is
	// allocated together with the Request.)
	if signal != nil {
		r = &Request{req: request}
		r.signal = abort.Any(signal)
	} else {
		a := &struct {
			r   Request
			sig abort.Signal
		}{}
		r = &a.r
		r.req = request
		r.signal = &a.sig
		request.inertSignal = r.signal
	}
	request.Signal = r.signal
	// 31. Headers over the request's header list, guard "request" ("none"
	// in a server runtime).
	// (The Headers object is made when first asked for.)
	r.hlist, r.guard = request.Header, requestGuard(env)
	// 32. no-cors: only CORS-safelisted methods, guard "request-no-cors".
	if request.Mode == ModeNoCORS {
		if !headers.IsCORSSafelistedMethod(request.Method) {
			return nil, errs.TypeErrorf("Request: method %q is not allowed in no-cors mode (only GET, HEAD and POST are)", request.Method)
		}
		r.setGuard(headers.GuardRequestNoCORS)
	}
	// 33. A non-empty init refills the headers through the guard.
	if !init.empty() {
		if err := r.refillHeaders(init.Headers); err != nil {
			return nil, err
		}
	}
	// 34. The input request's body.
	var inputBody *body.Body
	if inputReq != nil {
		inputBody = inputReq.req.Body
	}
	// 35. GET and HEAD cannot have a body.
	if (init.hasBody() && init.Body != nil || inputBody != nil) &&
		(request.Method == "GET" || request.Method == "HEAD") {
		return nil, errs.TypeErrorf("Request: a %s request cannot have a body", request.Method)
	}
	// 36. The init body.
	var initBody *body.Body
	// 37. Extract it, adding its Content-Type unless one is set.
	if init.hasBody() && init.Body != nil {
		b, ctype, err := body.Extract(init.Body, request.Keepalive)
		if err != nil {
			return nil, err
		}
		initBody = b
		if ctype != "" && !request.Header.Contains("Content-Type") {
			if err := r.Headers().Append("Content-Type", ctype); err != nil {
				return nil, err
			}
		}
	}
	// 38. The body to use.
	inputOrInitBody := initBody
	if inputOrInitBody == nil {
		inputOrInitBody = inputBody
	}
	// 39. A body without a source (a stream) needs duplex "half" and a
	// CORS or same-origin mode, and forces a CORS preflight.
	if inputOrInitBody != nil && inputOrInitBody.Source == nil {
		if initBody != nil && (init == nil || init.Duplex == nil) {
			return nil, errs.TypeErrorf("Request: a stream body requires duplex \"half\"")
		}
		if request.Mode != ModeSameOrigin && request.Mode != ModeCORS {
			return nil, errs.TypeErrorf("Request: a stream body requires mode \"cors\" or \"same-origin\", not %q", request.Mode)
		}
		request.UseCORSPreflight = true
	}
	// 40. The final body.
	finalBody := inputOrInitBody
	// 41. Reusing the input's body: it must be usable, and is proxied.
	if initBody == nil && inputBody != nil {
		if inputReq.proxied || body.Unusable(&inputReq.Mixin) {
			return nil, errs.TypeErrorf("Request: the input request's body is already used or locked")
		}
		// Nothing below may fail.
		pb, err := proxyBody(inputBody)
		if err != nil {
			return nil, err
		}
		finalBody = pb
		inputReq.proxied = true
	}
	// 42. This's request's body.
	request.Body = finalBody
	r.Mixin = body.NewMixinHeader(finalBody, &request.Header)
	return r, nil
}

// parseInput parses a string input against base, or copies a URL input.
func parseInput(input any, base *weburl.URL) (*weburl.URL, error) {
	switch in := input.(type) {
	case *weburl.URL:
		if in == nil {
			return nil, errs.TypeErrorf("Request: input is a nil *weburl.URL")
		}
		return in.Clone(), nil
	case *url.URL:
		if in == nil {
			return nil, errs.TypeErrorf("Request: input is a nil *url.URL")
		}
		input = in.String()
	}
	s := input.(string)
	u, err := weburl.Parse(s, base)
	if err != nil {
		return nil, errs.TypeErrorf("Request: invalid URL %q: %w", s, err)
	}
	return u, nil
}

// copyForConstructor runs step 12 of the constructor: a new request with
// the fields of old that the constructor carries over; everything else
// takes its default. The body is set at the end of the constructor.
func copyForConstructor(old *Internal, env *Environment, window Window) *Internal {
	n := NewInternal(nil)
	n.URLList = cloneURLList(old.URLList)
	n.Method = old.Method
	if old.Header != nil {
		l := old.Header.Clone()
		n.Header = &l
	}
	n.UnsafeRequest = true
	n.Client = env
	n.Window = window
	n.Origin = old.Origin
	n.Referrer = old.Referrer
	if old.Referrer.URL != nil {
		n.Referrer.URL = old.Referrer.URL.Clone()
	}
	n.ReferrerPolicy = old.ReferrerPolicy
	n.Mode = old.Mode
	n.Credentials = old.Credentials
	n.Cache = old.Cache
	n.Redirect = old.Redirect
	n.Integrity = old.Integrity
	n.Keepalive = old.Keepalive
	n.ReloadNavigation = old.ReloadNavigation
	n.HistoryNavigation = old.HistoryNavigation
	n.InitiatorType = "fetch"
	return n
}

// refillHeaders runs step 33: the headers (init's, or a copy of the
// current ones) are appended again through the guard, which drops what
// the guard does not allow.
func (r *Request) refillHeaders(initHeaders headers.Init) error {
	// 33.1. A copy of the current headers.
	var src headers.List
	fromList := true
	src = r.req.Header.Clone()
	// 33.2. Or init's headers.
	if initHeaders != nil {
		switch h := initHeaders.(type) {
		case *headers.Headers:
			if h != nil {
				src = h.List().Clone()
			} else {
				src = nil
			}
		default:
			fromList = false
		}
	}
	// 33.3. Empty the header list.
	*r.req.Header = (*r.req.Header)[:0]
	// 33.4. A Headers object's (or the copied) header list: append each.
	if fromList {
		for _, f := range src {
			if err := r.Headers().Append(f.Name, f.Value); err != nil {
				return err
			}
		}
		return nil
	}
	// 33.5. Anything else fills.
	return r.Headers().Fill(initHeaders)
}

// proxyBody runs "create a proxy" for b's stream: a new body whose stream
// reads b's stream, which is locked from now on. The source and length
// stay (they describe the same bytes).
// https://streams.spec.whatwg.org/#readablestream-create-a-proxy
func proxyBody(b *body.Body) (*body.Body, error) {
	rd, err := b.Stream.GetReader()
	if err != nil {
		return nil, err
	}
	return &body.Body{Stream: body.NewReaderStream(rd), Source: b.Source, Length: b.Length}, nil
}

// Internal returns the request concept the Request holds (for fetch).
// https://fetch.spec.whatwg.org/#concept-request-request
func (r *Request) Internal() *Internal { return r.req }

// Method returns the request's method.
// https://fetch.spec.whatwg.org/#dom-request-method
func (r *Request) Method() string { return r.req.Method }

// URL returns the request's URL, serialized (fragment included).
// https://fetch.spec.whatwg.org/#dom-request-url
func (r *Request) URL() string {
	u := r.req.URL()
	if u == nil {
		return ""
	}
	return u.Serialize(false)
}

// Headers returns the request's Headers (the same object every time).
// https://fetch.spec.whatwg.org/#dom-request-headers
func (r *Request) Headers() *headers.Headers {
	if h := r.headers.Load(); h != nil {
		return h
	}
	h := headers.Wrap(r.hlist, r.guard)
	if r.headers.CompareAndSwap(nil, h) {
		return h
	}
	return r.headers.Load()
}

// setGuard changes the headers guard, of the Headers object if made.
func (r *Request) setGuard(g headers.Guard) {
	r.guard = g
	if h := r.headers.Load(); h != nil {
		h.SetGuard(g)
	}
}

// headersGuard returns the headers guard (SetGuard on the Headers object
// may have changed it).
func (r *Request) headersGuard() headers.Guard {
	if h := r.headers.Load(); h != nil {
		return h.Guard()
	}
	return r.guard
}

// Destination returns the request's destination.
// https://fetch.spec.whatwg.org/#dom-request-destination
func (r *Request) Destination() Destination { return r.req.Destination }

// Referrer returns "" for no referrer, "about:client" for the client
// default, else the referrer URL serialized.
// https://fetch.spec.whatwg.org/#dom-request-referrer
func (r *Request) Referrer() string { return r.req.Referrer.String() }

// ReferrerPolicy returns the request's referrer policy ("" when unset).
// https://fetch.spec.whatwg.org/#dom-request-referrerpolicy
func (r *Request) ReferrerPolicy() ReferrerPolicy { return r.req.ReferrerPolicy }

// Mode returns the request's mode.
// https://fetch.spec.whatwg.org/#dom-request-mode
func (r *Request) Mode() Mode { return r.req.Mode }

// Credentials returns the request's credentials mode.
// https://fetch.spec.whatwg.org/#dom-request-credentials
func (r *Request) Credentials() Credentials { return r.req.Credentials }

// Cache returns the request's cache mode.
// https://fetch.spec.whatwg.org/#dom-request-cache
func (r *Request) Cache() Cache { return r.req.Cache }

// Redirect returns the request's redirect mode.
// https://fetch.spec.whatwg.org/#dom-request-redirect
func (r *Request) Redirect() Redirect { return r.req.Redirect }

// Integrity returns the request's integrity metadata.
// https://fetch.spec.whatwg.org/#dom-request-integrity
func (r *Request) Integrity() string { return r.req.Integrity }

// Keepalive returns the request's keepalive.
// https://fetch.spec.whatwg.org/#dom-request-keepalive
func (r *Request) Keepalive() bool { return r.req.Keepalive }

// IsReloadNavigation reports the request's reload-navigation flag.
// https://fetch.spec.whatwg.org/#dom-request-isreloadnavigation
func (r *Request) IsReloadNavigation() bool { return r.req.ReloadNavigation }

// IsHistoryNavigation reports the request's history-navigation flag.
// https://fetch.spec.whatwg.org/#dom-request-ishistorynavigation
func (r *Request) IsHistoryNavigation() bool { return r.req.HistoryNavigation }

// Signal returns the request's abort signal (never nil for a Request from
// New or Clone).
// https://fetch.spec.whatwg.org/#dom-request-signal
func (r *Request) Signal() *abort.Signal { return r.signal }

// Duplex returns "half".
// https://fetch.spec.whatwg.org/#dom-request-duplex
func (r *Request) Duplex() Duplex { return DuplexHalf }

// Priority returns the request's priority (not exposed to JavaScript).
// https://fetch.spec.whatwg.org/#request-priority
func (r *Request) Priority() Priority { return r.req.Priority }

// BodyUsed reports whether the body was read from, cancelled, or handed
// to a new Request (whose proxy stream reads it: the standard's proxy
// disturbs the stream at once).
// https://fetch.spec.whatwg.org/#dom-body-bodyused
func (r *Request) BodyUsed() bool { return r.proxied || r.Mixin.BodyUsed() }

// Clone returns a copy of the request whose body is a tee of this one's
// (both read the same bytes independently) and whose signal follows this
// one's. It fails with a TypeError when the body is already used or
// locked. https://fetch.spec.whatwg.org/#dom-request-clone
func (r *Request) Clone() (*Request, error) {
	// 1. An unusable body cannot be cloned.
	if r.proxied || body.Unusable(&r.Mixin) {
		return nil, errs.TypeErrorf("Request.clone: the body is already used or locked")
	}
	// 2. Clone the request (teeing the body).
	cloned, err := r.req.Clone()
	if err != nil {
		return nil, err
	}
	// 3-4. A signal following this one's.
	clonedSignal := abort.Any(r.signal)
	// 5. A Request object with the same guard.
	return Create(cloned, r.headersGuard(), clonedSignal), nil
}
