// Package referrer implements Referrer Policy: the policies, parsing the
// Referrer-Policy header, "determine request's referrer" and "strip url for
// use as a referrer", plus the Secure Contexts checks for potentially
// trustworthy URLs and origins that the policies rely on.
//
// Specs: https://w3c.github.io/webappsec-referrer-policy/ and
// https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy.
package referrer

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/weburl"
)

// Policy is a referrer policy: one of the constants below. The empty
// string means "no policy": a policy defined elsewhere, or the default,
// applies.
//
// https://w3c.github.io/webappsec-referrer-policy/#referrer-policies
type Policy string

// The referrer policies.
const (
	Empty                       Policy = ""
	NoReferrer                  Policy = "no-referrer"
	NoReferrerWhenDowngrade     Policy = "no-referrer-when-downgrade"
	SameOrigin                  Policy = "same-origin"
	Origin                      Policy = "origin"
	StrictOrigin                Policy = "strict-origin"
	OriginWhenCrossOrigin       Policy = "origin-when-cross-origin"
	StrictOriginWhenCrossOrigin Policy = "strict-origin-when-cross-origin"
	UnsafeURL                   Policy = "unsafe-url"
)

// Default is the default referrer policy, used when neither the request
// nor its client has one.
// https://w3c.github.io/webappsec-referrer-policy/#default-referrer-policy
const Default = StrictOriginWhenCrossOrigin

// Policies lists every referrer policy, the empty string first, in the
// order of the ReferrerPolicy IDL enum.
var Policies = []Policy{Empty, NoReferrer, NoReferrerWhenDowngrade, SameOrigin, Origin,
	StrictOrigin, OriginWhenCrossOrigin, StrictOriginWhenCrossOrigin, UnsafeURL}

// Valid reports whether p is a referrer policy (the empty string included).
// Matching is case-sensitive, as for the IDL enum.
func (p Policy) Valid() bool {
	for _, q := range Policies {
		if p == q {
			return true
		}
	}
	return false
}

// ParsePolicy returns s as a Policy when it is one (case-sensitively, as
// the ReferrerPolicy enum compares), else false.
func ParsePolicy(s string) (Policy, bool) {
	p := Policy(s)
	return p, p.Valid()
}

// ParseHeader returns the referrer policy a Referrer-Policy header value
// (several header lines combined with ", ") asks for: the last token that
// is a referrer policy, or Empty when none is. Unknown tokens are skipped,
// so new policies can be deployed with a fallback before them.
//
// Deviation: the spec extracts the values with the header's ABNF, under
// which a value that does not parse (a quoted string, a token with
// characters outside ALPHA and "-") invalidates the whole header; like
// browsers, we split on commas (fetch's "get, decode, and split") and skip
// tokens that are not policies.
//
// https://w3c.github.io/webappsec-referrer-policy/#parse-referrer-policy-from-header
func ParseHeader(headerValues string) Policy {
	// 1. Get the header's tokens.
	tokens := splitHeaderValue(headerValues)
	// 2. No policy so far.
	policy := Empty
	// 3. The last valid, non-empty token wins.
	for _, token := range tokens {
		if p, ok := ParsePolicy(token); ok && p != Empty {
			policy = p
		}
	}
	// 4. Done.
	return policy
}

// PolicyOnRedirect returns request's referrer policy after a redirect
// response whose Referrer-Policy header value is headerValues: the header's
// policy when it names one, else the current policy.
//
// https://w3c.github.io/webappsec-referrer-policy/#set-requests-referrer-policy-on-redirect
func PolicyOnRedirect(current Policy, headerValues string) Policy {
	// 1. Parse the response's header.
	policy := ParseHeader(headerValues)
	// 2. Use it if it names a policy.
	if policy != Empty {
		return policy
	}
	return current
}

