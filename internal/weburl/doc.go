// Package weburl implements the WHATWG URL Standard
// (https://url.spec.whatwg.org/) for wfetch: the basic URL parser and URL
// serializer (§4), hosts with IPv4/IPv6 parsing and domain to ASCII (§3),
// percent-encoding (§1.3), origins and same-site checks
// (https://html.spec.whatwg.org/#origin), the
// application/x-www-form-urlencoded parser and serializer (§5) and the
// URLSearchParams class (§6.2).
//
// Go's net/url follows RFC 3986 and disagrees with the URL Standard on
// backslashes, tab/newline stripping, IPv4 number forms, IDNA, default
// ports, dot segments and percent-encode sets; Fetch needs the URL Standard,
// so wfetch parses every URL here and converts to *net/url.URL (NetURL) only
// at the point of handing a request to net/http.
package weburl
