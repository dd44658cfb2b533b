package weburl

import (
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/internal/errs"
)

// URL is a URL record of the URL Standard
// (https://url.spec.whatwg.org/#concept-url) together with the getters and
// setters of the URL class. The zero value is not useful: get one from
// Parse. A URL is not safe for concurrent mutation; Clone it to share.
//
// Components are kept in serialized (percent-encoded, ASCII) form. A
// non-opaque path is kept as its serialization: "" for the empty list,
// otherwise "/" followed by the segments joined with "/".
type URL struct {
	scheme   string
	username string
	password string
	host     string // serialized host; meaningful only when hostKind != HostNull
	hostKind HostKind
	port     int32 // -1 when null

	path       string // serialized path (see above), or the opaque path
	opaquePath bool

	query       string
	hasQuery    bool
	fragment    string
	hasFragment bool

	special bool

	searchParams *SearchParams // the query object, created on first use
}

// specialPort returns a scheme's default port (-1: none) and whether the
// scheme is special.
// https://url.spec.whatwg.org/#special-scheme
func specialPort(scheme string) (port int32, special bool) {
	switch scheme {
	case "http", "ws":
		return 80, true
	case "https", "wss":
		return 443, true
	case "ftp":
		return 21, true
	case "file":
		return -1, true
	}
	return -1, false
}

// DefaultPort returns the default port of a special scheme, or -1.
// https://url.spec.whatwg.org/#default-port
func DefaultPort(scheme string) int {
	p, _ := specialPort(scheme)
	return int(p)
}

// IsSpecialScheme reports whether scheme is one of ftp, file, http, https,
// ws and wss.
func IsSpecialScheme(scheme string) bool {
	_, s := specialPort(scheme)
	return s
}

func invalidURL(input string) error {
	return errs.TypeErrorf("Invalid URL: %q", input)
}

func invalidDomain(domain string) error {
	return errs.TypeErrorf("Invalid domain: %q", domain)
}

// Parse parses input against base (nil for none) with the basic URL
// parser. Failure is a *fetch.TypeError whose message names the input
// ("Invalid URL: ...").
// https://url.spec.whatwg.org/#concept-basic-url-parser
func Parse(input string, base *URL) (*URL, error) {
	u, ok := basicParse(input, base, nil, stateNone)
	if !ok {
		return nil, invalidURL(input)
	}
	return u, nil
}

// ParseWithBase runs the API URL parser: base, when non-empty, is parsed
// first, and input is parsed against it (new URL(input, base)).
// https://url.spec.whatwg.org/#api-url-parser
func ParseWithBase(input, base string) (*URL, error) {
	var b *URL
	if base != "" {
		var ok bool
		if b, ok = basicParse(base, nil, nil, stateNone); !ok {
			return nil, errs.TypeErrorf("Invalid base URL: %q", base)
		}
	}
	return Parse(input, b)
}

// MustParse is Parse without a base that panics on failure; for tests and
// package-level constants only.
func MustParse(input string) *URL {
	u, err := Parse(input, nil)
	if err != nil {
		panic(err)
	}
	return u
}

// CanParse reports whether input parses against base.
func CanParse(input string, base *URL) bool {
	_, ok := basicParse(input, base, nil, stateNone)
	return ok
}

// Clone returns a deep copy of u (without its search-params object).
func (u *URL) Clone() *URL {
	c := *u
	c.searchParams = nil
	return &c
}

// CloneList returns a new list of clones (see Clone) of list's URLs. A
// one-URL list, the usual case, takes a single allocation. The result has
// no spare capacity, so appending to it copies.
func CloneList(list []*URL) []*URL {
	switch len(list) {
	case 0:
		return []*URL{}
	case 1:
		a := &struct {
			p [1]*URL
			u URL
		}{u: *list[0]}
		a.u.searchParams = nil
		a.p[0] = &a.u
		return a.p[:]
	}
	out := make([]*URL, len(list))
	for i, u := range list {
		out[i] = u.Clone()
	}
	return out
}

// Scheme returns the scheme without the trailing ":" ("https").
func (u *URL) Scheme() string { return u.scheme }

// IsSpecial reports whether the scheme is special (ftp, file, http(s), ws(s)).
// https://url.spec.whatwg.org/#is-special
func (u *URL) IsSpecial() bool { return u.special }

// HasCredentials reports whether the username or password is non-empty.
// https://url.spec.whatwg.org/#include-credentials
func (u *URL) HasCredentials() bool { return u.username != "" || u.password != "" }

// HasOpaquePath reports whether the path is opaque ("mailto:x", "data:...").
// https://url.spec.whatwg.org/#url-opaque-path
func (u *URL) HasOpaquePath() bool { return u.opaquePath }

// HostKind returns what kind of host the URL has (HostNull for none).
func (u *URL) HostKind() HostKind { return u.hostKind }

// HostString returns the serialized host and whether the host is non-null.
func (u *URL) HostString() (string, bool) { return u.host, u.hostKind != HostNull }