// splitHeaderValue is fetch's "get, decode, and split" of a header value:
// comma-separated, commas in quoted strings kept, tabs and spaces trimmed.
// https://fetch.spec.whatwg.org/#concept-header-value-get-decode-split
func splitHeaderValue(input string) []string {
	var values []string
	var temp strings.Builder
	pos := 0
	for {
		for pos < len(input) && input[pos] != '"' && input[pos] != ',' {
			temp.WriteByte(input[pos])
			pos++
		}
		if pos < len(input) && input[pos] == '"' {
			// A quoted string, kept whole with its quotes and escapes.
			start := pos
			pos++
			for pos < len(input) {
				c := input[pos]
				pos++
				if c == '\\' && pos < len(input) {
					pos++
				} else if c == '"' {
					break
				}
			}
			temp.WriteString(input[start:pos])
			if pos < len(input) {
				continue
			}
		}
		values = append(values, strings.Trim(temp.String(), " \t"))
		temp.Reset()
		if pos >= len(input) {
			return values
		}
		pos++ // the comma
	}
}

// DetermineReferrer returns the URL to send as request's referrer, or nil
// for "no referrer".
//
// policy is the request's referrer policy; Empty is treated as Default
// (fetch never calls the algorithm with the empty string, it fills in the
// client's policy or the default first). referrerSource is the request's
// referrer when it is a URL; when the request's referrer is "client", the
// caller resolves it to the client's referrer source (the document's URL,
// or the environment's creation URL) and returns no referrer itself for a
// document with an opaque origin, as steps 3.1.2-3.1.4 say: this package
// has no documents or environments. A nil referrerSource gives nil.
// currentURL is the request's current URL. Neither URL is modified.
//
// https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer
func DetermineReferrer(policy Policy, referrerSource, currentURL *weburl.URL) *weburl.URL {
	// 1. The request's policy (see above for the empty string).
	if policy == Empty {
		policy = Default
	}
	// 2-3. The referrer source comes from the caller (see above).
	if referrerSource == nil || currentURL == nil {
		return nil
	}
	// 4. The full referrer URL, stripped.
	referrerURL := StripURL(referrerSource, false)
	// 5. The origin-only form.
	referrerOrigin := StripURL(referrerSource, true)
	if referrerURL == nil {
		// Local schemes: "no referrer" in both forms.
		return nil
	}
	// 6. Over-long referrers are cut down to their origin.
	if len(referrerURL.Serialize(false)) > 4096 {
		referrerURL = referrerOrigin
	}
	// 7. No further user-agent policy is applied here.
	// 8. Apply the policy.
	sameOrigin := func() bool {
		return weburl.SameOrigin(referrerURL.Origin(), currentURL.Origin())
	}
	downgrade := func() bool {
		return IsPotentiallyTrustworthyURL(referrerURL) && !IsPotentiallyTrustworthyURL(currentURL)
	}
	switch policy {
	case NoReferrer:
		return nil
	case Origin:
		return referrerOrigin
	case UnsafeURL:
		return referrerURL
	case StrictOrigin:
		// 8.1. No referrer when going from trustworthy to not; 8.2 else the origin.
		if downgrade() {
			return nil
		}
		return referrerOrigin
	case StrictOriginWhenCrossOrigin:
		// 8.1. Same origin: the full URL. 8.2. Downgrade: none. 8.3. The origin.
		if sameOrigin() {
			return referrerURL
		}
		if downgrade() {
			return nil
		}
		return referrerOrigin
	case SameOrigin:
		// 8.1. Same origin: the full URL. 8.2. Otherwise none.
		if sameOrigin() {
			return referrerURL
		}
		return nil
	case OriginWhenCrossOrigin:
		// 8.1. Same origin: the full URL. 8.2. Otherwise the origin.
		if sameOrigin() {
			return referrerURL
		}
		return referrerOrigin
	case NoReferrerWhenDowngrade:
		// 8.1. Downgrade: none. 8.2. Otherwise the full URL.
		if downgrade() {
			return nil
		}
		return referrerURL
	}
	// Not a referrer policy: send nothing.
	return nil
}

