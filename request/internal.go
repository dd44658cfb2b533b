package request

import (
	"strconv"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/weburl"
)

// Environment is the environment settings object a request is made from
// (its client): what the standard calls "this's relevant settings object".
// https://html.spec.whatwg.org/#environment-settings-object
//
// wfetch knows two kinds of environment:
//
//   - A server runtime (Origin == nil), the default, behaving like undici
//     and Deno: there is no origin, so no CORS checks apply, forbidden
//     request-header names may be set (the Request's Headers use guard
//     "none" instead of "request"; "request-no-cors" still applies in
//     no-cors mode), and a referrer URL is never checked for being same
//     origin. Without a BaseURL only absolute URLs are accepted.
//   - A browser-like environment (Origin != nil): full browser semantics,
//     as a document or worker with that origin would have: forbidden
//     request-headers are dropped, referrers must be same origin, and
//     fetch applies CORS.
type Environment struct {
	// BaseURL is the API base URL that relative URLs are parsed against;
	// nil means only absolute URLs are accepted.
	// https://html.spec.whatwg.org/#api-base-url
	BaseURL *weburl.URL
	// Origin is the environment's origin; nil means none (a server
	// runtime). https://html.spec.whatwg.org/#concept-settings-object-origin
	Origin *weburl.Origin
	// CreationURL is the URL of the environment, which fetch uses as the
	// referrer when a request's referrer is "client"; nil means BaseURL.
	// https://html.spec.whatwg.org/#concept-environment-creation-url
	CreationURL *weburl.URL
	// ReferrerPolicy is the referrer policy of the environment's policy
	// container; "" means the default (strict-origin-when-cross-origin).
	// https://html.spec.whatwg.org/#policy-container-referrer-policy
	ReferrerPolicy ReferrerPolicy
}

// defaultEnvironment is the server-runtime environment used when no
// WithEnvironment option is given: no base URL, no origin.
var defaultEnvironment = &Environment{}

// DefaultEnvironment returns the environment requests use when none is
// given: a server runtime with no base URL and no origin. Each call
// returns the same value; do not modify it.
func DefaultEnvironment() *Environment { return defaultEnvironment }

// BrowserEnvironment returns the environment of a document (or worker)
// at pageURL: its base URL and creation URL are pageURL and its origin is
// pageURL's origin, so requests get full browser semantics. A pageURL that
// does not parse is a TypeError.
func BrowserEnvironment(pageURL string) (*Environment, error) {
	u, err := weburl.Parse(pageURL, nil)
	if err != nil {
		return nil, err
	}
	o := u.Origin()
	return &Environment{BaseURL: u, Origin: &o, CreationURL: u}, nil
}

// ServerEnvironment returns a server-runtime environment (no origin)
// whose base URL is baseURL, or which has no base URL when baseURL is "".
// A baseURL that does not parse is a TypeError.
func ServerEnvironment(baseURL string) (*Environment, error) {
	if baseURL == "" {
		return &Environment{}, nil
	}
	u, err := weburl.Parse(baseURL, nil)
	if err != nil {
		return nil, err
	}
	return &Environment{BaseURL: u}, nil
}

// IsServer reports whether e is a server runtime (no origin). A nil
// Environment is one too.
func (e *Environment) IsServer() bool { return e == nil || e.Origin == nil }

// URL returns the environment's creation URL, or its base URL when none
// was set, or nil.
func (e *Environment) URL() *weburl.URL {
	if e == nil {
		return nil
	}
	if e.CreationURL != nil {
		return e.CreationURL
	}
	return e.BaseURL
}

// PolicyContainer returns a policy container holding the environment's
// referrer policy (the default one when unset).
// https://html.spec.whatwg.org/#concept-settings-object-policy-container
//
// An environment without a referrer policy of its own shares one default
// container among its requests (fetch only reads it), saving an allocation
// per request.
func (e *Environment) PolicyContainer() *PolicyContainer {
	if e == nil || e.ReferrerPolicy == "" {
		return &defaultPolicyContainer
	}
	return &PolicyContainer{ReferrerPolicy: e.ReferrerPolicy}
}