// PortNumber returns the port and whether it is non-null (a default port is
// always null).
func (u *URL) PortNumber() (int, bool) { return int(u.port), u.port >= 0 }

// EffectivePort returns the port, or the scheme's default port, or -1.
func (u *URL) EffectivePort() int {
	if u.port >= 0 {
		return int(u.port)
	}
	return DefaultPort(u.scheme)
}

// Query returns the query without "?" and whether it is non-null.
func (u *URL) Query() (string, bool) { return u.query, u.hasQuery }

// Fragment returns the fragment without "#" and whether it is non-null.
func (u *URL) Fragment() (string, bool) { return u.fragment, u.hasFragment }

// PathSegments returns the path's segments (nil for an opaque path).
func (u *URL) PathSegments() []string {
	if u.opaquePath || u.path == "" {
		return nil
	}
	return strings.Split(u.path[1:], "/")
}

// cannotHaveCredentialsOrPort: null or empty host, or the file scheme.
// https://url.spec.whatwg.org/#cannot-have-a-username-password-port
func (u *URL) cannotHaveCredentialsOrPort() bool {
	return u.hostKind == HostNull || u.hostKind == HostEmpty || u.scheme == "file"
}

// Serialize runs the URL serializer, optionally leaving out the fragment.
// https://url.spec.whatwg.org/#concept-url-serializer
func (u *URL) Serialize(excludeFragment bool) string {
	var b strings.Builder
	n := len(u.scheme) + len(u.username) + len(u.password) + len(u.host) + len(u.path) + len(u.query) + 16
	if !excludeFragment {
		n += len(u.fragment)
	}
	b.Grow(n)
	// 1. Scheme and ":".
	b.WriteString(u.scheme)
	b.WriteByte(':')
	// 2. Authority when there is a host.
	if u.hostKind != HostNull {
		b.WriteString("//")
		if u.HasCredentials() {
			b.WriteString(u.username)
			if u.password != "" {
				b.WriteByte(':')
				b.WriteString(u.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.host)
		if u.port >= 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(int(u.port)))
		}
	}
	// 3. "/." keeps a path starting with "//" from reading as a host.
	if u.hostKind == HostNull && !u.opaquePath && strings.HasPrefix(u.path, "//") {
		b.WriteString("/.")
	}
	// 4. The path.
	b.WriteString(u.path)
	// 5. The query.
	if u.hasQuery {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	// 6. The fragment.
	if !excludeFragment && u.hasFragment {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// Href returns the serialized URL (the href getter).
// https://url.spec.whatwg.org/#dom-url-href
func (u *URL) Href() string { return u.Serialize(false) }

// String returns Href.
func (u *URL) String() string { return u.Serialize(false) }

// MarshalText returns Href, so a URL encodes as a JSON string.
func (u *URL) MarshalText() ([]byte, error) { return []byte(u.Href()), nil }

// Equal reports whether u and v serialize the same, optionally ignoring
// fragments.
// https://url.spec.whatwg.org/#concept-url-equals
func (u *URL) Equal(v *URL, excludeFragments bool) bool {
	return u.Serialize(excludeFragments) == v.Serialize(excludeFragments)
}

// Protocol returns the scheme followed by ":".
// https://url.spec.whatwg.org/#dom-url-protocol
func (u *URL) Protocol() string { return u.scheme + ":" }

// Username returns the percent-encoded username.
// https://url.spec.whatwg.org/#dom-url-username
func (u *URL) Username() string { return u.username }

// Password returns the percent-encoded password.
// https://url.spec.whatwg.org/#dom-url-password
func (u *URL) Password() string { return u.password }

// Host returns the serialized host and, if non-null, ":" and the port.
// https://url.spec.whatwg.org/#dom-url-host
func (u *URL) Host() string {
	if u.hostKind == HostNull {
		return ""
	}
	if u.port < 0 {
		return u.host
	}
	return u.host + ":" + strconv.Itoa(int(u.port))
}

// Hostname returns the serialized host, or "" when null.
// https://url.spec.whatwg.org/#dom-url-hostname
func (u *URL) Hostname() string {
	if u.hostKind == HostNull {
		return ""
	}
	return u.host
}

// Port returns the port in decimal, or "" when null.
// https://url.spec.whatwg.org/#dom-url-port
func (u *URL) Port() string {
	if u.port < 0 {
		return ""
	}
	return strconv.Itoa(int(u.port))
}

// Pathname returns the serialized path.
// https://url.spec.whatwg.org/#dom-url-pathname
func (u *URL) Pathname() string { return u.path }

// Search returns "?" and the query, or "" when the query is null or empty.
// https://url.spec.whatwg.org/#dom-url-search
func (u *URL) Search() string {
	if u.query == "" {
		return ""
	}
	return "?" + u.query
}

// Hash returns "#" and the fragment, or "" when it is null or empty.
// https://url.spec.whatwg.org/#dom-url-hash
func (u *URL) Hash() string {
	if u.fragment == "" {
		return ""
	}
	return "#" + u.fragment
}