// IsLocalScheme reports whether scheme is one of fetch's local schemes:
// "about", "blob" or "data".
// https://fetch.spec.whatwg.org/#local-scheme
func IsLocalScheme(scheme string) bool {
	return scheme == "about" || scheme == "blob" || scheme == "data"
}

// StripURL returns a copy of url fit for a Referer header: nil ("no
// referrer") for a local scheme, else without username, password and
// fragment, and with originOnly also without path and query (its path
// becomes a single empty segment, serializing as "/"). url is not modified.
//
// https://w3c.github.io/webappsec-referrer-policy/#strip-url
func StripURL(url *weburl.URL, originOnly bool) *weburl.URL {
	// 1. (The type system guarantees a URL; nil gives no referrer.)
	if url == nil {
		return nil
	}
	// 2. Local schemes never become referrers.
	if IsLocalScheme(url.Scheme()) {
		return nil
	}
	// 6. Origin only: scheme, host and port with the path « "" » and no
	// query; rebuilt from its serialization since no setter empties a path
	// to exactly « "" » for every kind of URL. Steps 3-5 hold trivially.
	if originOnly {
		s := url.Scheme() + ":"
		if host, ok := url.HostString(); ok {
			s += "//" + host
			if port, ok := url.PortNumber(); ok {
				s += ":" + strconv.Itoa(port)
			}
		}
		if u, err := weburl.Parse(s+"/", nil); err == nil {
			return u
		}
		// Cannot happen for a URL that parsed; fall through to the full strip.
	}
	u := url.Clone()
	// 3-4. Drop the credentials.
	u.SetUsername("")
	u.SetPassword("")
	// 5. Drop the fragment.
	u.SetHash("")
	// 7. Done.
	return u
}

// IsPotentiallyTrustworthyURL reports whether url is a potentially
// trustworthy URL: about:blank, about:srcdoc, data: URLs, and URLs whose
// origin is potentially trustworthy.
//
// Deviation: file: URLs are trustworthy here. The URL Standard gives them
// an opaque origin, which would make step 6 of "is origin potentially
// trustworthy" (the file scheme) unreachable; browsers treat them as
// trustworthy, and so do we.
//
// https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy
func IsPotentiallyTrustworthyURL(url *weburl.URL) bool {
	if url == nil {
		return false
	}
	// 1. about:blank and about:srcdoc.
	if url.Scheme() == "about" {
		if p := url.Pathname(); p == "blank" || p == "srcdoc" {
			if _, hasQuery := url.Query(); !hasQuery {
				return true
			}
		}
	}
	// 2. data: URLs.
	if url.Scheme() == "data" {
		return true
	}
	// (Deviation, see above.)
	if url.Scheme() == "file" {
		return true
	}
	// 3. Otherwise, ask about its origin.
	return IsOriginPotentiallyTrustworthy(url.Origin())
}

// IsOriginPotentiallyTrustworthy reports whether an origin is potentially
// trustworthy: https and wss origins, loopback IP addresses (127.0.0.0/8 and
// ::1), localhost and its subdomains, and file origins. Opaque origins are
// not.
//
// https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
func IsOriginPotentiallyTrustworthy(origin weburl.Origin) bool {
	// 1. Opaque origins are not trustworthy.
	if origin.IsOpaque() {
		return false
	}
	// 2. It is a tuple origin.
	// 3. Secure schemes.
	scheme := origin.Scheme()
	if scheme == "https" || scheme == "wss" {
		return true
	}
	// 4. Loopback addresses.
	host := origin.Host()
	if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")); err == nil {
		if (ip.Is4() && ip.As4()[0] == 127) || ip == netip.IPv6Loopback() {
			return true
		}
	}
	// 5. localhost names ("let localhost be localhost").
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	// 6. File origins.
	if scheme == "file" {
		return true
	}
	// 7-8. No other schemes or origins are configured as trustworthy.
	// 9. Not trustworthy.
	return false
}
