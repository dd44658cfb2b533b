package weburl

import (
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Origin is an origin (https://html.spec.whatwg.org/#concept-origin):
// either a tuple (scheme, host, port) or an opaque origin with a unique
// identity. The tuple's domain is not modelled (document.domain does not
// exist here). Origins compare with SameOrigin, or with == (two copies of
// one opaque origin are equal; two different opaque origins never are).
type Origin struct {
	opaque *opaqueID
	scheme string
	host   string // serialized host
	port   int32  // -1 for null
}

type opaqueID struct{ _ byte } // not zero-sized, so every one is distinct

// NewOpaqueOrigin returns a new opaque origin, equal only to itself.
func NewOpaqueOrigin() Origin { return Origin{opaque: new(opaqueID), port: -1} }

// TupleOrigin returns the tuple origin (scheme, host, port); host is a
// serialized host and port -1 means null.
func TupleOrigin(scheme, host string, port int) Origin {
	if port < 0 || port > 0xFFFF {
		port = -1
	}
	return Origin{scheme: scheme, host: host, port: int32(port)}
}

// IsOpaque reports whether the origin is opaque.
func (o Origin) IsOpaque() bool { return o.opaque != nil }

// Scheme returns the tuple's scheme ("" for an opaque origin).
func (o Origin) Scheme() string { return o.scheme }

// Host returns the tuple's serialized host ("" for an opaque origin).
func (o Origin) Host() string { return o.host }

// Port returns the tuple's port and whether it is non-null.
func (o Origin) Port() (int, bool) { return int(o.port), o.port >= 0 }

// Serialize returns "null" for an opaque origin, else
// scheme "://" host [":" port].
// https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin
func (o Origin) Serialize() string {
	// 1. Opaque origins serialize as "null".
	if o.opaque != nil {
		return "null"
	}
	// 2-5. Scheme, "://", host, and the port if non-null.
	s := o.scheme + "://" + o.host
	if o.port >= 0 {
		s += ":" + strconv.Itoa(int(o.port))
	}
	return s
}

// String returns Serialize.
func (o Origin) String() string { return o.Serialize() }

// Origin returns the URL's origin. blob: URLs take the origin of the URL
// in their path when that is http(s) (blob URL entries are not modelled);
// file: and non-special URLs get a new opaque origin on every call.
// https://url.spec.whatwg.org/#concept-url-origin
func (u *URL) Origin() Origin {
	switch u.scheme {
	case "blob":
		// 1. (No blob URL entry.) 2-3. Parse the path serialization.
		inner, ok := basicParse(u.Pathname(), nil, nil, stateNone)
		if !ok {
			return NewOpaqueOrigin()
		}
		// 4. Only http(s) and file inner URLs lend their origin.
		if inner.scheme == "http" || inner.scheme == "https" || inner.scheme == "file" {
			return inner.Origin()
		}
		// 5.
		return NewOpaqueOrigin()
	case "ftp", "http", "https", "ws", "wss":
		return Origin{scheme: u.scheme, host: u.host, port: u.port}
	}
	// file: "left as an exercise to the reader"; we choose opaque.
	return NewOpaqueOrigin()
}

// SameOrigin reports whether a and b are the same origin: the same opaque
// origin, or tuples with equal scheme, host and port.
// https://html.spec.whatwg.org/#same-origin
func SameOrigin(a, b Origin) bool {
	if a.opaque != nil || b.opaque != nil {
		return a.opaque == b.opaque
	}
	return a.scheme == b.scheme && a.host == b.host && a.port == b.port
}

// SchemelesslySameSite reports whether a and b are the same opaque origin,
// or tuples whose hosts have the same registrable domain (or are equal and
// have none).
// https://html.spec.whatwg.org/#schemelessly-same-site
func SchemelesslySameSite(a, b Origin) bool {
	// 1. The same opaque origin.
	if a.opaque != nil || b.opaque != nil {
		return a.opaque == b.opaque
	}
	// 2.1-2.2. Equal hosts without a registrable domain.
	ra, rb := RegistrableDomain(a.host), RegistrableDomain(b.host)
	if a.host == b.host && ra == "" {
		return true
	}
	// 2.3. Equal non-null registrable domains.
	return ra != "" && ra == rb
}

// SameSite reports whether a and b are schemelessly same site and either
// both opaque or tuples with the same scheme.
// https://html.spec.whatwg.org/#same-site
func SameSite(a, b Origin) bool {
	if !SchemelesslySameSite(a, b) {
		return false
	}
	return a.opaque != nil && b.opaque != nil || a.opaque == nil && b.opaque == nil && a.scheme == b.scheme
}

// isDomainHost reports whether a serialized host is a domain (not an IP
// address, opaque or empty host). Callers pass hosts of special URLs.
func isDomainHost(host string) bool {
	if host == "" || strings.HasPrefix(host, "[") {
		return false
	}
	if endsInNumber(host) {
		return false // an IPv4 address
	}
	return true
}

// PublicSuffix returns the public suffix of a domain host ("" for null),
// keeping a trailing dot.
// https://url.spec.whatwg.org/#host-public-suffix
func PublicSuffix(host string) string {
	// 1. Only domains have one.
	if !isDomainHost(host) {
		return ""
	}
	// 2. Remember a trailing dot.
	d, dot := strings.CutSuffix(host, ".")
	if d == "" {
		return ""
	}
	// 3-5. Run the Public Suffix List algorithm.
	ps, _ := publicsuffix.PublicSuffix(d)
	if dot {
		ps += "."
	}
	return ps
}

// RegistrableDomain returns the registrable domain of a domain host: its
// public suffix plus the label before it ("" for null).
// https://url.spec.whatwg.org/#host-registrable-domain
func RegistrableDomain(host string) string {
	// 1. Null when there is no public suffix or the host is one.
	ps := PublicSuffix(host)
	if ps == "" || ps == host {
		return ""
	}
	// 2-5. The suffix plus one label, with the trailing dot kept.
	d, dot := strings.CutSuffix(host, ".")
	rd, err := publicsuffix.EffectiveTLDPlusOne(d)
	if err != nil {
		return ""
	}
	if dot {
		rd += "."
	}
	return rd
}