// defaultPolicyContainer is the container of environments with the
// default referrer policy; it is never modified.
var defaultPolicyContainer = PolicyContainer{ReferrerPolicy: DefaultReferrerPolicy}

// PolicyContainer is the part of a policy container that fetch uses: its
// referrer policy. https://html.spec.whatwg.org/#policy-container
type PolicyContainer struct {
	ReferrerPolicy ReferrerPolicy
}

// Origin is a request's origin: "client" (Client true), an origin, or —
// once fetch resolved "client" for an environment without an origin (a
// server runtime) — none (Client false, Origin nil).
// https://fetch.spec.whatwg.org/#concept-request-origin
type Origin struct {
	// Client is true for "client", which fetch replaces with the client's
	// origin.
	Client bool
	// Origin is the origin when Client is false; nil means none.
	Origin *weburl.Origin
}

// OriginClient is the "client" origin, the default.
var OriginClient = Origin{Client: true}

// Referrer is a request's referrer: "client" (the zero value),
// "no-referrer" (NoReferrer true) or a URL.
// https://fetch.spec.whatwg.org/#concept-request-referrer
type Referrer struct {
	// NoReferrer is true for "no-referrer".
	NoReferrer bool
	// URL is the referrer URL, when it is one.
	URL *weburl.URL
}

// The two non-URL referrers.
var (
	ReferrerClient     = Referrer{}
	ReferrerNoReferrer = Referrer{NoReferrer: true}
)

// IsClient reports whether the referrer is "client".
func (r Referrer) IsClient() bool { return !r.NoReferrer && r.URL == nil }

// String returns what the Request referrer getter returns: "" for
// "no-referrer", "about:client" for "client", else the serialized URL.
// https://fetch.spec.whatwg.org/#dom-request-referrer
func (r Referrer) String() string {
	switch {
	case r.NoReferrer: // 1. "no-referrer" reads as "".
		return ""
	case r.URL == nil: // 2. "client" reads as about:client.
		return "about:client"
	}
	// 3. A URL reads as its serialization.
	return r.URL.Serialize(false)
}

