package request

// Mode is a request's mode.
// https://fetch.spec.whatwg.org/#concept-request-mode
type Mode string

// The request modes. Only ModeSameOrigin, ModeNoCORS and ModeCORS can be
// given to the Request constructor; ModeNavigate is turned into an error
// there, and ModeWebSocket is for the WebSocket handshake only.
const (
	ModeNavigate   Mode = "navigate"
	ModeSameOrigin Mode = "same-origin"
	ModeNoCORS     Mode = "no-cors"
	ModeCORS       Mode = "cors"
	ModeWebSocket  Mode = "websocket"
)

// Credentials is a request's credentials mode.
// https://fetch.spec.whatwg.org/#concept-request-credentials-mode
type Credentials string

// The credentials modes.
const (
	CredentialsOmit       Credentials = "omit"
	CredentialsSameOrigin Credentials = "same-origin"
	CredentialsInclude    Credentials = "include"
)

// Cache is a request's cache mode.
// https://fetch.spec.whatwg.org/#concept-request-cache-mode
type Cache string

// The cache modes.
const (
	CacheDefault      Cache = "default"
	CacheNoStore      Cache = "no-store"
	CacheReload       Cache = "reload"
	CacheNoCache      Cache = "no-cache"
	CacheForceCache   Cache = "force-cache"
	CacheOnlyIfCached Cache = "only-if-cached"
)

// Redirect is a request's redirect mode.
// https://fetch.spec.whatwg.org/#concept-request-redirect-mode
type Redirect string

// The redirect modes.
const (
	RedirectFollow Redirect = "follow"
	RedirectError  Redirect = "error"
	RedirectManual Redirect = "manual"
)

// Destination is a request's destination (a destination type).
// https://fetch.spec.whatwg.org/#concept-request-destination
type Destination string

// The destinations. DestinationNone (the empty string) is what fetch()
// and the Request constructor use.
const (
	DestinationNone          Destination = ""
	DestinationAudio         Destination = "audio"
	DestinationAudioWorklet  Destination = "audioworklet"
	DestinationDocument      Destination = "document"
	DestinationEmbed         Destination = "embed"
	DestinationFont          Destination = "font"
	DestinationFrame         Destination = "frame"
	DestinationIFrame        Destination = "iframe"
	DestinationImage         Destination = "image"
	DestinationJSON          Destination = "json"
	DestinationManifest      Destination = "manifest"
	DestinationObject        Destination = "object"
	DestinationPaintWorklet  Destination = "paintworklet"
	DestinationReport        Destination = "report"
	DestinationScript        Destination = "script"
	DestinationServiceWorker Destination = "serviceworker"
	DestinationSharedWorker  Destination = "sharedworker"
	DestinationStyle         Destination = "style"
	DestinationText          Destination = "text"
	DestinationTrack         Destination = "track"
	DestinationVideo         Destination = "video"
	DestinationWebIdentity   Destination = "webidentity"
	DestinationWorker        Destination = "worker"
	DestinationXSLT          Destination = "xslt"
)

// IsScriptLike reports whether d is script-like.
// https://fetch.spec.whatwg.org/#request-destination-script-like
func (d Destination) IsScriptLike() bool {
	switch d {
	case DestinationAudioWorklet, DestinationPaintWorklet, DestinationScript,
		DestinationServiceWorker, DestinationSharedWorker, DestinationWorker:
		return true
	}
	return false
}

// ReferrerPolicy is a referrer policy; the empty string means none was
// set. https://w3c.github.io/webappsec-referrer-policy/#referrer-policies
type ReferrerPolicy string

