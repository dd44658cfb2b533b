package weburl

import (
	"net/url"
	"strings"
)

// NetURL converts u for handing to net/http, so that the request-target
// net/http writes carries exactly u's serialized path and query:
//
//   - Path holds the decoded path and RawPath u's own bytes; net/url uses
//     RawPath whenever it is a valid encoding, which is the common case.
//   - When net/url would re-escape the path (it contains "|", or a "%" not
//     followed by two hex digits, ...), Opaque is set to "//host" + path,
//     and net/http writes the absolute form "scheme://host/path?query",
//     which servers must accept and which carries the exact path bytes.
//   - URLs with an opaque path (data:, mailto:, ...) use Opaque = the path.
//   - RawQuery is the query verbatim; ForceQuery keeps an empty "?".
//   - User holds the decoded credentials; note that net/http's Transport
//     turns them into an Authorization header, so fetch should clear User
//     when the Fetch Standard does not want that.
func (u *URL) NetURL() *url.URL {
	n := &url.URL{Scheme: u.scheme}
	if u.HasCredentials() {
		user := string(PercentDecode(u.username))
		if u.password != "" {
			n.User = url.UserPassword(user, string(PercentDecode(u.password)))
		} else {
			n.User = url.User(user)
		}
	}
	if u.hostKind != HostNull {
		n.Host = u.Host()
	}
	switch {
	case u.opaquePath:
		n.Opaque = u.path
	case u.path != "":
		if strings.IndexByte(u.path, '%') < 0 {
			n.Path = u.path // nothing to decode: no copy
		} else {
			n.Path = string(PercentDecode(u.path))
		}
		n.RawPath = u.path
		if n.EscapedPath() != u.path || u.hostKind == HostNull && strings.HasPrefix(u.path, "//") {
			n.Path, n.RawPath = "", ""
			if u.hostKind != HostNull {
				n.Opaque = "//" + u.Host() + u.path
			} else {
				n.Opaque = u.path
			}
		}
	}
	n.RawQuery = u.query
	n.ForceQuery = u.hasQuery && u.query == ""
	if u.hasFragment {
		n.Fragment = string(PercentDecode(u.fragment))
		n.RawFragment = u.fragment
	}
	return n
}