// Internal is the request concept: the input to fetch, with every field
// the Fetch Standard gives a request. A Request object holds one; the
// fetch algorithms read and update it. It is not safe for concurrent use.
// Create one with NewInternal, which sets the standard's defaults.
// https://fetch.spec.whatwg.org/#concept-request
type Internal struct {
	// Method: https://fetch.spec.whatwg.org/#concept-request-method
	Method string
	// URLList holds one or more URLs; the first is the request's URL and
	// the last its current URL.
	// https://fetch.spec.whatwg.org/#concept-request-url-list
	URLList []*weburl.URL
	// LocalURLsOnly: https://fetch.spec.whatwg.org/#local-urls-only-flag
	LocalURLsOnly bool
	// Header is the header list (never nil for a request from
	// NewInternal). https://fetch.spec.whatwg.org/#concept-request-header-list
	Header *headers.List
	// UnsafeRequest: https://fetch.spec.whatwg.org/#unsafe-request-flag
	UnsafeRequest bool
	// Body is the body, nil for null.
	// https://fetch.spec.whatwg.org/#concept-request-body
	Body *body.Body
	// Client is the environment settings object, nil for null.
	// https://fetch.spec.whatwg.org/#concept-request-client
	Client *Environment
	// ReservedClient: https://fetch.spec.whatwg.org/#concept-request-reserved-client
	ReservedClient *Environment
	// ReplacesClientID: https://fetch.spec.whatwg.org/#concept-request-replaces-client-id
	ReplacesClientID string
	// Window is the traversable for user prompts.
	// https://fetch.spec.whatwg.org/#concept-request-window
	Window Window
	// Keepalive: https://fetch.spec.whatwg.org/#request-keepalive-flag
	Keepalive bool
	// InitiatorType ("" for null, "fetch", ...):
	// https://fetch.spec.whatwg.org/#request-initiator-type
	InitiatorType string
	// ServiceWorkersMode ("all" or "none"):
	// https://fetch.spec.whatwg.org/#request-service-workers-mode
	ServiceWorkersMode string
	// Initiator: https://fetch.spec.whatwg.org/#concept-request-initiator
	Initiator string
	// Destination: https://fetch.spec.whatwg.org/#concept-request-destination
	Destination Destination
	// Priority: https://fetch.spec.whatwg.org/#request-priority
	Priority Priority
	// Origin: https://fetch.spec.whatwg.org/#concept-request-origin
	Origin Origin
	// PolicyContainer, nil for "client":
	// https://fetch.spec.whatwg.org/#concept-request-policy-container
	PolicyContainer *PolicyContainer
	// Referrer: https://fetch.spec.whatwg.org/#concept-request-referrer
	Referrer Referrer
	// ReferrerPolicy: https://fetch.spec.whatwg.org/#concept-request-referrer-policy
	ReferrerPolicy ReferrerPolicy
	// Mode: https://fetch.spec.whatwg.org/#concept-request-mode
	Mode Mode
	// UseCORSPreflight: https://fetch.spec.whatwg.org/#use-cors-preflight-flag
	UseCORSPreflight bool
	// Credentials is the credentials mode.
	// https://fetch.spec.whatwg.org/#concept-request-credentials-mode
	Credentials Credentials
	// UseURLCredentials: https://fetch.spec.whatwg.org/#concept-request-use-url-credentials-flag
	UseURLCredentials bool
	// Cache is the cache mode.
	// https://fetch.spec.whatwg.org/#concept-request-cache-mode
	Cache Cache
	// Redirect is the redirect mode.
	// https://fetch.spec.whatwg.org/#concept-request-redirect-mode
	Redirect Redirect
	// Integrity is the integrity metadata.
	// https://fetch.spec.whatwg.org/#concept-request-integrity-metadata
	Integrity string
	// CryptographicNonce is the cryptographic nonce metadata.
	// https://fetch.spec.whatwg.org/#concept-request-nonce-metadata
	CryptographicNonce string
	// ParserMetadata ("", "parser-inserted", "not-parser-inserted"):
	// https://fetch.spec.whatwg.org/#concept-request-parser-metadata
	ParserMetadata string
	// ReloadNavigation: https://fetch.spec.whatwg.org/#concept-request-reload-navigation-flag
	ReloadNavigation bool
	// HistoryNavigation: https://fetch.spec.whatwg.org/#concept-request-history-navigation-flag
	HistoryNavigation bool
	// UserActivation: https://fetch.spec.whatwg.org/#request-user-activation
	UserActivation bool
	// RenderBlocking: https://fetch.spec.whatwg.org/#request-render-blocking
	RenderBlocking bool
	// RedirectCount: https://fetch.spec.whatwg.org/#concept-request-redirect-count
	RedirectCount int
	// ResponseTainting: https://fetch.spec.whatwg.org/#concept-request-response-tainting
	ResponseTainting ResponseTainting
	// PreventNoCacheCacheControlHeaderModification:
	// https://fetch.spec.whatwg.org/#no-cache-prevent-cache-control
	PreventNoCacheCacheControlHeaderModification bool
	// Done: https://fetch.spec.whatwg.org/#done-flag
	Done bool
	// TimingAllowFailed: https://fetch.spec.whatwg.org/#timing-allow-failed
	TimingAllowFailed bool
	// Signal is the abort signal of the Request object the request came
	// from (fetch's link to its controller); nil never aborts.
	Signal *abort.Signal

	// inertSignal is the signal the Request constructor made when it had
	// no signal to follow: nothing can abort it (see SignalNeverAborts).
	inertSignal *abort.Signal
}