// The referrer policies.
const (
	ReferrerPolicyNone                        ReferrerPolicy = ""
	ReferrerPolicyNoReferrer                  ReferrerPolicy = "no-referrer"
	ReferrerPolicyNoReferrerWhenDowngrade     ReferrerPolicy = "no-referrer-when-downgrade"
	ReferrerPolicySameOrigin                  ReferrerPolicy = "same-origin"
	ReferrerPolicyOrigin                      ReferrerPolicy = "origin"
	ReferrerPolicyStrictOrigin                ReferrerPolicy = "strict-origin"
	ReferrerPolicyOriginWhenCrossOrigin       ReferrerPolicy = "origin-when-cross-origin"
	ReferrerPolicyStrictOriginWhenCrossOrigin ReferrerPolicy = "strict-origin-when-cross-origin"
	ReferrerPolicyUnsafeURL                   ReferrerPolicy = "unsafe-url"
)

// DefaultReferrerPolicy is the default referrer policy.
// https://w3c.github.io/webappsec-referrer-policy/#default-referrer-policy
const DefaultReferrerPolicy = ReferrerPolicyStrictOriginWhenCrossOrigin

// Duplex is a RequestDuplex value; "half" is the only one.
// https://fetch.spec.whatwg.org/#enumdef-requestduplex
type Duplex string

// DuplexHalf: the request body is sent in full before the response is
// processed.
const DuplexHalf Duplex = "half"

// Priority is a request's priority.
// https://fetch.spec.whatwg.org/#request-priority
type Priority string

// The priorities.
const (
	PriorityHigh Priority = "high"
	PriorityLow  Priority = "low"
	PriorityAuto Priority = "auto"
)

// ResponseTainting is a request's response tainting.
// https://fetch.spec.whatwg.org/#concept-request-response-tainting
type ResponseTainting string

// The response taintings.
const (
	TaintingBasic  ResponseTainting = "basic"
	TaintingCORS   ResponseTainting = "cors"
	TaintingOpaque ResponseTainting = "opaque"
)

// Window is a request's "traversable for user prompts". wfetch has no
// traversable navigables, so only the two string values exist.
// https://fetch.spec.whatwg.org/#concept-request-window
type Window string

// The traversable-for-user-prompts values.
const (
	WindowClient        Window = "client"
	WindowNoTraversable Window = "no-traversable"
)

// RedirectTaint is the result of computing a request's redirect-taint.
// https://fetch.spec.whatwg.org/#concept-request-tainted-origin
type RedirectTaint string

// The redirect taints.
const (
	TaintSameOrigin RedirectTaint = "same-origin"
	TaintSameSite   RedirectTaint = "same-site"
	TaintCrossSite  RedirectTaint = "cross-site"
)

// validity checks for the enums, used by the constructor (WebIDL would
// reject any other string before the constructor runs).

func (m Mode) valid() bool {
	switch m {
	case ModeNavigate, ModeSameOrigin, ModeNoCORS, ModeCORS:
		return true
	}
	return false
}

func (c Credentials) valid() bool {
	switch c {
	case CredentialsOmit, CredentialsSameOrigin, CredentialsInclude:
		return true
	}
	return false
}

func (c Cache) valid() bool {
	switch c {
	case CacheDefault, CacheNoStore, CacheReload, CacheNoCache, CacheForceCache, CacheOnlyIfCached:
		return true
	}
	return false
}

func (r Redirect) valid() bool {
	switch r {
	case RedirectFollow, RedirectError, RedirectManual:
		return true
	}
	return false
}

func (p ReferrerPolicy) valid() bool {
	switch p {
	case ReferrerPolicyNone, ReferrerPolicyNoReferrer, ReferrerPolicyNoReferrerWhenDowngrade,
		ReferrerPolicySameOrigin, ReferrerPolicyOrigin, ReferrerPolicyStrictOrigin,
		ReferrerPolicyOriginWhenCrossOrigin, ReferrerPolicyStrictOriginWhenCrossOrigin,
		ReferrerPolicyUnsafeURL:
		return true
	}
	return false
}

func (p Priority) valid() bool {
	switch p {
	case PriorityHigh, PriorityLow, PriorityAuto:
		return true
	}
	return false
}
