package weburl

import "strings"

// The setters of the URL class. Like the URL Standard they ignore values
// they cannot apply (the URL stays as it was); only SetHref reports an
// error, as the href setter throws.

// SetHref replaces the whole URL with the parse of href (no base).
// Failure is a *fetch.TypeError and leaves u unchanged.
// https://url.spec.whatwg.org/#dom-url-href
func (u *URL) SetHref(href string) error {
	// 1-2. Parse; failure throws.
	parsed, ok := basicParse(href, nil, nil, stateNone)
	if !ok {
		return invalidURL(href)
	}
	// 3. Take the new record, keeping the query object.
	sp := u.searchParams
	*u = *parsed
	u.searchParams = sp
	// 4-6. Refill the query object from the new query.
	if sp != nil {
		sp.list = nil
		if u.hasQuery {
			sp.list = ParseURLEncoded(u.query)
		}
	}
	return nil
}

// override runs the basic URL parser with a state override on u. As in
// the URL Standard, a failure is ignored and changes made before it stay
// (the host setter with "example.com:bad" still sets the host).
func (u *URL) override(input string, st state) {
	basicParse(input, nil, u, st)
}

// SetProtocol changes the scheme ("https" or "https:"); a change between
// special and non-special schemes is ignored.
// https://url.spec.whatwg.org/#dom-url-protocol
func (u *URL) SetProtocol(protocol string) {
	u.override(protocol+":", stateSchemeStart)
}

// SetUsername sets the username, percent-encoding it; ignored when the
// URL cannot have credentials.
// https://url.spec.whatwg.org/#dom-url-username
func (u *URL) SetUsername(username string) {
	// 1. No host, empty host or file: ignore.
	if u.cannotHaveCredentialsOrPort() {
		return
	}
	// 2. Set the username.
	u.username = PercentEncode(username, &UserinfoSet)
}

// SetPassword sets the password, percent-encoding it; ignored when the
// URL cannot have credentials.
// https://url.spec.whatwg.org/#dom-url-password
func (u *URL) SetPassword(password string) {
	// 1. No host, empty host or file: ignore.
	if u.cannotHaveCredentialsOrPort() {
		return
	}
	// 2. Set the password.
	u.password = PercentEncode(password, &UserinfoSet)
}

// SetHost sets the host and, if given, the port ("example.com:8080").
// https://url.spec.whatwg.org/#dom-url-host
func (u *URL) SetHost(host string) {
	// 1. Opaque paths have no host to set.
	if u.opaquePath {
		return
	}
	// 2. Parse from the host state.
	u.override(host, stateHost)
}

// SetHostname sets the host, leaving the port alone.
// https://url.spec.whatwg.org/#dom-url-hostname
func (u *URL) SetHostname(hostname string) {
	// 1. Opaque paths have no host to set.
	if u.opaquePath {
		return
	}
	// 2. Parse from the hostname state.
	u.override(hostname, stateHostname)
}

// SetPort sets the port from its leading digits; "" removes it.
// https://url.spec.whatwg.org/#dom-url-port
func (u *URL) SetPort(port string) {
	// 1. No host, empty host or file: ignore.
	if u.cannotHaveCredentialsOrPort() {
		return
	}
	// 2. The empty string makes the port null.
	if port == "" {
		u.port = -1
		return
	}
	// 3. Parse from the port state.
	u.override(port, statePort)
}

// SetPathname replaces the path; ignored for opaque paths.
// https://url.spec.whatwg.org/#dom-url-pathname
func (u *URL) SetPathname(pathname string) {
	// 1. Opaque paths cannot be replaced.
	if u.opaquePath {
		return
	}
	// 2-3. Empty the path and parse from the path start state.
	u.path = ""
	u.override(pathname, statePathStart)
}

// SetSearch replaces the query (a leading "?" is dropped; "" removes it)
// and refills the query object.
// https://url.spec.whatwg.org/#dom-url-search
func (u *URL) SetSearch(search string) {
	// 2. The empty string makes the query null.
	if search == "" {
		u.query, u.hasQuery = "", false
		if u.searchParams != nil {
			u.searchParams.list = nil
		}
		return
	}
	// 3. Drop one leading "?".
	input := strings.TrimPrefix(search, "?")
	// 4-5. Start from the empty query and parse from the query state.
	u.query, u.hasQuery = "", true
	u.override(input, stateQuery)
	// 6. Refill the query object.
	if u.searchParams != nil {
		u.searchParams.list = ParseURLEncoded(input)
	}
}

// SetHash replaces the fragment (a leading "#" is dropped; "" removes it).
// https://url.spec.whatwg.org/#dom-url-hash
func (u *URL) SetHash(hash string) {
	// 1. The empty string makes the fragment null.
	if hash == "" {
		u.fragment, u.hasFragment = "", false
		return
	}
	// 2. Drop one leading "#".
	input := strings.TrimPrefix(hash, "#")
	// 3-4. Start from the empty fragment and parse from the fragment state.
	u.fragment, u.hasFragment = "", true
	u.override(input, stateFragment)
}