// SignalNeverAborts reports whether the request's signal can never abort:
// it is nil, or it is the signal the Request constructor made with no
// signal to follow (the dependent signal of an empty list, which nothing
// can abort). fetch skips setting up abort handling for such requests.
func (r *Internal) SignalNeverAborts() bool {
	return r.Signal == nil || r.Signal == r.inertSignal
}

// NewInternal returns a request for u with the standard's defaults:
// method GET, mode no-cors, credentials same-origin, cache default,
// redirect follow, origin and referrer "client", window "client",
// priority auto, response tainting basic, service-workers mode all, and
// an empty header list. u is used as is (not copied).
func NewInternal(u *weburl.URL) *Internal {
	// One allocation for the request, its header list (with room for one
	// header: fetch adds Accept), and its URL list (room for one). (Room
	// for more headers would move it up to a larger size class.)
	a := &struct {
		r      Internal
		l      headers.List
		fields [1]headers.Field
		urls   [1]*weburl.URL
	}{}
	a.l = a.fields[:0:len(a.fields)]
	a.urls[0] = u
	a.r = Internal{
		Method:             "GET",
		URLList:            a.urls[:1:1],
		Header:             &a.l,
		Window:             WindowClient,
		ServiceWorkersMode: "all",
		Priority:           PriorityAuto,
		Origin:             OriginClient,
		Referrer:           ReferrerClient,
		Mode:               ModeNoCORS,
		Credentials:        CredentialsSameOrigin,
		Cache:              CacheDefault,
		Redirect:           RedirectFollow,
		ResponseTainting:   TaintingBasic,
	}
	return &a.r
}

// URL returns the request's URL: the first of its URL list (nil if the
// list is empty). https://fetch.spec.whatwg.org/#concept-request-url
func (r *Internal) URL() *weburl.URL {
	if len(r.URLList) == 0 {
		return nil
	}
	return r.URLList[0]
}

// CurrentURL returns the last URL of the URL list (nil if it is empty).
// https://fetch.spec.whatwg.org/#concept-request-current-url
func (r *Internal) CurrentURL() *weburl.URL {
	if len(r.URLList) == 0 {
		return nil
	}
	return r.URLList[len(r.URLList)-1]
}

// IsSubresource reports whether r is a subresource request.
// https://fetch.spec.whatwg.org/#subresource-request
func (r *Internal) IsSubresource() bool {
	switch r.Destination {
	case DestinationAudio, DestinationAudioWorklet, DestinationFont, DestinationImage,
		DestinationJSON, DestinationManifest, DestinationPaintWorklet, DestinationScript,
		DestinationStyle, DestinationText, DestinationTrack, DestinationVideo,
		DestinationXSLT, DestinationNone:
		return true
	}
	return false
}

// IsNonSubresource reports whether r is a non-subresource request.
// https://fetch.spec.whatwg.org/#non-subresource-request
func (r *Internal) IsNonSubresource() bool {
	switch r.Destination {
	case DestinationDocument, DestinationEmbed, DestinationFrame, DestinationIFrame,
		DestinationObject, DestinationReport, DestinationServiceWorker,
		DestinationSharedWorker, DestinationWorker:
		return true
	}
	return false
}

// IsNavigation reports whether r is a navigation request.
// https://fetch.spec.whatwg.org/#navigation-request
func (r *Internal) IsNavigation() bool {
	switch r.Destination {
	case DestinationDocument, DestinationEmbed, DestinationFrame, DestinationIFrame, DestinationObject:
		return true
	}
	return false
}

// originOrOpaque returns r's resolved origin, or a new opaque origin when
// it has none (or is still "client", which callers must not allow).
func (r *Internal) originOrOpaque() weburl.Origin {
	if r.Origin.Client || r.Origin.Origin == nil {
		return weburl.NewOpaqueOrigin()
	}
	return *r.Origin.Origin
}

