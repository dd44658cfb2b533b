package response

import (
	"errors"
	"time"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

// Type is a response's type.
// https://fetch.spec.whatwg.org/#concept-response-type
type Type string

// The response types.
const (
	TypeBasic          Type = "basic"
	TypeCORS           Type = "cors"
	TypeDefault        Type = "default"
	TypeError          Type = "error"
	TypeOpaque         Type = "opaque"
	TypeOpaqueRedirect Type = "opaqueredirect"
)

// CacheState is a response's cache state: "", "local" or "validated".
// https://fetch.spec.whatwg.org/#concept-response-cache-state
type CacheState string

// The cache states.
const (
	CacheStateNone      CacheState = ""
	CacheStateLocal     CacheState = "local"
	CacheStateValidated CacheState = "validated"
)

// TimingInfo holds the fetch timing info that fetch records for a
// response. A zero time.Time means the standard's 0 (not recorded).
// https://fetch.spec.whatwg.org/#fetch-timing-info
type TimingInfo struct {
	StartTime             time.Time // start time
	RedirectStart         time.Time // redirect start time
	RedirectEnd           time.Time // redirect end time
	PostRedirectStart     time.Time // post-redirect start time
	ConnectStart          time.Time // final connection timing info: connection start time
	ConnectEnd            time.Time // final connection timing info: connection end time
	SecureConnectionStart time.Time // final connection timing info: secure connection start time
	RequestStart          time.Time // final network-request start time
	ResponseStart         time.Time // final network-response start time
	ResponseEnd           time.Time // end time

	// BodyEnd, when set, tells the end time of a body that was still
	// streaming when the timing info was recorded: ResponseEnd is its
	// BodyEndTime once the body has ended (fetch.Timing applies it).
	BodyEnd BodyEndTimer
}

// BodyEndTimer tells when a response body ended: the zero time while it
// still streams.
type BodyEndTimer interface {
	BodyEndTime() time.Time
}

// BodyInfo is a response body info.
// https://fetch.spec.whatwg.org/#response-body-info
type BodyInfo struct {
	EncodedSize     int64  // encoded size
	DecodedSize     int64  // decoded size
	ContentType     string // content type
	ContentEncoding string // content encoding
}

// Internal is the response concept: the result of fetch. A Response
// object holds one. It is not safe for concurrent use.
// https://fetch.spec.whatwg.org/#concept-response
//
// # Filtered responses
//
// A filtered response (Type basic, cors, opaque or opaqueredirect, made by
// BasicFilter, CORSFilter, OpaqueFilter and OpaqueRedirectFilter) has a
// non-nil Internal: its internal response. As the standard says, a
// filtered response's concepts refer to those of its internal response
// unless the filter overrides them. The filters fill the fields as they
// are at the time of filtering (the body pointer is shared, so teeing the
// body is seen by both), and View recomputes them from the internal
// response: call View after changing the internal response (fetch's main
// fetch changes its URL list and body after filtering).
type Internal struct {
	// Type: https://fetch.spec.whatwg.org/#concept-response-type
	Type Type
	// Aborted is the aborted flag.
	// https://fetch.spec.whatwg.org/#concept-response-aborted
	Aborted bool
	// URLList: https://fetch.spec.whatwg.org/#concept-response-url-list
	URLList []*weburl.URL
	// Status: https://fetch.spec.whatwg.org/#concept-response-status
	Status int
	// StatusMessage: https://fetch.spec.whatwg.org/#concept-response-status-message
	StatusMessage string
	// Header is the header list (never nil for a response made by this
	// package). https://fetch.spec.whatwg.org/#concept-response-header-list
	Header *headers.List
	// Body is the body, nil for null.
	// https://fetch.spec.whatwg.org/#concept-response-body
	Body *body.Body
	// CacheState: https://fetch.spec.whatwg.org/#concept-response-cache-state
	CacheState CacheState
	// CacheOutcome is what the HTTP cache did (not a standard concept).
	CacheOutcome CacheOutcome
	// CORSExposedHeaderNames is the CORS-exposed header-name list.
	// https://fetch.spec.whatwg.org/#concept-response-cors-exposed-header-name-list
	CORSExposedHeaderNames []string
	// RangeRequested: https://fetch.spec.whatwg.org/#concept-response-range-requested-flag
	RangeRequested bool
	// RequestIncludesCredentials (true for a new response):
	// https://fetch.spec.whatwg.org/#response-request-includes-credentials
	RequestIncludesCredentials bool
	// TimingAllowPassed: https://fetch.spec.whatwg.org/#concept-response-timing-allow-passed
	TimingAllowPassed bool
	// TimingInfo is the fetch timing info of the fetch that produced the
	// response (kept here so the Response can report it).
	TimingInfo TimingInfo
	// BodyInfo: https://fetch.spec.whatwg.org/#concept-response-body-info
	BodyInfo BodyInfo
	// HasCrossOriginRedirects is set when a redirect crossed origins (the
	// response's redirect taint is not "same-origin").
	// https://fetch.spec.whatwg.org/#response-redirect-taint
	HasCrossOriginRedirects bool
	// Attempts is how many times fetch sent the request (not a standard
	// concept: a retry policy may send it more than once); 0 means once.
	// (An int32 beside the bool above, so the struct does not grow.)
	Attempts int32
	// Internal is the internal response of a filtered response, else nil.
	// https://fetch.spec.whatwg.org/#concept-internal-response
	Internal *Internal
	// Err says why a network error happened: a *fetch.NetworkError, or nil
	// for a response that is not a network error (and for Response.error()).
	Err error

	// spare is room for the Response object made over this response
	// (Create uses it once), allocated with it by NewInternal.
	spare *Response
}

// NewInternal returns a new response with the standard's defaults: type
// default, status 200, an empty header list, a null body, and
// request-includes-credentials true.
func NewInternal() *Internal {
	// One allocation for the response and its header list, with room for
	// a few fields (FromHTTPInto fills it without allocating when they fit).
	a := &struct {
		r      Internal
		l      headers.List
		fields [6]headers.Field
		obj    Response
	}{}
	a.l = a.fields[:0:len(a.fields)]
	a.r = Internal{
		Type:                       TypeDefault,
		Status:                     200,
		Header:                     &a.l,
		RequestIncludesCredentials: true,
		spare:                      &a.obj,
	}
	return &a.r
}

// NetworkError returns a network error whose Err is err as a
// *fetch.NetworkError: err itself when it is one (also when wrapped, as in
// the *fetch.TypeError that fetch builds for a network error), else err wrapped in one
// with reason "other". A nil err gives a network error with reason
// "other" and no cause. https://fetch.spec.whatwg.org/#concept-network-error
func NetworkError(err error) *Internal {
	r := &Internal{
		Type:                       TypeError,
		Status:                     0,
		Header:                     new(headers.List),
		RequestIncludesCredentials: true,
	}
	var ne *errs.NetworkError
	switch {
	case err == nil:
		r.Err = &errs.NetworkError{Reason: errs.ReasonOther}
	case errors.As(err, &ne):
		r.Err = ne
	default:
		r.Err = &errs.NetworkError{Reason: errs.ReasonOther, Message: err.Error(), Err: err}
	}
	return r
}

// AbortedNetworkError returns an aborted network error: a network error
// with the aborted flag set, whose Err has reason "aborted" and wraps
// reason (the abort reason, if any).
// https://fetch.spec.whatwg.org/#concept-aborted-network-error
func AbortedNetworkError(reason error) *Internal {
	r := NetworkError(nil)
	r.Aborted = true
	r.Err = &errs.NetworkError{Reason: errs.ReasonAborted, Message: "the fetch was aborted", Err: reason}
	return r
}

// AppropriateNetworkError returns an aborted network error (wrapping
// reason) when the fetch params are aborted, else a network error whose
// Err wraps reason (the fetch was terminated). The fetch params must be
// canceled. https://fetch.spec.whatwg.org/#appropriate-network-error
func AppropriateNetworkError(aborted bool, reason error) *Internal {
	// 1. (Assert: the fetch params are canceled.)
	// 2. Aborted, or just a network error.
	if aborted {
		return AbortedNetworkError(reason)
	}
	if reason == nil {
		return NetworkError(&errs.NetworkError{Reason: errs.ReasonAborted, Message: "the fetch was terminated"})
	}
	return NetworkError(reason)
}

// IsNetworkError reports whether r is a network error (type "error").
// https://fetch.spec.whatwg.org/#concept-network-error
func (r *Internal) IsNetworkError() bool { return r.Type == TypeError }

// IsAbortedNetworkError reports whether r is a network error with its
// aborted flag set. https://fetch.spec.whatwg.org/#concept-aborted-network-error
func (r *Internal) IsAbortedNetworkError() bool { return r.Type == TypeError && r.Aborted }

// IsNetworkError reports whether r is a network error (nil is not).
func IsNetworkError(r *Internal) bool { return r != nil && r.IsNetworkError() }

// IsAbortedNetworkError reports whether r is an aborted network error.
func IsAbortedNetworkError(r *Internal) bool { return r != nil && r.IsAbortedNetworkError() }

// IsFiltered reports whether r is a filtered response.
// https://fetch.spec.whatwg.org/#concept-filtered-response
func (r *Internal) IsFiltered() bool { return r.Internal != nil }

// Unfiltered returns r's internal response when r is a filtered response,
// else r.
func (r *Internal) Unfiltered() *Internal {
	if r.Internal != nil {
		return r.Internal
	}
	return r
}

// URL returns the response's URL: the last of its URL list, or nil when
// the list is empty. https://fetch.spec.whatwg.org/#concept-response-url
func (r *Internal) URL() *weburl.URL {
	if len(r.URLList) == 0 {
		return nil
	}
	return r.URLList[len(r.URLList)-1]
}

// IsOK reports whether the status is an ok status (200 to 299).
// https://fetch.spec.whatwg.org/#ok-status
func (r *Internal) IsOK() bool { return IsOKStatus(r.Status) }

// IsOKStatus reports whether status is an ok status (200 to 299).
// https://fetch.spec.whatwg.org/#ok-status
func IsOKStatus(status int) bool { return status >= 200 && status <= 299 }

// IsNullBodyStatus reports whether status is 101, 103, 204, 205 or 304.
// https://fetch.spec.whatwg.org/#null-body-status
func IsNullBodyStatus(status int) bool {
	switch status {
	case 101, 103, 204, 205, 304:
		return true
	}
	return false
}

// IsRedirectStatus reports whether status is 301, 302, 303, 307 or 308.
// https://fetch.spec.whatwg.org/#redirect-status
func IsRedirectStatus(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// IsRangeStatus reports whether status is 206 or 416.
// https://fetch.spec.whatwg.org/#range-status
func IsRangeStatus(status int) bool { return status == 206 || status == 416 }

// shallow returns a copy of r with its own URL list slice (the URLs are
// shared) and the same header list and body pointers.
func (r *Internal) shallow() *Internal {
	n := *r
	n.URLList = append([]*weburl.URL(nil), r.URLList...)
	return &n
}

// BasicFilter returns a basic filtered response over internal: its header
// list leaves out the forbidden response-header names (Set-Cookie,
// Set-Cookie2); everything else is internal's.
// https://fetch.spec.whatwg.org/#concept-filtered-response-basic
func BasicFilter(internal *Internal) *Internal {
	r := internal.shallow()
	r.Type, r.Internal = TypeBasic, internal
	r.Header = filterHeaders(internal.Header, func(name string) bool {
		return !headers.IsForbiddenResponseHeaderName(name)
	})
	return r
}

// CORSFilter returns a CORS filtered response over internal: its header
// list keeps only the CORS-safelisted response-header names, given
// internal's CORS-exposed header-name list; everything else is internal's.
// https://fetch.spec.whatwg.org/#concept-filtered-response-cors
func CORSFilter(internal *Internal) *Internal {
	r := internal.shallow()
	r.Type, r.Internal = TypeCORS, internal
	exposed := internal.CORSExposedHeaderNames
	r.Header = filterHeaders(internal.Header, func(name string) bool {
		return headers.IsCORSSafelistedResponseHeaderName(name, exposed)
	})
	return r
}

// OpaqueFilter returns an opaque filtered response over internal: empty
// URL list, status 0, empty status message and header list, null body and
// a new body info. https://fetch.spec.whatwg.org/#concept-filtered-response-opaque
func OpaqueFilter(internal *Internal) *Internal {
	r := internal.shallow()
	r.Type, r.Internal = TypeOpaque, internal
	r.URLList = nil
	r.Status, r.StatusMessage = 0, ""
	r.Header = new(headers.List)
	r.Body = nil
	r.BodyInfo = BodyInfo{}
	return r
}

// OpaqueRedirectFilter returns an opaque-redirect filtered response over
// internal: status 0, empty status message and header list, null body and
// a new body info; the URL list is internal's.
// https://fetch.spec.whatwg.org/#concept-filtered-response-opaque-redirect
func OpaqueRedirectFilter(internal *Internal) *Internal {
	r := internal.shallow()
	r.Type, r.Internal = TypeOpaqueRedirect, internal
	r.Status, r.StatusMessage = 0, ""
	r.Header = new(headers.List)
	r.Body = nil
	r.BodyInfo = BodyInfo{}
	return r
}

// filterHeaders copies the headers of l whose names keep accepts.
func filterHeaders(l *headers.List, keep func(name string) bool) *headers.List {
	out := new(headers.List)
	if l == nil {
		return out
	}
	for _, f := range *l {
		if keep(f.Name) {
			*out = append(*out, f)
		}
	}
	return out
}

// filter applies the filter of type t to internal.
func filter(t Type, internal *Internal) *Internal {
	switch t {
	case TypeBasic:
		return BasicFilter(internal)
	case TypeCORS:
		return CORSFilter(internal)
	case TypeOpaque:
		return OpaqueFilter(internal)
	case TypeOpaqueRedirect:
		return OpaqueRedirectFilter(internal)
	}
	return internal
}

// View returns r as its concepts currently stand: for a filtered
// response, the filter applied again to the internal response as it is
// now (so changes made to the internal response after filtering show);
// for any other response, r itself.
func (r *Internal) View() *Internal {
	if r.Internal == nil {
		return r
	}
	v := filter(r.Type, r.Internal)
	// Keep the fields fetch sets on the filtered response itself.
	v.Aborted = r.Aborted || v.Aborted
	return v
}

// Clone runs "clone a response": a filtered response clones its internal
// response and is filtered again; otherwise a copy with its own header
// list and URL list whose body, if any, is a clone of r's body (a tee: r
// keeps one branch, the copy the other). It fails with a TypeError when
// the body stream is locked.
// https://fetch.spec.whatwg.org/#concept-response-clone
func (r *Internal) Clone() (*Internal, error) {
	// 1. A filtered response: the same filter over a clone of the
	// internal response.
	if r.Internal != nil {
		in, err := r.Internal.Clone()
		if err != nil {
			return nil, err
		}
		n := filter(r.Type, in)
		n.Aborted = r.Aborted
		n.TimingInfo = r.TimingInfo
		return n, nil
	}
	// 2. A copy of everything but the body.
	n := *r
	n.Body = nil
	n.URLList = make([]*weburl.URL, len(r.URLList))
	for i, u := range r.URLList {
		n.URLList[i] = u.Clone()
	}
	if r.Header != nil {
		l := r.Header.Clone()
		n.Header = &l
	}
	n.CORSExposedHeaderNames = append([]string(nil), r.CORSExposedHeaderNames...)
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

// LocationURL returns the response's location URL: nil (the standard's
// null) when the status is not a redirect status or there is no Location
// header; a TypeError (the standard's failure) when there are several
// Location headers or the value does not parse against the response's
// URL; else the parsed URL, which takes requestFragment as its fragment
// when it has none (nil requestFragment is null).
// https://fetch.spec.whatwg.org/#concept-response-location-url
func (r *Internal) LocationURL(requestFragment *string) (*weburl.URL, error) {
	// 1. Only redirect statuses have a location.
	if !IsRedirectStatus(r.Status) {
		return nil, nil
	}
	// 2. Extract the Location values (a single URI-reference).
	if r.Header == nil {
		return nil, nil
	}
	values, found, ok := r.Header.ExtractValues("Location", true, func(v string) ([]string, bool) {
		return []string{v}, true
	})
	if !found {
		return nil, nil
	}
	if !ok || len(values) != 1 {
		return nil, errs.TypeErrorf("response has more than one Location header")
	}
	// 3. Parse it against the response's URL.
	loc, err := weburl.Parse(values[0], r.URL())
	if err != nil {
		return nil, errs.TypeErrorf("invalid Location %q: %w", values[0], err)
	}
	// 4. Carry the request's fragment over when the location has none.
	if _, has := loc.Fragment(); !has && requestFragment != nil {
		loc.SetHash("#" + *requestFragment)
	}
	// 5. The location.
	return loc, nil
}