// RedirectTaint computes r's redirect-taint. r's origin must not be
// "client" (an origin of none counts as an opaque origin).
// https://fetch.spec.whatwg.org/#concept-request-tainted-origin
func (r *Internal) RedirectTaint() RedirectTaint {
	// 1. (Assert: the origin is resolved.)
	origin := r.originOrOpaque()
	// 2-3. Walk the URL list from "same-origin".
	var last *weburl.URL
	taint := TaintSameOrigin
	// 4. Compare each URL with the one before it.
	for _, u := range r.URLList {
		if last == nil {
			last = u
			continue
		}
		lastOrigin, uOrigin := last.Origin(), u.Origin()
		// 4.2. Not same site with either: cross-site.
		if !weburl.SameSite(uOrigin, lastOrigin) && !weburl.SameSite(origin, lastOrigin) {
			return TaintCrossSite
		}
		// 4.3. Not same origin with either: at most same-site.
		if !weburl.SameOrigin(uOrigin, lastOrigin) && !weburl.SameOrigin(origin, lastOrigin) {
			taint = TaintSameSite
		}
		last = u
	}
	// 5. The taint.
	return taint
}

// SerializeOrigin runs "serializing a request origin": "null" when the
// URL list was redirected away from the origin, else the origin's
// serialization. r's origin must not be "client"; an origin of none
// serializes as "null".
// https://fetch.spec.whatwg.org/#serializing-a-request-origin
func (r *Internal) SerializeOrigin() string {
	// 1. (Assert: the origin is resolved.)
	if r.Origin.Client || r.Origin.Origin == nil {
		return "null"
	}
	// 2. A tainted request has the null origin.
	if r.RedirectTaint() != TaintSameOrigin {
		return "null"
	}
	// 3. Otherwise, the origin serialized.
	return r.Origin.Origin.Serialize()
}

// ByteSerializeOrigin runs "byte-serializing a request origin". The ASCII
// serialization is already its own isomorphic encoding.
// https://fetch.spec.whatwg.org/#byte-serializing-a-request-origin
func (r *Internal) ByteSerializeOrigin() string { return r.SerializeOrigin() }

// Clone runs "clone a request": a copy of r (with its own header list and
// URL list) whose body, if any, is a clone of r's body (a tee: r keeps one
// branch, the copy gets the other). It fails with a TypeError when r's
// body stream is locked. https://fetch.spec.whatwg.org/#concept-request-clone
func (r *Internal) Clone() (*Internal, error) {
	// 1. A copy of everything but the body (the WebDriver id is not
	// modelled, so step 2 has nothing to do).
	n := *r
	n.Body = nil
	if r.Header != nil {
		l := r.Header.Clone()
		n.Header = &l
	}
	n.URLList = cloneURLList(r.URLList)
	if r.Referrer.URL != nil {
		n.Referrer.URL = r.Referrer.URL.Clone()
	}
	if r.PolicyContainer != nil {
		pc := *r.PolicyContainer
		n.PolicyContainer = &pc
	}
	// 3. Clone the body.
	if r.Body != nil {
		b, err := r.Body.Clone()
		if err != nil {
			return nil, err
		}
		n.Body = b
	}
	// 4. The copy.
	return &n, nil
}

// cloneURLList copies a URL list and its URLs.
func cloneURLList(list []*weburl.URL) []*weburl.URL {
	out := make([]*weburl.URL, len(list))
	for i, u := range list {
		out[i] = u.Clone()
	}
	return out
}

// AddRangeHeader runs "add a range header": it appends `Range: bytes=
// first-last` (or `bytes=first-` when last < 0) to r's header list. first
// must be at least 0 and not above last when last is given.
// https://fetch.spec.whatwg.org/#concept-request-add-range-header
func (r *Internal) AddRangeHeader(first, last int64) {
	// 1. (Assert: first <= last when last is given.)
	// 2-3. "bytes=" and first.
	v := "bytes=" + strconv.FormatInt(first, 10)
	// 4. "-".
	v += "-"
	// 5. last, if given.
	if last >= 0 {
		v += strconv.FormatInt(last, 10)
	}
	// 6. Append the header.
	if r.Header == nil {
		r.Header = new(headers.List)
	}
	r.Header.Append("Range", v)
}
